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
    """Cover (at the options' weights) per cell of agent `a`, given (option index,
    break position indexes) per day."""
    out: dict[int, int] = {}
    spec = problem.agents[a]
    for d, pick in enumerate(day_choice):
        if pick is None:
            continue
        i, positions = pick
        o = spec.options[d][i]
        for c in o.cells:
            out[c] = out.get(c, 0) + o.weight
        for br, p in zip(o.breaks, positions, strict=True):
            for c in br.cells[p]:
                out[c] = out.get(c, 0) - o.weight
    return out


Week = list[tuple[int, list[int]] | None]


class AgentModels:
    """Each agent's small model, built once and re-solved with a new objective on every
    pass (the same model and seed give the same week as building it anew)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.built: dict[int, tuple[ModelContext, object]] = {}

    def get(self, a: int) -> tuple[ModelContext, object]:
        """Agent `a`'s model context and its own objective terms (built on first use)."""
        if a not in self.built:
            spec = self.problem.agents[a]
            options = [[replace(o, cells=(), breaks=()) for o in day] for day in spec.options]
            sub = replace(self.problem, agents=[replace(spec, options=options)], cells=[],
                          fairness=False)
            ctx = ModelContext(sub)
            terms = objective_terms(ctx)
            own = sum(v * c for group in terms.values() for v, c in group)
            self.built[a] = (ctx, own)
        return self.built[a]


def solve_agent(problem: Problem, a: int, residual: list[int], seed: int,
                limit: float, models: AgentModels | None = None) -> Week | None:
    """The agent's best week: each option valued against the residual requirement
    (breaks at their least harmful position), then one small CP-SAT model with all of
    the agent's hard rules picks the week."""
    spec = problem.agents[a]
    w = {**DEFAULT_WEIGHTS, **problem.weights}
    gains: dict[int, list[int]] = {}  # option weight -> what that cover is worth per cell

    def cell_gain(weight: int) -> list[int]:
        if weight not in gains:
            gains[weight] = [
                w["under"] * c.under_weight * min(weight, max(r, 0))
                - w["over"] * c.over_weight * max(weight - max(r, 0), 0)
                for c, r in zip(problem.cells, residual, strict=True)]
        return gains[weight]

    values: list[list[int]] = []
    positions: list[list[list[int]]] = []
    for day in spec.options:
        vals, poss = [], []
        for o in day:
            worth = cell_gain(o.weight)
            v = sum(worth[c] for c in o.cells)
            pos = []
            for br in o.breaks:
                losses = [sum(worth[c] for c in cs) for cs in br.cells]
                best = min(range(len(losses)), key=losses.__getitem__)
                v -= losses[best]
                pos.append(best)
            vals.append(v)
            poss.append(pos)
        values.append(vals)
        positions.append(poss)
    return best_week(problem, a, values, positions, seed, limit, models)


