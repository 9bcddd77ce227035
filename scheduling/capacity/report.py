"""The goal-seek's report: every interval left short with its reason, the plan laid
out as a roster, and the plan per queue and day."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from scheduling.capacity.columns import Column, Group, is_open
from scheduling.capacity.levers import Levers
from scheduling.capacity.model import Horizon, Solution
from scheduling.capacity.plan import CAPACITY_DAILY_COLUMNS, REASON_COLUMNS
from scheduling.frames import ROSTER_COLUMNS
from scheduling.projection import rollup
from scheduling.roster.templates import ShiftSettings


def reasons(planned: pd.DataFrame, horizon: Horizon, opened: ShiftSettings,
            columns: Sequence[Column], groups: Sequence[Group], levers: Levers
            ) -> pd.DataFrame:
    """Every interval left short (`REASON_COLUMNS`), with the first reason that explains
    it: queue closed, no template starts then, no eligible agents, lever at its cap."""
    dates, length = horizon.dates, horizon.length
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
        if not is_open(qh, dates, minute, length):
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


def plan_roster(solution: Solution, horizon: Horizon) -> pd.DataFrame:
    """The plan laid out as a roster frame: one row per planned shift (breaks in the
    middle of their windows) and per outsourced agent and interval; `attrs["proficiency"]`
    maps the agents of shifts counted below 1 (cross-skills) to {queue: share}, for
    `scheduling.projection.project`."""
    dates, length, req = horizon.dates, horizon.length, horizon.req
    origin = dates[0]
    minute = pd.Timedelta(minutes=1)
    rows = []
    k = 0
    shares: dict[str, dict[str, float]] = {}
    for (_owner, col, p), n in zip(solution.columns, solution.shifts, strict=True):
        for _ in range(int(round(n))):
            k += 1
            if p < 1:
                shares[f"P{k:05d}"] = {col.queue: float(p)}
            start = origin + col.start * minute
            brs = ";".join(_clock(col.start + b) + "-" + _clock(col.start + b + ln)
                           for b, ln in col.breaks)
            rows.append({"agent_id": f"P{k:05d}", "date": str(dates[col.day].date()),
                         "shift": col.template, "start": start,
                         "end": origin + col.end * minute, "queue": col.queue,
                         "breaks": brs})
    for r, a in solution.outsourced.items():
        start = pd.Timestamp(req["interval_start"].iat[r])
        for _ in range(max(math.ceil(a - 1e-6), 0)):
            k += 1
            rows.append({"agent_id": f"P{k:05d}", "date": str(start.date()),
                         "shift": "outsourcer", "start": start,
                         "end": start + length * minute, "queue": req["queue"].iat[r],
                         "breaks": ""})
    frame = pd.DataFrame(rows, columns=list(ROSTER_COLUMNS))
    frame.attrs["proficiency"] = shares
    return frame


def _clock(minutes: int) -> str:
    minutes %= 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def daily(planned: pd.DataFrame, projection: pd.DataFrame, solution: Solution,
          horizon: Horizon, levers: Levers, queue_settings: pd.DataFrame) -> pd.DataFrame:
    """Per queue and day (`CAPACITY_DAILY_COLUMNS`): staff-hours required, planned and
    short, the service level projected from the plan, and what the levers cost there."""
    hours, dates, req = horizon.hours, horizon.dates, horizon.req
    frame = planned.assign(date=planned["interval_start"].dt.normalize(),
                           short=planned["shortfall"] > 1e-6)
    g = frame.groupby(["queue", "date"], sort=True)
    out = g.agg(required=("required", "sum"), planned=("planned", "sum"),
                shortfall=("shortfall", "sum"), intervals_short=("short", "sum")).reset_index()
    roll = rollup(projection, period="day").rename(columns={"period_start": "date"})
    out = out.merge(roll[["queue", "date", "contacts", "service_level"]],
                    on=["queue", "date"], how="left")
    targets = queue_settings.set_index(queue_settings["queue"].astype(str))["service_level"]
    spend: dict[tuple[str, pd.Timestamp], float] = {}
    for (owner, col, _p), n in zip(solution.columns, solution.shifts, strict=True):
        if owner.startswith("T") and n > 0:
            rate = levers.temps[int(owner[1:])].hourly_cost
            key = (col.queue, dates[col.day])
            spend[key] = spend.get(key, 0.0) + n * col.paid_hours * rate
    for r, a in solution.outsourced.items():
        q = req["queue"].iat[r]
        rate = next(u.hourly_cost for u in levers.outsourcer if u.queue == q)
        key = (q, req["interval_start"].iat[r].normalize())
        spend[key] = spend.get(key, 0.0) + a * hours * rate
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
