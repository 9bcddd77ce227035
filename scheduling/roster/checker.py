"""An independent checker: re-derives every hard rule from a roster frame alone.

It shares no code with the model (only the input readers): each rule is recomputed
from dates, timestamps and break strings, so a bug in the model's encoding shows
up here as a violation. `check_roster` covers contact-centre rosters,
`check_curtois_roster` the benchmark's hard constraints.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scheduling.roster.coverage import parse_breaks
from scheduling.roster.curtois import FIRST_DAY, CurtoisInstance
from scheduling.roster.inputs import Agent, day_matches
from scheduling.roster.templates import ShiftSettings, parse_clock


@dataclass(frozen=True)
class Violation:
    agent_id: str
    rule: str
    date: str
    detail: str

    def __str__(self) -> str:
        return f"{self.agent_id} {self.date} {self.rule}: {self.detail}"


def _runs(flags: list[bool], value: bool) -> list[tuple[int, int]]:
    """(first index, length) of each maximal run of `value`."""
    out, i = [], 0
    while i < len(flags):
        if flags[i] == value:
            j = i
            while j < len(flags) and flags[j] == value:
                j += 1
            out.append((i, j - i))
            i = j
        else:
            i += 1
    return out


def check_roster(roster: pd.DataFrame, agents: list[Agent], settings: ShiftSettings,
                 start: str | pd.Timestamp, days: int = 7) -> list[Violation]:
    """All hard-rule violations of `roster` for the horizon of `days` from `start`."""
    origin = pd.Timestamp(start).normalize()
    rules = settings.rules
    templates = {t.name: t for t in settings.templates}
    by_id = {a.agent_id: a for a in agents}
    late_after = parse_clock(rules.late_shift_end_after, "late_shift_end_after")
    out: list[Violation] = []
    frame = roster.copy()
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    minute = pd.Timedelta(minutes=1)
    for aid, rows in frame.groupby(frame["agent_id"].astype(str), sort=True):
        ag = by_id.get(aid)
        if ag is None:
            out.append(Violation(aid, "known_agent", "", "agent not in the agents file"))
            continue
        rows = rows.sort_values("start")

        def bad(rule: str, date: object, detail: str, aid: str = aid) -> None:
            out.append(Violation(aid, rule, str(date), detail))

        if rows["date"].duplicated().any():
            for d in rows.loc[rows["date"].duplicated(), "date"]:
                bad("one_shift_a_day", d, "two shifts on one day")
        paid_by_day: dict[int, float] = {}
        late_days: set[int] = set()
        worked: set[int] = set()
        for r in rows.itertuples(index=False):
            date = pd.Timestamp(r.date)
            d = (date - origin).days
            worked.add(d)
            if not 0 <= d < days:
                bad("horizon", r.date, "shift outside the roster's days")
            t = templates.get(r.shift)
            if t is None:
                bad("shift_template", r.date, f"unknown template {r.shift!r}")
                continue
            if ag.shifts and r.shift not in ag.shifts:
                bad("shift_template", r.date, f"agent may not work {r.shift!r}")
            st = int((r.start - date) / minute)
            length = int((r.end - r.start) / minute)
            if (st < t.earliest_start or st > t.latest_start
                    or (st - t.earliest_start) % t.start_step):
                bad("shift_template", r.date, f"start {r.start:%H:%M} not offered by {t.name}")
            if length not in t.lengths:
                bad("shift_template", r.date, f"length {length} min not allowed")
            if date.day_of_week not in t.days:
                bad("shift_template", r.date, f"{t.name} not offered on this weekday")
            q = settings.queues.get(str(r.queue))
            if str(r.queue) not in ag.queues:
                bad("queue_skill", r.date, f"agent lacks skill {r.queue!r}")
            if q is None or date.day_of_week not in q.days or st < q.open \
                    or st + length > q.close:
                bad("opening_hours", r.date, f"{r.queue} closed during part of the shift")
            brs = parse_breaks(r.breaks, r.start)
            unpaid = 0
            if len(brs) != len(t.breaks):
                bad("breaks", r.date, f"{len(brs)} breaks, template has {len(t.breaks)}")
            else:
                for (bs, be), rule in zip(brs, t.breaks, strict=True):
                    off = int((bs - r.start) / minute)
                    if not rule.earliest <= off <= rule.latest:
                        bad("breaks", r.date, f"{rule.name} at {bs:%H:%M} outside its window")
                    if int((be - bs) / minute) != rule.length:
                        bad("breaks", r.date, f"{rule.name} lasts {be - bs}, not {rule.length}m")
                    if be > r.end:
                        bad("breaks", r.date, f"{rule.name} ends after the shift")
                    if not rule.paid:
                        unpaid += rule.length
            paid_by_day[d] = paid_by_day.get(d, 0) + length - unpaid
            is_late = t.late if t.late is not None else st + length > late_after
            if is_late:
                late_days.add(d)
            if day_matches(ag.unavailable, date):
                bad("unavailable_days_off", r.date, "works on an unavailable day")
        # rest, including the shifts before the horizon
        spans = list(ag.previous_shifts or ()) + list(zip(rows["start"], rows["end"],
                                                          strict=True))
        spans.sort()
        for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
            gap = (s2 - e1) / pd.Timedelta(hours=1)
            if gap < rules.min_rest_hours:
                bad("minimum_rest_between_shifts", s2.date(), f"{gap:.2f} h rest after {e1}")
        # day sequences with known history in front
        hist = 0
        if ag.previous_shifts is not None:
            hist = 7
            for s, _ in ag.previous_shifts:
                worked.add((s.normalize() - origin).days)
        seq = [d in worked for d in range(-hist, days)]
        if rules.max_consecutive_days is not None:
            for i, n in _runs(seq, True):
                if n > rules.max_consecutive_days and i + n > hist:
                    bad("max_consecutive_working_days", origin.date(), f"{n} days in a row")
        k = rules.min_consecutive_days_off
        for i, n in _runs(seq, False):
            if 0 < i and i + n < len(seq) and i + n > hist and n < k:
                bad("min_consecutive_days_off", (origin + pd.Timedelta(days=i - hist)).date(),
                    f"only {n} day(s) off in a row")
        max_days = ag.max_days_week
        if rules.days_off_per_week is not None:
            max_days = min(max_days, 7 - rules.days_off_per_week)
        for first in range(0, days, 7):
            week = range(first, min(first + 7, days))
            wdate = (origin + pd.Timedelta(days=first)).date()
            n_days = sum(1 for d in week if d in worked)
            if n_days > max_days:
                bad("days_off_per_week", wdate, f"{n_days} days worked, at most {max_days}")
            paid = sum(paid_by_day.get(d, 0) for d in week)
            if paid > ag.max_hours_week * 60 + 1e-6:
                bad("contract_hours", wdate, f"{paid / 60:.2f} h paid > {ag.max_hours_week}")
            if len(week) == 7 and paid < ag.min_hours_week * 60 - 1e-6:
                bad("contract_hours", wdate, f"{paid / 60:.2f} h paid < {ag.min_hours_week}")
            n_late = sum(1 for d in week if d in late_days)
            if rules.max_late_shifts_per_week is not None and \
                    n_late > rules.max_late_shifts_per_week:
                bad("max_late_shifts", wdate, f"{n_late} late shifts")
        if rules.max_working_weekends is not None:
            weekends = {(d - (origin + pd.Timedelta(days=d)).day_of_week) // 7
                        for d in worked if 0 <= d < days
                        and (origin + pd.Timedelta(days=d)).day_of_week >= 5}
            if len(weekends) > rules.max_working_weekends:
                bad("weekends_off", origin.date(), f"{len(weekends)} weekends worked")
    return out


def check_curtois_roster(inst: CurtoisInstance, roster: pd.DataFrame) -> list[Violation]:
    """The benchmark's hard constraints, recomputed from a roster frame."""
    out: list[Violation] = []
    got: dict[str, dict[int, str]] = {}
    for r in roster.itertuples(index=False):
        d = (pd.Timestamp(r.date) - FIRST_DAY).days
        days = got.setdefault(str(r.agent_id), {})
        if d in days:
            out.append(Violation(str(r.agent_id), "one_shift_a_day", str(d), "two shifts"))
        days[d] = str(r.shift)
    for s in inst.staff:
        work = got.get(s.staff_id, {})

        def bad(rule: str, day: object, detail: str, sid: str = s.staff_id) -> None:
            out.append(Violation(sid, rule, str(day), detail))

        for d, sh in work.items():
            if sh not in inst.shifts:
                bad("shift_type", d, f"unknown shift {sh}")
            if d in s.days_off:
                bad("days_off", d, "works a fixed day off")
            if (sh, work.get(d + 1)) in inst.forbidden:
                bad("forbidden_successions", d, f"{sh} followed by {work[d + 1]}")
        for sh in inst.shifts:
            n = sum(1 for v in work.values() if v == sh)
            if n > s.max_shifts.get(sh, 0):
                bad("max_shifts", "", f"{n} x {sh} > {s.max_shifts.get(sh, 0)}")
        minutes = sum(inst.shifts.get(v, 0) for v in work.values())
        if not s.min_minutes <= minutes <= s.max_minutes:
            bad("total_minutes", "", f"{minutes} not in [{s.min_minutes}, {s.max_minutes}]")
        seq = [d in work for d in range(inst.days)]
        for i, n in _runs(seq, True):
            if n > s.max_consecutive:
                bad("max_consecutive_shifts", i, f"{n} in a row")
            if n < s.min_consecutive and i > 0 and i + n < inst.days:
                bad("min_consecutive_shifts", i, f"{n} in a row")
        for i, n in _runs(seq, False):
            if n < s.min_consecutive_off and i > 0 and i + n < inst.days:
                bad("min_consecutive_days_off", i, f"{n} off in a row")
        weekends = {d // 7 for d in work if d % 7 in (5, 6)}
        if len(weekends) > s.max_weekends:
            bad("max_weekends", "", f"{len(weekends)} weekends")
    return out
