"""Goal-seek for a peak week: the least-cost mix of levers that meets the targets.

The model is the roster's own: columns of shifts (a template, a start, a length and
the one queue the shift serves, exactly the options `scheduling.roster.solve` builds)
priced by what they cost, covering the requirement column `staff` of
`scheduling.staffing.requirements` (Erlang C / A, chat, email deadlines; after
shrinkage) in every interval. Today's agents are grouped by their contract (same
queues, templates, hours, days and unavailable days); a group of `n` agents works at
most `n` shifts a day, `n x max_days` shifts and `n x max_hours_week` paid hours (plus
overtime) a week. The levers:

- temps per shift template (`TempLever`): a count of people hired for the horizon,
  each working at most `max_days_week` shifts and `max_hours_week` hours a week of
  their template, paid `hourly_cost` per paid hour plus `fee` per person;
- overtime on today's agents (`OvertimeLever`): paid hours above the contract up to
  `max_hours_week` per agent (and `max_hours_day` times the days they may work),
  at `hourly_cost x premium`;
- cross-skilling (`CrossSkillLever`): agents who answer `from_queue` trained for
  `to_queue` at `cost_per_person`; their shifts on `to_queue` count `proficiency`;
- an outsourcer (`OutsourcerLever`): agents on line per interval on one queue, up to
  `max_agents`, at `hourly_cost` per agent-hour;
- opening hours (`Levers.opening`): hours a queue may open when closing is a choice
  (columns may then start and end inside the wider hours).

Shortfall in an interval is allowed at a penalty far above any lever's cost, so a
target no lever mix can reach still gets the reachable part; every interval left
short is reported with its reason (`queue closed`, `no template starts then`, `no
eligible agents`, `lever at its cap`). The mixed-integer model is solved with
OR-Tools (SCIP); its LP relaxation (GLOP) is the lower bound on cost reported
with the gap. The plan is then judged by `scheduling.projection.project` on a
roster laid out from the chosen columns (breaks in the middle of their windows), so
the planned service level comes from the real staffing models, not the cover
constraint. Pure functions of frames: nothing is printed or read from files.

What the model leaves to the check by building it: rest between shifts, consecutive
days, late shifts a week, minimum contract hours and where breaks fall (a shift
counts its on-line share in every interval it spans); the overtime day limit is
applied as `max_hours_day` times the days an agent may work; proficiency below 1
counts in the plan but the roster engine treats a cross-skilled agent as full.
Only the per-interval target is implemented (`TARGET_MODES`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from ortools.linear_solver import pywraplp

from scheduling.frames import ROSTER_COLUMNS, interval_minutes
from scheduling.projection import project, rollup
from scheduling.roster.inputs import Agent, day_matches
from scheduling.roster.templates import QueueHours, ShiftSettings, ShiftTemplate

LEVER_COLUMNS = ("lever", "queue", "template", "date", "count", "hours", "cost")
"""The capacity levers frame of DESIGN.md: one row per lever, queue, template and day
(`count` people or shifts, `hours` paid or agent-hours, `cost` in the plan's money)."""
REASON_COLUMNS = ("queue", "interval_start", "required", "planned", "shortfall", "reason")
"""Intervals the plan leaves short of the requirement, and why."""
CAPACITY_DAILY_COLUMNS = ("queue", "date", "contacts", "required_staff_hours",
                          "planned_staff_hours", "shortfall_staff_hours", "intervals_short",
                          "target_service_level", "service_level_planned", "cost")
"""Per queue and day: what the plan gives and the service level projected from it."""

REASONS = ("queue closed", "no template starts then", "no eligible agents", "lever at its cap")
TARGET_MODES = ("interval",)
SHORT_PENALTY = 1_000_000.0  # per staff-hour short: far above any lever's cost


class CapacityInputError(ValueError):
    """Levers that cannot be planned with; the message names the lever and field."""


@dataclass(frozen=True)
class TempLever:
    """Temporary or agency staff on one shift template."""

    template: str
    queues: tuple[str, ...]
    hourly_cost: float
    max_count: int
    max_hours_week: float = 40.0
    max_days_week: int = 5
    fee: float = 0.0
    prefix: str = "T"


@dataclass(frozen=True)
class OvertimeLever:
    """Paid hours above today's agents' contracts."""

    max_hours_week: float
    max_hours_day: float
    hourly_cost: float
    premium: float = 1.5

    @property
    def rate(self) -> float:
        return self.hourly_cost * self.premium


@dataclass(frozen=True)
class CrossSkillLever:
    """Agents who answer `from_queue` trained to answer `to_queue` too."""

    from_queue: str
    to_queue: str
    cost_per_person: float
    max_people: int
    proficiency: float = 1.0


@dataclass(frozen=True)
class OutsourcerLever:
    """An outsourcer's agents on line per interval on one queue."""

    queue: str
    max_agents: float
    hourly_cost: float


@dataclass
class Levers:
    """Every lever the planner allows (an empty list or None: not allowed)."""

    temps: list[TempLever] = field(default_factory=list)
    overtime: OvertimeLever | None = None
    cross_skill: list[CrossSkillLever] = field(default_factory=list)
    outsourcer: list[OutsourcerLever] = field(default_factory=list)
    opening: dict[str, tuple[int, int]] = field(default_factory=dict)  # queue -> (open, close)


@dataclass
class CapacityPlan:
    """The least-cost plan and how good it is.

    `levers` has `LEVER_COLUMNS`; `daily` `CAPACITY_DAILY_COLUMNS`; `reasons`
    `REASON_COLUMNS`; `planned` per queue and interval: `required`, `planned` (staff
    from the plan) and `shortfall`; `roster` is the plan laid out as a roster (one row
    per planned shift, ids `P...`), `projection` its projection. `cost` is what the
    levers cost; `bound` the LP relaxation's lower bound on cost plus shortfall
    penalty, `objective` the same for the plan, `gap` = (objective - bound) / objective.
    """

    levers: pd.DataFrame
    daily: pd.DataFrame
    reasons: pd.DataFrame
    planned: pd.DataFrame
    roster: pd.DataFrame
    projection: pd.DataFrame
    temps: dict[str, int]
    overtime_hours: dict[str, float]
    cross_skilled: dict[tuple[str, str, str], int]
    shifts: ShiftSettings
    cost: float
    objective: float
    bound: float
    gap: float
    status: str
    seconds: float
    groups: list[Group] = field(default_factory=list)

    @property
    def shortfall_hours(self) -> float:
        return float(self.reasons["shortfall"].sum()) * self._hours

    @property
    def _hours(self) -> float:
        return float(self.planned.attrs.get("interval_hours", 0.25))


@dataclass(frozen=True)
class Group:
    """Today's agents with the same contract (or a lever's people)."""

    key: str
    queues: tuple[str, ...]
    templates: tuple[str, ...]
    agent_ids: tuple[str, ...]
    max_hours_week: float
    max_days_week: int
    days_off: frozenset[int]
    proficiency: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    """One shift option: day, template, start and end (minutes from the first day's
    midnight), paid hours and the queue it serves."""

    day: int
    template: str
    start: int
    end: int
    paid_hours: float
    queue: str
    on_line: float  # share of the shift on line (breaks out)
    breaks: tuple[tuple[int, int], ...]  # (start, length) minutes after the shift start


# validation -----------------------------------------------------------------------

def check_levers(levers: Levers, queues: Sequence[str], templates: Sequence[str],
                 source: str = "capacity") -> None:
    """Refuse negative costs, unknown templates or queues and impossible limits,
    naming `source` and the field."""
    known_q, known_t = set(queues), set(templates)

    def bad(where: str, msg: str) -> CapacityInputError:
        return CapacityInputError(f"{source}: {where}: {msg}")

    def cost(value: float, where: str) -> None:
        if not (isinstance(value, int | float) and math.isfinite(value)) or value < 0:
            raise bad(where, f"{value!r} is not a cost >= 0")

    for i, t in enumerate(levers.temps):
        at = f"temps[{i}]"
        if t.template not in known_t:
            raise bad(f"{at}.template", f"unknown shift template {t.template!r}; templates: "
                      f"{sorted(known_t)} (add new ones under capacity.templates)")
        for q in t.queues:
            if q not in known_q:
                raise bad(f"{at}.queues", f"unknown queue {q!r}; queues: {sorted(known_q)}")
        if not t.queues:
            raise bad(f"{at}.queues", "missing: the queues the temps answer")
        cost(t.hourly_cost, f"{at}.hourly_cost")
        cost(t.fee, f"{at}.fee")
        if t.max_count < 0:
            raise bad(f"{at}.max_count", f"{t.max_count} is negative")
        if t.max_hours_week <= 0 or not 1 <= t.max_days_week <= 7:
            raise bad(f"{at}.max_hours_week", "expected hours > 0 and max_days_week 1..7")
    if levers.overtime is not None:
        o = levers.overtime
        cost(o.hourly_cost, "overtime.hourly_cost")
        if o.premium < 0 or not math.isfinite(o.premium):
            raise bad("overtime.premium", f"{o.premium!r} is not a multiplier >= 0")
        if o.max_hours_week < 0 or o.max_hours_day < 0:
            raise bad("overtime.max_hours_week", "overtime limits must be >= 0")
    for i, c in enumerate(levers.cross_skill):
        at = f"cross_skill[{i}]"
        for name, q in (("from", c.from_queue), ("to", c.to_queue)):
            if q not in known_q:
                raise bad(f"{at}.{name}", f"unknown queue {q!r}; queues: {sorted(known_q)}")
        cost(c.cost_per_person, f"{at}.cost_per_person")
        if not 0 < c.proficiency <= 1:
            raise bad(f"{at}.proficiency", f"{c.proficiency!r}; expected above 0, at most 1")
        if c.max_people < 0:
            raise bad(f"{at}.max_people", f"{c.max_people} is negative")
    for i, u in enumerate(levers.outsourcer):
        at = f"outsourcer[{i}]"
        if u.queue not in known_q:
            raise bad(f"{at}.queue", f"unknown queue {u.queue!r}; queues: {sorted(known_q)}")
        cost(u.hourly_cost, f"{at}.hourly_cost")
        if u.max_agents < 0:
            raise bad(f"{at}.max_agents", f"{u.max_agents} is negative")
    for q, (lo, hi) in levers.opening.items():
        if q not in known_q:
            raise bad(f"opening_hours.{q}", f"unknown queue {q!r}; queues: {sorted(known_q)}")
        if not 0 <= lo < hi <= 1440:
            raise bad(f"opening_hours.{q}", "expected open before close, within 00:00-24:00")


# the model ------------------------------------------------------------------------

def opened_shifts(shifts: ShiftSettings, levers: Levers) -> ShiftSettings:
    """The shift settings with each queue's hours widened to what the planner allows."""
    queues = dict(shifts.queues)
    for q, (lo, hi) in levers.opening.items():
        old = queues.get(q)
        if old is None:
            continue
        queues[q] = QueueHours(q, min(lo, old.open), max(hi, old.close), old.priority,
                               frozenset(range(7)))
    return replace(shifts, queues=queues)


def team_groups(agents: Sequence[Agent], dates: Sequence[pd.Timestamp],
                template_names: Sequence[str], days_off_rule: int | None) -> list[Group]:
    """Today's agents grouped by what the model can tell apart."""
    buckets: dict[tuple, list[Agent]] = {}
    for ag in agents:
        off = frozenset(d for d, day in enumerate(dates) if day_matches(ag.unavailable, day))
        templates = tuple(sorted(ag.shifts)) or tuple(template_names)
        max_days = ag.max_days_week
        if days_off_rule is not None:
            max_days = min(max_days, 7 - days_off_rule)
        key = (tuple(sorted(ag.queues)), templates, float(ag.max_hours_week), int(max_days),
               off)
        buckets.setdefault(key, []).append(ag)
    groups = []
    for i, (key, members) in enumerate(sorted(buckets.items(), key=lambda kv: str(kv[0]))):
        queues, templates, hours, days, off = key
        groups.append(Group(f"G{i + 1:02d}", queues, templates,
                            tuple(a.agent_id for a in members), hours, days, off))
    return groups


def shift_columns(shifts: ShiftSettings, dates: Sequence[pd.Timestamp],
                  queues: Sequence[str]) -> list[Column]:
    """Every shift option of every template on every day, one per queue it may serve
    (inside the queue's opening hours, as the roster engine builds them)."""
    out = []
    for d, day in enumerate(dates):
        weekday = int(day.day_of_week)
        for t in shifts.templates:
            if weekday not in t.days:
                continue
            for st in t.starts():
                for length in t.lengths:
                    for q in queues:
                        qh = shifts.queues.get(q)
                        if qh is None or weekday not in qh.days:
                            continue
                        if st < qh.open or st + length > qh.close:
                            continue
                        out.append(_column(t, d, st, length, q))
    return out


def _column(t: ShiftTemplate, d: int, st: int, length: int, q: str) -> Column:
    breaks = tuple(((b.earliest + b.latest) // 2 // 5 * 5, b.length) for b in t.breaks)
    off = sum(b.length for b in t.breaks)
    return Column(d, t.name, d * 1440 + st, d * 1440 + st + length,
                  t.paid_minutes(length) / 60.0, q, (length - off) / length, breaks)


def _overlap(col: Column, starts: np.ndarray, length: int) -> np.ndarray:
    """Share of each interval [s, s+length) the column is on line (breaks averaged)."""
    lo = np.maximum(starts, col.start)
    hi = np.minimum(starts + length, col.end)
    return np.clip(hi - lo, 0, None) / length * col.on_line


def goal_seek(requirements: pd.DataFrame, agents: Sequence[Agent], shifts: ShiftSettings,
              levers: Levers, queue_settings: pd.DataFrame, *, time_limit: float = 60.0,
              relative_gap: float = 0.01, cover: str = "staff", integer_team: bool = True,
              progress: Callable[[float], None] | None = None) -> CapacityPlan:
    """The least-cost levers that meet each queue's requirement in every interval a
    lever can reach, with the reachable part and reasons for the rest.

    `requirements` is `scheduling.staffing.requirements` over the horizon (one week or
    an event season; weekly limits hold per 7 days from the first), `agents` today's
    team, `shifts` today's templates plus any the levers name, `queue_settings` the
    targets (for the projection of the plan). `integer_team=False` lets today's
    agents' shifts be fractional (temps, cross-skills and their shifts stay whole):
    a smaller MIP, whose team placement the roster check then makes whole. Raises
    CapacityInputError for levers that name unknown queues or templates or carry
    negative costs.
    """
    report = progress or (lambda _f: None)
    t0 = time.perf_counter()
    req = requirements[["queue", "interval_start", cover, "contacts", "aht_seconds"]].copy()
    req["queue"] = req["queue"].astype(str)
    req["interval_start"] = pd.to_datetime(req["interval_start"])
    req = req.sort_values(["queue", "interval_start"], ignore_index=True)
    queues = sorted(set(req["queue"]))
    check_levers(levers, queues, [t.name for t in shifts.templates])
    length = interval_minutes(req, default=60)
    origin = req["interval_start"].min().normalize()
    days = int((req["interval_start"].max().normalize() - origin).days) + 1
    dates = [origin + pd.Timedelta(days=d) for d in range(days)]
    weeks = [list(range(w, min(w + 7, days))) for w in range(0, days, 7)]
    minute = ((req["interval_start"] - origin) / pd.Timedelta(minutes=1)).to_numpy(int)
    need = req[cover].to_numpy(float)
    opened = opened_shifts(shifts, levers)
    columns = shift_columns(opened, dates, queues)
    groups = team_groups(agents, dates, [t.name for t in shifts.templates],
                         shifts.rules.days_off_per_week)
    report(0.05)

    solver = pywraplp.Solver.CreateSolver("SCIP")
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None or lp is None:  # pragma: no cover - shipped with ortools
        raise RuntimeError("OR-Tools was built without SCIP or GLOP")
    models = (solver, lp)
    inf = solver.infinity()
    cover_terms: dict[int, list[list]] = {}  # row -> per model list of (var, coef)
    objective: list[list] = [[], []]
    hours_h = length / 60.0

    def var(name: str, ub: float, integer: bool) -> tuple:
        return (solver.IntVar(0, ub, name) if integer else solver.NumVar(0, ub, name),
                lp.NumVar(0, ub, name))

    def constrain(terms: list[tuple[tuple, float]], lo: float, hi: float,
                  rhs_vars: list[tuple[tuple, float]] = ()) -> None:
        for k, m in enumerate(models):
            c = m.Constraint(lo, hi)
            for v, coef in terms:
                c.SetCoefficient(v[k], coef)
            for v, coef in rhs_vars:
                c.SetCoefficient(v[k], -coef)

    def cost(v: tuple, per_unit: float) -> None:
        for k in range(2):
            objective[k].append((v[k], per_unit))

    col_vars: list[tuple[str, Column, tuple, float]] = []  # owner, column, var, proficiency

    def add_columns(owner: str, allowed_q: dict[str, float], templates: set[str],
                    days_off: frozenset[int], ub: float, hourly: float) -> list[tuple]:
        made = []
        for col in columns:
            if col.template not in templates or col.queue not in allowed_q:
                continue
            if col.day in days_off:
                continue
            v = var(f"x_{owner}_{len(col_vars)}", ub, integer_team or owner.startswith("T"))
            col_vars.append((owner, col, v, allowed_q[col.queue]))
            if hourly:
                cost(v, hourly * col.paid_hours)
            made.append((col, v))
        return made

    def person_limits(made: list[tuple], size: list[tuple[tuple | None, float]],
                      max_days: int, max_hours: float, extra_hours: tuple | None) -> None:
        """Shifts a day <= people; per week shifts <= people x days, hours <= people x
        hours (+ overtime). `size` is a linear expression of people: (var or None, coef)."""
        const = sum(c for v, c in size if v is None)
        vars_ = [(v, c) for v, c in size if v is not None]
        for d in range(days):
            terms = [(v, 1.0) for col, v in made if col.day == d]
            if terms:
                constrain(terms + [(v, -c) for v, c in vars_], -inf, const)
        for week in weeks:
            terms = [(v, 1.0) for col, v in made if col.day in week]
            if not terms:
                continue
            constrain(terms + [(v, -c * max_days) for v, c in vars_], -inf, const * max_days)
            hours = [(v, col.paid_hours) for col, v in made if col.day in week]
            extra = [(extra_hours, -1.0)] if extra_hours is not None else []
            constrain(hours + [(v, -c * max_hours) for v, c in vars_] + extra, -inf,
                      const * max_hours)

    ot = levers.overtime
    overtime_vars: dict[str, tuple] = {}
    cross_vars: dict[tuple[str, int], tuple] = {}
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
            cross_vars[(g.key, i)] = z
            cost(z, c.cost_per_person)
            size.append((z, -1.0))
            trained = {q: 1.0 for q in g.queues} | {c.to_queue: c.proficiency}
            made = add_columns(f"{g.key}c{i}", trained, set(g.templates), g.days_off,
                               n, 0.0)
            extra = None
            if ot_cap > 0:
                extra = var(f"ot_{g.key}c{i}", n * ot_cap, False)
                cost(extra, ot.rate)
                overtime_vars[f"{g.key}c{i}"] = extra
                constrain([(extra, 1.0), (z, -ot_cap)], -inf, 0.0)
            person_limits(made, [(z, 1.0)], g.max_days_week, g.max_hours_week, extra)
        made = add_columns(g.key, {q: 1.0 for q in g.queues}, set(g.templates), g.days_off,
                           n, 0.0)
        extra = None
        if ot_cap > 0:
            extra = var(f"ot_{g.key}", n * ot_cap, False)
            cost(extra, ot.rate)
            overtime_vars[g.key] = extra
            constrain([(extra, 1.0)] + [(cross_vars[(g.key, i)], ot_cap) for i, _ in splits],
                      -inf, n * ot_cap)
        person_limits(made, size, g.max_days_week, g.max_hours_week, extra)
    for i, c in enumerate(levers.cross_skill):
        terms = [(v, 1.0) for (key, j), v in cross_vars.items() if j == i]
        if terms:
            constrain(terms, -inf, float(c.max_people))

    temp_vars: dict[int, tuple] = {}
    for i, t in enumerate(levers.temps):
        y = var(f"y_{i}", float(t.max_count), True)
        temp_vars[i] = y
        cost(y, t.fee)
        made = add_columns(f"T{i}", {q: 1.0 for q in t.queues}, {t.template}, frozenset(),
                           float(t.max_count), t.hourly_cost)
        max_days = t.max_days_week
        if shifts.rules.days_off_per_week is not None:
            max_days = min(max_days, 7 - shifts.rules.days_off_per_week)
        person_limits(made, [(y, 1.0)], max_days, t.max_hours_week, None)
    report(0.2)

    starts = minute
    by_queue = {q: np.flatnonzero(req["queue"].to_numpy() == q) for q in queues}
    for _owner, col, v, prof in col_vars:
        rows = by_queue[col.queue]
        share = _overlap(col, starts[rows], length)
        for r, s in zip(rows[share > 0], share[share > 0], strict=True):
            cover_terms.setdefault(int(r), []).append((v, float(s) * prof))
    out_vars: dict[int, tuple] = {}
    for u in levers.outsourcer:
        qh = opened.queues.get(u.queue)
        for r in by_queue.get(u.queue, []):
            if need[r] <= 0 or not _is_open(qh, dates, int(starts[r]), length):
                continue
            v = var(f"u_{u.queue}_{r}", float(u.max_agents), False)
            cost(v, u.hourly_cost * hours_h)
            out_vars[int(r)] = v
            cover_terms.setdefault(int(r), []).append((v, 1.0))
    short_vars: dict[int, tuple] = {}
    for r in np.flatnonzero(need > 0):
        s = var(f"s_{r}", float(need[r]), False)
        cost(s, SHORT_PENALTY * hours_h)
        short_vars[int(r)] = s
        constrain(cover_terms.get(int(r), []) + [(s, 1.0)], float(need[r]), inf)
    for k, m in enumerate(models):
        obj = m.Objective()
        for v, c in objective[k]:
            obj.SetCoefficient(v, obj.GetCoefficient(v) + c)
        obj.SetMinimization()
    report(0.3)

    lp.SetTimeLimit(int(max(time_limit, 1) * 1000))
    lp_status = lp.Solve()
    bound = lp.Objective().Value() if lp_status == pywraplp.Solver.OPTIMAL else 0.0
    report(0.45)
    solver.SetTimeLimit(int(max(time_limit, 1) * 1000))
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, relative_gap)
    status = solver.Solve(params)
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        raise RuntimeError(f"the capacity model found no plan within {time_limit:g} s "
                           f"(status {status}); allow more time")
    status_text = "optimal" if status == pywraplp.Solver.OPTIMAL else "feasible"
    bound = max(bound, solver.Objective().BestBound())
    report(0.75)

    # read the answer ----------------------------------------------------------------
    value = np.zeros(len(req))
    for r, terms in cover_terms.items():
        value[r] = sum(v[0].solution_value() * c for v, c in terms)
    short = np.array([short_vars[r][0].solution_value() if r in short_vars else 0.0
                      for r in range(len(req))])
    planned = req[["queue", "interval_start"]].assign(
        required=need, planned=value, shortfall=np.where(short > 1e-6, short, 0.0))
    planned.attrs["interval_hours"] = hours_h
    penalty = float(short.sum()) * SHORT_PENALTY * hours_h
    total = solver.Objective().Value()
    lever_cost = total - penalty
    gap = (total - bound) / total if total > 1e-9 else 0.0

    rows = []
    temps = {}
    max_days_rule = shifts.rules.days_off_per_week
    for i, t in enumerate(levers.temps):
        y = _people_needed([(col, int(round(v[0].solution_value())))
                            for owner, col, v, _ in col_vars if owner == f"T{i}"],
                           weeks, t.max_days_week if max_days_rule is None
                           else min(t.max_days_week, 7 - max_days_rule), t.max_hours_week)
        temps[t.template] = temps.get(t.template, 0) + y
        if y:
            rows.append({"lever": "temps", "queue": ";".join(t.queues), "template": t.template,
                         "date": "", "count": y, "hours": 0.0, "cost": y * t.fee})
    overtime_hours = {}
    cross = {}
    for owner, col, v, _ in col_vars:
        n = int(round(v[0].solution_value()))
        if not n or not owner.startswith("T"):
            continue
        i = int(owner[1:])
        t = levers.temps[i]
        rows.append({"lever": "temp shifts", "queue": col.queue, "template": col.template,
                     "date": str(dates[col.day].date()), "count": n,
                     "hours": n * col.paid_hours, "cost": n * col.paid_hours * t.hourly_cost})
    for key, v in overtime_vars.items():
        h = v[0].solution_value()
        if h > 1e-6:
            overtime_hours[key] = h
            g = next(g for g in groups if key.split("c")[0] == g.key)
            rows.append({"lever": "overtime", "queue": ";".join(g.queues), "template": "",
                         "date": "", "count": len(g.agent_ids), "hours": h,
                         "cost": h * ot.rate})
    for (gkey, i), v in cross_vars.items():
        n = int(round(v[0].solution_value()))
        if n:
            c = levers.cross_skill[i]
            cross[(gkey, c.from_queue, c.to_queue)] = n
            rows.append({"lever": "cross-skill", "queue": c.to_queue, "template": "",
                         "date": "", "count": n, "hours": 0.0, "cost": n * c.cost_per_person})
    out_rows: dict[tuple[str, str], list[float]] = {}
    for r, v in out_vars.items():
        a = v[0].solution_value()
        if a > 1e-6:
            key = (req["queue"].iat[r], str(req["interval_start"].iat[r].date()))
            out_rows.setdefault(key, []).append(a)
    for (q, day), values in sorted(out_rows.items()):
        u = next(u for u in levers.outsourcer if u.queue == q)
        h = sum(values) * hours_h
        rows.append({"lever": "outsourcer", "queue": q, "template": "", "date": day,
                     "count": math.ceil(max(values)), "hours": h, "cost": h * u.hourly_cost})
    for q in levers.opening:
        hours_of = shifts.queues[q]
        used: dict[int, list[float]] = {}  # day -> [shifts, paid hours] outside today's hours
        for _, col, v, _ in col_vars:
            n = int(round(v[0].solution_value()))
            if n and col.queue == q and (col.start - col.day * 1440 < hours_of.open
                                         or col.end - col.day * 1440 > hours_of.close):
                tally = used.setdefault(col.day, [0, 0.0])
                tally[0] += n
                tally[1] += n * col.paid_hours
        for d, (count, hours) in sorted(used.items()):
            rows.append({"lever": "opening hours", "queue": q, "template": "",
                         "date": str(dates[d].date()), "count": count, "hours": hours,
                         "cost": 0.0})
    lever_frame = pd.DataFrame(rows, columns=list(LEVER_COLUMNS))

    reasons = _reasons(req, planned, opened, columns, groups, levers, dates, length)
    roster = plan_roster(col_vars, out_vars, req, dates, length, groups)
    forecast = req[["queue", "interval_start", "contacts", "aht_seconds"]]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        projection = project(roster, forecast, queue_settings, interval_minutes=length)
    report(0.95)
    daily = _daily(planned, projection, lever_frame, queue_settings, hours_h, cost_by_day=(
        col_vars, levers, out_vars, req, dates))
    return CapacityPlan(lever_frame, daily, reasons, planned, roster, projection, temps,
                        overtime_hours, cross, opened, float(lever_cost), float(total),
                        float(bound), float(max(gap, 0.0)), status_text,
                        time.perf_counter() - t0, groups)


def _people_needed(shifts: list[tuple[Column, int]], weeks: list[list[int]], max_days: int,
                   max_hours: float) -> int:
    """The fewest people who can work these shifts: the most on one day, and enough
    for each week's shifts and paid hours (the model leaves the count free when
    hiring costs nothing, so it is read back from the shifts)."""
    need = 0
    per_day: dict[int, int] = {}
    for col, n in shifts:
        per_day[col.day] = per_day.get(col.day, 0) + n
    need = max(per_day.values(), default=0)
    for week in weeks:
        count = sum(n for col, n in shifts if col.day in week)
        hours = sum(n * col.paid_hours for col, n in shifts if col.day in week)
        need = max(need, math.ceil(count / max_days - 1e-9),
                   math.ceil(hours / max_hours - 1e-9))
    return need


def _is_open(qh: QueueHours | None, dates: Sequence[pd.Timestamp], minute: int,
             length: int) -> bool:
    if qh is None:
        return False
    d, clock = divmod(minute, 1440)
    if d >= len(dates) or int(dates[d].day_of_week) not in qh.days:
        return False
    return qh.open <= clock and clock + length <= qh.close


def _reasons(req: pd.DataFrame, planned: pd.DataFrame, opened: ShiftSettings,
             columns: list[Column], groups: list[Group], levers: Levers,
             dates: Sequence[pd.Timestamp], length: int) -> pd.DataFrame:
    """Every interval left short, with the first reason that explains it."""
    short = planned[planned["shortfall"] > 1e-6]
    if short.empty:
        return pd.DataFrame(columns=list(REASON_COLUMNS))
    origin = dates[0]
    serving: dict[str, set[str]] = {}  # queue -> templates someone may work on it
    for g in groups:
        for q in g.queues:
            serving.setdefault(q, set()).update(g.templates)
    for c in levers.cross_skill:
        for g in groups:
            if c.from_queue in g.queues and c.max_people > 0:
                serving.setdefault(c.to_queue, set()).update(g.templates)
    for t in levers.temps:
        if t.max_count > 0:
            for q in t.queues:
                serving.setdefault(q, set()).add(t.template)
    outsourced = {u.queue for u in levers.outsourcer if u.max_agents > 0}
    levered = set(outsourced) | {c.to_queue for c in levers.cross_skill if c.max_people > 0}
    levered |= {q for t in levers.temps if t.max_count > 0 for q in t.queues}
    if levers.overtime is not None and levers.overtime.max_hours_week > 0:
        levered |= {q for g in groups for q in g.queues}
    rows = []
    for r in short.itertuples(index=False):
        minute = int((r.interval_start - origin) / pd.Timedelta(minutes=1))
        qh = opened.queues.get(r.queue)
        reachable = [c for c in columns if c.queue == r.queue and c.start < minute + length
                     and c.end > minute]
        if not _is_open(qh, dates, minute, length):
            reason = "queue closed"
        elif r.queue in outsourced:
            reason = "lever at its cap"
        elif not reachable:
            reason = "no template starts then"
        elif not any(c.template in serving.get(r.queue, set()) for c in reachable):
            reason = "no eligible agents"
        elif r.queue not in levered:
            reason = "no eligible agents"  # today's agents are fully used; no lever adds any
        else:
            reason = "lever at its cap"
        rows.append({"queue": r.queue, "interval_start": r.interval_start,
                     "required": r.required, "planned": r.planned, "shortfall": r.shortfall,
                     "reason": reason})
    return pd.DataFrame(rows, columns=list(REASON_COLUMNS))


def plan_roster(col_vars: list, out_vars: dict, req: pd.DataFrame,
                dates: Sequence[pd.Timestamp], length: int,
                groups: Sequence[Group] = ()) -> pd.DataFrame:
    """The plan laid out as a roster frame: one row per planned shift (breaks in the
    middle of their windows) and per outsourced agent and interval."""
    origin = dates[0]
    minute = pd.Timedelta(minutes=1)
    rows = []
    k = 0
    for _owner, col, v, _ in col_vars:
        n = int(round(v[0].solution_value()))
        for _ in range(n):
            k += 1
            start = origin + col.start * minute
            brs = ";".join(_clock(col.start + b) + "-" + _clock(col.start + b + ln)
                           for b, ln in col.breaks)
            rows.append({"agent_id": f"P{k:05d}", "date": str(dates[col.day].date()),
                         "shift": col.template, "start": start,
                         "end": origin + col.end * minute, "queue": col.queue,
                         "breaks": brs})
    for r, v in out_vars.items():
        n = math.ceil(v[0].solution_value() - 1e-6)
        start = pd.Timestamp(req["interval_start"].iat[r])
        for _ in range(max(n, 0)):
            k += 1
            rows.append({"agent_id": f"P{k:05d}", "date": str(start.date()),
                         "shift": "outsourcer", "start": start,
                         "end": start + length * minute, "queue": req["queue"].iat[r],
                         "breaks": ""})
    return pd.DataFrame(rows, columns=list(ROSTER_COLUMNS))


def _clock(minutes: int) -> str:
    minutes %= 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _daily(planned: pd.DataFrame, projection: pd.DataFrame, levers: pd.DataFrame,
           queue_settings: pd.DataFrame, hours: float, cost_by_day: tuple) -> pd.DataFrame:
    frame = planned.assign(date=planned["interval_start"].dt.normalize(),
                           short=planned["shortfall"] > 1e-6)
    g = frame.groupby(["queue", "date"], sort=True)
    out = g.agg(required=("required", "sum"), planned=("planned", "sum"),
                shortfall=("shortfall", "sum"), intervals_short=("short", "sum")).reset_index()
    roll = rollup(projection, period="day").rename(columns={"period_start": "date"})
    out = out.merge(roll[["queue", "date", "contacts", "service_level"]],
                    on=["queue", "date"], how="left")
    targets = queue_settings.set_index(queue_settings["queue"].astype(str))["service_level"]
    col_vars, lever_list, out_vars, req, dates = cost_by_day
    spend: dict[tuple[str, pd.Timestamp], float] = {}
    for owner, col, v, _ in col_vars:
        if owner.startswith("T"):
            n = v[0].solution_value()
            rate = lever_list.temps[int(owner[1:])].hourly_cost
            key = (col.queue, dates[col.day])
            spend[key] = spend.get(key, 0.0) + n * col.paid_hours * rate
    for r, v in out_vars.items():
        q = req["queue"].iat[r]
        rate = next(u.hourly_cost for u in lever_list.outsourcer if u.queue == q)
        key = (q, req["interval_start"].iat[r].normalize())
        spend[key] = spend.get(key, 0.0) + v[0].solution_value() * hours * rate
    out["cost"] = [spend.get((q, d), 0.0) for q, d in zip(out["queue"], out["date"],
                                                         strict=True)]
    return pd.DataFrame({
        "queue": out["queue"], "date": out["date"].dt.date.astype(str),
        "contacts": out["contacts"].fillna(0.0),
        "required_staff_hours": out["required"] * hours,
        "planned_staff_hours": out["planned"] * hours,
        "shortfall_staff_hours": out["shortfall"] * hours,
        "intervals_short": out["intervals_short"].astype(int),
        "target_service_level": out["queue"].map(targets).astype(float),
        "service_level_planned": out["service_level"].fillna(1.0),
        "cost": out["cost"]})[list(CAPACITY_DAILY_COLUMNS)]
