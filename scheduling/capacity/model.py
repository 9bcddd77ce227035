"""The goal-seek's mixed-integer model: shift columns of today's agents and of every
lever, priced by what they cost, covering the requirement in every interval.

`build_model` makes the same model three times: for SCIP (the plan), GLOP (its LP
relaxation, the lower bound on cost) and SCIP again (a quick plan with today's agents'
shifts fixed at the LP's, rounded: a good first answer even on a busy machine);
`solve_model` solves them and reads the answer
back as plain numbers (`Solution`), so what comes after (the trim pass, the report)
never touches the solver.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from ortools.linear_solver import pywraplp

from scheduling.capacity.backlog import BacklogQueue
from scheduling.capacity.columns import Column, Group, is_open, overlap
from scheduling.capacity.levers import Levers
from scheduling.capacity.targets import TOLERANCE
from scheduling.roster.templates import ShiftSettings

SHORT_PENALTY = 1_000_000.0  # per staff-hour short: far above any lever's cost


@dataclass
class Horizon:
    """The requirement the plan must cover, sorted by queue and interval start."""

    req: pd.DataFrame          # queue, interval_start, need, contacts, aht_seconds
    need: np.ndarray           # staff to cover per row
    minute: np.ndarray         # minutes from the first day's midnight per row
    dates: list[pd.Timestamp]
    weeks: list[list[int]]     # day indices of each 7-day week from the first day
    length: int                # interval minutes
    floor: np.ndarray | None = None  # the LP bound's need per row (default `need`)
    backlog: list[BacklogQueue] = field(default_factory=list)  # email as a flow

    @property
    def hours(self) -> float:
        return self.length / 60.0


@dataclass
class LeverModel:
    """The built model: solver variables (each a (SCIP, GLOP, SCIP) triple: the plan,
    its LP relaxation, the quick fixed-team plan) by what they are."""

    solver: pywraplp.Solver
    lp: pywraplp.Solver
    quick: pywraplp.Solver  # the MIP again, for the fixed-team plan
    col_vars: list[tuple[str, Column, tuple, float]] = field(default_factory=list)
    overtime_vars: dict[str, list[tuple]] = field(default_factory=dict)  # one per week
    cross_vars: dict[tuple[str, int], tuple] = field(default_factory=dict)
    temp_vars: dict[int, tuple] = field(default_factory=dict)
    out_vars: dict[int, tuple] = field(default_factory=dict)
    short_vars: dict[int, tuple] = field(default_factory=dict)
    cover_terms: dict[int, list] = field(default_factory=dict)
    lp_cover: dict[int, list] = field(default_factory=dict)  # row -> LP cover row, cut
    # per email queue: served-work variables, open rows, work per staff, and the LP's
    # deadline constraints with the plan's right-hand sides (all work in time)
    backlog: list[tuple[list, np.ndarray, float, list]] = field(default_factory=list)


@dataclass
class Solution:
    """The solved model as numbers: shifts per column (aligned with `columns`), and the
    other levers' values."""

    columns: list[tuple[str, Column, float]]   # owner, column, proficiency
    shifts: np.ndarray                         # shifts per column
    overtime: dict[str, float]                 # group key -> overtime hours
    cross: dict[tuple[str, int], int]          # (group key, cross-skill lever) -> people
    outsourced: dict[int, float]               # requirement row -> agents on line
    short: np.ndarray                          # staff short per requirement row
    objective: float
    bound: float
    status: str


# hourly costs a temp costs in the plan's MIP when the lever has no fee: of two plans
# of the same cost, the one that hires fewer people (not in the bound or the cost)
PEOPLE_TIE_BREAK = 0.05


