"""A start roster dealt out of anonymous shifts, e.g. a capacity plan's.

A capacity plan decides shifts (a template, a start, an end and a queue on a day) for
groups of interchangeable people, not who works them. To roster the plan rather than
a plan of the engine's own, its shifts are dealt out to the agents one agent at a
time: each agent takes the week that works the most hours of the shifts still to
deal (all of the agent's hard rules kept, by the same small exact model the warm
start uses, `construct.best_week`), the agents with the fewest shifts they could work
first.
The week is then the start of the descent (`descent.py`), which only ever improves
it as the engine judges a roster. Shifts no agent can take within the rules are left
out of the start (`Dealt.planned - Dealt.dealt` of them); the descent re-plans the
agents against what they leave uncovered. Deterministic: the agents' models run on
CP-SAT's deterministic time with one worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduling.roster.construct import AgentModels, Week, best_week
from scheduling.roster.problem import Problem

ShiftKey = tuple[int, str, int, int, str]
"""A shift to deal: day, template, start and end (minutes from day 0's midnight), queue."""

PLANNED_VALUE = 100_000
"""What a paid-time unit (`Problem.paid_minute_unit`) of a shift to deal is worth to the
agent's model: far above any cost of its own (paid hours, wishes), so every agent
works as many of the shifts' hours as its rules allow."""
REDEAL_PASSES = 3
"""Passes dealing again the weeks of agents who could work a shift left over."""
DAY_PRESSURE = 100
"""Worth of each shift still to deal on the same day and of the agent's reach: among
weeks working as many shifts, the agent takes the days with the most left."""


@dataclass
class Dealt:
    """The start weeks (one per agent, None for an agent no week fits), the shifts to
    deal and how many of them were dealt."""

    weeks: list[Week | None]
    planned: int
    dealt: int


def deal_shifts(problem: Problem, wanted: dict[ShiftKey, int], seed: int = 0,
                limit: float = 1.0, passes: int = REDEAL_PASSES) -> Dealt:
    """`wanted` shifts (how many of each) dealt to the agents of `problem`, breaks in the
    middle of their windows (as a capacity plan places them); see the module notes.
    Agents with none of the shifts to take get the week their own costs prefer (none,
    or what their minimum hours need). Then up to `passes` passes deal again the
    weeks of the agents who could work a shift left over, those shifts worth more, so
    an agent gives up a shift someone else can take for one only it can; the best
    dealing is kept. `limit`: deterministic seconds per agent's model."""
    total = sum(int(n) for n in wanted.values() if n > 0)
    left = {k: int(n) for k, n in wanted.items() if n > 0}
    reach: list[set[ShiftKey]] = []
    for spec in problem.agents:
        keys = {(d, o.shift, o.start, o.end, str(o.queue))
                for d, day in enumerate(spec.options) for o in day}
        reach.append(keys & left.keys())
    order = sorted(range(len(problem.agents)),
                   key=lambda a: (sum(left[k] for k in reach[a]), a))
    models = AgentModels(problem)
    unit = max(problem.paid_minute_unit, 1)
    weeks: list[Week | None] = [None] * len(problem.agents)
    taken: list[list[ShiftKey]] = [[] for _ in problem.agents]

    def deal(a: int, stuck: set[ShiftKey]) -> None:
        spec = problem.agents[a]
        for k in taken[a]:
            left[k] += 1
        per_day: dict[int, int] = {}
        for k in reach[a]:
            per_day[k[0]] = per_day.get(k[0], 0) + left[k]
        values: list[list[int]] = []
        positions: list[list[list[int]]] = []
        for d, day in enumerate(spec.options):
            vals = []
            for o in day:
                k = (d, o.shift, o.start, o.end, str(o.queue))
                vals.append(0 if left.get(k, 0) <= 0 else
                            PLANNED_VALUE * o.paid_minutes // unit * (2 if k in stuck else 1)
                            + DAY_PRESSURE * per_day.get(d, 0))
            values.append(vals)
            positions.append([[len(br.positions) // 2 for br in o.breaks] for o in day])
        week = best_week(problem, a, values, positions, seed, limit, models)
        if week is None and weeks[a] is not None:
            week = weeks[a]
        weeks[a] = week
        taken[a] = []
        for d, pick in enumerate(week or []):
            if pick is None:
                continue
            o = spec.options[d][pick[0]]
            k = (d, o.shift, o.start, o.end, str(o.queue))
            if left.get(k, 0) > 0:
                left[k] -= 1
                taken[a].append(k)

    for a in order:
        deal(a, set())
    best = (sum(left.values()), [None if w is None else list(w) for w in weeks])
    for _ in range(passes):
        stuck = {k for k, n in left.items() if n > 0}
        if not stuck:
            break
        for a in order:
            if reach[a] & stuck:
                deal(a, stuck)
        if sum(left.values()) >= best[0]:
            break
        best = (sum(left.values()), [None if w is None else list(w) for w in weeks])
    return Dealt(best[1], total, total - best[0])
