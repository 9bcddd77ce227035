"""The lower bound on cost for the day and week target modes.

A plan meets a day (or week) target when its contact-weighted service level over the
queue-day reaches the target, however it is spread over the intervals. The interval
mode's LP bound asks every interval to meet the target, so it bounds nothing here.
`period_bound` re-solves the goal-seek's LP relaxation (after the plan is found) with
the interval cover rows of the non-email queues replaced by a credit per interval and
a target per queue-period:

- per interval with contacts `c`, the credit is at most `c x SL(s)` for staff on line
  `s` (the cover terms of the model, before shrinkage), where `SL` is the queue's own
  formula (`targets.judge`: Erlang C / A, chat concurrency). The LP cannot take
  `SL` itself (S-shaped in staff), so it takes its upper concave envelope `E`:
  every formula interpolates linearly between whole agents on line after shrinkage
  (`scheduling.erlang`, `erlang_a`, `projection.formulas`), so `SL` is piecewise
  linear with kinks at whole agents (and, for Erlang C, one convex kink at the
  traffic intensity) and the hull of its values at whole agents `0..N` lies above it;
  above `N` the hull runs to 1 at `N + 1` (a service level is at most 1). Every
  plan's credit `c x SL(s)` is then at most `c x E(s)`;
- per queue and period (restricted to the first `target_days` days: the days the
  planner is shown), the credits reach target x contacts, with a slack at a penalty
  far above any lever's cost (so a target no mix can reach still has a bound).

Email is judged by its backlog, not per interval. With email planned as a backlog
(`backlog`) the LP keeps the work-served model and replaces each arrival interval's
deadline share by one constraint per queue-period: oldest first, the work of the
period's intervals cleared by their deadlines is disjoint and all cleared by the
period's last deadline, so the work served by then, less the work that arrived
before the period, is at least `min AHT x (target x contacts - contacts of intervals
without a deadline in the horizon)`: those may all be in time. With email planned per
interval (no backlog in the model) email's cover rows are dropped: both relax the
target, so the bound stays
below every plan that meets it. Every other constraint of the model (people, hours,
levers' caps) is the plan's own. As for the interval mode, staff on line is the
model's (each shift on line but in its breaks, placed where the plan's roster puts
them), and the email constraint shares the interval mode's one approximation (the
projection interpolates the in-time share).

`lp_plan` turns the period LP into a plan: its temp shifts rounded down, then the
shift with the most service level per unit of cost added where a queue-day falls
short, until every day the goal-seek's plan met is met again (for a week target too:
the trim pass trims a week's days first, so a week plan whose days carry one
another would lose the target there); the trim pass then takes out what is not
needed. The goal-seek keeps the cheapest of its plans.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np
import pandas as pd
from ortools.linear_solver import pywraplp

from scheduling.capacity.columns import overlap
from scheduling.capacity.levers import Levers
from scheduling.capacity.model import SHORT_PENALTY, Horizon, LeverModel, Solution
from scheduling.capacity.targets import judge
from scheduling.capacity.trim import QueueJudge
from scheduling.projection import settings_table
from scheduling.projection.rollups import period_start

PERIOD_PENALTY = SHORT_PENALTY * 10  # per contact x service level short of a target


def service_levels(req: pd.DataFrame, rows: np.ndarray, top: np.ndarray,
                   settings: pd.DataFrame, length: int) -> list[np.ndarray]:
    """Per row in `rows`: the formula's service level (0..1, non-decreasing: the
    running maximum) at 0, 1, ..., `top[i]` whole agents on line after shrinkage."""
    counts = top[rows].astype(int) + 1
    base = req.iloc[rows][["queue", "interval_start", "contacts", "aht_seconds"]]
    frame = base.loc[base.index.repeat(counts)].reset_index(drop=True)
    frame["scheduled"] = np.concatenate([np.arange(n, dtype=float) for n in counts])
    with np.errstate(all="ignore"):
        sl = judge(frame, settings, length)[0]
    sl = np.nan_to_num(sl, nan=0.0).clip(0.0, 1.0)
    parts = np.split(sl, np.cumsum(counts)[:-1])
    return [np.maximum.accumulate(p) for p in parts]


def upper_hull(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(slopes, intercepts) of the rising segments of the upper concave hull of the
    points (x, y), x increasing: `min` over them, capped at `max(y)`, lies above
    the piecewise-linear function through the points."""
    hull: list[int] = []
    for i in range(len(x)):
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            if (y[b] - y[a]) * (x[i] - x[a]) <= (y[i] - y[a]) * (x[b] - x[a]):
                hull.pop()  # b lies on or below the chord from a to i
            else:
                break
        hull.append(i)
    h = np.array(hull)
    slope = np.diff(y[h]) / np.diff(x[h])
    rising = slope > 1e-12
    return slope[rising], (y[h[:-1]] - slope * x[h[:-1]])[rising]


