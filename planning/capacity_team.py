"""The recommended team's temps bound to the plan's shifts.

`planning.capacity.recommended_team` adds each temp lever's people with the lever's
template, free to work any start on any day. Checked by building, the roster engine
then makes a plan of its own for them, and the rostered service level says little
about the plan's. `bind_temps` instead gives each temp the days, start and queue the
plan has them work (`scheduling.capacity.deal_temps`): a template per start (the
lever's template with that one start and length), the other days of the horizon as
unavailable, and only the queues of their shifts. The roster engine can still drop
a shift its rules forbid, and it places the breaks. `plan_profile` gives the engine
the plan's staff per queue and interval as its requirement, so today's agents are
dealt over the queues as the plan deals them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import yaml

from planning.steps import parse_shifts
from scheduling.capacity import CapacityPlan, Levers, deal_temps


def bound_template(template: str, clock: int, length: int, several_lengths: bool) -> str:
    """The name of the template a bound temp works: `template` at one start (`clock`,
    minutes from midnight), and one length (minutes) when the template has several."""
    name = f"{template}_{clock // 60:02d}{clock % 60:02d}"
    return name + f"_{length}m" if several_lengths else name


def bind_temps(team: pd.DataFrame, today: int, plan: CapacityPlan, levers: Levers,
               shifts_text: str) -> tuple[pd.DataFrame, str]:
    """The team (`today` rows of today's agents first, then the temps) with the temps
    replaced by people bound to the plan's shifts, and the shift templates with a
    template per start they work. Without planned temp shifts, both come back as
    they are."""
    if plan.temp_shifts is None or plan.temp_shifts.empty:
        return team, shifts_text
    shifts = parse_shifts(shifts_text)
    people = deal_temps(plan.temp_shifts, levers, shifts)
    origin = pd.Timestamp(plan.planned["interval_start"].min()).normalize()
    last = pd.Timestamp(plan.planned["interval_start"].max()).normalize()
    dates = [str(d.date()) for d in pd.date_range(origin, last, freq="D")]
    data = yaml.safe_load(shifts_text) or {}
    templates = dict(data.get("templates") or {})
    by_name = {t.name: t for t in shifts.templates}
    ids = set(team["agent_id"].iloc[:today])
    rows, counters = [], {}
    for person in people:
        t = levers.temps[person.lever]
        base = by_name[t.template]
        names = []
        for day, start, end, _q in person.shifts:
            clock, length = start - day * 1440, end - start
            name = bound_template(t.template, clock, length, len(base.lengths) > 1)
            if name not in templates:
                templates[name] = {**templates[t.template],
                                   "earliest_start": f"{clock // 60:02d}:{clock % 60:02d}",
                                   "latest_start": f"{clock // 60:02d}:{clock % 60:02d}",
                                   "lengths": [f"{length // 60}:{length % 60:02d}"]}
            if name not in names:
                names.append(name)
        k = counters[t.prefix] = counters.get(t.prefix, 0) + 1
        agent_id = f"{t.prefix}{k:03d}"
        while agent_id in ids:
            agent_id = f"{t.prefix}x{k:03d}"
        ids.add(agent_id)
        worked = {dates[d] for d in person.days if d < len(dates)}
        rows.append({"agent_id": agent_id, "name": f"Temp {t.template} {k}",
                     "queues": ";".join(sorted({s[3] for s in person.shifts})),
                     "min_hours_week": "0", "max_hours_week": f"{t.max_hours_week:g}",
                     "max_days_week": str(t.max_days_week),
                     "unavailable": ";".join(d for d in dates if d not in worked),
                     "shifts": ";".join(names), "team": f"{t.prefix}{(k - 1) // 60}"})
    data["templates"] = templates
    out = pd.concat([team.iloc[:today], pd.DataFrame(rows)], ignore_index=True)
    return out.fillna("").astype(str), yaml.safe_dump(data, sort_keys=False,
                                                      allow_unicode=True)


def plan_profile(requirements: pd.DataFrame, plan: CapacityPlan) -> pd.DataFrame:
    """The requirements with `staff` set to the agents the plan puts on each queue and
    interval (rounded up, breaks counted where the plan puts them), so the roster engine
    deals today's agents over the queues as the plan does: email's backlog, for one,
    needs the plan's hours, not its per-interval requirement."""
    key = ["queue", "interval_start"]
    planned = plan.planned[key + ["planned"]].copy()
    planned["queue"] = planned["queue"].astype(str)
    out = requirements.copy()
    out["queue"] = out["queue"].astype(str)
    out["interval_start"] = pd.to_datetime(out["interval_start"])
    staff = out[key].merge(planned, on=key, how="left")["planned"].fillna(0.0)
    out["staff"] = np.ceil(staff.to_numpy(float) - 0.01).clip(min=0).astype(int)
    return out


def email_profile(requirements: pd.DataFrame, plan: CapacityPlan,
                  queue_settings: pd.DataFrame) -> pd.DataFrame:
    """The requirements with email's `staff` set to the plan's email staff per interval
    (`plan_profile`), the other queues as they are. Planned as a backlog, email's
    per-interval requirement is not what the plan counts on: the plan clears each
    interval's email by its deadline with the staff it places, often fewer and later
    than the requirement asks; rostered to the requirement instead, the engine gives
    email's agents to the chats where it is short, and a backlog one day behind stays
    behind all week."""
    channel = queue_settings.set_index(queue_settings["queue"].astype(str))["channel"]
    email = requirements["queue"].astype(str).map(channel).astype(str).eq("email")
    profile = plan_profile(requirements, plan)
    out = requirements.copy()
    out.loc[email.to_numpy(), "staff"] = profile.loc[email.to_numpy(), "staff"].to_numpy()
    return out


def email_first(shifts_text: str, queue_settings: pd.DataFrame) -> str:
    """The shift settings with every email queue above the top queue's priority: the
    plan's email profile (`email_profile`) is the least that clears each interval's
    email by its deadline, and an hour short there leaves a backlog that stays short
    for days, where an hour short on a chat queue costs that hour alone."""
    data = yaml.safe_load(shifts_text) or {}
    queues = {k: dict(v) for k, v in (data.get("queues") or {}).items()}
    top = max((int(v.get("priority", 1)) for v in queues.values()), default=1)
    email = set(queue_settings.loc[queue_settings["channel"].astype(str) == "email",
                                   "queue"].astype(str))
    for name, v in queues.items():
        if name in email:
            v["priority"] = top + 1
    data["queues"] = queues
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def even_priorities(shifts_text: str) -> str:
    """The shift settings with every queue at the top queue's priority: rostering to
    the plan's profile (`plan_profile`), the trade-offs between queues are the plan's,
    and email's backlog, short in one interval, stays short for days."""
    data = yaml.safe_load(shifts_text) or {}
    queues = {k: dict(v) for k, v in (data.get("queues") or {}).items()}
    top = max((int(v.get("priority", 1)) for v in queues.values()), default=1)
    for v in queues.values():
        v["priority"] = top
    data["queues"] = queues
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def plan_shifts(plan: CapacityPlan, levers: Levers, bound: bool) -> pd.DataFrame:
    """The plan's shifts without the outsourcer's (a roster frame, agents `P...`): the
    check roster's start, dealt out to the recommended team. With the temps `bound`
    (`bind_temps`), the temps' shifts carry the template per start `bind_temps` gives
    them, so they are dealt to the bound temps."""
    roster = plan.roster[plan.roster["shift"] != "outsourcer"].reset_index(drop=True)
    temps = plan.temp_shifts
    if not bound or temps is None or temps.empty or roster.empty:
        return roster
    origin = pd.Timestamp(plan.planned["interval_start"].min()).normalize()
    minute = pd.Timedelta(minutes=1)
    start = ((pd.to_datetime(roster["start"]) - origin) / minute).round().astype(int)
    end = ((pd.to_datetime(roster["end"]) - origin) / minute).round().astype(int)
    rows: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(roster["shift"].astype(str), roster["queue"].astype(str),
                                start, end, strict=True)):
        rows.setdefault(key, []).append(i)
    lengths = {t.name: len(t.lengths) for t in plan.shifts.templates}
    names = roster["shift"].astype(str).tolist()
    for r in temps.itertuples(index=False):
        template = levers.temps[int(r.lever)].template
        name = bound_template(template, int(r.start) - int(r.day) * 1440,
                              int(r.end) - int(r.start), lengths.get(template, 1) > 1)
        free = rows.get((str(r.template), str(r.queue), int(r.start), int(r.end)), [])
        for i in free[:int(r.count)]:
            names[i] = name
        del free[:int(r.count)]
    return roster.assign(shift=names)


def overtime_members(plan: CapacityPlan) -> dict[str, list[str]]:
    """Per overtime key of the plan (a group, or its cross-skilled part `G..c<i>`), the
    agents whose weeks carry it: a group's first people are the ones cross-skilled."""
    by_group = {g.key: g for g in plan.groups}
    out = {}
    for key in plan.overtime_hours:
        gkey, _, cross = key.partition("c")
        n = sum(v for (k, _, _), v in plan.cross_skilled.items() if k == gkey)
        members = list(by_group[gkey].agent_ids)
        out[key] = members[:n] if cross else members[n:]
    return out
