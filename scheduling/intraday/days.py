"""Today's rostered agents and what each may change from now: breaks, ends, starts,
shift moves and queues (`agent_days`), with the minutes and clock helpers they share."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from scheduling.intraday.options import ReplanOptions
from scheduling.projection.inputs import break_spans
from scheduling.roster import Agent, ShiftSettings


@dataclass
class AgentBreak:
    start: int       # minutes from today's midnight
    length: int
    options: list[int]  # possible starts (the current one included); [] = pinned


@dataclass
class AgentDay:
    agent_id: str
    row: int
    shift: str
    start: int
    end: int
    queue: str
    skills: list[str]
    breaks: list[AgentBreak]
    ends: list[int]       # possible shift ends (the current one included)
    starts: list[int] = field(default_factory=list)  # possible earlier starts (overtime)
    room: int = 0         # overtime minutes the rules leave (weekly hours, shift length)
    hours: dict[str, tuple[int, int]] = field(default_factory=dict)  # queue -> open, close
    shift_to: list[int] = field(default_factory=list)  # other starts, same length (not begun)
    contract_room: int = 0  # of those, minutes within the weekly contract (the rest is paid
    # as overtime)


def minute_of_day(stamp: pd.Timestamp, today: pd.Timestamp) -> int:
    return int(round((stamp - today) / pd.Timedelta(minutes=1)))


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def shift_paid_minutes(row: pd.Series, settings: ShiftSettings) -> float:
    length = (row["end"] - row["start"]) / pd.Timedelta(minutes=1)
    spans = break_spans(row["breaks"], row["start"], row["end"], f"agent {row['agent_id']}")
    tpl = next((t for t in settings.templates if t.name == row["shift"]), None)
    if tpl is not None and len(spans) == len(tpl.breaks):
        unpaid = sum((e - s) / pd.Timedelta(minutes=1)
                     for (s, e), rule in zip(spans, tpl.breaks, strict=True) if not rule.paid)
        return length - unpaid
    return length


def agent_days(roster: pd.DataFrame, agents: dict[str, Agent], settings: ShiftSettings,
          queues: set[str], now: pd.Timestamp, start: int, opt: ReplanOptions) -> list[AgentDay]:
    today = now.normalize()
    week0 = today - pd.Timedelta(days=today.day_of_week)
    rules = settings.rules
    longest = (opt.longest_shift if opt.longest_shift is not None
               else max((max(t.lengths) for t in settings.templates), default=0)
               + opt.max_overtime_minutes)
    late_after = int(rules.late_shift_end_after.split(":")[0]) * 60 + int(
        rules.late_shift_end_after.split(":")[1])
    out = []
    for i, r in roster[roster["date"] == today].iterrows():
        s, e = minute_of_day(r["start"], today), minute_of_day(r["end"], today)
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
            b0, b1 = minute_of_day(bs, today), minute_of_day(be, today)
            options: list[int] = []
            if (opt.allow_breaks and tpl is not None and len(spans) == len(tpl.breaks)
                    and b0 >= start):
                rule = tpl.breaks[k]
                options = sorted({p for p in range(s + rule.earliest, s + rule.latest + 1,
                                                   opt.break_step) if p >= start} | {b0})
            breaks.append(AgentBreak(b0, b1 - b0, options))
        ends, starts, room, shift_to, contract_room = {e}, {s}, 0, [], 0
        above_min = math.inf  # paid minutes this week above the agent's minimum
        if agent is not None:
            week = roster[(roster["agent_id"] == r["agent_id"]) & (roster["date"] >= week0)
                          & (roster["date"] < week0 + pd.Timedelta(days=7))]
            paid = sum(shift_paid_minutes(w, settings) for _, w in week.iterrows())
            above_min = paid - agent.min_hours_week * 60
            room = int(max(0, min((agent.max_hours_week + opt.extra_hours_week) * 60 - paid,
                                  longest - (e - s))))
            contract_room = int(min(room, max(0, agent.max_hours_week * 60 - paid)))
            earlier = roster[(roster["agent_id"] == r["agent_id"]) & (roster["end"] < r["start"])]
            last_end = (minute_of_day(earlier["end"].max(), today) if len(earlier) else -math.inf)
            home = settings.queues.get(str(r["queue"]))  # overtime is on the own queue
            opens = home.open if home is not None else 0
            later = roster[(roster["agent_id"] == r["agent_id"]) & (roster["start"] > r["end"])]
            next_start = (minute_of_day(later["start"].min(), today) if len(later) else math.inf)
            close = home.close if home is not None else 1440
            late_count = int(sum(minute_of_day(w["end"], w["date"]) > late_after
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
        out.append(AgentDay(str(r["agent_id"]), int(i), str(r["shift"]), s, e, str(r["queue"]),
                        skills, breaks, sorted(ends), sorted(starts), room,
                        {q: (settings.queues[q].open, settings.queues[q].close)
                         for q in skills if q in settings.queues}, shift_to, contract_room))
    return out
