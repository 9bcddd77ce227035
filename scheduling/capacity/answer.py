"""Reading a solved goal-seek: staff planned per interval, what each lever costs and
the lever rows of the report (`LEVER_COLUMNS`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from scheduling.capacity.columns import Column, Group, overlap
from scheduling.capacity.levers import Levers
from scheduling.capacity.model import SHORT_PENALTY, Horizon, Solution, temp_days
from scheduling.capacity.people import TEMP_SHIFT_COLUMNS
from scheduling.capacity.plan import LEVER_COLUMNS
from scheduling.roster.templates import ShiftSettings


def cover(solution: Solution, horizon: Horizon) -> np.ndarray:
    """Staff the plan puts on each requirement row (breaks averaged over the shift,
    cross-skilled shifts at their proficiency, outsourced agents in full)."""
    value = np.zeros(len(horizon.req))
    rows_of = _rows_by_queue(horizon)
    for (_owner, col, prof), n in zip(solution.columns, solution.shifts, strict=True):
        if n <= 0:
            continue
        rows = rows_of[col.queue]
        value[rows] += n * prof * overlap(col, horizon.minute[rows], horizon.length)
    for r, a in solution.outsourced.items():
        value[r] += a
    return value


def _rows_by_queue(horizon: Horizon) -> dict[str, np.ndarray]:
    queue = horizon.req["queue"].to_numpy()
    return {q: np.flatnonzero(queue == q) for q in sorted(set(queue))}


def people_needed(shifts: list[tuple[Column, int]], weeks: list[list[int]], max_days: int,
                  max_hours: float) -> int:
    """The fewest people who can work these shifts: the most on one day, and enough
    for each week's shifts and paid hours (the model leaves the count free when
    hiring costs nothing, so it is read back from the shifts)."""
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


def temps_hired(solution: Solution, horizon: Horizon, levers: Levers,
                shifts: ShiftSettings) -> list[int]:
    """People each temp lever needs for its shifts in the plan."""
    out = []
    for i, t in enumerate(levers.temps):
        mine = [(col, int(n)) for (owner, col, _p), n in zip(solution.columns, solution.shifts,
                                                             strict=True)
                if owner == f"T{i}" and n > 0]
        out.append(people_needed(mine, horizon.weeks, temp_days(t.max_days_week, shifts),
                                 t.max_hours_week))
    return out


def lever_cost(solution: Solution, horizon: Horizon, levers: Levers,
               shifts: ShiftSettings) -> float:
    """What the plan's levers cost: temp shifts and fees, overtime, cross-skilling and
    the outsourcer (today's agents' own hours are paid anyway)."""
    total = 0.0
    for (owner, col, _p), n in zip(solution.columns, solution.shifts, strict=True):
        if owner.startswith("T") and n > 0:
            total += n * col.paid_hours * levers.temps[int(owner[1:])].hourly_cost
    for t, y in zip(levers.temps, temps_hired(solution, horizon, levers, shifts), strict=True):
        total += y * t.fee
    if levers.overtime is not None:
        total += sum(solution.overtime.values()) * levers.overtime.rate
    for (_g, i), n in solution.cross.items():
        total += n * levers.cross_skill[i].cost_per_person
    rates = {u.queue: u.hourly_cost for u in levers.outsourcer}
    queue = horizon.req["queue"].to_numpy()
    for r, a in solution.outsourced.items():
        total += a * horizon.hours * rates[queue[r]]
    return total


def penalty(solution: Solution, horizon: Horizon) -> float:
    """The shortfall's share of the objective."""
    return float(solution.short.sum()) * SHORT_PENALTY * horizon.hours


