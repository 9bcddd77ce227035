"""A warm start for large rosters: agent by agent, each one's best week against what the
others leave uncovered, solved exactly (all hard rules) by a small CP-SAT model.

One pass builds a feasible roster; further passes re-plan each agent with the others
fixed (coordinate descent). The full model then starts from that roster as a hint,
which lets CP-SAT's large-neighbourhood search improve it from the first second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduling.roster.model import ModelContext
from scheduling.roster.objective import DEFAULT_WEIGHTS, objective_terms
from scheduling.roster.problem import Problem


def agent_cover(problem: Problem, a: int, day_choice: list[tuple[int, list[int]] | None]
                 ) -> dict[int, int]:
    """Cells covered by agent `a` given (option index, break position indexes) per day."""
    out: dict[int, int] = {}
    spec = problem.agents[a]
    for d, pick in enumerate(day_choice):
        if pick is None:
            continue
        i, positions = pick
        o = spec.options[d][i]
        for c in o.cells:
            out[c] = out.get(c, 0) + 1
        for br, p in zip(o.breaks, positions, strict=True):
            for c in br.cells[p]:
                out[c] = out.get(c, 0) - 1
    return out


def _solve_agent(problem: Problem, a: int, residual: list[int], seed: int,
                 limit: float) -> list[tuple[int, list[int]] | None] | None:
    """The agent's best week: each option valued against the residual requirement
    (breaks at their least harmful position), then one small CP-SAT model with all of
    the agent's hard rules picks the week."""
    spec = problem.agents[a]
    w = {**DEFAULT_WEIGHTS, **problem.weights}
    cell_gain = [w["under"] * c.under_weight if r > 0 else -w["over"] * c.over_weight
                 for c, r in zip(problem.cells, residual, strict=True)]
    values: list[list[int]] = []
    positions: list[list[list[int]]] = []
    for day in spec.options:
        vals, poss = [], []
        for o in day:
            v = sum(cell_gain[c] for c in o.cells)
            pos = []
            for br in o.breaks:
                losses = [sum(cell_gain[c] for c in cs) for cs in br.cells]
                best = min(range(len(losses)), key=losses.__getitem__)
                v -= losses[best]
                pos.append(best)
            vals.append(v)
            poss.append(pos)
        values.append(vals)
        positions.append(poss)
    options = [[replace(o, cells=(), breaks=()) for o in day] for day in spec.options]
    sub = replace(problem, agents=[replace(spec, options=options)], cells=[], fairness=False)
    ctx = ModelContext(sub)
    terms = objective_terms(ctx)
    gain = sum(v * x for vals, xs in zip(values, ctx.x[0], strict=True)
               for v, x in zip(vals, xs, strict=True))
    ctx.model.Minimize(sum(v * c for group in terms.values() for v, c in group) - gain)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = limit
    status = solver.Solve(ctx.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    week: list[tuple[int, list[int]] | None] = []
    for d, xs in enumerate(ctx.x[0]):
        picked = [i for i, v in enumerate(xs) if solver.Value(v)]
        week.append((picked[0], positions[d][picked[0]]) if picked else None)
    return week


def construct_roster(problem: Problem, time_budget: float, seed: int = 0,
                     max_passes: int | None = None,
                     progress: Callable[[float], None] | None = None
                     ) -> tuple[list[list[tuple[int, list[int]] | None]] | None, int]:
    """Agent-by-agent roster and the passes made (None if an agent has no week alone).

    Passes repeat until `time_budget` seconds, or exactly `max_passes` times when
    given (deterministic: each agent's model runs on deterministic time)."""
    started = time.monotonic()
    residual = [c.requirement for c in problem.cells]
    weeks: list[list[tuple[int, list[int]] | None] | None] = [None] * len(problem.agents)
    passes = 0
    while True:
        changed = False
        for a in range(len(problem.agents)):
            if weeks[a] is not None:
                for c, v in agent_cover(problem, a, weeks[a]).items():
                    residual[c] += v
            week = _solve_agent(problem, a, residual, seed, 1.0)
            if week is None:
                if weeks[a] is None:
                    return None, passes
                week = weeks[a]
            changed = changed or week != weeks[a]
            weeks[a] = week
            for c, v in agent_cover(problem, a, week).items():
                residual[c] -= v
            elapsed = time.monotonic() - started
            if progress:
                progress(min(elapsed / max(time_budget, 1e-9), 1.0))
            if passes > 0 and elapsed > time_budget and max_passes is None:
                return weeks, passes
        passes += 1
        if not changed:  # a local optimum: no agent's week can improve alone
            return weeks, passes
        if max_passes is not None and passes >= max_passes:
            return weeks, passes
        if max_passes is None and time.monotonic() - started > time_budget:
            return weeks, passes