def best_week(problem: Problem, a: int, values: list[list[int]],
              positions: list[list[list[int]]], seed: int, limit: float,
              models: AgentModels | None = None) -> Week | None:
    """Agent `a`'s week that maximises the `values` of its options (per day and option)
    less its own costs (paid hours, wishes), all of its hard rules kept, by one small
    CP-SAT model on `limit` deterministic seconds; each day's pick carries the break
    positions given for that option in `positions`. None when no week keeps the rules."""
    ctx, own = (models or AgentModels(problem)).get(a)
    gain = sum(v * x for vals, xs in zip(values, ctx.x[0], strict=True)
               for v, x in zip(vals, xs, strict=True))
    ctx.model.Minimize(own - gain)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = limit
    status = solver.Solve(ctx.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    week: Week = []
    for d, xs in enumerate(ctx.x[0]):
        picked = [i for i, v in enumerate(xs) if solver.Value(v)]
        week.append((picked[0], positions[d][picked[0]]) if picked else None)
    return week


def hard_signature(problem: Problem, a: int) -> tuple:
    """What decides which weeks agent `a` may work (options, contract periods, rule
    numbers, days off, history): two agents with the same signature can swap weeks."""
    spec = problem.agents[a]
    return (tuple(tuple(o.key for o in day) for day in spec.options), repr(spec.periods),
            spec.max_consecutive_days, spec.min_consecutive_days_off,
            spec.max_working_weekends, spec.days_off, spec.history, spec.last_end)


def construct_roster(problem: Problem, time_budget: float, seed: int = 0,
                     max_passes: int | None = None,
                     progress: Callable[[float], None] | None = None,
                     start: list[Week | None] | None = None,
                     deadline: float | None = None, start_passes: int = 1
                     ) -> tuple[list[Week] | None, int]:
    """Agent-by-agent roster and the passes made (None if an agent has no week alone).

    Passes repeat until `time_budget` seconds, or exactly `max_passes` times when
    given (deterministic: each agent's model runs on deterministic time).
    With `start` (a week per agent, None for agents to plan), the other agents are
    planned first, against what the given weeks leave uncovered, then `start_passes`
    passes re-plan the given weeks one agent at a time (fitting them to requirements
    that changed since the start was made). Past `deadline` (a `time.monotonic()`
    value) the construction stops whatever `max_passes` says, with the best roster so
    far: agents not yet planned take the week of a planned agent with the same hard rules
    (`hard_signature`) and only those with no such twin are still solved."""
    started = time.monotonic()
    residual = [c.requirement for c in problem.cells]
    weeks: list[Week | None] = [None] * len(problem.agents)
    todo = list(range(len(problem.agents)))
    if start is not None:
        weeks = [None if w is None else list(w) for w in start]
        for a, week in enumerate(weeks):
            if week is not None:
                for c, v in agent_cover(problem, a, week).items():
                    residual[c] -= v
        todo = ([a for a, w in enumerate(weeks) if w is None]
                + [a for a, w in enumerate(weeks) if w is not None] * start_passes)
        max_passes = 1
    models = AgentModels(problem)
    twins: dict[tuple, Week] | None = None  # signature -> a planned week, once late
    passes = 0
    while True:
        changed = False
        for a in todo:
            late = deadline is not None and time.monotonic() > deadline
            if late and weeks[a] is not None:  # keep what is planned
                continue
            if late:  # first pass cut short: twins' weeks, else solve
                if twins is None:
                    twins = {}
                    for b, planned in enumerate(weeks):
                        if planned is not None:
                            twins.setdefault(hard_signature(problem, b), planned)
                twin = twins.get(hard_signature(problem, a))
                if twin is not None:
                    weeks[a] = twin = list(twin)
                    for c, v in agent_cover(problem, a, twin).items():
                        residual[c] -= v
                    continue
            if weeks[a] is not None:
                for c, v in agent_cover(problem, a, weeks[a]).items():
                    residual[c] += v
            week = solve_agent(problem, a, residual, seed, 1.0, models)
            if week is None:
                if weeks[a] is None:
                    return None, passes
                week = weeks[a]
            changed = changed or week != weeks[a]
            weeks[a] = week
            if twins is not None:
                twins.setdefault(hard_signature(problem, a), week)
            for c, v in agent_cover(problem, a, week).items():
                residual[c] -= v
            elapsed = time.monotonic() - started
            if progress:
                progress(min(elapsed / max(time_budget, 1e-9), 1.0))
            if passes > 0 and elapsed > time_budget and max_passes is None:
                return weeks, passes
        passes += 1
        if start is not None:
            return weeks, passes
        if not changed:  # a local optimum: no agent's week can improve alone
            return weeks, passes
        if max_passes is not None and passes >= max_passes:
            return weeks, passes
        if max_passes is None and time.monotonic() - started > time_budget:
            return weeks, passes
        if deadline is not None and time.monotonic() > deadline:
            return weeks, passes