def build_model(horizon: Horizon, columns: list[Column], groups: Sequence[Group],
                levers: Levers, shifts: ShiftSettings, opened: ShiftSettings,
                integer_team: bool) -> LeverModel:
    """The least-cost cover model over `columns` (see `scheduling.capacity`)."""
    solver = pywraplp.Solver.CreateSolver("SCIP")
    lp = pywraplp.Solver.CreateSolver("GLOP")
    quick = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None or lp is None or quick is None:  # pragma: no cover - in ortools
        raise RuntimeError("OR-Tools was built without SCIP or GLOP")
    m = LeverModel(solver, lp, quick)
    models = (solver, lp, quick)
    inf = solver.infinity()
    objective: list[list] = [[], [], []]
    days, weeks, need = len(horizon.dates), horizon.weeks, horizon.need

    def var(name: str, ub: float, integer: bool) -> tuple:
        return (solver.IntVar(0, ub, name) if integer else solver.NumVar(0, ub, name),
                lp.NumVar(0, ub, name),
                quick.IntVar(0, ub, name) if integer else quick.NumVar(0, ub, name))

    def constrain(terms: list[tuple[tuple, float]], lo: float, hi: float) -> None:
        for k, model in enumerate(models):
            c = model.Constraint(lo, hi)
            for v, coef in terms:
                c.SetCoefficient(v[k], coef)

    def cost(v: tuple, per_unit: float, tie_break: float = 0.0) -> None:
        """`per_unit` in every copy; `tie_break` in the plan's copies only, so the LP
        bound stays a bound on the levers' own cost."""
        for k in range(len(models)):
            objective[k].append((v[k], per_unit + (tie_break if models[k] is not lp else 0)))

    def add_columns(owner: str, allowed_q: dict[str, float], templates: set[str],
                    days_off: frozenset[int], ub: float, hourly: float) -> list[tuple]:
        made = []
        for col in columns:
            if col.template not in templates or col.queue not in allowed_q:
                continue
            if col.day in days_off:
                continue
            v = var(f"x_{owner}_{len(m.col_vars)}", ub, integer_team or owner.startswith("T"))
            m.col_vars.append((owner, col, v, allowed_q[col.queue]))
            if hourly:
                cost(v, hourly * col.paid_hours)
            made.append((col, v))
        return made

    def person_limits(made: list[tuple], size: list[tuple[tuple | None, float]],
                      max_days: int, max_hours: float, extra_hours: list[tuple] | None
                      ) -> None:
        """Shifts a day <= people; per week shifts <= people x days, hours <= people x
        hours (+ that week's overtime). `size` is a linear expression of people: (var or
        None, coef)."""
        const = sum(c for v, c in size if v is None)
        vars_ = [(v, c) for v, c in size if v is not None]
        for d in range(days):
            terms = [(v, 1.0) for col, v in made if col.day == d]
            if terms:
                constrain(terms + [(v, -c) for v, c in vars_], -inf, const)
        for w, week in enumerate(weeks):
            terms = [(v, 1.0) for col, v in made if col.day in week]
            if not terms:
                continue
            constrain(terms + [(v, -c * max_days) for v, c in vars_], -inf, const * max_days)
            hours = [(v, col.paid_hours) for col, v in made if col.day in week]
            extra = [(extra_hours[w], -1.0)] if extra_hours is not None else []
            constrain(hours + [(v, -c * max_hours) for v, c in vars_] + extra, -inf,
                      const * max_hours)

    ot = levers.overtime
    for g in groups:
        n = float(len(g.agent_ids))
        ot_cap = 0.0
        if ot is not None:
            ot_cap = min(ot.max_hours_week, ot.max_hours_day * g.max_days_week)
        splits = [(i, c) for i, c in enumerate(levers.cross_skill)
                  if c.from_queue in g.queues and c.to_queue not in g.queues]
        size: list[tuple[tuple | None, float]] = [(None, n)]
        for i, c in splits:
            z = var(f"z_{g.key}_{i}", min(n, c.max_people), True)
            m.cross_vars[(g.key, i)] = z
            cost(z, c.cost_per_person)
            size.append((z, -1.0))
            trained = {q: g.proficiency.get(q, 1.0) for q in g.queues} | {
                c.to_queue: c.proficiency}
            made = add_columns(f"{g.key}c{i}", trained, set(g.templates), g.days_off,
                               n, 0.0)
            extra = None
            if ot_cap > 0:
                extra = [var(f"ot_{g.key}c{i}_{w}", n * ot_cap, False)
                         for w in range(len(weeks))]
                for e in extra:
                    cost(e, ot.rate)
                    constrain([(e, 1.0), (z, -ot_cap)], -inf, 0.0)
                m.overtime_vars[f"{g.key}c{i}"] = extra
            person_limits(made, [(z, 1.0)], g.max_days_week, g.max_hours_week, extra)
        made = add_columns(g.key, {q: g.proficiency.get(q, 1.0) for q in g.queues},
                           set(g.templates), g.days_off, n, 0.0)
        extra = None
        if ot_cap > 0:  # each week's overtime at most the people's weekly allowance
            extra = [var(f"ot_{g.key}_{w}", n * ot_cap, False) for w in range(len(weeks))]
            for e in extra:
                cost(e, ot.rate)
                constrain([(e, 1.0)] + [(m.cross_vars[(g.key, i)], ot_cap)
                                        for i, _ in splits], -inf, n * ot_cap)
            m.overtime_vars[g.key] = extra
        person_limits(made, size, g.max_days_week, g.max_hours_week, extra)
    for i, c in enumerate(levers.cross_skill):
        terms = [(v, 1.0) for (_key, j), v in m.cross_vars.items() if j == i]
        if terms:
            constrain(terms, -inf, float(c.max_people))

    for i, t in enumerate(levers.temps):
        y = var(f"y_{i}", float(t.max_count), True)
        m.temp_vars[i] = y
        cost(y, t.fee, 0.0 if t.fee else PEOPLE_TIE_BREAK * t.hourly_cost)
        made = add_columns(f"T{i}", {q: 1.0 for q in t.queues}, {t.template}, frozenset(),
                           float(t.max_count), t.hourly_cost)
        person_limits(made, [(y, 1.0)], temp_days(t.max_days_week, shifts), t.max_hours_week,
                      None)

    req, starts, length = horizon.req, horizon.minute, horizon.length
    by_queue = {q: np.flatnonzero(req["queue"].to_numpy() == q)
                for q in sorted(set(req["queue"]))}
    for _owner, col, v, prof in m.col_vars:
        rows = by_queue[col.queue]
        share = overlap(col, starts[rows], length)
        for r, s in zip(rows[share > 0], share[share > 0], strict=True):
            m.cover_terms.setdefault(int(r), []).append((v, float(s) * prof))
    for u in levers.outsourcer:
        qh = opened.queues.get(u.queue)
        for r in by_queue.get(u.queue, []):
            if need[r] <= 0 or not is_open(qh, horizon.dates, int(starts[r]), length):
                continue
            v = var(f"u_{u.queue}_{r}", float(u.max_agents), False)
            cost(v, u.hourly_cost * horizon.hours)
            m.out_vars[int(r)] = v
            m.cover_terms.setdefault(int(r), []).append((v, 1.0))
    flowed = add_backlog(m, horizon, by_queue, var, constrain, cost)
    floor = horizon.floor if horizon.floor is not None else need
    for r in np.flatnonzero(need > 0):
        if int(r) in flowed:
            continue
        s = var(f"s_{r}", float(need[r]), False)
        cost(s, SHORT_PENALTY * horizon.hours)
        m.short_vars[int(r)] = s
        for k, model in enumerate(models):  # the LP bound covers the floor
            c = model.Constraint(float(floor[r] if k == 1 else need[r]), inf)
            for v, coef in m.cover_terms.get(int(r), []) + [(s, 1.0)]:
                c.SetCoefficient(v[k], coef)
            if k == 1:
                m.lp_cover.setdefault(int(r), []).append(c)
        cut = _grid_cut(m, m.cover_terms.get(int(r), []), s, float(floor[r]),
                        float(need[r]), horizon.length)
        m.lp_cover[int(r)] += [cut] if cut is not None else []
    for k, model in enumerate(models):
        obj = model.Objective()
        for v, c in objective[k]:
            obj.SetCoefficient(v, obj.GetCoefficient(v) + c)
        obj.SetMinimization()
    return m


