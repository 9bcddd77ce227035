"""`replan`: the rest of today re-planned with few changes, and the rest-of-day
projections before and after."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from scheduling.intraday.call_in import offer_call_ins
from scheduling.intraday.changes import CHANGE_COLUMNS, apply_changes
from scheduling.intraday.days import agent_days, minute_of_day
from scheduling.intraday.model import needed_staff, solve_changes
from scheduling.intraday.options import ReplanInputError, ReplanOptions, ReplanResult
from scheduling.projection.inputs import parse_roster
from scheduling.projection.per_interval import project
from scheduling.projection.rollups import rollup
from scheduling.queue_settings import queue_settings_frame
from scheduling.roster import Agent, ShiftSettings


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
    now_m = minute_of_day(now, today)
    start = int(math.ceil(now_m / length) * length)
    queues = set(fc["queue"].astype(str)) & set(settings["queue"])
    by_id = {a.agent_id: a for a in agents}
    unknown = sorted(set(rows.loc[rows["date"] == today, "agent_id"]) - set(by_id))
    notes = []
    if unknown:
        notes.append(f"{len(unknown)} rostered agent(s) not in the agents file (e.g. "
                     f"{unknown[0]}): their breaks may move but they get no overtime or "
                     "other queue")
    days = agent_days(rows, by_id, shifts, queues, now, start, opt)
    need = needed_staff(fc, settings, now, start, length)
    n_today = int(rows.loc[rows["date"] == today, "agent_id"].nunique())
    call_ins = offer_call_ins(rows, agents, shifts, queues, now, start, opt)
    picked, status = (solve_changes(days, need, length, start, opt, n_today, call_ins)
                      if days or call_ins else ({}, "NO_AGENTS"))
    if picked:
        changes, after_roster = apply_changes(days, picked, rows, today, length)
    else:
        changes, after_roster = pd.DataFrame(columns=list(CHANGE_COLUMNS)), rows.copy()
        notes.append(f"no re-plan found (solver status {status}); the roster is kept")
    before = rest_of_day(rows, fc, settings, now)
    after = rest_of_day(after_roster, fc, settings, now)
    summary = _summary(before, after)
    if opt.min_gain is not None and len(changes) and not worth_making(summary, opt.min_gain,
                                                                      before, after):
        notes.append("the changes found would not raise the rest-of-day service level, nor "
                     f"lower the abandon rate or the staff short by {opt.min_gain:.1%}, nor "
                     "save hours; the roster is kept")
        changes, after_roster, after = changes.iloc[0:0], rows.copy(), before
        summary = _summary(before, after)
    changed = int(changes["agent_id"].nunique())
    return ReplanResult(changes=changes, roster=after_roster, before=before, after=after,
                        summary=summary, agents_today=n_today,
                        agents_changed=changed, status=status, notes=notes)


def worth_making(summary: pd.DataFrame, min_gain: float,
                 before: pd.DataFrame | None = None, after: pd.DataFrame | None = None
                 ) -> bool:
    """Whether a re-plan is worth the disruption: the rest-of-day service level of all
    queues rises by at least `min_gain`, or their abandon rate falls by as much, or
    (given the projections `before` and `after`) the agents short of the requirement,
    summed over the intervals, fall by `min_gain` of the requirement (a deep overload
    made lighter may answer no more within target), or paid hours are saved (time off,
    weighed by the solver against the service it costs). The solver's shortfall tiers
    only approximate service, so on a day that runs to plan it finds changes (up to
    the cap on agents) that buy nothing."""
    total = summary.set_index("queue").loc["all queues"]
    gain = float(total["service_level_after"] - total["service_level_before"])
    fewer = float(total["abandon_rate_before"] - total["abandon_rate_after"])
    saved = float(total["scheduled_hours_before"] - total["scheduled_hours_after"])
    closed = 0.0
    if before is not None and after is not None and len(before):
        def short(p: pd.DataFrame) -> float:
            return float((p["required"] - p["scheduled"]).clip(lower=0).sum())
        need = float(before["required"].sum())
        closed = (short(before) - short(after)) / need if need > 0 else 0.0
    return gain >= min_gain or fewer >= min_gain or closed >= min_gain or saved > 0
