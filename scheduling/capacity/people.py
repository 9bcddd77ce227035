"""The plan's temp shifts dealt out to people, so the recommended team carries them.

The goal-seek decides shifts (a template, a start, a day and a queue per lever), not
who works them. To check the plan by building it, each temp is given the shifts of
one person: whole blocks of consecutive days (the roster's days-off, rest, late-shift
and consecutive-day rules kept where the plan allows), the same start where it can.
The recommended team then names, per temp, the start templates and days they work
(`planning.capacity.recommended_team`), and the roster engine rosters the plan's
shifts rather than a plan of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from scheduling.capacity.levers import Levers
from scheduling.capacity.model import temp_days
from scheduling.roster.templates import ShiftSettings, parse_clock

TEMP_SHIFT_COLUMNS = ("lever", "template", "queue", "day", "start", "end", "paid_hours",
                      "count")
"""The plan's temp shifts: lever index, template, queue, day index of the horizon,
start and end in minutes from the first day's midnight, paid hours, how many."""


@dataclass
class TempPerson:
    """One temp of lever `lever` and the plan's shifts they work:
    (day, start, end, queue) each, minutes from the first day's midnight."""

    lever: int
    shifts: list[tuple[int, int, int, str]] = field(default_factory=list)

    @property
    def days(self) -> list[int]:
        return [s[0] for s in self.shifts]


def deal_temps(temp_shifts: pd.DataFrame, levers: Levers, shifts: ShiftSettings
               ) -> list[TempPerson]:
    """Every planned temp shift given to one person of its lever (`TempPerson`).

    Day by day, a shift goes first to someone who worked the day before (closest
    start first), then to someone back from at least the rule's days off; each within
    the lever's days a week, the rest between shifts, the consecutive days and the
    late shifts a week. When no one fits, a new person is added, so every shift is
    kept."""
    rules = shifts.rules
    rest = float(getattr(rules, "min_rest_hours", 0.0) or 0.0) * 60
    gap = int(getattr(rules, "min_consecutive_days_off", 0) or 0)
    run = getattr(rules, "max_consecutive_days", None) or 7
    late_cap = getattr(rules, "max_late_shifts_per_week", None)
    late_after = parse_clock(str(getattr(rules, "late_shift_end_after", "24:00")), "rules")
    people: list[TempPerson] = []
    for i, t in enumerate(levers.temps):
        mine = temp_shifts[temp_shifts["lever"] == i].sort_values(["day", "start", "queue"])
        if mine.empty:
            continue
        max_days = temp_days(t.max_days_week, shifts)
        crew: list[TempPerson] = []
        for day, rows in mine.groupby("day", sort=True):
            busy: set[int] = set()
            for row in rows.itertuples(index=False):
                for _ in range(int(row.count)):
                    who = _pick(crew, busy, int(day), int(row.start), int(row.end),
                                (max_days, t.max_hours_week, row.paid_hours, rest, gap, run,
                                 late_cap, late_after))
                    if who is None:
                        crew.append(TempPerson(i))
                        who = len(crew) - 1
                    busy.add(who)
                    crew[who].shifts.append((int(day), int(row.start), int(row.end),
                                             str(row.queue)))
        people += crew
    return people


def _pick(crew: list[TempPerson], busy: set[int], day: int, start: int, end: int,
          limits: tuple) -> int | None:
    max_days, max_hours, paid, rest, gap, run, late_cap, late_after = limits
    week = day // 7
    late = end - day * 1440 > late_after
    best, best_key = None, None
    for k, p in enumerate(crew):
        if k in busy:
            continue
        worked = [s for s in p.shifts if s[0] // 7 == week]
        if len(worked) >= max_days or (len(worked) + 1) * paid > max_hours + 1e-9:
            continue
        if late and late_cap is not None and sum(
                s[2] - s[0] * 1440 > late_after for s in worked) >= late_cap:
            continue
        last = p.shifts[-1] if p.shifts else None
        if last is not None:
            if start - last[2] < rest:
                continue
            if last[0] == day - 1:
                streak = 1
                while streak < len(p.shifts) and p.shifts[-streak - 1][0] == day - streak - 1:
                    streak += 1
                if streak >= run:
                    continue
                key = (0, abs((start - day * 1440) - (last[1] - last[0] * 1440)), k)
            elif day - last[0] - 1 < gap:
                continue
            else:
                key = (1, 0, k)
        else:
            key = (2, 0, k)
        if best_key is None or key < best_key:
            best, best_key = k, key
    return best