def _grid_cut(m: LeverModel, terms: list, short: tuple, floor: float, need: float,
              length: int) -> pywraplp.Constraint | None:
    """A rounding cut for the LP bound: when every staff term of an interval is a
    whole number of shifts, each on line a whole number of minutes, the staff on line
    is a multiple of `g / length` (g the terms' greatest common divisor of minutes), so
    a plan that beats the floor (which misses the target) has at least the next
    multiple above it. Shortfall counts `(next - floor) / (need - floor)` times here,
    so a plan short there is not cut off (the plain cover row still prices it)."""
    if not terms or need - floor <= 1e-9:
        return None
    minutes = []
    for v, coef in terms:
        if not v[0].integer():
            return None
        value = coef * length
        if abs(value - round(value)) > 1e-6:
            return None  # a proficiency below 1: not on the grid
        minutes.append(int(round(value)))
    g = math.gcd(length, *minutes)
    step = g / length
    nxt = (math.floor(floor / step + 1e-9) + 1) * step
    if nxt <= floor + 1e-9:
        return None
    c = m.lp.Constraint(nxt, m.lp.infinity())
    for v, coef in terms:
        c.SetCoefficient(v[1], coef)
    c.SetCoefficient(short[1], max((nxt - floor) / (need - floor), 1.0))
    return c


