"""From a start roster to a good one: re-plan one agent at a time until no agent's week
improves alone (coordinate descent over `construct.py`'s exact one-agent models).

A start roster (the base scenario's, for a scenario that changes a few requirements
or adds a few agents) is already close to good; measured on the sample's Double 11
scenarios, repeated passes of this descent reach a better roster than the whole
search (column generation, re-rostering a few agents at a time) from the same start,
at a third of the CPU. An agent is solved again only when what it sees has changed
since its last solve: which of the cells it can cover are still short (the one-agent
model values a cell by that alone), so a pass after the first costs only the agents
near a change, and the result is the same as solving every agent every pass.
"""

from __future__ import annotations

import time

from scheduling.roster.construct import AgentModels, agent_cover, solve_agent
from scheduling.roster.objective import weighted_under
from scheduling.roster.problem import Problem

Week = list[tuple[int, list[int]] | None]
MAX_PASSES = 8
MIN_PASS_GAIN = 0.0005
"""A pass that lowers weighted under-staffing by less than this share ends the descent."""


def descend(problem: Problem, start: list[Week | None], seed: int = 0,
            max_passes: int = MAX_PASSES, min_gain: float = MIN_PASS_GAIN,
            deadline: float | None = None, skip_unchanged: bool = True
            ) -> tuple[list[Week] | None, int]:
    """The roster after planning the agents without a start week (None) against the
    others, then passes re-planning every agent against the others, until a pass changes
    no week, gains less than `min_gain` of the weighted under-staffing, or
    `max_passes` passes, or past `deadline` (a `time.monotonic()` value: a loaded
    machine); returns it and the passes made (None when an agent to plan has no week
    alone). Deterministic (each one-agent model runs on deterministic time) unless the
    deadline is reached. `skip_unchanged=False` solves every agent on every pass (the
    same roster, for tests)."""
    weeks: list[Week | None] = [None if w is None else list(w) for w in start]
    residual = [c.requirement for c in problem.cells]
    for a, week in enumerate(weeks):
        if week is not None:
            for c, v in agent_cover(problem, a, week).items():
                residual[c] -= v
    reach = [sorted({c for day in spec.options for o in day for c in o.cells})
             for spec in problem.agents]
    seen: list[bytes | None] = [None] * len(problem.agents)
    models = AgentModels(problem)

    def replan(a: int) -> bool:
        """Solve agent `a` again if what it sees changed; True if its week changed."""
        mine = {} if weeks[a] is None else agent_cover(problem, a, weeks[a])
        view = bytes(residual[c] + mine.get(c, 0) > 0 for c in reach[a])
        if skip_unchanged and weeks[a] is not None and view == seen[a]:
            return False
        for c, v in mine.items():
            residual[c] += v
        week = solve_agent(problem, a, residual, seed, 1.0, models)
        if week is None:
            week = weeks[a]
        seen[a] = view
        changed = week != weeks[a]
        weeks[a] = week
        if week is not None:
            for c, v in agent_cover(problem, a, week).items():
                residual[c] -= v
        return changed

    for a in range(len(weeks)):
        if weeks[a] is None:
            replan(a)
            if weeks[a] is None:
                return None, 0
    before = _under(problem, residual)
    passes = 0
    while passes < max_passes and (deadline is None or time.monotonic() < deadline):
        changed = sum(replan(a) for a in range(len(weeks)))
        passes += 1
        now = _under(problem, residual)
        if not changed or before - now < min_gain * max(before, 1):
            break
        before = now
    return weeks, passes  # type: ignore[return-value]


def _under(problem: Problem, residual: list[int]) -> int:
    cover = [c.requirement - r for c, r in zip(problem.cells, residual, strict=True)]
    return weighted_under(problem, cover)
