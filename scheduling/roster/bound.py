"""A lower bound on under-staffing from a pooled relaxation of the roster model.

Agents with the same shift options are pooled into one class; the relaxation
chooses how many of each class take each shift option (integers), with breaks as in
the full model, under the class's totals only: per day at most the class members
available that day, per week at most their summed days and paid minutes and at
least their summed minimum minutes. Every roster maps onto a solution of it, so
its optimum (or CP-SAT's bound on it) bounds the weighted under-staffing of any
roster from below. Two rules that still hold for a class's totals tighten it: late
shifts per week, and rest between days (`_aggregate_cuts`). The LP relaxation of
that model (GLOP, `lp.py`) is always computed, so even a short run proves a bound;
CP-SAT then tries to raise it with shifts kept whole.
"""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from scheduling.roster.lp import lp_relaxation, proven_bound
from scheduling.roster.objective import DEFAULT_WEIGHTS
from scheduling.roster.problem import AgentSpec, Period, Problem, ShiftOption
from scheduling.roster.settings import solver_parameters


def _pooled_model(problem: Problem) -> cp_model.CpModel | None:
    """The pooled relaxation as a CP-SAT model minimising weighted under-staffing (None
    when nothing is required)."""
    w = {**DEFAULT_WEIGHTS, **problem.weights}
    m = cp_model.CpModel()
    agents = [replace(spec, options=_allowed_options(problem, spec))
              for spec in problem.agents]
    classes: dict[tuple, list[int]] = {}
    for a, spec in enumerate(agents):
        key = tuple(tuple(o.key for o in day) for day in spec.options)
        classes.setdefault(key, []).append(a)
    cover: list[list[tuple[object, int]]] = [[] for _ in problem.cells]
    per_key: dict[str, list[object]] = {}
    options = {}
    for ci, members in enumerate(classes.values()):
        specs = [agents[a] for a in members]
        first = specs[0]
        day_counts = []
        paid_terms = []
        class_vars: list[list[object]] = []
        for d, opts in enumerate(first.options):
            avail = sum(1 for s in specs if d not in s.days_off)
            vs = []
            class_vars.append(vs)
            for o in opts:
                v = m.NewIntVar(0, avail, f"n[{ci},{o.key}]")
                vs.append(v)
                per_key.setdefault(o.key, []).append(v)
                options[o.key] = o
                paid_terms.append((v, o.paid_minutes, d))
            if vs:
                m.Add(sum(vs) <= avail)
                day_counts.append((d, sum(vs)))
        _aggregate_cuts(m, problem, specs, first, class_vars)
        for p in first.periods:
            in_p = [e for d, e in day_counts if p.first <= d <= p.last]
            paid = [v * mins for v, mins, d in paid_terms if p.first <= d <= p.last]
            limits = [s.periods[first.periods.index(p)] for s in specs]
            if in_p and all(q.max_days is not None for q in limits):
                m.Add(sum(in_p) <= sum(q.max_days for q in limits))
            if paid and all(q.max_minutes is not None for q in limits):
                m.Add(sum(paid) <= sum(q.max_minutes for q in limits))
            if paid and all(q.min_minutes is not None for q in limits):
                m.Add(sum(paid) >= sum(q.min_minutes for q in limits))
    for key, vs in per_key.items():
        o = options[key]
        n = m.NewIntVar(0, len(problem.agents), f"n[{key}]")
        m.Add(n == sum(vs))
        for c in o.cells:
            cover[c].append((n, o.weight))
        for br in o.breaks:
            bv = [m.NewIntVar(0, len(problem.agents), "") for _ in br.positions]
            m.Add(sum(bv) == n)
            for v, cells in zip(bv, br.cells, strict=True):
                for c in cells:
                    cover[c].append((v, -o.weight))
    terms = []
    for c, cell in enumerate(problem.cells):
        if cell.requirement <= 0 or not cell.under_weight:
            continue
        u = m.NewIntVar(0, cell.requirement, "")
        m.Add(u >= cell.requirement - sum(v * s for v, s in cover[c]))
        terms.append(u * (w["under"] * cell.under_weight))
    if not terms:
        return None
    m.Minimize(sum(terms))
    return m


