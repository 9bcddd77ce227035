"""Large-neighbourhood search (LNS) around a roster incumbent of a CP-SAT model.

CP-SAT's own LNS with two workers spends most steps on neighbourhoods that know
nothing of rosters. Here each step frees a part of the roster that suits staff
rostering and re-solves it exactly for a short time with everything else fixed:

- `days`: a window of consecutive days, for all staff (swaps that keep coverage),
- `staff`: a random share of the staff over the whole horizon,
- `worst`: the staff whose own soft costs are highest (when `agent_cost` is given),
- `block`: a window of days for a random share of the staff.

Every other day window holds a day of high cost when `day_cost` is given.

Every step keeps the objective at or below the incumbent's (a cutoff constraint, the
incumbent as hint), so the result is never worse than the start; equal-cost moves are
accepted to walk plateaus. A neighbourhood grows when its sub-model was solved to
optimality and shrinks when a step found nothing better. The model is built once;
each step copies its proto and tightens the domains of the fixed choices. With
`deterministic=True` the steps run on CP-SAT's deterministic time and a seeded
`random.Random`, so a fixed seed gives the same result.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling.roster.model import _parameters

NEIGHBOURHOODS = ("days", "staff", "worst", "block")


@dataclass
class LnsResult:
    """The improved assignment (a value per model variable) and what the search did."""

    values: list[int]
    objective: float
    start_objective: float
    steps: int
    improvements: int
    seconds: float
    tried: dict[str, list[int]] = field(default_factory=dict)  # kind -> [steps, better]
    trace: list[tuple[str, int, str, float]] = field(default_factory=list)  # per step:
    # neighbourhood, (agent, day) pairs freed, sub-solve status, incumbent objective after


def complete_assignment(model: cp_model.CpModel, fixed: dict[int, int],
                        time_limit: float = 30.0) -> list[int] | None:
    """A value for every variable of `model` with the variables `fixed` (proto index ->
    value) held; None when they cannot all hold."""
    sub = model.Clone()
    proto = sub.Proto()
    proto.clear_solution_hint()
    proto.clear_objective()
    for i, v in fixed.items():
        _fix(proto, i, v)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    if solver.Solve(sub) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return list(solver.ResponseProto().solution)
    return None


def _fix(proto: object, i: int, value: int) -> None:
    domain = proto.variables[i].domain
    domain.clear()
    domain.extend([value, value])


def objective_value(model: cp_model.CpModel, values: Sequence[int]) -> float:
    """The model's objective at `values` (a value per proto variable)."""
    obj = model.Proto().objective
    raw = sum(c * (values[r] if r >= 0 else -values[-r - 1])
              for r, c in zip(obj.vars, obj.coeffs, strict=True))
    value = raw + obj.offset
    return value * obj.scaling_factor if obj.scaling_factor else value


