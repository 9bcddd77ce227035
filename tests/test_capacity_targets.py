"""Target modes of the capacity goal-seek (every interval, each day, each week), with
requirements from the real staffing models and plans judged by the real projection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from capacity_helpers import DAY

from scheduling.capacity import CapacityInputError, Levers, TempLever, goal_seek
from scheduling.capacity.targets import TOLERANCE, interval_need, meets_target
from scheduling.projection import rollup
from scheduling.projection.inputs import settings_table
from scheduling.queue_settings import queue_settings_frame
from scheduling.roster.templates import shift_settings
from scheduling.staffing import requirements


def _settings() -> pd.DataFrame:
    return queue_settings_frame(pd.DataFrame([
        {"queue": "voice", "channel": "voice", "service_level": 0.8, "target_seconds": 20,
         "shrinkage": 0.2}]))


def _requirements(days: int = 1) -> pd.DataFrame:
    """Voice 08:00-16:00 in 30-minute intervals, 30 calls each and a peak of 90 at
    12:00, three minutes each."""
    rows = []
    for d in range(days):
        for k in range(48):
            start = DAY + pd.Timedelta(days=d, minutes=30 * k)
            open_ = 16 <= k < 32
            calls = (90.0 if k == 24 else 30.0) if open_ else 0.0
            rows.append({"queue": "voice", "interval_start": start, "contacts": calls,
                         "aht_seconds": 180.0})
    return requirements(pd.DataFrame(rows), _settings())


def _shifts():
    return shift_settings({
        "queues": {"voice": {"open": "08:00", "close": "16:00"}},
        "templates": {"t4": {"earliest_start": "08:00", "latest_start": "12:00",
                             "start_step": 30, "lengths": ["4:00"]}},
        "rules": {"days_off_per_week": None}})


def _plan(target: str, days: int = 1):
    levers = Levers(temps=[TempLever("t4", ("voice",), 10.0, 60, max_hours_week=40,
                                     max_days_week=7)])
    return goal_seek(_requirements(days), [], _shifts(), levers, _settings(), time_limit=20,
                     target=target)


def test_interval_need_is_the_least_staff_that_meets_the_target() -> None:
    req = _requirements()
    need, floor = interval_need(req, req["staff"].to_numpy(float), _settings(), 30)
    assert (need <= req["staff"].to_numpy(float) + 1e-9).all()
    assert (need - floor <= TOLERANCE + 1e-12).all()
    assert need.sum() < req["staff"].sum()  # the rounding up is not needed everywhere
    settings = settings_table(_settings())
    frame = req[["queue", "interval_start", "contacts", "aht_seconds"]]
    assert meets_target(frame.assign(scheduled=need * 0.8), settings, 30).all()
    busy = req["contacts"].to_numpy() > 0
    misses = ~meets_target(frame.assign(scheduled=floor * 0.8), settings, 30)
    assert misses[busy].all()


def test_interval_target_holds_in_every_interval_with_a_bound_below_the_cost() -> None:
    plan = _plan("interval")
    assert not plan.projection["below_target"].any()
    assert plan.reasons.empty
    assert 0 < plan.bound <= plan.cost + 1e-6
    assert plan.gap <= 0.05


def test_a_day_target_costs_no_more_and_holds_for_the_day() -> None:
    """The 12:00 peak may fall below target when the day as a whole still makes it."""
    interval, day = _plan("interval"), _plan("day")
    assert day.cost <= interval.cost
    assert day.cost < interval.cost  # the peak is cheaper to miss than to staff
    assert day.projection["below_target"].any()
    roll = rollup(day.projection, period="day")
    assert (roll["service_level"] >= 0.8 - 1e-9).all()
    assert 0 < day.bound <= day.cost + 1e-6 and 0 <= day.gap < 1
    assert day.bound <= interval.cost + 1e-6  # the interval plan meets every day


def test_a_week_target_holds_for_the_week() -> None:
    week = _plan("week", days=2)
    roll = rollup(week.projection, period="week")
    assert (roll["service_level"] >= 0.8 - 1e-9).all()
    day = _plan("day", days=2)
    assert week.cost <= day.cost + 1e-6
    assert 0 < week.bound <= min(week.cost, day.bound) + 1e-6  # a week relaxes its days


def test_an_unknown_target_mode_is_refused() -> None:
    with pytest.raises(CapacityInputError, match="target"):
        goal_seek(_requirements(), [], _shifts(), Levers(), _settings(), target="fortnight")


def test_erlang_a_with_nobody_ever_waiting_is_exact_and_quiet() -> None:
    """Erlang B underflows to 0 for many agents on little traffic (the goal-seek's
    bisection asks for such cases); the tail is then exact and warns nothing."""
    import warnings

    from scheduling.erlang_a import abandonment_tail, erlang_a

    one = np.ones(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tail = abandonment_tail(np.array([0.0, 0.5]), 200 * one / 180, 0.01 * one,
                                120 * one, 20 * one)
        many = erlang_a(np.array([0.01]), np.array([180.0]), 1800.0, np.array([400.0]),
                        np.array([120.0]), np.array([20.0]))
    assert tail.service_level[0] == 1.0 and tail.abandon_rate[0] == 0.0
    assert tail.p_no_queue[0] == 1.0 and 0 < tail.service_level[1] < 1
    assert many.service_level[0] == pytest.approx(1.0)