def _allowed_options(problem: Problem, spec: AgentSpec) -> list[list[ShiftOption]]:
    """The agent's options less those the hard rules rule out alone: unavailable days,
    and what the days before the horizon force (rest after the last shift, a day off
    after `max_consecutive_days` worked, the rest of a too-short run of days off)."""
    opts = [[] if d in spec.days_off else list(day) for d, day in enumerate(spec.options)]
    rest = problem.min_rest_minutes
    if spec.last_end is not None and rest > 0:
        opts = [[o for o in day if o.start >= spec.last_end + rest] for day in opts]
    h = list(spec.history)
    if h:
        worked_run = len(h) - next((i for i in range(len(h) - 1, -1, -1) if not h[i]), -1) - 1
        off_run = len(h) - next((i for i in range(len(h) - 1, -1, -1) if h[i]), -1) - 1
        k = spec.max_consecutive_days
        if k is not None and worked_run >= k and opts:
            opts[0] = []
        need = spec.min_consecutive_days_off
        if 0 < off_run < min(need, len(h)):  # a run of days off closed by a worked day
            for d in range(min(need - off_run, len(opts))):
                opts[d] = []
    return opts


def _solve_bound(m: cp_model.CpModel, time_limit: float, seed: int, workers: int,
                 deterministic: bool, wall_cap: float | None) -> float:
    """CP-SAT's proven bound on a relaxation (0 when nothing is proven)."""
    solver = solver_parameters(time_limit, seed, workers, deterministic, wall_cap)
    status = solver.Solve(m)
    if status == cp_model.OPTIMAL:
        return float(solver.ObjectiveValue())
    if status == cp_model.FEASIBLE:
        return max(float(solver.BestObjectiveBound()), 0.0)
    return 0.0


def under_staffing_bound(problem: Problem, time_limit: float, seed: int = 0,
                         workers: int = 2, deterministic: bool = False,
                         wall_cap: float | None = None) -> float:
    """Weighted under-staffing no roster can beat (0 when nothing is proven): the
    better of the pooled model's LP relaxation (always) and CP-SAT's bound on it."""
    m = _pooled_model(problem)
    if m is None:
        return 0.0
    lp = lp_relaxation(m, time_limit=max(time_limit, 5.0))
    best = proven_bound(lp[0]) if lp is not None else 0.0
    if time_limit > 0:
        best = max(best, _solve_bound(m, time_limit, seed, workers, deterministic, wall_cap))
    return max(best, 0.0)


def _aggregate_cuts(m: cp_model.CpModel, problem: Problem, specs: list, first: object,
                    class_vars: list[list[object]]) -> None:
    """Rules that still hold for a class's totals: late shifts per week (each member
    works at most `max_late`), and rest between days: a member working a shift ending at
    or after `e` on day d cannot start before `e + rest` on day d + 1, so the class
    works at most one of the two per member."""
    rest = problem.min_rest_minutes
    members = len(specs)
    for pi, p in enumerate(first.periods):
        limits = [s.periods[pi].max_late for s in specs]
        if all(v is not None for v in limits):
            late = [v for d in range(p.first, p.last + 1)
                    for v, o in zip(class_vars[d], first.options[d], strict=True) if o.late]
            if late:
                m.Add(sum(late) <= sum(limits))
    if rest <= 0:
        return
    for d in range(problem.days - 1):
        today, tomorrow = first.options[d], first.options[d + 1]
        if not today or not tomorrow:
            continue
        for e in sorted({o.end for o in today}):
            a = [v for v, o in zip(class_vars[d], today, strict=True) if o.end >= e]
            b = [v for v, o in zip(class_vars[d + 1], tomorrow, strict=True)
                 if o.start < e + rest]
            if a and b:
                m.Add(sum(a) + sum(b) <= members)


def capacity_bound(problem: Problem, grid_minutes: int) -> float:
    """Weighted under-staffing forced by total capacity: the required agent-slots minus
    the most slots all agents together can be on line (at their best proficiency), times
    the lowest weight.

    An agent is on line at most the paid minutes of a shift (breaks are off line), so
    per week at most min(max paid minutes, days they may work x longest paid shift)."""
    w = {**DEFAULT_WEIGHTS, **problem.weights}
    needed = [c for c in problem.cells if c.requirement > 0 and c.under_weight]
    if not needed:
        return 0.0
    capacity = 0
    for spec in problem.agents:
        longest = max((o.paid_minutes for day in spec.options for o in day), default=0)
        weight = max((o.weight for day in spec.options for o in day), default=1)
        periods = spec.periods or [Period(0, problem.days - 1)]
        for p in periods:
            days_in = sum(1 for d in range(p.first, p.last + 1) if spec.options[d])
            if p.max_days is not None:
                days_in = min(days_in, p.max_days)
            minutes = days_in * longest
            if p.max_minutes is not None:
                minutes = min(minutes, p.max_minutes)
            capacity += minutes // grid_minutes * weight
    short = sum(c.requirement for c in needed) - capacity
    return float(max(short, 0) * w["under"] * min(c.under_weight for c in needed))
