"""An independent checker: re-derives every hard rule from a roster frame alone.

It shares no code with the model (only the input readers): each rule is recomputed
from dates, timestamps and break strings, so a bug in the model's encoding shows
up here as a violation. One check per hard rule, named after it and listed under its
key in `rules.HARD_RULES` (a violation's `rule` is that key): `CHECKS` for
contact-centre rosters (`check_roster`), `CURTOIS_CHECKS` for the benchmark's hard
constraints (`check_curtois_roster`). Contact-centre settings have no forbidden
successions, minimum runs of working days or limits per shift type, so `CHECKS` has
no check for those three rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd

from scheduling.roster.coverage import parse_breaks
from scheduling.roster.curtois import FIRST_DAY, CurtoisInstance, CurtoisStaff
from scheduling.roster.inputs import Agent, day_matches
from scheduling.roster.templates import ShiftSettings, ShiftTemplate, parse_clock

MINUTE = pd.Timedelta(minutes=1)


@dataclass(frozen=True)
class Violation:
    """A broken rule: `rule` is a key of `rules.HARD_RULES` (or `SOFT_RULES`)."""

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


# ---------------------------------------------------------------- contact-centre rosters


@dataclass(frozen=True)
class Shift:
    """One roster row, read once: its day in the horizon, its template (None when the
    settings have no such template: then only `offered_shifts` looks at it further),
    start minute of the day, length, breaks, paid minutes and whether it is late."""

    date: str  # as written in the roster
    day: int
    shift: str
    queue: str
    start: pd.Timestamp
    end: pd.Timestamp
    template: ShiftTemplate | None
    start_minute: int
    length: int
    breaks: tuple[tuple[pd.Timestamp, pd.Timestamp], ...] = ()
    paid_minutes: int = 0
    late: bool = False


@dataclass(frozen=True)
class AgentRoster:
    """What the checks read for one agent: their shifts (by start), the settings, the
    horizon and the days worked, the week before the horizon included when known."""

    agent: Agent
    shifts: tuple[Shift, ...]
    settings: ShiftSettings
    origin: pd.Timestamp
    days: int
    worked: frozenset[int]  # days from the origin (negative: before the horizon)
    history: int  # known days before the horizon (7 with previous_shifts, else 0)

    def violation(self, rule: str, date: object, detail: str) -> Violation:
        """A violation of `rule` by this agent."""
        return Violation(self.agent.agent_id, rule, str(date), detail)

    def sequence(self) -> list[bool]:
        """Worked or not, per day from `-history` to the horizon's end."""
        return [d in self.worked for d in range(-self.history, self.days)]

    def weeks(self) -> Iterator[tuple[range, object]]:
        """Each week of the horizon (its days) and its first date."""
        for first in range(0, self.days, 7):
            yield (range(first, min(first + 7, self.days)),
                   (self.origin + pd.Timedelta(days=first)).date())

    def known(self) -> list[Shift]:
        """The shifts of known templates."""
        return [s for s in self.shifts if s.template is not None]


def offered_shifts(r: AgentRoster) -> Iterator[Violation]:
    """Shifts of the agent's templates, at an offered start, length and weekday, within
    the horizon."""
    for s in r.shifts:
        if not 0 <= s.day < r.days:
            yield r.violation("offered_shifts", s.date, "shift outside the roster's days")
        t = s.template
        if t is None:
            yield r.violation("offered_shifts", s.date, f"unknown template {s.shift!r}")
            continue
        if r.agent.shifts and s.shift not in r.agent.shifts:
            yield r.violation("offered_shifts", s.date, f"agent may not work {s.shift!r}")
        st = s.start_minute
        if (st < t.earliest_start or st > t.latest_start
                or (st - t.earliest_start) % t.start_step):
            yield r.violation("offered_shifts", s.date,
                              f"start {s.start:%H:%M} not offered by {t.name}")
        if s.length not in t.lengths:
            yield r.violation("offered_shifts", s.date, f"length {s.length} min not allowed")
        if pd.Timestamp(s.date).day_of_week not in t.days:
            yield r.violation("offered_shifts", s.date, f"{t.name} not offered on this weekday")