def envelope(req: pd.DataFrame, need: np.ndarray, settings: pd.DataFrame, length: int,
             rows: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per row in `rows`: (slopes, intercepts) of `E`, the upper concave envelope of the
    service level (0..1) as a function of staff on line before shrinkage."""
    if not len(rows):
        return []
    queue = req["queue"].astype(str)
    keep = 1.0 - queue.map(settings["shrinkage"]).to_numpy(float)
    load = (req["contacts"].to_numpy(float) * req["aht_seconds"].to_numpy(float)
            / (length * 60.0))
    top = np.ceil(1.5 * np.maximum(need * keep, load) + 6)
    out = []
    for r, sl in zip(rows, service_levels(req, rows, top, settings, length), strict=True):
        n = np.arange(len(sl) + 1, dtype=float)
        out.append(upper_hull(n / keep[r], np.append(sl, 1.0)))
    return out


def period_bound(m: LeverModel, horizon: Horizon, queue_settings: pd.DataFrame,
                 target: str, target_days: int | None = None,
                 deadline: float | None = None) -> float:
    """The least cost of any plan that meets each queue's day or week target
    (`target`) over the first `target_days` days (all when None): `m`'s LP
    relaxation with the targets per period (see the module docstring), solved with
    GLOP after the plan. NaN when the LP is not solved to optimality (or by
    `deadline`, a `time.monotonic()` value)."""
    lp = m.lp
    inf = lp.infinity()
    settings = settings_table(queue_settings)
    req = horizon.req
    queue = req["queue"].astype(str).to_numpy()
    contacts = req["contacts"].to_numpy(float)
    email = pd.Series(queue).map(settings["channel"]).astype(str).to_numpy() == "email"
    period = pd.factorize(period_start(req["interval_start"], target))[0]
    day = ((req["interval_start"].dt.normalize() - horizon.dates[0]).dt.days).to_numpy()
    counted = (day < (target_days if target_days is not None else len(horizon.dates))
               ) & (contacts > 0)
    for cons in m.lp_cover.values():  # no interval cover: the periods hold the target
        for c in cons:
            c.SetLb(-inf)
    for _served, _rows, _per, deadlines in m.backlog:
        for c, _rhs in deadlines:
            c.SetLb(-inf)
    rows = np.flatnonzero(counted & ~email & np.isin(np.arange(len(req)), list(m.cover_terms)))
    goal_of = settings["service_level"].astype(float)
    credit: dict[tuple[str, int], list] = {}
    for r, (slope, icept) in zip(rows, envelope(req, horizon.need, settings, horizon.length,
                                                rows), strict=True):
        z = lp.NumVar(0, inf, f"on_{r}")  # staff on line
        c = lp.Constraint(0, 0)
        c.SetCoefficient(z, -1.0)
        for v, coef in m.cover_terms[int(r)]:
            c.SetCoefficient(v[1], coef)
        e = lp.NumVar(0, contacts[r], f"credit_{r}")
        for a, b in zip(slope, icept, strict=True):
            line = lp.Constraint(-inf, contacts[r] * b)
            line.SetCoefficient(e, 1.0)
            line.SetCoefficient(z, -contacts[r] * a)
        credit.setdefault((queue[r], int(period[r])), []).append(e)
    idle = req[["queue", "interval_start", "contacts", "aht_seconds"]].assign(scheduled=0.0)
    with np.errstate(all="ignore"):
        at_zero = np.nan_to_num(judge(idle, settings, horizon.length)[0], nan=0.0).clip(0, 1)
    fixed = counted & ~email & ~np.isin(np.arange(len(req)), rows)
    voiced = counted & ~email
    for q, p in sorted(set(zip(queue[voiced], period[voiced], strict=True))):
        mine = (queue == q) & (period == p) & counted
        need = float(goal_of[q] * contacts[mine].sum()
                     - (contacts * at_zero)[mine & fixed].sum())
        _target_row(lp, [(e, 1.0) for e in credit.get((q, int(p)), [])], need, f"{q}_{p}")
    _email_periods(m, horizon, settings, period, counted, contacts)
    if deadline is not None:
        lp.SetTimeLimit(int(max(deadline - time.monotonic(), 0.001) * 1000))
    status = lp.Solve()
    return lp.Objective().Value() if status == pywraplp.Solver.OPTIMAL else math.nan


def _target_row(lp: pywraplp.Solver, terms: list[tuple], rhs: float, name: str,
                per_slack: float = 1.0) -> None:
    """sum(coef x var) + per_slack x slack >= rhs, the slack (in contacts x service
    level) at `PERIOD_PENALTY` each."""
    if not rhs > 1e-9:  # met already, or no service-level target (NaN)
        return
    slack = lp.NumVar(0, lp.infinity(), f"period_short_{name}")
    c = lp.Constraint(rhs, lp.infinity())
    for v, coef in terms + [(slack, per_slack)]:
        c.SetCoefficient(v, coef)
    lp.Objective().SetCoefficient(slack, PERIOD_PENALTY)


def _email_periods(m: LeverModel, horizon: Horizon, settings: pd.DataFrame,
                   period: np.ndarray, counted: np.ndarray, contacts: np.ndarray) -> None:
    """Each email queue-period: the work served by its last deadline, less what arrived
    before it, covers `min AHT x (target x contacts - contacts without a deadline)`."""
    aht = horizon.req["aht_seconds"].to_numpy(float)
    queue = horizon.req["queue"].astype(str).to_numpy()
    for bq, (served, _rows, _per, _d) in zip(horizon.backlog, m.backlog, strict=True):
        goal = float(settings.loc[bq.queue, "service_level"])
        for p in np.unique(period[(queue == bq.queue) & counted]):
            mine = np.flatnonzero((queue == bq.queue) & (period == p) & counted)
            timed = [int(r) for r in mine if int(r) in bq.work and bq.due[int(r)] >= 0]
            if not timed:
                continue
            other = float(contacts[mine].sum() - contacts[timed].sum())
            work = float(aht[timed].min()) * (goal * float(contacts[mine].sum()) - other)
            if not work > 1e-9:  # met already, or no service-level target (NaN)
                continue
            due = max(bq.due[r] for r in timed)
            _target_row(m.lp, [(served[due][1], 1.0)],
                        work + min(bq.before[r] for r in timed), f"{bq.queue}_{p}",
                        float(aht[timed].min()))


def lp_plan(m: LeverModel, solution: Solution, horizon: Horizon, levers: Levers,
            queue_settings: pd.DataFrame, target: str, target_days: int | None = None,
            max_steps: int = 5000, deadline: float | None = None) -> Solution | None:
    """`solution` with the temp shifts of non-email queues replaced by the period
    LP's (rounded down, just solved by `period_bound`), then shifts added, the most
    service level per unit of cost first, until every queue-period over the first
    `target_days` days is at its target again, or where `solution` falls short of
    it, at `solution`'s level (`_add_best`, each short
    period in turn). None when that fails or `deadline` (a `time.monotonic()` value)
    passes first."""
    settings = settings_table(queue_settings)
    queue = horizon.req["queue"].astype(str).to_numpy()
    day = ((horizon.req["interval_start"].dt.normalize() - horizon.dates[0]).dt.days
           ).to_numpy()
    last = target_days if target_days is not None else len(horizon.dates)
    email = {q for q in set(queue) if str(settings.loc[q, "channel"]) == "email"}
    shifts = solution.shifts.copy()
    rate = np.zeros(len(shifts))
    temp = np.zeros(len(shifts), dtype=bool)
    for k, (owner, col, _p) in enumerate(solution.columns):
        if owner.startswith("T") and col.queue not in email:
            temp[k] = True
            rate[k] = col.paid_hours * levers.temps[int(owner[1:])].hourly_cost
            shifts[k] = math.floor(m.col_vars[k][2][1].solution_value() + 1e-6)
    judges, wanted, options = {}, {}, {}
    for q in sorted(set(queue) - email):
        rows = np.flatnonzero(queue == q)
        judges[q] = QueueJudge(horizon, rows, settings,
                               _staff(solution, horizon, rows, shifts), target)
        before = QueueJudge(horizon, rows, settings,
                            _staff(solution, horizon, rows, solution.shifts), target)
        wanted[q] = {p: min(_level(before, p), before.goal)
                     for p in np.unique(before.period[day[rows] < last])}
        options[q] = []
        for k in np.flatnonzero(temp & (rate > 0)):
            _o, col, prof = solution.columns[k]
            if col.queue == q:
                share = overlap(col, horizon.minute[rows], horizon.length) * prof
                options[q].append((k, np.flatnonzero(share > 0), share[share > 0]))
    for _ in range(max_steps):
        if deadline is not None and time.monotonic() > deadline:
            return None
        short = [(q, p) for q in judges for p, level in wanted[q].items()
                 if _level(judges[q], p) < level - 1e-9]
        if not short:
            return replace(solution, shifts=shifts)
        for q, p in short:
            if not _add_best(judges[q], p, options[q], rate, shifts):
                return None
    return None


def _add_best(j: QueueJudge, p: int, options: list, rate: np.ndarray,
              shifts: np.ndarray) -> bool:
    """Add to `shifts` (and `j`'s staff) one shift of the option with the most service
    level in period `p` per unit of cost (one at a time: adding several at once cost
    more on the sample, 142,290 against 132,590 trimmed). False when none helps."""
    cands = [(k, local, share) for k, local, share in options
             if (j.period[local] == p).any()]
    if not cands:
        return False
    local = np.concatenate([c[1] for c in cands])
    frame = j.frame.iloc[local].reset_index(drop=True).assign(
        scheduled=(j.staff[local] + np.concatenate([c[2] for c in cands])) * j.keep)
    with np.errstate(all="ignore"):
        sl = np.nan_to_num(judge(frame, j.settings, j.length)[0], nan=0.0)
    gain = j.contacts[local] * (sl - j.sl[local]) * (j.period[local] == p)
    ends = np.cumsum([len(c[1]) for c in cands])
    gains = np.add.reduceat(gain, np.r_[0, ends[:-1]])
    best = int(np.argmax(gains / np.array([rate[c[0]] for c in cands])))
    if gains[best] <= 1e-9:
        return False
    k, rows, share = cands[best]
    j.staff[rows] += share
    j.sl[rows] = sl[ends[best] - len(rows):ends[best]]
    shifts[k] += 1
    return True


def _staff(solution: Solution, horizon: Horizon, rows: np.ndarray,
           shifts: np.ndarray) -> np.ndarray:
    """Staff on line per row of `rows` (one queue) from `shifts` and the outsourcer."""
    staff = np.zeros(len(rows))
    q = str(horizon.req["queue"].iat[rows[0]])
    for (_o, col, prof), n in zip(solution.columns, shifts, strict=True):
        if n > 0 and col.queue == q:
            staff += n * prof * overlap(col, horizon.minute[rows], horizon.length)
    for r, a in solution.outsourced.items():
        if str(horizon.req["queue"].iat[r]) == q:
            staff[np.searchsorted(rows, r)] += a
    return staff


def _level(j: QueueJudge, p: int) -> float:
    """The contact-weighted service level of period `p` of the queue (1 without
    contacts)."""
    mine = j.period == p
    weight = j.contacts[mine].sum()
    return float((j.contacts[mine] * j.sl[mine]).sum() / weight) if weight > 0 else 1.0