def improve_roster(model: cp_model.CpModel, values: Sequence[int],
                   decisions: list[list[list[int]]], time_limit: float, seed: int = 0,
                   workers: int = 2, deterministic: bool = True, step_limit: float = 1.0,
                   agent_cost: Callable[[list[int]], list[float]] | None = None,
                   day_cost: Callable[[list[int]], list[float]] | None = None,
                   progress: Callable[[float], None] | None = None) -> LnsResult:
    """Improve the feasible assignment `values` of `model` (which must have an objective
    to minimise) for `time_limit` seconds of LNS steps of at most `step_limit` each.

    `decisions[a][d]` lists the proto indices of agent `a`'s choice variables on day
    `d`; a step fixes those outside the freed part to their incumbent values.
    `agent_cost(values)` gives each agent's own soft cost, for the `worst`
    neighbourhood; `day_cost(values)` each day's (e.g. its cover penalties), to aim
    day windows at costly days.
    """
    started = time.monotonic()
    base = model.Proto()
    obj = base.objective
    if not obj.vars:
        raise ValueError("improve_roster: the model has no objective to minimise")
    if obj.scaling_factor < 0 or any(r < 0 for r in obj.vars):
        raise ValueError("improve_roster: expects a minimised objective over plain variables")
    current = list(values)
    start_obj = best = objective_value(model, current)
    agents = len(decisions)
    days = len(decisions[0]) if agents else 0
    rng = random.Random(seed)
    kinds = [k for k in NEIGHBOURHOODS if k != "worst" or agent_cost is not None]
    # share of the roster each kind frees; adapted as steps succeed or stall
    size = {"days": min(1.0, 7 / max(days, 1)), "staff": 0.3, "worst": 0.25, "block": 0.25}
    tried = {k: [0, 0] for k in kinds}
    trace: list[tuple[str, int, str, float]] = []
    spent, steps, better = 0.0, 0, 0
    while agents and days and spent < time_limit - 0.05:
        kind = kinds[steps % len(kinds)]
        costs = (agent_cost if kind == "worst" else
                 day_cost if kind in ("days", "block") and steps % 2 == 0 else None)
        free = _pick(kind, size[kind], agents, days, rng,
                     costs(current) if costs is not None else None)
        sub = model.Clone()
        proto = sub.Proto()
        proto.clear_solution_hint()
        for a in range(agents):
            for d in range(days):
                if (a, d) in free:
                    continue
                for i in decisions[a][d]:
                    _fix(proto, i, current[i])
        raw = sum(c * current[r] for r, c in zip(obj.vars, obj.coeffs, strict=True))
        cut = proto.constraints.add().linear
        cut.vars.extend(obj.vars)
        cut.coeffs.extend(obj.coeffs)
        cut.domain.extend([-(2 ** 62), raw])
        proto.solution_hint.vars.extend(range(len(current)))
        proto.solution_hint.values.extend(current)
        limit = min(step_limit, time_limit - spent)
        # the wall-clock cap only guards a stuck machine
        solver = _parameters(limit, rng.randrange(2 ** 31), workers, deterministic,
                             wall_cap=limit * 20 + 5)
        status = solver.Solve(sub)
        steps += 1
        tried[kind][0] += 1
        spent = (spent + solver.ResponseProto().deterministic_time if deterministic
                 else time.monotonic() - started)
        improved = False
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            value = solver.ObjectiveValue()
            if value <= best + 1e-9:
                improved = value < best - 1e-9
                better += improved
                tried[kind][1] += improved
                best = value
                current = list(solver.ResponseProto().solution)
        if status == cp_model.OPTIMAL:
            size[kind] = min(1.0, size[kind] * 1.25)
        elif not improved:
            size[kind] = max(0.05, size[kind] * 0.85)
        trace.append((kind, len(free), solver.StatusName(status), best))
        if progress:
            progress(min(0.99, spent / time_limit))
    return LnsResult(current, best, start_obj, steps, better, time.monotonic() - started,
                     tried, trace)


def _pick(kind: str, share: float, agents: int, days: int, rng: random.Random,
          cost: list[float] | None) -> set[tuple[int, int]]:
    """The (agent, day) pairs a step frees; `cost` per agent (`worst`) or per day."""
    if kind in ("days", "block"):
        if kind == "block":
            share = share ** 0.5
        width = max(2, min(days, round(share * days)))
        if cost is not None and max(cost) > 0:  # a window holding a costly day
            day = rng.choices(range(days), weights=[c + 1e-9 for c in cost])[0]
            first = rng.randrange(max(0, day - width + 1), min(day, days - width) + 1)
        else:
            first = rng.randrange(days - width + 1)
        window = range(first, first + width)
        staff = (range(agents) if kind == "days" else
                 rng.sample(range(agents), max(2, min(agents, round(share * agents)))))
        return {(a, d) for a in staff for d in window}
    count = max(2, min(agents, round(share * agents)))
    if kind == "staff" or cost is None:
        chosen = rng.sample(range(agents), count)
    else:
        order = sorted(range(agents), key=lambda a: (-cost[a], rng.random()))
        chosen = rng.sample(order[:min(agents, 2 * count)], count)
    return {(a, d) for a in chosen for d in range(days)}