def queue_skills(r: AgentRoster) -> Iterator[Violation]:
    """Only queues the agent has the skill for."""
    for s in r.known():
        if s.queue not in r.agent.queues:
            yield r.violation("queue_skills", s.date, f"agent lacks skill {s.queue!r}")


def opening_hours(r: AgentRoster) -> Iterator[Violation]:
    """The queue is open for the whole shift."""
    for s in r.known():
        q = r.settings.queues.get(s.queue)
        if q is None or pd.Timestamp(s.date).day_of_week not in q.days \
                or s.start_minute < q.open or s.start_minute + s.length > q.close:
            yield r.violation("opening_hours", s.date,
                              f"{s.queue} closed during part of the shift")


def break_windows(r: AgentRoster) -> Iterator[Violation]:
    """The template's breaks, each of its length, starting inside its window."""
    for s in r.known():
        rules = s.template.breaks
        if len(s.breaks) != len(rules):
            yield r.violation("break_windows", s.date,
                              f"{len(s.breaks)} breaks, template has {len(rules)}")
            continue
        for (bs, be), rule in zip(s.breaks, rules, strict=True):
            off = int((bs - s.start) / MINUTE)
            if not rule.earliest <= off <= rule.latest:
                yield r.violation("break_windows", s.date,
                                  f"{rule.name} at {bs:%H:%M} outside its window")
            if int((be - bs) / MINUTE) != rule.length:
                yield r.violation("break_windows", s.date,
                                  f"{rule.name} lasts {be - bs}, not {rule.length}m")
            if be > s.end:
                yield r.violation("break_windows", s.date, f"{rule.name} ends after the shift")


def one_shift_a_day(r: AgentRoster) -> Iterator[Violation]:
    """At most one shift a day."""
    seen: set[str] = set()
    for s in r.shifts:
        if s.date in seen:
            yield r.violation("one_shift_a_day", s.date, "two shifts on one day")
        seen.add(s.date)


def unavailable_days_off(r: AgentRoster) -> Iterator[Violation]:
    """No shift on a day the agent is unavailable."""
    for s in r.known():
        if day_matches(r.agent.unavailable, pd.Timestamp(s.date)):
            yield r.violation("unavailable_days_off", s.date, "works on an unavailable day")


def minimum_rest_between_shifts(r: AgentRoster) -> Iterator[Violation]:
    """At least `min_rest_hours` between shifts, the shifts before the horizon included."""
    spans = sorted(list(r.agent.previous_shifts or ()) + [(s.start, s.end) for s in r.shifts])
    for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
        gap = (s2 - e1) / pd.Timedelta(hours=1)
        if gap < r.settings.rules.min_rest_hours:
            yield r.violation("minimum_rest_between_shifts", s2.date(),
                              f"{gap:.2f} h rest after {e1}")


def max_consecutive_working_days(r: AgentRoster) -> Iterator[Violation]:
    """No more than `max_consecutive_days` worked days in a row (the week before counts)."""
    k = r.settings.rules.max_consecutive_days
    if k is None:
        return
    for i, n in _runs(r.sequence(), True):
        if n > k and i + n > r.history:
            yield r.violation("max_consecutive_working_days", r.origin.date(),
                              f"{n} days in a row")


def min_consecutive_days_off(r: AgentRoster) -> Iterator[Violation]:
    """Runs of days off of at least `min_consecutive_days_off` (runs touching the
    known sequence's ends are exempt)."""
    k = r.settings.rules.min_consecutive_days_off
    seq = r.sequence()
    for i, n in _runs(seq, False):
        if 0 < i and i + n < len(seq) and i + n > r.history and n < k:
            yield r.violation("min_consecutive_days_off",
                              (r.origin + pd.Timedelta(days=i - r.history)).date(),
                              f"only {n} day(s) off in a row")


