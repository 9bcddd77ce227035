"""Contact-centre rosters: requirements, agents and shift templates in, a roster frame out.

The roster covers the requirement column `cover` (default `staff`: people to
schedule, after shrinkage). Breaks and lunches are planned explicitly, so an agent
counts as on line only outside their breaks; the `staff` column should therefore
carry the shrinkage that is NOT planned here (absence, training, meetings), and the
projection applies that same shrinkage to the rostered people. Use `cover="agents"`
to roster against the on-line need alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce

import pandas as pd

from scheduling.frames import (
    ROSTER_COLUMNS,
    VIOLATION_COLUMNS,
    break_spans,
    break_text,
    interval_minutes,
)
from scheduling.roster.checker import check_roster
from scheduling.roster.coverage import requirement_units, roster_coverage
from scheduling.roster.deal import ShiftKey, deal_shifts
from scheduling.roster.errors import RosterInputError
from scheduling.roster.inputs import Agent, day_matches
from scheduling.roster.model import Solution
from scheduling.roster.problem import (
    AgentSpec,
    BreakSlot,
    Cell,
    Period,
    Problem,
    Request,
    ShiftOption,
)
from scheduling.roster.proficiency import (
    cover_scale,
    proficiency_map,
    scale_cells,
    weigh_options,
)
from scheduling.roster.reroster import weeks_from_counts
from scheduling.roster.search import DEADLINE_RESERVE, solve_in_parts
from scheduling.roster.templates import ShiftSettings, parse_clock

HISTORY_DAYS = 7


@dataclass
class RosterResult:
    """A solved roster and how good it is.

    `coverage` has one row per queue and requirement interval (`open` False where the
    queue is closed: needed there, never staffed, left out of `under_hours`).
    `under_weighted` is the model's under-staffing (agent-slots x queue priority) and
    `under_bound` the solver's proven lower bound on it; `gap` = (value - bound) / value.
    `soft_violations` lists the soft rules the roster breaks (`agent_id, rule, date,
    detail`; `rule` a key of `rules.SOFT_RULES`, agent and date empty for the team's
    fairness): broken wishes of days off and start times, uneven weekends and late shifts.
    """

    roster: pd.DataFrame
    coverage: pd.DataFrame
    status: str
    under_hours: float
    over_hours: float
    paid_hours: float
    under_weighted: float
    under_bound: float
    gap: float
    objective: float
    seconds: float
    interval_minutes: int
    decomposition: str = "one model"
    phases: list[dict] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)  # per model of a split: queues, team, agents
    soft_violations: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(VIOLATION_COLUMNS)))
    time_limit: float = 0.0

    @property
    def cap_seconds(self) -> float:
        """The wall time the solve should end within: 2 x the time limit + 10 s."""
        return 2 * self.time_limit + 10

    @property
    def over_cap(self) -> bool:
        """True when the solve took longer than `cap_seconds` (a busy machine)."""
        return self.seconds > self.cap_seconds


@dataclass
class _Build:
    problem: Problem
    origin: pd.Timestamp
    grid: int
    interval: int
    option_info: dict[str, tuple[str, int, int, str]]  # key -> template, start, end, queue


def validate_requirements(requirements: pd.DataFrame, cover: str) -> pd.DataFrame:
    """The requirements' `queue, interval_start` and `cover` columns, checked: errors
    name the row and column."""
    missing = [c for c in ("queue", "interval_start", cover) if c not in requirements.columns]
    if missing:
        raise RosterInputError(f"requirements: missing columns {missing} (roster covers "
                               f"the {cover!r} column)")
    req = requirements[["queue", "interval_start", cover]].copy()
    req["queue"] = req["queue"].astype(str)
    try:
        req["interval_start"] = pd.to_datetime(req["interval_start"])
    except (ValueError, TypeError) as exc:
        raise RosterInputError(f"requirements, column interval_start: {exc}") from None
    values = pd.to_numeric(req[cover], errors="coerce")
    bad = values.isna() | (values < 0)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise RosterInputError(f"requirements row {i + 2}, column {cover}: "
                               f"{requirements[cover].iloc[i]!r} is not a number >= 0")
    req[cover] = values
    dup = req.duplicated(["queue", "interval_start"])
    if dup.any():
        first = req[dup].iloc[0]
        raise RosterInputError(f"requirements: queue {first['queue']!r} has interval_start "
                               f"{first['interval_start']} twice")
    if req.empty:
        raise RosterInputError("requirements: no rows")
    return req


def build_problem(requirements: pd.DataFrame, agents: list[Agent], settings: ShiftSettings,
                  cover: str = "staff") -> _Build:
    """Map frames and settings onto the engine's problem (options, cells, rule numbers)."""
    req = validate_requirements(requirements, cover)
    interval = interval_minutes(req, default=60)
    unknown = sorted(set(req["queue"]) - set(settings.queues))
    if unknown:
        raise RosterInputError(f"requirements: queues {unknown} have no opening hours in the "
                               f"shifts file (known: {sorted(settings.queues)})")
    names = {t.name for t in settings.templates}
    for ag in agents:
        bad_q = [q for q in ag.queues if q not in settings.queues]
        if bad_q:
            raise RosterInputError(f"agent {ag.agent_id}: queues {bad_q} are not in the shifts "
                                   f"file (known: {sorted(settings.queues)})")
        bad_t = [t for t in ag.shifts if t not in names]
        if bad_t:
            raise RosterInputError(f"agent {ag.agent_id}: shift templates {bad_t} unknown "
                                   f"(known: {sorted(names)})")
    times = [interval, 15]
    for t in settings.templates:
        times += [t.earliest_start, t.start_step, *t.lengths]
        for b in t.breaks:
            times += [b.length, b.earliest, b.latest]
    for qh in settings.queues.values():
        times += [qh.open, qh.close]
    grid = reduce(math.gcd, [int(v) for v in times if v])
    if grid < 5:
        raise RosterInputError(f"times in the shifts file need a {grid}-minute grid; use "
                               "multiples of 5 minutes")
    origin = req["interval_start"].min().normalize()
    days = int((req["interval_start"].max().normalize() - origin).days) + 1
    per_day = 1440 // grid
    dates = [origin + pd.Timedelta(days=d) for d in range(days)]
    weekdays = [int(x.day_of_week) for x in dates]

    # cells: open slots of each queue, with the requirement of the interval holding them
    need: dict[tuple[str, int], int] = {}
    req["units"] = requirement_units(req[cover])
    for q, ts, units in zip(req["queue"], req["interval_start"], req["units"], strict=True):
        first = int((ts - origin) / pd.Timedelta(minutes=1)) // grid
        for s in range(first, first + interval // grid):
            need[(q, s)] = int(units)
    cells: list[Cell] = []
    cell_of: dict[tuple[str, int], int] = {}
    for q in sorted(set(req["queue"])):
        qh = settings.queues[q]
        for d in range(days):
            if weekdays[d] not in qh.days:
                continue
            for s in range(d * per_day + qh.open // grid, d * per_day + qh.close // grid):
                if (q, s) not in cell_of and s < days * per_day:
                    cell_of[(q, s)] = len(cells)
                    cells.append(Cell(q, s, need.get((q, s), 0), qh.priority, 1))

    late_after = parse_clock(settings.rules.late_shift_end_after, "rules.late_shift_end_after")
    catalogue: list[list[ShiftOption]] = [[] for _ in range(days)]
    info: dict[str, tuple[str, int, int, str]] = {}
    req_queues = set(req["queue"])
    for d in range(days):
        for t in settings.templates:
            if weekdays[d] not in t.days:
                continue
            for st in t.starts():
                for length in t.lengths:
                    late = t.late if t.late is not None else st + length > late_after
                    for q in sorted(req_queues):
                        qh = settings.queues[q]
                        if weekdays[d] not in qh.days or st < qh.open or st + length > qh.close:
                            continue
                        a0 = d * 1440 + st
                        key = f"{d}:{t.name}:{st}:{length}:{q}"
                        covered = tuple(cell_of[(q, s)] for s in
                                        range(a0 // grid, (a0 + length) // grid)
                                        if (q, s) in cell_of)
                        brs = []
                        for b in t.breaks:
                            pos = tuple(range(a0 + b.earliest, a0 + b.latest + 1, grid))
                            bc = tuple(tuple(cell_of[(q, s)] for s in
                                             range(p // grid, (p + b.length) // grid)
                                             if (q, s) in cell_of) for p in pos)
                            brs.append(BreakSlot(b.name, pos, bc, b.length, b.paid))
                        catalogue[d].append(ShiftOption(
                            key, d, t.name, a0, a0 + length, t.paid_minutes(length), bool(late),
                            q, covered, tuple(brs)))
                        info[key] = (t.name, a0, a0 + length, q)

    rules = settings.rules
    scale = cover_scale(agents)
    specs = []
    for ag in agents:
        allowed = set(ag.shifts) or names
        options = weigh_options([[o for o in catalogue[d]
                                  if o.queue in ag.queues and o.shift in allowed]
                                 for d in range(days)], ag, scale)
        penalty = {}
        if ag.preferred_start is not None:
            lo, hi = ag.preferred_start
            for d in range(days):
                for o in options[d]:
                    if not lo <= o.start - d * 1440 <= hi:
                        penalty[o.key] = rules.preferred_start_weight
        max_days = ag.max_days_week
        if rules.days_off_per_week is not None:
            max_days = min(max_days, 7 - rules.days_off_per_week)
        periods = []
        for first in range(0, days, 7):
            last = min(first + 6, days - 1)
            full = last - first == 6
            periods.append(Period(first, last,
                                  round(ag.min_hours_week * 60) if full else None,
                                  round(ag.max_hours_week * 60), max_days,
                                  rules.max_late_shifts_per_week))
        history: tuple[bool, ...] = ()
        last_end = None
        if ag.previous_shifts is not None:
            late_prev = [e for _, e in ag.previous_shifts if e > origin]
            if late_prev:
                raise RosterInputError(
                    f"agent {ag.agent_id}, column previous_shifts: a shift ends at "
                    f"{late_prev[0]}, after the roster starts ({origin.date()}); list only "
                    "shifts worked before the roster's first day")
            worked = {(s.normalize() - origin).days for s, _ in ag.previous_shifts}
            history = tuple(d in worked for d in range(-HISTORY_DAYS, 0))
            if ag.previous_shifts:
                last_end = int((max(e for _, e in ag.previous_shifts) - origin)
                               / pd.Timedelta(minutes=1))
        specs.append(AgentSpec(
            agent_id=ag.agent_id, options=options, periods=periods,
            max_consecutive_days=rules.max_consecutive_days,
            min_consecutive_days_off=rules.min_consecutive_days_off,
            max_working_weekends=rules.max_working_weekends,
            days_off=frozenset(d for d in range(days) if day_matches(ag.unavailable, dates[d])),
            history=history, last_end=last_end,
            requests=[Request(d, False, rules.preferred_day_off_weight) for d in range(days)
                      if day_matches(ag.preferred_days_off, dates[d])],
            option_penalty=penalty, team=ag.team))
    problem = Problem(days=days, weekdays=weekdays, agents=specs,
                      cells=scale_cells(cells, scale),
                      min_rest_minutes=round(rules.min_rest_hours * 60),
                      weights=dict(settings.weights), fairness=rules.fairness,
                      paid_minute_unit=grid, cover_scale=scale)
    return _Build(problem, origin, grid, interval, info)


def decode_roster(build: _Build, sol: Solution) -> pd.DataFrame:
    """The roster frame; each group of interchangeable agents shares out its break counts."""
    weeks = weeks_from_counts(build.problem, sol.choice, sol.breaks)
    rows = []
    minute = pd.Timedelta(minutes=1)
    for a, week in enumerate(weeks):
        spec = build.problem.agents[a]
        for d, pick in enumerate(week):
            if pick is None:
                continue
            o = spec.options[d][pick[0]]
            breaks = break_text((br.positions[k], br.positions[k] + br.length)
                                for br, k in zip(o.breaks, pick[1], strict=True))
            rows.append({
                "agent_id": spec.agent_id,
                "date": (build.origin + pd.Timedelta(days=d)).date().isoformat(),
                "shift": o.shift, "start": build.origin + o.start * minute,
                "end": build.origin + o.end * minute, "queue": o.queue,
                "breaks": breaks})
    frame = pd.DataFrame(rows, columns=list(ROSTER_COLUMNS))
    return frame.sort_values(["agent_id", "date"], ignore_index=True)


def start_weeks(build: _Build, start: pd.DataFrame, agents: list[Agent],
                settings: ShiftSettings) -> list[list | None]:
    """A start roster (ROSTER_COLUMNS) as a week per agent of the problem, in the
    engine's terms (option index and break positions per day); None for an agent to
    plan afresh: one missing from `start`, or with a shift inside the horizon that is not
    one of their options (another template, queue or time, a break off its window),
    or whose week breaks a hard rule (`check_roster`). Shifts outside the horizon and
    agents not in the team are ignored."""
    p = build.problem
    days = p.days
    minute = pd.Timedelta(minutes=1)
    frame = start.copy()
    frame["agent_id"] = frame["agent_id"].astype(str)
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    first = ((frame["start"].dt.normalize() - build.origin) / pd.Timedelta(days=1)).astype(int)
    frame = frame[(first >= 0) & (first < days)]
    broken = {v.agent_id for v in check_roster(frame, agents, settings, build.origin, days)}
    rows = {aid: part for aid, part in frame.groupby("agent_id", sort=False)}
    weeks: list[list | None] = []
    for spec in p.agents:
        part = rows.get(spec.agent_id)
        if part is None or spec.agent_id in broken:
            weeks.append(None)
            continue
        week: list | None = [None] * days
        for r in part.itertuples(index=False):
            d = int((r.start.normalize() - build.origin) / pd.Timedelta(days=1))
            a0 = int((r.start - build.origin) / minute)
            a1 = int((r.end - build.origin) / minute)
            pick = None
            for i, o in enumerate(spec.options[d]):
                if (o.shift, o.start, o.end, o.queue) == (str(r.shift), a0, a1, str(r.queue)):
                    pick = _break_positions(o, r.breaks, r.start, build.origin, i)
                    break
            if pick is None or week[d] is not None:
                week = None
                break
            week[d] = pick
        weeks.append(week)
    return weeks


def shift_keys(build: _Build, shifts: pd.DataFrame) -> dict[ShiftKey, int]:
    """How many of each shift (day, template, start, end, queue in the engine's minutes)
    a roster frame holds, its rows outside the horizon left out."""
    minute = pd.Timedelta(minutes=1)
    start = pd.to_datetime(shifts["start"])
    end = pd.to_datetime(shifts["end"])
    out: dict[ShiftKey, int] = {}
    for s, e, shift, queue in zip(start, end, shifts["shift"].astype(str),
                                  shifts["queue"].astype(str), strict=True):
        d = int((s.normalize() - build.origin) / pd.Timedelta(days=1))
        if not 0 <= d < build.problem.days:
            continue
        key = (d, shift, int((s - build.origin) / minute), int((e - build.origin) / minute),
               queue)
        out[key] = out.get(key, 0) + 1
    return out


def _break_positions(option: ShiftOption, text: object, shift_start: pd.Timestamp,
                     origin: pd.Timestamp, index: int) -> tuple[int, list[int]] | None:
    """(option index, break position per break) for a start roster's row, None when its
    breaks are not the option's."""
    try:
        spans = break_spans(text, shift_start)
    except ValueError:
        return None
    if len(spans) != len(option.breaks):
        return None
    positions = []
    for br, (bs, _) in zip(option.breaks, spans, strict=True):
        at = int((bs - origin) / pd.Timedelta(minutes=1))
        if at not in br.positions:
            return None
        positions.append(br.positions.index(at))
    return index, positions


def solve_roster(requirements: pd.DataFrame, agents: list[Agent], settings: ShiftSettings,
                 time_limit: float = 60.0, seed: int = 0, workers: int = 2,
                 cover: str = "staff", deterministic: bool = True, warm_start: float = 0.3,
                 bound_share: float | None = 0.1, max_agents: int = 200,
                 progress: Callable[[float], None] | None = None,
                 linearization_level: int | None = None,
                 lns_share: float | None = None,
                 mapper: Callable[[Callable, list], Iterable] | None = None,
                 start: pd.DataFrame | None = None, bound_search: bool = True,
                 start_shifts: pd.DataFrame | None = None) -> RosterResult:
    """Build the weekly roster that leaves the fewest customers waiting.

    Agents with no queue in common (directly or through colleagues) are rostered as
    separate queue groups, and a queue group over `max_agents` team by team
    (`decompose.py`); `decomposition` and `parts` of the result say how.
    Raises RosterInfeasibleError naming agents and rules when the hard rules
    contradict each other. Deterministic for a fixed `seed` (the time limit is then
    CP-SAT deterministic time, close to but not exactly wall seconds).
    `linearization_level` overrides CP-SAT's in the roster search (see `solve_problem`);
    `lns_share` of the time goes to re-rostering a few agents at a time
    (`reroster.py`; by default only for 40 agents or more, see `solve_problem`).
    `mapper(fn, items)` solves the independent queue groups (see `solve_in_parts`).
    `start` is a roster to start from (e.g. the base plan's, for a scenario): the weeks
    of it that still fit (`start_weeks`) are the first roster, the other agents are
    planned against them and every agent is re-planned against the others, and
    the search improves that instead of building a roster agent by agent.
    `start_shifts` (ROSTER_COLUMNS, `agent_id` and `breaks` not read; used without
    `start`) are shifts to deal out to the agents as that start roster (`deal.py`),
    e.g. a capacity plan's; shifts no agent can take within the rules are left out,
    and `decomposition` says how many.
    `bound_search=False` reports the lower bound of the pooled model's LP without
    CP-SAT's search on it (which proved nothing on the 200-agent sample in 3 s, for
    6.6 s of CPU); the roster is the same.
    The whole call is meant to end within 2 x `time_limit` + 10 s of wall time;
    `over_cap` of the result says when it did not (a busy machine).
    """
    if not (isinstance(time_limit, int | float) and math.isfinite(time_limit)
            and time_limit > 0):
        raise RosterInputError(f"time limit must be a number of seconds above 0, got "
                               f"{time_limit!r}")
    began = time.monotonic()
    build = build_problem(requirements, agents, settings, cover)
    weeks = None if start is None else start_weeks(build, start, agents, settings)
    dealt = None
    if weeks is None and start_shifts is not None:
        dealt = deal_shifts(build.problem, shift_keys(build, start_shifts), seed)
        weeks = dealt.weeks
    if weeks is not None:  # the descent from a start needs no split by team
        max_agents = max(max_agents, len(agents))
    sol = solve_in_parts(build.problem, time_limit=time_limit, seed=seed, workers=workers,
                         deterministic=deterministic, progress=progress, max_agents=max_agents,
                         warm_start=warm_start, bound_share=bound_share,
                         linearization_level=linearization_level, lns_share=lns_share,
                         mapper=mapper, start=weeks, bound_search=bound_search,
                         deadline=began + 2 * time_limit + 10 - DEADLINE_RESERVE)
    result = _result(build, sol, requirements, cover)
    if dealt is not None:
        result.decomposition = (f"{dealt.dealt} of {dealt.planned} given shifts dealt out "
                                f"to the agents; {result.decomposition}")
    result.seconds = time.monotonic() - began
    result.time_limit = float(time_limit)
    return result


def _result(build: _Build, sol: Solution, requirements: pd.DataFrame, cover: str
            ) -> RosterResult:
    roster = decode_roster(build, sol)
    cov = roster_coverage(roster, requirements, cover, proficiency_map(build.problem))
    open_cells = {(c.name, c.slot) for c in build.problem.cells}
    slot = ((pd.to_datetime(cov["interval_start"]) - build.origin)
            / pd.Timedelta(minutes=build.grid)).astype(int)
    cov["open"] = [(q, s) in open_cells for q, s in zip(cov["queue"], slot, strict=True)]
    h = build.interval / 60
    paid = 0.0
    for a, row in enumerate(sol.choice):
        for d, i in enumerate(row):
            if i is not None:
                paid += build.problem.agents[a].options[d][i].paid_minutes / 60
    gap = (sol.under_total - sol.under_bound) / sol.under_total if sol.under_total else 0.0
    is_open = cov["open"]
    scale = build.problem.cover_scale  # model figures per agent, as without proficiency
    return RosterResult(roster, cov, sol.status, float(cov.loc[is_open, "under"].sum() * h),
                        float(cov["over"].sum() * h), paid, float(sol.under_total) / scale,
                        float(sol.under_bound) / scale, max(gap, 0.0), sol.objective / scale,
                        sol.wall_seconds, build.interval, sol.decomposition, sol.phases,
                        sol.parts, soft_violations(build, sol))


def soft_violations(build: _Build, sol: Solution) -> pd.DataFrame:
    """The soft-rule penalties the solution pays, as violations (`agent_id, rule, date,
    detail`), read from the penalties' names; an amount above one ends the detail."""
    rows = []
    for penalty, amount in sol.penalties:
        date = ("" if penalty.day is None else
                (build.origin + pd.Timedelta(days=penalty.day)).date().isoformat())
        detail = penalty.detail if amount == 1 else f"{penalty.detail} by {amount}"
        rows.append({"agent_id": penalty.agent_id, "rule": penalty.rule, "date": date,
                     "detail": detail})
    frame = pd.DataFrame(rows, columns=list(VIOLATION_COLUMNS))
    return frame.sort_values(["agent_id", "date", "rule"], ignore_index=True, kind="stable")