def add_backlog(m: LeverModel, horizon: Horizon, by_queue: dict[str, np.ndarray],
                var: Callable, constrain: Callable, cost: Callable) -> set[int]:
    """Each email queue's backlog (`backlog`): work cleared by the end of each open
    interval grows by at most its capacity; each interval's work is cleared by its
    deadline (all of it in the plan, the service-level share in the LP bound); staff
    short in an open interval adds capacity at the shortfall's price. Returns the
    queues' rows."""
    inf = m.solver.infinity()
    models = (m.solver, m.lp, m.quick)
    rows: set[int] = set()
    for bq in horizon.backlog:
        rows |= {int(r) for r in by_queue.get(bq.queue, [])}
        served = [var(f"S_{bq.queue}_{k}", float(a), False)
                  for k, a in enumerate(bq.arrived)]
        top = float(bq.arrived[-1]) / bq.per_staff if len(bq.arrived) else 0.0
        for k, r in enumerate(bq.open_rows):
            u = var(f"s_{r}", top, False)  # staff short in this interval
            cost(u, SHORT_PENALTY * horizon.hours)
            m.short_vars[int(r)] = u
            terms = [(served[k], 1.0), (u, -bq.per_staff)]
            terms += [(served[k - 1], -1.0)] if k else []
            terms += [(v, -bq.per_staff * c) for v, c in m.cover_terms.get(int(r), [])]
            constrain(terms, -inf, 0.0)
        deadlines = []
        for r, w in bq.work.items():
            due = bq.due[r] if bq.due[r] >= 0 else len(served) - 1
            terms = [(served[due], 1.0)] if due >= 0 else []
            if bq.beyond[r] > 0:  # worked after the horizon: the plan only its share
                b = var(f"b_{r}", w, False)
                terms.append((b, 1.0))
                for k in (0, 2):
                    models[k].Constraint(-inf, bq.beyond[r] * w).SetCoefficient(b[k], 1.0)
            for k, model in enumerate(models):
                c = model.Constraint(bq.before[r] + w * (bq.goal if k == 1 else 1.0), inf)
                for v, coef in terms:
                    c.SetCoefficient(v[k], coef)
                if k == 1:
                    deadlines.append((c, bq.before[r] + w))
        m.backlog.append((served, bq.open_rows, bq.per_staff, deadlines))
    return rows


def _email_profile(m: LeverModel) -> None:
    """Fix each email queue's capacity profile in the MIPs to an LP's: the LP is
    solved again with all work in time (the plan's deadlines), and each open
    interval must then cover the work that LP clears there. The backlog constraints
    stay; the profile only spares SCIP the search over when email is worked."""
    if not m.backlog:
        return
    for _served, _rows, _per, deadlines in m.backlog:
        for c, rhs in deadlines:
            c.SetLb(rhs)
    if m.lp.Solve() != pywraplp.Solver.OPTIMAL:
        return
    inf = m.solver.infinity()
    for served, rows, per_staff, _d in m.backlog:
        before = 0.0
        for k, r in enumerate(rows):
            level = served[k][1].solution_value()
            need = max(level - before, 0.0) / per_staff
            before = level
            if need <= 1e-6:
                continue
            terms = m.cover_terms.get(int(r), []) + [(m.short_vars[int(r)], 1.0)]
            for j in (0, 2):
                c = (m.solver, m.lp, m.quick)[j].Constraint(need - 1e-6, inf)
                for v, coef in terms:
                    c.SetCoefficient(v[j], coef)


def temp_days(max_days_week: int, shifts: ShiftSettings) -> int:
    """Days a week a temp may work: the lever's limit and the days-off rule."""
    if shifts.rules.days_off_per_week is None:
        return max_days_week
    return min(max_days_week, 7 - shifts.rules.days_off_per_week)


