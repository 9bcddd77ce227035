"""Large-neighbourhood search (LNS) around a roster incumbent of a CP-SAT model.

CP-SAT's own LNS with two workers spends most steps on neighbourhoods that know
nothing of rosters. Here each step frees a part of the roster that suits staff
rostering and re-solves it exactly for a short time with everything else fixed:

- `days`: a window of consecutive days, for all staff (swaps that keep coverage),
- `staff`: a random share of the staff over the whole horizon,
- `worst`: the staff whose own soft costs are highest (when `agent_cost` is given),
- `block`: a window of days for a random share of the staff,
- `cover`: (when `gaps` is given) one of the costliest cover gaps: all staff on the
  days around it, plus some of the staff who could fill it over the whole horizon (so
  one can take the gap's shift and drop one elsewhere).

Every other day window holds a day of high cost when `day_cost` is given.

With `parallel=2` each round solves two neighbourhoods at once, one CP-SAT worker each,
and keeps the better result; their deterministic times add up, as a solve's workers'
do. In deterministic mode this beats one two-worker solve a step, whose interleaved
subsolvers spend most of a short step in root LPs (Curtois Instance12 from the same
start: 6581 after 20 deterministic seconds, 41 s wall, with two 0.25 s lanes; 7119
after 30, 38 s wall, with 1 s two-worker steps).

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling.roster.model import fix_value, objective_value
from scheduling.roster.settings import solver_parameters

NEIGHBOURHOODS = ("days", "staff", "worst", "block", "cover")


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


def improve_roster(model: cp_model.CpModel, values: Sequence[int],
                   decisions: list[list[list[int]]], time_limit: float, seed: int = 0,
                   workers: int = 2, deterministic: bool = True, step_limit: float = 1.0,
                   agent_cost: Callable[[list[int]], list[float]] | None = None,
                   day_cost: Callable[[list[int]], list[float]] | None = None,
                   progress: Callable[[float], None] | None = None,
                   gaps: Callable[[list[int]], list[tuple[int, list[int], float]]] | None = None,
                   parallel: int = 1, lower_bound: float | None = None) -> LnsResult:
    """Improve the feasible assignment `values` of `model` (which must have an objective
    to minimise) for `time_limit` seconds of LNS steps of at most `step_limit` each.

    `decisions[a][d]` lists the proto indices of agent `a`'s choice variables on day
    `d`; a step fixes those outside the freed part to their incumbent values.
    `agent_cost(values)` gives each agent's own soft cost, for the `worst`
    neighbourhood; `day_cost(values)` each day's (e.g. its cover penalties), to aim
    day windows at costly days; `gaps(values)` lists (day, staff who could fill it,
    cost) of each cover gap, for the `cover` neighbourhood. `parallel` sub-solves run
    at once per round (threads; `workers // parallel` CP-SAT workers each), the best
    of them kept; a fixed seed still gives the same result with `deterministic=True`.
    The search stops early once the incumbent reaches a proven `lower_bound`.
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
    kinds = [k for k in NEIGHBOURHOODS if (k != "worst" or agent_cost is not None)
             and (k != "cover" or gaps is not None)]
    # share of the roster each kind frees; adapted as steps succeed or stall
    size = {"days": min(1.0, 7 / max(days, 1)), "staff": 0.3, "worst": 0.25, "block": 0.25,
            "cover": 0.2}
    tried = {k: [0, 0] for k in kinds}
    trace: list[tuple[str, int, str, float]] = []
    spent, steps, better = 0.0, 0, 0
    lanes = max(1, min(parallel, workers))
    pool = ThreadPoolExecutor(lanes) if lanes > 1 else None
    while (agents and days and spent < time_limit - 0.05
           and (lower_bound is None or best > lower_bound + 1e-9)):
        limit = min(step_limit, time_limit - spent)
        jobs = []
        for _ in range(lanes):
            kind = kinds[steps % len(kinds)]
            steps += 1
            costs = (agent_cost if kind == "worst" else
                     day_cost if kind in ("days", "block") and steps % 2 == 1 else None)
            if kind == "cover":
                free = _pick_gap(size[kind], agents, days, rng, gaps(current))
            else:
                free = _pick(kind, size[kind], agents, days, rng,
                             costs(current) if costs is not None else None)
            sub = _sub_model(model, current, decisions, free)
            # the wall-clock cap only guards a stuck machine
            solver = solver_parameters(limit, rng.randrange(2 ** 31),
                                       max(1, workers // lanes), deterministic,
                                       wall_cap=limit * 20 + 5)
            jobs.append((kind, free, sub, solver))
        if pool is None:
            statuses = [jobs[0][3].Solve(jobs[0][2])]
        else:
            statuses = list(pool.map(lambda job: job[3].Solve(job[2]), jobs))
        if deterministic:  # lanes add up, as a solve's workers do (keeps its wall time)
            spent += sum(j[3].ResponseProto().deterministic_time for j in jobs)
        else:
            spent = time.monotonic() - started
        found = [(jobs[n][3].ObjectiveValue(), n) for n, st in enumerate(statuses)
                 if st in (cp_model.OPTIMAL, cp_model.FEASIBLE)]
        pick = min(found)[1] if found else None
        for n, ((kind, free, _, solver), status) in enumerate(zip(jobs, statuses, strict=True)):
            tried[kind][0] += 1
            value = solver.ObjectiveValue() if n == pick else best
            improved = value < best - 1e-9
            if n == pick and value <= best + 1e-9:  # equal-cost moves walk plateaus
                tried[kind][1] += improved
                better += improved
                best = value
                current = list(solver.ResponseProto().solution)
            if status == cp_model.OPTIMAL:
                size[kind] = min(1.0, size[kind] * 1.25)
            elif not improved:
                size[kind] = max(0.05, size[kind] * 0.85)
            trace.append((kind, len(free), solver.StatusName(status), best))
        if progress:
            progress(min(0.99, spent / time_limit))
    if pool is not None:
        pool.shutdown()
    return LnsResult(current, best, start_obj, steps, better, time.monotonic() - started,
                     tried, trace)


def _sub_model(model: cp_model.CpModel, current: list[int], decisions: list[list[list[int]]],
               free: set[tuple[int, int]]) -> cp_model.CpModel:
    """`model` with the choices outside `free` fixed to `current`, the objective cut at
    its current value and `current` as the hint."""
    sub = model.Clone()
    proto = sub.Proto()
    proto.clear_solution_hint()
    for a, row in enumerate(decisions):
        for d, idx in enumerate(row):
            if (a, d) not in free:
                for i in idx:
                    fix_value(proto, i, current[i])
    obj = proto.objective
    raw = sum(c * current[r] for r, c in zip(obj.vars, obj.coeffs, strict=True))
    cut = proto.constraints.add().linear
    cut.vars.extend(obj.vars)
    cut.coeffs.extend(obj.coeffs)
    cut.domain.extend([-(2 ** 62), raw])
    proto.solution_hint.vars.extend(range(len(current)))
    proto.solution_hint.values.extend(current)
    return sub


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


def _pick_gap(share: float, agents: int, days: int, rng: random.Random,
              gaps: list[tuple[int, list[int], float]]) -> set[tuple[int, int]]:
    """A costly gap's day for all staff in a short window around it, and some of the
    staff who could fill it over the whole horizon (so they can drop a shift elsewhere)."""
    gaps = [g for g in gaps if g[2] > 0]
    if not gaps:
        return _pick("staff", share, agents, days, rng, None)
    day, candidates, _ = rng.choices(gaps, weights=[g[2] for g in gaps])[0]
    count = max(2, min(agents, round(share * agents)))
    chosen = rng.sample(candidates, min(len(candidates), count))
    free = {(a, d) for a in chosen for d in range(days)}
    half = rng.randrange(1, 3)
    free |= {(a, d) for a in range(agents)
             for d in range(max(0, day - half), min(days, day + half + 1))}
    return free