def lever_rows(solution: Solution, horizon: Horizon, levers: Levers, groups: Sequence[Group],
               shifts: ShiftSettings) -> tuple[pd.DataFrame, dict[str, int], dict[str, float],
                                                dict[tuple[str, str, str], int]]:
    """The levers frame (`LEVER_COLUMNS`), temps per template, overtime hours per group
    and people cross-skilled per (group, from, to)."""
    dates, rows = horizon.dates, []
    temps: dict[str, int] = {}
    for t, y in zip(levers.temps, temps_hired(solution, horizon, levers, shifts), strict=True):
        temps[t.template] = temps.get(t.template, 0) + y
        if y:
            rows.append({"lever": "temps", "queue": ";".join(t.queues), "template": t.template,
                         "date": "", "count": y, "hours": 0.0, "cost": y * t.fee})
    for (owner, col, _p), n in zip(solution.columns, solution.shifts, strict=True):
        if n <= 0 or not owner.startswith("T"):
            continue
        t = levers.temps[int(owner[1:])]
        rows.append({"lever": "temp shifts", "queue": col.queue, "template": col.template,
                     "date": str(dates[col.day].date()), "count": int(n),
                     "hours": n * col.paid_hours, "cost": n * col.paid_hours * t.hourly_cost})
    for key, h in solution.overtime.items():
        g = next(g for g in groups if key.split("c")[0] == g.key)
        rows.append({"lever": "overtime", "queue": ";".join(g.queues), "template": "",
                     "date": "", "count": len(g.agent_ids), "hours": h,
                     "cost": h * levers.overtime.rate})
    cross = {}
    for (gkey, i), n in solution.cross.items():
        c = levers.cross_skill[i]
        cross[(gkey, c.from_queue, c.to_queue)] = n
        rows.append({"lever": "cross-skill", "queue": c.to_queue, "template": "",
                     "date": "", "count": n, "hours": 0.0, "cost": n * c.cost_per_person})
    req = horizon.req
    out_rows: dict[tuple[str, str], list[float]] = {}
    for r, a in solution.outsourced.items():
        key = (req["queue"].iat[r], str(req["interval_start"].iat[r].date()))
        out_rows.setdefault(key, []).append(a)
    for (q, day), values in sorted(out_rows.items()):
        u = next(u for u in levers.outsourcer if u.queue == q)
        h = sum(values) * horizon.hours
        rows.append({"lever": "outsourcer", "queue": q, "template": "", "date": day,
                     "count": math.ceil(max(values)), "hours": h, "cost": h * u.hourly_cost})
    for q in levers.opening:
        hours_of = shifts.queues[q]
        used: dict[int, list[float]] = {}  # day -> [shifts, paid hours] outside today's hours
        for (_o, col, _p), n in zip(solution.columns, solution.shifts, strict=True):
            n = int(round(n))
            if n and col.queue == q and (col.start - col.day * 1440 < hours_of.open
                                         or col.end - col.day * 1440 > hours_of.close):
                tally = used.setdefault(col.day, [0, 0.0])
                tally[0] += n
                tally[1] += n * col.paid_hours
        for d, (count, hours) in sorted(used.items()):
            rows.append({"lever": "opening hours", "queue": q, "template": "",
                         "date": str(dates[d].date()), "count": count, "hours": hours,
                         "cost": 0.0})
    overtime = dict(solution.overtime)
    return pd.DataFrame(rows, columns=list(LEVER_COLUMNS)), temps, overtime, cross


def temp_shift_rows(solution: Solution, horizon: Horizon) -> pd.DataFrame:
    """The plan's temp shifts (`people.TEMP_SHIFT_COLUMNS`), one row per shift option."""
    rows = [{"lever": int(owner[1:]), "template": col.template, "queue": col.queue,
             "day": col.day, "start": col.start, "end": col.end,
             "paid_hours": col.paid_hours, "count": int(round(n))}
            for (owner, col, _p), n in zip(solution.columns, solution.shifts, strict=True)
            if owner.startswith("T") and round(n) > 0]
    return pd.DataFrame(rows, columns=list(TEMP_SHIFT_COLUMNS))