def solve_model(m: LeverModel, horizon: Horizon, *, time_limit: float, relative_gap: float,
                report: Callable[[float], None]) -> Solution:
    """Solve the LP relaxation (the bound), a fixed-team plan from it (`_fixed_team`),
    then the whole MIP from that plan as a hint; read back the better plan."""
    t0 = time.perf_counter()
    m.lp.SetTimeLimit(int(max(time_limit, 1) * 1000))
    lp_status = m.lp.Solve()
    if lp_status != pywraplp.Solver.OPTIMAL:
        raise RuntimeError(f"the capacity model's LP relaxation was not solved within "
                           f"{time_limit:g} s (status {lp_status}); allow more time")
    bound = m.lp.Objective().Value()
    _email_profile(m)
    report(0.4)
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, relative_gap)
    variables = m.solver.variables()
    best, best_values, status_text = math.inf, None, "feasible"
    quick = _fixed_team(m, time_limit, params)
    if quick is not None:
        best, best_values = quick
        m.solver.SetHint(variables, best_values)
    report(0.5)
    left = time_limit - (time.perf_counter() - t0)
    if left >= 1 or best_values is None:
        m.solver.SetTimeLimit(int(max(left, 1) * 1000))
        status = m.solver.Solve(params)
        if status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            if m.solver.Objective().Value() <= best + 1e-6:
                best = m.solver.Objective().Value()
                best_values = [v.solution_value() for v in variables]
                status_text = "optimal" if status == pywraplp.Solver.OPTIMAL else "feasible"
    if best_values is None:
        raise RuntimeError(f"the capacity model found no plan within {time_limit:g} s; "
                           "allow more time")
    return _solution(m, horizon, dict(zip([v.index() for v in variables], best_values,
                                          strict=True)), best, bound, status_text)


def _fixed_team(m: LeverModel, time_limit: float, params: pywraplp.MPSolverParameters
                ) -> tuple[float, list[float]] | None:
    """A quick plan from the LP relaxation: today's agents' shifts rounded (per group
    and day, largest remainders, so no day gets more shifts than the LP gave it) and
    the cross-skilled people rounded up, then the levers' MIP solved with those fixed
    (a small MIP, solved on the third copy of the model). Returns the objective
    and every variable's value, or None when no plan was found."""
    fixed: list[tuple[pywraplp.Variable, float]] = []
    by_day: dict[tuple[str, int], list[int]] = {}
    for k, (owner, col, _v, _p) in enumerate(m.col_vars):
        if not owner.startswith("T"):
            by_day.setdefault((owner, col.day), []).append(k)
    for ks in by_day.values():
        x = np.array([m.col_vars[k][2][1].solution_value() for k in ks])
        whole = np.floor(x + 1e-9)
        extra = int(math.floor(x.sum() + 1e-9) - whole.sum())
        whole[np.argsort(-(x - whole), kind="stable")[:max(extra, 0)]] += 1
        fixed += [(m.col_vars[k][2][2], float(w)) for k, w in zip(ks, whole, strict=True)]
    for v in m.cross_vars.values():
        fixed.append((v[2], float(min(math.ceil(v[1].solution_value() - 1e-6), v[2].ub()))))
    for v, value in fixed:
        v.SetBounds(value, value)
    m.quick.SetTimeLimit(int(max(time_limit / 3, 1) * 1000))
    status = m.quick.Solve(params)
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    return m.quick.Objective().Value(), [v.solution_value() for v in m.quick.variables()]


def _solution(m: LeverModel, horizon: Horizon, values: dict[int, float], objective: float,
              bound: float, status: str) -> Solution:
    def value(v: tuple) -> float:
        return float(values[v[0].index()])

    shifts = np.array([value(v) for _o, _c, v, _p in m.col_vars])
    integer = np.array([v[0].integer() for _o, _c, v, _p in m.col_vars], dtype=bool)
    shifts[integer] = np.round(shifts[integer])
    short = np.zeros(len(horizon.req))
    for r, v in m.short_vars.items():
        short[r] = value(v)
    return Solution(
        [(o, c, p) for o, c, _v, p in m.col_vars], shifts,
        {k: sum(value(e) for e in v) for k, v in m.overtime_vars.items()
         if sum(value(e) for e in v) > 1e-6},
        {k: int(round(value(v))) for k, v in m.cross_vars.items() if round(value(v))},
        {r: value(v) for r, v in m.out_vars.items() if value(v) > 1e-6},
        # short by less than the need's own precision is not short
        np.where(short > TOLERANCE, short, 0.0), float(objective), float(bound), status)
