"""Agents off today who may be called in, each with the shifts they may work from
now within every labour rule of the roster checker."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from scheduling.intraday.days import minute_of_day, shift_paid_minutes
from scheduling.intraday.options import ReplanOptions
from scheduling.roster import Agent, ShiftSettings, check_roster
from scheduling.roster.inputs import day_matches


@dataclass
class CallIn:
    agent_id: str
    options: list[tuple[str, int, int, str, list[tuple[int, int]]]]
    # (template, start, end, queue, breaks as (start, end)), minutes from midnight
    paid: list[int] = field(default_factory=list)  # each option's paid minutes
    contract_room: int = 0  # paid minutes left in the weekly contract (the rest is overtime)


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


def offer_call_ins(roster: pd.DataFrame, agents: Sequence[Agent], settings: ShiftSettings,
              queues: set[str], now: pd.Timestamp, start: int, opt: ReplanOptions
              ) -> list[CallIn]:
    """Agents off today who may come in, each with the shifts they may work from
    `start`: the agent's `max_days_week`, and the day-level rules (days off a week,
    days in a row, days off in a row, unavailable days, weekends) asked of the roster
    checker with a shift today;
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
        if week["date"].nunique() >= agent.max_days_week:  # the contract's days a week
            continue
        worked = sum(shift_paid_minutes(w, settings) for _, w in week.iterrows())
        room = (agent.max_hours_week + opt.extra_hours_week) * 60 - worked
        spans = [(minute_of_day(s, today), minute_of_day(e, today)) for s, e in
                 [*zip(own["start"], own["end"], strict=True),
                  *(agent.previous_shifts or ())]]
        last_end = max((e for s, e in spans if s < 0), default=-math.inf)
        next_start = min((s for s, e in spans if s >= 1440), default=math.inf)
        lates = int(sum(minute_of_day(w["end"], w["date"]) > late_after
                        for _, w in week.iterrows()))
        rest = rules.min_rest_hours * 60
        options, paid = [], []
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
                    fits = [(tpl.name, st, en, q, breaks) for q in skills
                            if settings.queues[q].open <= st and en <= settings.queues[q].close]
                    options += fits
                    paid += [int(tpl.paid_minutes(length))] * len(fits)
        if options:
            out.append(CallIn(agent.agent_id, options, paid,
                              int(max(0, agent.max_hours_week * 60 - worked))))
    return out