def days_off_per_week(r: AgentRoster) -> Iterator[Violation]:
    """At most the agent's `max_days_week` (and 7 - `days_off_per_week`) days a week."""
    max_days = r.agent.max_days_week
    if r.settings.rules.days_off_per_week is not None:
        max_days = min(max_days, 7 - r.settings.rules.days_off_per_week)
    for week, first in r.weeks():
        n_days = sum(1 for d in week if d in r.worked)
        if n_days > max_days:
            yield r.violation("days_off_per_week", first,
                              f"{n_days} days worked, at most {max_days}")


def weekends_off(r: AgentRoster) -> Iterator[Violation]:
    """At most `max_working_weekends` weekends with a Saturday or Sunday worked."""
    most = r.settings.rules.max_working_weekends
    if most is None:
        return
    weekday = {d: (r.origin + pd.Timedelta(days=d)).day_of_week for d in r.worked}
    weekends = {(d - weekday[d]) // 7 for d in r.worked if 0 <= d < r.days and weekday[d] >= 5}
    if len(weekends) > most:
        yield r.violation("weekends_off", r.origin.date(), f"{len(weekends)} weekends worked")


def max_late_shifts(r: AgentRoster) -> Iterator[Violation]:
    """At most `max_late_shifts_per_week` late shifts a week."""
    most = r.settings.rules.max_late_shifts_per_week
    if most is None:
        return
    late_days = {s.day for s in r.known() if s.late}
    for week, first in r.weeks():
        n_late = sum(1 for d in week if d in late_days)
        if n_late > most:
            yield r.violation("max_late_shifts", first, f"{n_late} late shifts")


def contract_hours(r: AgentRoster) -> Iterator[Violation]:
    """Paid hours a week at most `max_hours_week`, and in a whole week at least
    `min_hours_week`."""
    paid_by_day: dict[int, float] = {}
    for s in r.known():
        paid_by_day[s.day] = paid_by_day.get(s.day, 0) + s.paid_minutes
    ag = r.agent
    for week, first in r.weeks():
        paid = sum(paid_by_day.get(d, 0) for d in week)
        if paid > ag.max_hours_week * 60 + 1e-6:
            yield r.violation("contract_hours", first,
                              f"{paid / 60:.2f} h paid > {ag.max_hours_week}")
        if len(week) == 7 and paid < ag.min_hours_week * 60 - 1e-6:
            yield r.violation("contract_hours", first,
                              f"{paid / 60:.2f} h paid < {ag.min_hours_week}")


CHECKS: dict[str, Callable[[AgentRoster], Iterator[Violation]]] = {
    "offered_shifts": offered_shifts,
    "queue_skills": queue_skills,
    "opening_hours": opening_hours,
    "break_windows": break_windows,
    "one_shift_a_day": one_shift_a_day,
    "unavailable_days_off": unavailable_days_off,
    "minimum_rest_between_shifts": minimum_rest_between_shifts,
    "max_consecutive_working_days": max_consecutive_working_days,
    "min_consecutive_days_off": min_consecutive_days_off,
    "days_off_per_week": days_off_per_week,
    "weekends_off": weekends_off,
    "max_late_shifts": max_late_shifts,
    "contract_hours": contract_hours,
}


def _read_shift(row: object, origin: pd.Timestamp, templates: dict[str, ShiftTemplate],
                late_after: int) -> Shift:
    """A roster row as a `Shift` (breaks, paid minutes and lateness from its template)."""
    date = pd.Timestamp(row.date)
    start, end = pd.Timestamp(row.start), pd.Timestamp(row.end)
    t = templates.get(row.shift)
    st = int((start - date) / MINUTE)
    length = int((end - start) / MINUTE)
    shift = Shift(str(row.date), (date - origin).days, row.shift, str(row.queue), start, end,
                  t, st, length)
    if t is None:
        return shift
    breaks = tuple(parse_breaks(row.breaks, start))
    unpaid = (sum(b.length for b in t.breaks if not b.paid) if len(breaks) == len(t.breaks)
              else 0)
    late = t.late if t.late is not None else st + length > late_after
    return Shift(shift.date, shift.day, shift.shift, shift.queue, start, end, t, st, length,
                 breaks, length - unpaid, bool(late))


def check_roster(roster: pd.DataFrame, agents: list[Agent], settings: ShiftSettings,
                 start: str | pd.Timestamp, days: int = 7) -> list[Violation]:
    """All hard-rule violations of `roster` for the horizon of `days` from `start`: each
    agent's shifts through every check of `CHECKS`, in turn (a roster agent missing
    from `agents` is an `offered_shifts` violation and is not checked further)."""
    origin = pd.Timestamp(start).normalize()
    late_after = parse_clock(settings.rules.late_shift_end_after, "late_shift_end_after")
    by_id = {a.agent_id: a for a in agents}
    templates = {t.name: t for t in settings.templates}
    frame = roster.copy()
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    out: list[Violation] = []
    for aid, rows in frame.groupby(frame["agent_id"].astype(str), sort=True):
        ag = by_id.get(aid)
        if ag is None:
            out.append(Violation(aid, "offered_shifts", "", "agent not in the agents file"))
            continue
        shifts = tuple(_read_shift(r, origin, templates, late_after)
                       for r in rows.sort_values("start").itertuples(index=False))
        worked = {s.day for s in shifts}
        history = 0
        if ag.previous_shifts is not None:
            history = 7
            worked |= {(s.normalize() - origin).days for s, _ in ag.previous_shifts}
        week = AgentRoster(ag, shifts, settings, origin, days, frozenset(worked), history)
        for check in CHECKS.values():
            out.extend(check(week))
    return out


# ---------------------------------------------------------------- the Curtois benchmark


@dataclass(frozen=True)
class StaffRoster:
    """What the benchmark's checks read for one staff member: their shift per day (the
    last one given when a day has two), the days given twice, and the instance."""

    staff: CurtoisStaff
    work: dict[int, str]
    twice: tuple[int, ...]
    instance: CurtoisInstance

    def violation(self, rule: str, day: object, detail: str) -> Violation:
        """A violation of `rule` by this staff member."""
        return Violation(self.staff.staff_id, rule, str(day), detail)

    def sequence(self) -> list[bool]:
        """Worked or not, per day of the horizon."""
        return [d in self.work for d in range(self.instance.days)]


def curtois_offered_shifts(r: StaffRoster) -> Iterator[Violation]:
    """Only the instance's shift types."""
    for d, sh in r.work.items():
        if sh not in r.instance.shifts:
            yield r.violation("offered_shifts", d, f"unknown shift {sh}")


def curtois_one_shift_a_day(r: StaffRoster) -> Iterator[Violation]:
    """At most one shift a day."""
    for d in r.twice:
        yield r.violation("one_shift_a_day", d, "two shifts")


def curtois_unavailable_days_off(r: StaffRoster) -> Iterator[Violation]:
    """No shift on a fixed day off."""
    for d in r.work:
        if d in r.staff.days_off:
            yield r.violation("unavailable_days_off", d, "works a fixed day off")


def curtois_forbidden_shift_successions(r: StaffRoster) -> Iterator[Violation]:
    """No forbidden shift type on the day after another."""
    for d, sh in r.work.items():
        if (sh, r.work.get(d + 1)) in r.instance.forbidden:
            yield r.violation("forbidden_shift_successions", d,
                              f"{sh} followed by {r.work[d + 1]}")


def curtois_max_shifts_per_type(r: StaffRoster) -> Iterator[Violation]:
    """At most the staff member's maximum of each shift type."""
    for sh in r.instance.shifts:
        n = sum(1 for v in r.work.values() if v == sh)
        most = r.staff.max_shifts.get(sh, 0)
        if n > most:
            yield r.violation("max_shifts_per_type", "", f"{n} x {sh} > {most}")


def curtois_contract_hours(r: StaffRoster) -> Iterator[Violation]:
    """Total minutes worked within the staff member's minimum and maximum."""
    s = r.staff
    minutes = sum(r.instance.shifts.get(v, 0) for v in r.work.values())
    if not s.min_minutes <= minutes <= s.max_minutes:
        yield r.violation("contract_hours", "",
                          f"{minutes} not in [{s.min_minutes}, {s.max_minutes}]")


def curtois_max_consecutive_working_days(r: StaffRoster) -> Iterator[Violation]:
    """No more than the maximum of shifts in a row."""
    for i, n in _runs(r.sequence(), True):
        if n > r.staff.max_consecutive:
            yield r.violation("max_consecutive_working_days", i, f"{n} in a row")


def curtois_min_consecutive_working_days(r: StaffRoster) -> Iterator[Violation]:
    """Runs of shifts at least the minimum long (runs touching the horizon's ends exempt)."""
    for i, n in _runs(r.sequence(), True):
        if n < r.staff.min_consecutive and i > 0 and i + n < r.instance.days:
            yield r.violation("min_consecutive_working_days", i, f"{n} in a row")


def curtois_min_consecutive_days_off(r: StaffRoster) -> Iterator[Violation]:
    """Runs of days off at least the minimum long (runs touching the horizon's ends
    exempt)."""
    for i, n in _runs(r.sequence(), False):
        if n < r.staff.min_consecutive_off and i > 0 and i + n < r.instance.days:
            yield r.violation("min_consecutive_days_off", i, f"{n} off in a row")


def curtois_weekends_off(r: StaffRoster) -> Iterator[Violation]:
    """At most the maximum of weekends with a Saturday or Sunday worked."""
    weekends = {d // 7 for d in r.work if d % 7 in (5, 6)}
    if len(weekends) > r.staff.max_weekends:
        yield r.violation("weekends_off", "", f"{len(weekends)} weekends")


CURTOIS_CHECKS: dict[str, Callable[[StaffRoster], Iterator[Violation]]] = {
    "offered_shifts": curtois_offered_shifts,
    "one_shift_a_day": curtois_one_shift_a_day,
    "unavailable_days_off": curtois_unavailable_days_off,
    "forbidden_shift_successions": curtois_forbidden_shift_successions,
    "max_consecutive_working_days": curtois_max_consecutive_working_days,
    "min_consecutive_working_days": curtois_min_consecutive_working_days,
    "min_consecutive_days_off": curtois_min_consecutive_days_off,
    "weekends_off": curtois_weekends_off,
    "max_shifts_per_type": curtois_max_shifts_per_type,
    "contract_hours": curtois_contract_hours,
}


def check_curtois_roster(inst: CurtoisInstance, roster: pd.DataFrame) -> list[Violation]:
    """The benchmark's hard constraints, recomputed from a roster frame: each staff
    member's shifts through every check of `CURTOIS_CHECKS`, in turn (a roster agent who
    is not one of the instance's staff is an `offered_shifts` violation)."""
    got: dict[str, dict[int, str]] = {}
    twice: dict[str, list[int]] = {}
    for r in roster.itertuples(index=False):
        d = (pd.Timestamp(r.date) - FIRST_DAY).days
        days = got.setdefault(str(r.agent_id), {})
        if d in days:
            twice.setdefault(str(r.agent_id), []).append(d)
        days[d] = str(r.shift)
    staff_ids = {s.staff_id for s in inst.staff}
    out = [Violation(aid, "offered_shifts", "", "not one of the instance's staff")
           for aid in sorted(set(got) - staff_ids)]
    for s in inst.staff:
        week = StaffRoster(s, got.get(s.staff_id, {}), tuple(twice.get(s.staff_id, ())), inst)
        for check in CURTOIS_CHECKS.values():
            out.extend(check(week))
    return out
