"""The day and week target modes' lower bound (`scheduling.capacity.levels`): the
envelope lies above the real formulas, and on a tiny case every temp mix that meets
the day target, found by enumeration, costs at least the bound."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from capacity_helpers import DAY

from scheduling.capacity import Levers, TempLever, goal_seek
from scheduling.capacity.levels import envelope, upper_hull
from scheduling.capacity.targets import judge
from scheduling.projection import rollup
from scheduling.projection.inputs import settings_table
from scheduling.queue_settings import queue_settings_frame
from scheduling.roster.templates import shift_settings
from scheduling.staffing import requirements

HOURLY = 10.0


def _settings(channel: str = "voice") -> pd.DataFrame:
    extra = {"concurrency": 2} if channel == "chat" else {}
    return queue_settings_frame(pd.DataFrame([
        {"queue": channel, "channel": channel, "service_level": 0.8, "target_seconds": 20,
         "shrinkage": 0.2, **extra}]))


def _requirements(channel: str = "voice", peak: float = 90.0) -> pd.DataFrame:
    """08:00-16:00 in 30-minute intervals: 30 contacts each, `peak` at 12:00."""
    rows = [{"queue": channel, "interval_start": DAY + pd.Timedelta(minutes=30 * k),
             "contacts": ((peak if k == 24 else 30.0) if 16 <= k < 32 else 0.0),
             "aht_seconds": 180.0} for k in range(48)]
    return requirements(pd.DataFrame(rows), _settings(channel))


def _plan(target: str, channel: str = "voice", step: int = 120):
    shifts = shift_settings({
        "queues": {channel: {"open": "08:00", "close": "16:00"}},
        "templates": {"t4": {"earliest_start": "08:00", "latest_start": "12:00",
                             "start_step": step, "lengths": ["4:00"]}},
        "rules": {"days_off_per_week": None}})
    levers = Levers(temps=[TempLever("t4", (channel,), HOURLY, 60, max_hours_week=40,
                                     max_days_week=7)])
    return goal_seek(_requirements(channel), [], shifts, levers, _settings(channel),
                     time_limit=20, target=target)


def test_upper_hull_lies_above_the_points_and_touches_the_concave_part() -> None:
    x = np.arange(6.0)
    y = np.array([0.0, 0.0, 0.1, 0.6, 0.8, 0.85])
    slope, icept = upper_hull(x, y)
    line = (slope[:, None] * x[None, :] + icept[:, None]).min(axis=0)
    assert (line >= y - 1e-12).all()
    assert np.allclose(line[3:], y[3:])  # concave from the steepest chord on
    assert (np.diff(slope) < 0).all()


def test_envelope_lies_above_each_formula_at_fractional_staff() -> None:
    """Erlang C, Erlang A and chat, on a dense grid of fractional staff on line."""
    for channel, patience in (("voice", np.nan), ("voice", 120.0), ("chat", np.nan)):
        settings = _settings(channel).assign(patience_seconds=patience)
        req = _requirements(channel, peak=140.0)
        table = settings_table(settings)
        need = req["staff"].to_numpy(float)
        rows = np.flatnonzero(req["contacts"].to_numpy() > 0)
        for r, (slope, icept) in zip(rows, envelope(req, need, table, 30, rows),
                                     strict=True):
            staff = np.linspace(0.0, 2.5 * need[r] + 10, 801)
            frame = req.iloc[[r] * len(staff)][["queue", "interval_start", "contacts",
                                                "aht_seconds"]].reset_index(drop=True)
            with np.errstate(all="ignore"):
                sl = judge(frame.assign(scheduled=staff * 0.8), table, 30)[0]
            upper = np.minimum((slope[:, None] * staff + icept[:, None]).min(axis=0), 1.0)
            assert (upper >= np.nan_to_num(sl) - 1e-9).all(), (channel, patience, r)


def test_no_temp_mix_that_meets_the_day_target_costs_less_than_the_bound() -> None:
    """4-hour temps starting 08:00, 10:00 or 12:00 (no breaks: staff on line is the
    count of shifts): every count up to 20 each judged by the queue's formula, as the
    projection judges an interval. The interval plan trimmed costs 760 here; the
    plan from the period LP finds the cheapest, 680 (8 at 08:00, 9 at 12:00)."""
    plan = _plan("day")
    req = _requirements()
    table = settings_table(_settings())
    open_ = np.flatnonzero(req["contacts"].to_numpy() > 0)
    frame = req.iloc[open_][["queue", "interval_start", "contacts", "aht_seconds"]]
    block = (frame["interval_start"].dt.hour.to_numpy() - 8) // 2  # 0..3
    counts = np.array(list(itertools.product(range(21), repeat=3)), dtype=float)
    on_line = np.column_stack([counts[:, 0], counts[:, 0] + counts[:, 1],
                               counts[:, 1] + counts[:, 2], counts[:, 2]])[:, block]
    big = frame.loc[np.tile(frame.index, len(counts))].reset_index(drop=True)
    sl = judge(big.assign(scheduled=on_line.ravel() * 0.8), table, 30)[0]
    calls = frame["contacts"].to_numpy(float)
    day = (np.nan_to_num(sl).reshape(len(counts), -1) * calls).sum(axis=1) / calls.sum()
    cost = counts.sum(axis=1) * 4 * HOURLY
    cheapest = cost[day >= 0.8 - 1e-9].min()
    assert 0 < plan.bound <= cheapest + 1e-6
    assert plan.cost == cheapest  # the plan from the period LP finds the cheapest mix
    assert (rollup(plan.projection, period="day")["service_level"] >= 0.8 - 1e-9).all()
    assert plan.bound <= plan.cost and 0 <= plan.gap < 1
    assert cheapest < _plan("interval").cost  # the day target is looser than each interval


def test_a_week_bound_is_below_the_day_bound_and_chat_has_one() -> None:
    day, week = _plan("day", step=30), _plan("week", step=30)
    assert 0 < week.bound <= day.bound + 1e-6
    assert week.bound <= week.cost + 1e-6
    chat = _plan("day", channel="chat")
    assert 0 < chat.bound <= chat.cost + 1e-6


def test_email_as_a_backlog_has_a_day_bound_below_the_plan() -> None:
    """Email's day target is bounded through its backlog: the work served by the day's
    last deadline covers the target's share of the day's work."""
    settings = queue_settings_frame(pd.DataFrame([
        {"queue": "mail", "channel": "email", "service_level": 0.9, "target_seconds": 7200,
         "max_occupancy": 1.0, "shrinkage": 0.0, "open_hours": "08:00-16:00"}]))
    starts = [DAY + pd.Timedelta(minutes=30 * k) for k in range(48)]
    contacts = [40.0 if s.hour == 8 and s.minute == 0 else (3.0 if 8 < s.hour < 15 else 0.0)
                for s in starts]  # a burst at 08:00, a trickle until 14:30
    req = requirements(pd.DataFrame({"queue": "mail", "interval_start": starts,
                                     "contacts": contacts, "aht_seconds": 900.0}), settings)
    shifts = shift_settings({
        "queues": {"mail": {"open": "08:00", "close": "16:00"}},
        "templates": {"two": {"earliest_start": "08:00", "latest_start": "14:00",
                              "start_step": 30, "lengths": ["2:00"]}},
        "rules": {"days_off_per_week": None}})
    levers = Levers(temps=[TempLever("two", ("mail",), HOURLY, 30, max_hours_week=40,
                                     max_days_week=7)])
    plan = goal_seek(req, [], shifts, levers, settings, time_limit=20, target="day",
                     email_backlog=True)
    roll = rollup(plan.projection, period="day")
    assert (roll["service_level"] >= 0.9 - 1e-9).all()
    # 76 emails of 15 minutes, 90% in time, less the 3 of 14:30 (due past the horizon,
    # so they may all be in time): the hours any plan must work by the last deadline
    work_hours = (0.9 * 76 - 3) * 0.25
    assert plan.bound >= work_hours * HOURLY - 1e-6
    assert plan.bound <= plan.cost + 1e-6
