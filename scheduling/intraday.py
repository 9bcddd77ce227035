"""Intraday re-plan: the rest of today re-optimised with the roster pinned up to now.

A small CP-SAT model over today's intervals from `now` on, one agent at a time
being able to

- take a break that has not started yet elsewhere within its window (`break`),
- answer another queue the agent is skilled in for a while (`move`),
- start earlier or stay longer (`overtime`), within the weekly maximum hours,
  the longest shift template, the queue's closing time, the rest before the next
  shift and the late-shift limit,
- leave early when the queue is over-staffed (`vto`, voluntary time off: being
  voluntary, it may shorten a shift below its template's lengths and take the agent
  under `min_hours_week`, unless `vto_keeps_min_hours`),
- start a shift that has not begun yet earlier or later (`shift`: same length, breaks
  along, on the template's start grid, within `max_shift_move` minutes, the queue's
  hours, the rest either side and the late-shift limit), or
- come in on a day off (`call_in`): a shift of one of the agent's templates starting
  from now, on one queue of the agent's, within every labour rule of the roster
  checker (weekly hours and days, rest, days in a row, days off in a row,
  unavailable days, late shifts, opening hours);

each change costs a penalty, so only changes that buy enough cover are made. The
objective is the shortfall against the agents the forecast needs (staffing models,
`scheduling.staffing.requirements`, after shrinkage), in tiers that cost more the
deeper the shortfall, plus a little for over-staffing and for overtime minutes.
Whatever started before now (shift starts, breaks under way) is pinned.

Out: the roster changes frame (`agent_id, change, from, to, queue`: for `break`
the old and new break times, for `move` the period and the queue answered then,
for `overtime`/`vto` the shift's old and new times, for `call_in` "off" and the new
shift's times), the roster after the changes and
the projection of the rest of the day before and after (`scheduling.projection`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from ortools.sat.python import cp_model

from scheduling.projection import break_spans, parse_roster, project, rollup
from scheduling.queue_settings import queue_settings_frame
from scheduling.roster import Agent, ShiftSettings, check_roster
from scheduling.roster.inputs import day_matches
from scheduling.staffing import requirements

CHANGE_COLUMNS = ("agent_id", "change", "from", "to", "queue")
TIERS = ((0.10, 1), (0.15, 3), (math.inf, 9))  # share of the requirement, cost per minute


class ReplanInputError(ValueError):
    """A roster, agents or settings the re-plan cannot use; names agent and field."""


@dataclass(frozen=True)
class ReplanOptions:
    """The levers and their costs (costs in minutes of shallow shortfall)."""

    change_cost: float = 20.0          # each break move, move, overtime or VTO
    agent_cost: float = 40.0           # each agent whose day changes at all
    max_changed_share: float | None = 0.10  # of today's agents, at least one (None: no cap)
    overtime_cost: float = 1.0         # per overtime minute
    vto_saving: float = 0.3            # per paid minute given back as time off
    over_cost: float = 0.2             # per minute on line above the requirement
    max_overtime_minutes: int = 120
    extra_hours_week: float = 0.0      # overtime a week above max_hours_week (0: contract)
    longest_shift: int | None = None   # minutes a shift may reach (None: longest template)
    overtime_step: int = 30
    max_vto_minutes: int = 240
    break_step: int = 15
    move_step: int = 60                # a move lasts whole blocks of this many minutes
    allow_breaks: bool = True
    allow_moves: bool = True
    allow_overtime: bool = True
    allow_vto: bool = True
    allow_call_in: bool = True
    allow_shift_moves: bool = True     # a shift not begun yet may start earlier or later
    max_shift_move: int = 180          # minutes, on the template's start grid
    call_in_cost: float = 100.0        # each agent called in on a day off, on top
    call_in_step: int = 60             # call-in shifts start on this grid of minutes
    vto_keeps_min_hours: bool = False  # True: no VTO under an agent's min_hours_week
    min_gain: float | None = None      # rest-of-day SL (all queues) a re-plan must add
    # (None: no such test; service level cannot tell a deep overload made lighter)
    time_limit: float = 15.0
    workers: int = 2
    seed: int = 0


@dataclass
class ReplanResult:
    """The changes, the roster after them, the rest-of-day projections and figures."""

    changes: pd.DataFrame
    roster: pd.DataFrame
    before: pd.DataFrame
    after: pd.DataFrame
    summary: pd.DataFrame
    agents_today: int
    agents_changed: int
    status: str
    notes: list[str] = field(default_factory=list)


# agents of the day ---------------------------------------------------------------------

@dataclass
class _Break:
    start: int       # minutes from today's midnight
    length: int
    options: list[int]  # possible starts (the current one included); [] = pinned


@dataclass
class _Day:
    agent_id: str
    row: int
    shift: str
    start: int
    end: int
    queue: str
    skills: list[str]
    breaks: list[_Break]
    ends: list[int]       # possible shift ends (the current one included)
    starts: list[int] = field(default_factory=list)  # possible earlier starts (overtime)
    room: int = 0         # overtime minutes the rules leave (weekly hours, shift length)
    hours: dict[str, tuple[int, int]] = field(default_factory=dict)  # queue -> open, close
    shift_to: list[int] = field(default_factory=list)  # other starts, same length (not begun)


@dataclass
class _CallIn:
    agent_id: str
    options: list[tuple[str, int, int, str, list[tuple[int, int]]]]
    # (template, start, end, queue, breaks as (start, end)), minutes from midnight


def _minutes(stamp: pd.Timestamp, today: pd.Timestamp) -> int:
    return int(round((stamp - today) / pd.Timedelta(minutes=1)))


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _paid_minutes(row: pd.Series, settings: ShiftSettings) -> float:
    length = (row["end"] - row["start"]) / pd.Timedelta(minutes=1)
    spans = break_spans(row["breaks"], row["start"], row["end"], f"agent {row['agent_id']}")
    tpl = next((t for t in settings.templates if t.name == row["shift"]), None)
    if tpl is not None and len(spans) == len(tpl.breaks):
        unpaid = sum((e - s) / pd.Timedelta(minutes=1)
                     for (s, e), rule in zip(spans, tpl.breaks, strict=True) if not rule.paid)
        return length - unpaid
    return length


def _days(roster: pd.DataFrame, agents: dict[str, Agent], settings: ShiftSettings,
          queues: set[str], now: pd.Timestamp, start: int, opt: ReplanOptions) -> list[_Day]:
    today = now.normalize()
    week0 = today - pd.Timedelta(days=today.day_of_week)
    rules = settings.rules
    longest = (opt.longest_shift if opt.longest_shift is not None
               else max((max(t.lengths) for t in settings.templates), default=0))
    late_after = int(rules.late_shift_end_after.split(":")[0]) * 60 + int(
        rules.late_shift_end_after.split(":")[1])
    out = []
    for i, r in roster[roster["date"] == today].iterrows():
        s, e = _minutes(r["start"], today), _minutes(r["end"], today)
        if e <= start or e > 1440 or s < 0:
            continue
        agent = agents.get(r["agent_id"])
        skills = [q for q in (agent.queues if agent else ()) if q in queues]
        if r["queue"] not in skills:
            skills = [r["queue"], *skills]
        else:
            skills = [r["queue"], *[q for q in skills if q != r["queue"]]]
        if not opt.allow_moves:
            skills = skills[:1]
        spans = break_spans(r["breaks"], r["start"], r["end"], f"agent {r['agent_id']}")
        tpl = next((t for t in settings.templates if t.name == r["shift"]), None)
        breaks = []
        for k, (bs, be) in enumerate(spans):
            b0, b1 = _minutes(bs, today), _minutes(be, today)
            options: list[int] = []
            if (opt.allow_breaks and tpl is not None and len(spans) == len(tpl.breaks)
                    and b0 >= start):
                rule = tpl.breaks[k]
                options = sorted({p for p in range(s + rule.earliest, s + rule.latest + 1,
                                                   opt.break_step) if p >= start} | {b0})
            breaks.append(_Break(b0, b1 - b0, options))
        ends, starts, room, shift_to = {e}, {s}, 0, []
        above_min = math.inf  # paid minutes this week above the agent's minimum
        if agent is not None:
            week = roster[(roster["agent_id"] == r["agent_id"]) & (roster["date"] >= week0)
                          & (roster["date"] < week0 + pd.Timedelta(days=7))]
            paid = sum(_paid_minutes(w, settings) for _, w in week.iterrows())
            above_min = paid - agent.min_hours_week * 60
            room = int(max(0, min((agent.max_hours_week + opt.extra_hours_week) * 60 - paid,
                                  longest - (e - s))))
            earlier = roster[(roster["agent_id"] == r["agent_id"]) & (roster["end"] < r["start"])]
            last_end = (_minutes(earlier["end"].max(), today) if len(earlier) else -math.inf)
            home = settings.queues.get(str(r["queue"]))  # overtime is on the own queue
            opens = home.open if home is not None else 0
            later = roster[(roster["agent_id"] == r["agent_id"]) & (roster["start"] > r["end"])]
            next_start = (_minutes(later["start"].min(), today) if len(later) else math.inf)
            close = home.close if home is not None else 1440
            late_count = int(sum(_minutes(w["end"], w["date"]) > late_after
                                 for _, w in week.iterrows()))
            max_late = rules.max_late_shifts_per_week
            if opt.allow_overtime:
                for extra in range(opt.overtime_step, opt.max_overtime_minutes + 1,
                                   opt.overtime_step):
                    ne = e + extra
                    if (extra > room or ne - s > longest or ne > min(close, 1440)
                            or ne + rules.min_rest_hours * 60 > next_start):
                        break
                    if (e <= late_after < ne and max_late is not None
                            and late_count >= max_late):
                        break
                    ends.add(ne)
                for extra in range(opt.overtime_step, opt.max_overtime_minutes + 1,
                                   opt.overtime_step):
                    ns = s - extra
                    if (extra > room or ns < start or ns < opens
                            or ns - rules.min_rest_hours * 60 < last_end):
                        break
                    starts.add(ns)
            if opt.allow_shift_moves and tpl is not None and s >= start:
                shift_to = [
                    st for st in tpl.starts()
                    if st != s and abs(st - s) <= opt.max_shift_move and st >= max(start, opens)
                    and st + (e - s) <= min(close, 1440)
                    and st - rules.min_rest_hours * 60 >= last_end
                    and st + (e - s) + rules.min_rest_hours * 60 <= next_start
                    and not (e <= late_after < st + (e - s) and max_late is not None
                             and late_count >= max_late)]
        pinned_end = max((b.start + b.length for b in breaks), default=0)
        if opt.allow_vto:
            for cut in range(opt.overtime_step, opt.max_vto_minutes + 1, opt.overtime_step):
                ne = e - cut
                if ne < max(start, s + 60, pinned_end):
                    break
                if opt.vto_keeps_min_hours and cut > above_min:
                    break
                ends.add(ne)
        out.append(_Day(str(r["agent_id"]), int(i), str(r["shift"]), s, e, str(r["queue"]),
                        skills, breaks, sorted(ends), sorted(starts), room,
                        {q: (settings.queues[q].open, settings.queues[q].close)
                         for q in skills if q in settings.queues}, shift_to))
    return out


DAY_RULES = ("one_shift_a_day", "unavailable_days_off", "max_consecutive_working_days",
             "min_consecutive_days_off", "days_off_per_week", "weekends_off")


def _day_rule_count(rows: pd.DataFrame, agent: Agent, settings: ShiftSettings,
                    origin: pd.Timestamp, days: int) -> int:
    return sum(v.rule in DAY_RULES for v in check_roster(rows, [agent], settings, origin, days))


def _call_in_breaks(tpl: object, start: int, step: int) -> list[tuple[int, int]] | None:
    """The template's breaks at the middle of their windows (on the break grid), in
    order without overlap; None when they do not fit."""
    out: list[tuple[int, int]] = []
    for rule in tpl.breaks:
        p = start + (rule.earliest + rule.latest) // 2 // step * step
        p = max(p, out[-1][1] if out else p)
        if p > start + rule.latest:
            return None
        out.append((p, p + rule.length))
    return out


def _call_ins(roster: pd.DataFrame, agents: Sequence[Agent], settings: ShiftSettings,
              queues: set[str], now: pd.Timestamp, start: int, opt: ReplanOptions
              ) -> list[_CallIn]:
    """Agents off today who may come in, each with the shifts they may work from
    `start`: the day-level rules (days a week, days in a row, days off in a row,
    unavailable days, weekends) are asked of the roster checker with a shift today;
    the weekly hours, the rest either side, late shifts and opening hours are checked
    per shift."""
    if not opt.allow_call_in or not settings.templates:
        return []
    today = now.normalize()
    working = set(roster.loc[roster["date"] == today, "agent_id"].astype(str))
    origin = min(roster["date"].min(), today - pd.Timedelta(days=today.day_of_week))
    horizon = max(int((roster["date"].max() - origin) / pd.Timedelta(days=1)) + 1,
                  int((today - origin) / pd.Timedelta(days=1)) + 1)
    week0 = today - pd.Timedelta(days=today.day_of_week)
    rules = settings.rules
    hh, mm = rules.late_shift_end_after.split(":")
    late_after = int(hh) * 60 + int(mm)
    templates = {t.name: t for t in settings.templates}
    out = []
    for agent in agents:
        if agent.agent_id in working or day_matches(agent.unavailable, today):
            continue
        skills = [q for q in agent.queues if q in queues and q in settings.queues
                  and today.day_of_week in settings.queues[q].days]
        tpls = [templates[n] for n in (agent.shifts or tuple(templates))
                if n in templates and today.day_of_week in templates[n].days]
        if not skills or not tpls:
            continue
        own = roster[roster["agent_id"].astype(str) == agent.agent_id]
        t0 = tpls[0]
        probe = pd.DataFrame([{"agent_id": agent.agent_id, "date": today, "shift": t0.name,
                               "start": today + pd.Timedelta(minutes=t0.latest_start),
                               "end": today + pd.Timedelta(minutes=t0.latest_start
                                                           + min(t0.lengths)),
                               "queue": skills[0], "breaks": ""}])
        if _day_rule_count(pd.concat([own, probe], ignore_index=True), agent, settings,
                           origin, horizon) > _day_rule_count(own, agent, settings, origin,
                                                              horizon):
            continue
        week = own[(own["date"] >= week0) & (own["date"] < week0 + pd.Timedelta(days=7))]
        room = (agent.max_hours_week + opt.extra_hours_week) * 60 - sum(
            _paid_minutes(w, settings)
                                               for _, w in week.iterrows())
        spans = [(_minutes(s, today), _minutes(e, today)) for s, e in
                 [*zip(own["start"], own["end"], strict=True),
                  *(agent.previous_shifts or ())]]
        last_end = max((e for s, e in spans if s < 0), default=-math.inf)
        next_start = min((s for s, e in spans if s >= 1440), default=math.inf)
        lates = int(sum(_minutes(w["end"], w["date"]) > late_after for _, w in week.iterrows()))
        rest = rules.min_rest_hours * 60
        options = []
        for tpl in tpls:
            for st in tpl.starts():
                if st < start or st % opt.call_in_step:
                    continue
                for length in tpl.lengths:
                    en = st + length
                    late = tpl.late if tpl.late is not None else en > late_after
                    if (en > 1440 or tpl.paid_minutes(length) > room or st - rest < last_end
                            or en + rest > next_start
                            or (late and rules.max_late_shifts_per_week is not None
                                and lates >= rules.max_late_shifts_per_week)):
                        continue
                    breaks = _call_in_breaks(tpl, st, opt.break_step)
                    if breaks is None:
                        continue
                    options += [(tpl.name, st, en, q, breaks) for q in skills
                                if settings.queues[q].open <= st and en <= settings.queues[q].close]
        if options:
            out.append(_CallIn(agent.agent_id, options))
    return out


# the model -----------------------------------------------------------------------------

def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _needed(forecast: pd.DataFrame, queue_settings: pd.DataFrame, now: pd.Timestamp,
            start: int, length: int) -> pd.DataFrame:
    today = now.normalize()
    fc = forecast.copy()
    fc["queue"] = fc["queue"].astype(str)
    fc["interval_start"] = pd.to_datetime(fc["interval_start"])
    fc = fc[(fc["interval_start"] >= today + pd.Timedelta(minutes=start))
            & (fc["interval_start"] < today + pd.Timedelta(days=1))]
    need = requirements(fc[["queue", "interval_start", "contacts", "aht_seconds"]],
                        queue_settings, interval_minutes=length)
    shrink = need["queue"].map(queue_settings.set_index("queue")["shrinkage"]).astype(float)
    need["minutes"] = need["agents"] / (1.0 - shrink) * length
    need["t"] = ((need["interval_start"] - today) / pd.Timedelta(minutes=1)).astype(int)
    return need


def _solve(days: list[_Day], need: pd.DataFrame, length: int, start: int,
           opt: ReplanOptions, agents_today: int, call_ins: Sequence[_CallIn] = ()
           ) -> tuple[dict, str]:
    """The CP-SAT model. Every change is a Boolean that adds or removes known on-line
    minutes, so cover stays linear: a moved break, an earlier start, a later or earlier
    end count on the agent's own queue (and keep the agent there in the blocks they
    touch); the queue answered is chosen per block of `move_step` minutes."""
    m = cp_model.CpModel()
    slots = sorted(set(need["t"]))
    cover: dict[tuple[str, int], list] = {}  # (queue, slot) -> [(minutes, var or None)]
    cost = []
    scale = 10
    block = max(length, opt.move_step)
    choice: dict = {"breaks": {}, "ends": {}, "starts": {}, "queue": {}}

    touched: list[cp_model.IntVar] = []

    def change(v: cp_model.IntVar, amount: float) -> None:
        cost.append((v, int(round(scale * amount))))
        m.AddImplication(v, touched[-1])

    def blocks_of(a0: int, a1: int) -> set[int]:
        return {(t - start) // block for t in slots if t < a1 and t + length > a0}

    for a, d in enumerate(days):
        touched.append(m.NewBoolVar(f"changed_{d.agent_id}"))
        cost.append((touched[-1], int(round(scale * opt.agent_cost))))
        const = {t: _overlap(d.start, d.end, t, t + length)
                 - sum(_overlap(b.start, b.start + b.length, t, t + length) for b in d.breaks)
                 for t in slots}
        terms: list[tuple[int, int, cp_model.IntVar]] = []  # (slot, minutes, var) on home
        home: list[tuple[cp_model.IntVar, set[int]]] = []   # var -> blocks kept at home
        ends = {e: m.NewBoolVar(f"end_{d.agent_id}_{e}") for e in d.ends if e != d.end}
        begins = {b: m.NewBoolVar(f"start_{d.agent_id}_{b}") for b in d.starts if b != d.start}
        m.AddAtMostOne([*ends.values(), *begins.values()])
        choice["ends"][a], choice["starts"][a] = ends, begins
        m.Add(sum((e - d.end) * v for e, v in ends.items() if e > d.end)
              + sum((d.start - b) * v for b, v in begins.items()) <= d.room)
        for e, v in ends.items():
            change(v, opt.change_cost + opt.overtime_cost * max(0, e - d.end)
                   - opt.vto_saving * max(0, d.end - e))
            if e > d.end:
                terms += [(t, _overlap(d.end, e, t, t + length), v) for t in slots]
                home.append((v, blocks_of(d.end, e)))
            else:
                terms += [(t, -const[t] if t >= e else -_overlap(e, d.end, t, t + length), v)
                          for t in slots if t + length > e]
                home.append((v, blocks_of(e, d.end)))
        for b, v in begins.items():
            change(v, opt.change_cost + opt.overtime_cost * (d.start - b))
            terms += [(t, _overlap(b, d.start, t, t + length), v) for t in slots]
            home.append((v, blocks_of(b, d.start)))
        shifted = {st: m.NewBoolVar(f"shift_{d.agent_id}_{st}") for st in d.shift_to}
        choice.setdefault("shifted", {})[a] = shifted
        m.AddAtMostOne(shifted.values())
        for st, v in shifted.items():  # the whole shift, breaks along, on the own queue
            change(v, opt.change_cost)
            off = st - d.start
            new_on = {t: _overlap(st, d.end + off, t, t + length)
                      - sum(_overlap(b.start + off, b.start + off + b.length, t, t + length)
                            for b in d.breaks) for t in slots}
            terms += [(t, new_on[t] - const[t], v) for t in slots]
            home.append((v, blocks_of(min(st, d.start), max(d.end, d.end + off))))
            for w in [*ends.values(), *begins.values()]:
                m.AddBoolOr([v.Not(), w.Not()])
        moved: list[dict[int, cp_model.IntVar]] = []
        for k, b in enumerate(d.breaks):
            opts = {p: m.NewBoolVar(f"brk_{d.agent_id}_{k}_{p}") for p in b.options
                    if p != b.start}
            m.AddAtMostOne(opts.values())
            moved.append(opts)
            choice["breaks"][(a, k)] = opts
            for p, v in opts.items():
                change(v, opt.change_cost)
                for w in shifted.values():
                    m.AddBoolOr([v.Not(), w.Not()])
                terms += [(t, _overlap(b.start, b.start + b.length, t, t + length)
                           - _overlap(p, p + b.length, t, t + length), v) for t in slots]
                home.append((v, blocks_of(b.start, b.start + b.length)
                             | blocks_of(p, p + b.length)))
                for e, ev in ends.items():  # a moved break stays inside the new shift
                    if e < d.end or p + b.length > e:
                        m.AddBoolOr([v.Not(), ev.Not()])
        for k in range(len(d.breaks) - 1):  # breaks keep their order without overlap
            one, two = d.breaks[k], d.breaks[k + 1]
            o1 = {one.start: None, **moved[k]}
            o2 = {two.start: None, **moved[k + 1]}
            for p1, v1 in o1.items():
                for p2, v2 in o2.items():
                    if p2 >= p1 + one.length or (v1 is None and v2 is None):
                        continue
                    if v1 is not None and v2 is not None:
                        m.AddBoolOr([v1.Not(), v2.Not()])
                        continue
                    mover, other = (v1, moved[k + 1]) if v1 is not None else (v2, moved[k])
                    if other:  # the other break must move too
                        m.AddBoolOr(list(other.values())).OnlyEnforceIf(mover)
                    else:
                        m.Add(mover == 0)
        terms = [(t, c, v) for t, c, v in terms if c]
        # the queue answered per block
        live = [t for t in slots if const[t] > 0]
        if len(d.skills) == 1 or not live:
            for t in live:
                cover.setdefault((d.queue, t), []).append((const[t], None))
        else:
            blocks = sorted({(t - start) // block for t in live})
            z = {(q, k): m.NewBoolVar(f"q_{d.agent_id}_{q}_{k}")
                 for q in d.skills for k in blocks}
            choice["queue"][a] = (z, blocks, block)
            for (q, k), v in z.items():  # another queue only while it is open
                lo, hi = d.hours.get(q, (0, 1440))
                if q != d.queue and not lo <= start + k * block < start + (k + 1) * block <= hi:
                    m.Add(v == 0)
            for i, k in enumerate(blocks):
                m.AddExactlyOne(z[q, k] for q in d.skills)
                for q in d.skills:
                    if q == d.queue:
                        continue
                    prev = z[q, blocks[i - 1]] if i and blocks[i - 1] == k - 1 else 0
                    sw = m.NewBoolVar(f"sw_{d.agent_id}_{q}_{k}")
                    m.Add(sw >= z[q, k] - prev)
                    change(sw, opt.change_cost)
            for v, kept in home:
                for k in kept & set(blocks):
                    m.AddImplication(v, z[d.queue, k])
            for t in live:
                k = (t - start) // block
                for q in d.skills:
                    cover.setdefault((q, t), []).append((const[t], z[q, k]))
        for t, c, v in terms:
            cover.setdefault((d.queue, t), []).append((c, v))
    slots_set = set(slots)
    for c in call_ins:
        touched.append(m.NewBoolVar(f"changed_{c.agent_id}"))
        cost.append((touched[-1], int(round(scale * opt.agent_cost))))
        picks = {}
        for i, (_tpl, s0, s1, q, brk) in enumerate(c.options):
            v = m.NewBoolVar(f"call_{c.agent_id}_{i}")
            picks[i] = v
            change(v, opt.change_cost + opt.call_in_cost + opt.overtime_cost * (s1 - s0))
            for t in range(s0 - s0 % length, s1, length):
                on = _overlap(s0, s1, t, t + length) - sum(_overlap(b0, b1, t, t + length)
                                                           for b0, b1 in brk)
                if on > 0 and t in slots_set:
                    cover.setdefault((q, t), []).append((on, v))
        m.AddAtMostOne(picks.values())
        choice.setdefault("call_in", []).append(picks)
    if opt.max_changed_share is not None:
        cap = max(1, int(math.floor(opt.max_changed_share * agents_today + 1e-9)))
        m.Add(sum(touched) <= cap)
    # shortfall tiers and over-staffing per queue and slot
    for r in need.itertuples(index=False):
        req = int(round(float(r.minutes)))
        have = cover.get((r.queue, r.t), [])
        if req <= 0 and not have:
            continue
        total = sum(c * v if v is not None else c for c, v in have)
        parts = []
        for share, unit in TIERS:
            cap = int(math.ceil(req * share)) if math.isfinite(share) else req
            v = m.NewIntVar(0, max(cap, 0), f"short_{r.queue}_{r.t}_{unit}")
            parts.append(v)
            cost.append((v, scale * unit))
        top = sum(abs(c) for c, _ in have) + length
        over = m.NewIntVar(0, top, f"over_{r.queue}_{r.t}")
        m.Add(total + sum(parts) - over == req)
        cost.append((over, max(1, int(round(scale * opt.over_cost)))))
    m.Minimize(sum(c * v for v, c in cost))
    for a, (z, _blocks, _size) in choice["queue"].items():
        for (q, _k), v in z.items():
            m.AddHint(v, q == days[a].queue)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = opt.time_limit
    solver.parameters.num_workers = max(1, opt.workers)
    solver.parameters.random_seed = opt.seed
    status = solver.Solve(m)
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, name
    picked: dict = {"ends": {}, "starts": {}, "breaks": {}, "queue": {}, "call_in": []}
    for c, picks in zip(call_ins, choice.get("call_in", []), strict=True):
        i = next((i for i, v in picks.items() if solver.Value(v)), None)
        if i is not None:
            picked["call_in"].append((c.agent_id, *c.options[i]))
    for a, d in enumerate(days):
        picked["ends"][a] = next((e for e, v in choice["ends"][a].items()
                                  if solver.Value(v)), d.end)
        picked["starts"][a] = next((b for b, v in choice["starts"][a].items()
                                    if solver.Value(v)), d.start)
    for (a, k), opts in choice["breaks"].items():
        picked["breaks"][(a, k)] = next((p for p, v in opts.items() if solver.Value(v)),
                                        days[a].breaks[k].start)
    picked["shifted"] = {a: st for a, opts in choice.get("shifted", {}).items()
                         for st, v in opts.items() if solver.Value(v)}
    for a, (z, blocks, size) in choice["queue"].items():
        picked["queue"][a] = [
            (start + k * size, next(q for q in days[a].skills if solver.Value(z[q, k])))
            for k in blocks]
    return picked, name


# decoding ------------------------------------------------------------------------------

def _apply(days: list[_Day], picked: dict, roster: pd.DataFrame, today: pd.Timestamp,
           length: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    changes, new_rows, drop_rows = [], [], []
    at = today + pd.Timedelta(0)
    for a, d in enumerate(days):
        end = picked["ends"].get(a, d.end)
        begin = picked["starts"].get(a, d.start)
        off = picked.get("shifted", {}).get(a, d.start) - d.start
        if off:
            begin, end = d.start + off, d.end + off
            changes.append((d.agent_id, "shift", f"{_clock(d.start)}-{_clock(d.end)}",
                            f"{_clock(begin)}-{_clock(end)}", d.queue))
        breaks = []
        for k, b in enumerate(d.breaks):
            p = picked["breaks"].get((a, k), b.start) if b.options else b.start
            p = p + off if off else p
            if p is None or p >= end:
                continue
            if p != b.start + off:
                changes.append((d.agent_id, "break", f"{_clock(b.start)}-"
                                f"{_clock(b.start + b.length)}",
                                f"{_clock(p)}-{_clock(p + b.length)}", d.queue))
            breaks.append((p, p + b.length))
        if (end != d.end or begin != d.start) and not off:
            changes.append((d.agent_id, "vto" if end < d.end else "overtime",
                            f"{_clock(d.start)}-{_clock(d.end)}",
                            f"{_clock(begin)}-{_clock(end)}", d.queue))
        plan = picked["queue"].get(a, [])
        runs = []  # (start, end, queue)
        cursor, current = begin, d.queue
        for t, q in plan:
            t = max(t, begin)
            if q != current and t < end:
                runs.append((cursor, t, current))
                cursor, current = t, q
        runs.append((cursor, end, current))
        runs = [r for r in runs if r[1] > r[0]]
        for s, e, q in runs:
            if q != d.queue:
                changes.append((d.agent_id, "move", _clock(s), _clock(e), q))
        if end == d.end and begin == d.start and len(runs) == 1 and not any(
                c[0] == d.agent_id and c[1] == "break" for c in changes):
            continue
        drop_rows.append(d.row)
        source = roster.loc[d.row]
        for s, e, q in runs:
            pieces = [(max(b0, s), min(b1, e)) for b0, b1 in breaks if b0 < e and b1 > s]
            new_rows.append({
                "agent_id": source["agent_id"], "date": source["date"],
                "shift": source["shift"], "start": at + pd.Timedelta(minutes=s),
                "end": at + pd.Timedelta(minutes=e), "queue": q,
                "breaks": ";".join(f"{_clock(b0)}-{_clock(b1)}" for b0, b1 in pieces)})
    for agent_id, tpl, s0, s1, q, brk in picked.get("call_in", []):
        changes.append((agent_id, "call_in", "off", f"{_clock(s0)}-{_clock(s1)}", q))
        new_rows.append({"agent_id": agent_id, "date": today, "shift": tpl,
                         "start": at + pd.Timedelta(minutes=s0),
                         "end": at + pd.Timedelta(minutes=s1), "queue": q,
                         "breaks": ";".join(f"{_clock(b0)}-{_clock(b1)}" for b0, b1 in brk)})
    after = pd.concat([roster.drop(index=drop_rows), pd.DataFrame(new_rows)],
                      ignore_index=True) if new_rows else roster.copy()
    after = after.sort_values(["agent_id", "date", "start"], ignore_index=True)
    frame = pd.DataFrame(changes, columns=list(CHANGE_COLUMNS))
    return frame, after


def rest_of_day(roster: pd.DataFrame, forecast: pd.DataFrame, queue_settings: pd.DataFrame,
                now: pd.Timestamp) -> pd.DataFrame:
    """The projection of today's intervals from `now` on, for today's rows of `roster`."""
    now = pd.Timestamp(now)
    today = now.normalize()
    fc = forecast.copy()
    fc["interval_start"] = pd.to_datetime(fc["interval_start"])
    fc = fc[fc["interval_start"].dt.normalize() == today]
    rows = parse_roster(roster)
    rows = rows[rows["date"] == today]
    proj = project(rows, fc, queue_settings)
    length = int((fc["interval_start"].drop_duplicates().sort_values().diff().min())
                 / pd.Timedelta(minutes=1))
    return proj[proj["interval_start"] + pd.Timedelta(minutes=length) > now].reset_index(
        drop=True)


def _summary(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    b = rollup(before, "day", all_queues=True).set_index("queue")
    a = rollup(after, "day", all_queues=True).set_index("queue")
    return pd.DataFrame({
        "queue": b.index, "contacts": b["contacts"].to_numpy(),
        "service_level_before": b["service_level"].to_numpy(),
        "service_level_after": a.loc[b.index, "service_level"].to_numpy(),
        "asa_seconds_before": b["asa_seconds"].to_numpy(),
        "asa_seconds_after": a.loc[b.index, "asa_seconds"].to_numpy(),
        "abandon_rate_before": b["abandon_rate"].to_numpy(),
        "abandon_rate_after": a.loc[b.index, "abandon_rate"].to_numpy(),
        "scheduled_hours_before": b["scheduled_hours"].to_numpy(),
        "scheduled_hours_after": a.loc[b.index, "scheduled_hours"].to_numpy(),
    }).reset_index(drop=True)


def replan(roster: pd.DataFrame, forecast: pd.DataFrame, queue_settings: pd.DataFrame,
           agents: Sequence[Agent], shifts: ShiftSettings, now: str | pd.Timestamp,
           options: ReplanOptions | None = None) -> ReplanResult:
    """Re-plan the rest of `now`'s day with as few changes as possible (module doc).

    `forecast` is the (re)forecast with `queue, interval_start, contacts,
    aht_seconds`; `queue_settings` the queue settings frame; `agents` and `shifts` as
    for `scheduling.roster.solve_roster`. Rows of other days are returned unchanged.
    Raises ReplanInputError when the roster has no shifts on `now`'s day.
    """
    opt = options or ReplanOptions()
    now = pd.Timestamp(now)
    today = now.normalize()
    settings = queue_settings_frame(queue_settings)
    settings["queue"] = settings["queue"].astype(str)
    rows = parse_roster(roster)
    if not (rows["date"] == today).any():
        raise ReplanInputError(f"roster: no shifts on {today:%Y-%m-%d}, the day of now")
    fc = forecast.copy()
    fc["interval_start"] = pd.to_datetime(fc["interval_start"])
    stamps = fc["interval_start"].drop_duplicates().sort_values()
    length = int(stamps.diff().dropna().min() / pd.Timedelta(minutes=1))
    now_m = _minutes(now, today)
    start = int(math.ceil(now_m / length) * length)
    queues = set(fc["queue"].astype(str)) & set(settings["queue"])
    by_id = {a.agent_id: a for a in agents}
    unknown = sorted(set(rows.loc[rows["date"] == today, "agent_id"]) - set(by_id))
    notes = []
    if unknown:
        notes.append(f"{len(unknown)} rostered agent(s) not in the agents file (e.g. "
                     f"{unknown[0]}): their breaks may move but they get no overtime or "
                     "other queue")
    days = _days(rows, by_id, shifts, queues, now, start, opt)
    need = _needed(fc, settings, now, start, length)
    n_today = int(rows.loc[rows["date"] == today, "agent_id"].nunique())
    call_ins = _call_ins(rows, agents, shifts, queues, now, start, opt)
    picked, status = (_solve(days, need, length, start, opt, n_today, call_ins)
                      if days or call_ins else ({}, "NO_AGENTS"))
    if picked:
        changes, after_roster = _apply(days, picked, rows, today, length)
    else:
        changes, after_roster = pd.DataFrame(columns=list(CHANGE_COLUMNS)), rows.copy()
        notes.append(f"no re-plan found (solver status {status}); the roster is kept")
    before = rest_of_day(rows, fc, settings, now)
    after = rest_of_day(after_roster, fc, settings, now)
    summary = _summary(before, after)
    if opt.min_gain is not None and len(changes) and not worth_making(summary, opt.min_gain):
        notes.append("the changes found would not raise the rest-of-day service level by "
                     f"{opt.min_gain:.1%} nor save hours; the roster is kept")
        changes, after_roster, after = changes.iloc[0:0], rows.copy(), before
        summary = _summary(before, after)
    changed = int(changes["agent_id"].nunique())
    return ReplanResult(changes=changes, roster=after_roster, before=before, after=after,
                        summary=summary, agents_today=n_today,
                        agents_changed=changed, status=status, notes=notes)


def worth_making(summary: pd.DataFrame, min_gain: float) -> bool:
    """Whether a re-plan is worth the disruption: the rest-of-day service level of all
    queues rises by at least `min_gain`, or paid hours are saved (time off, weighed by
    the solver against the service it costs). The solver's shortfall tiers only
    approximate service level, so on a day that already fits it can find changes that
    buy nothing."""
    total = summary.set_index("queue").loc["all queues"]
    gain = float(total["service_level_after"] - total["service_level_before"])
    saved = float(total["scheduled_hours_before"] - total["scheduled_hours_after"])
    return gain >= min_gain or saved > 0
