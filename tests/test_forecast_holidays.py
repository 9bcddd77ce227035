"""Holidays and events in the daily-profile model: effects learnt from past occurrences,
aligned by day relative to the event, and borrowed by a holiday never seen before."""

import numpy as np
import pandas as pd
import pytest

from forecasting.calendar import Calendar
from forecasting.events import check_events
from forecasting.models import make_model

SLOTS = np.arange(16, 40)  # 08:00-20:00 at 30 minutes
SHAPE = np.exp(-0.5 * ((SLOTS - 26) / 6.0) ** 2)
SHAPE = SHAPE / SHAPE.sum()


def _history(days: pd.DatetimeIndex, volume: np.ndarray, seed: int = 3) -> pd.DataFrame:
    """30-minute history of one queue: each day's volume spread over a fixed shape,
    Poisson noise; days with volume NaN have no rows (closed, not recorded)."""
    rng = np.random.default_rng(seed)
    frames = []
    for day, total in zip(days, volume, strict=True):
        if np.isnan(total):
            continue
        starts = day + pd.to_timedelta(SLOTS * 30, unit="min")
        frames.append(pd.DataFrame({"queue": "bank", "interval_start": starts,
                                    "contacts": rng.poisson(total * SHAPE).astype(float),
                                    "aht_seconds": 300.0}))
    return pd.concat(frames, ignore_index=True)


def _daily(forecast: pd.DataFrame) -> pd.Series:
    return forecast.groupby(forecast["interval_start"].dt.normalize())["contacts"].sum()


def _weekday_bank(holiday_volume: float) -> tuple[pd.DataFrame, float]:
    """A Monday-Friday US queue, 2025-03-03..2025-08-29: 4000 a day, 1.3x on the first
    working day after Memorial Day and Independence Day (long weekends); those holidays
    and Juneteenth at `holiday_volume` x a normal day (NaN: closed, no rows)."""
    days = pd.date_range("2025-03-03", "2025-08-29", freq="D")
    days = days[days.day_of_week < 5]
    volume = np.full(len(days), 4000.0)
    for holiday, after in (("2025-05-26", "2025-05-27"), ("2025-07-04", "2025-07-07")):
        volume[days == pd.Timestamp(holiday)] = holiday_volume * 4000.0
        volume[days == pd.Timestamp(after)] = 1.3 * 4000.0
    volume[days == pd.Timestamp("2025-06-19")] = holiday_volume * 4000.0
    return _history(days, volume), 4000.0


def test_a_holiday_never_seen_is_closed_when_every_past_holiday_was_closed():
    history, normal = _weekday_bank(np.nan)
    model = make_model("profile").fit(history, Calendar("US", shopping=False))
    daily = _daily(model.predict("2025-08-30", 7))
    assert daily[pd.Timestamp("2025-09-01")] == 0.0  # Labor Day: not in the history
    # the first working day after it takes the lift learnt after the other two
    assert daily[pd.Timestamp("2025-09-02")] == pytest.approx(1.3 * normal, rel=0.08)
    assert daily[pd.Timestamp("2025-09-03")] == pytest.approx(normal, rel=0.06)
    assert any("no past occurrence of labor_day" in n for n in model.notes_)


def test_a_holiday_never_seen_borrows_the_volume_of_past_open_holidays():
    history, normal = _weekday_bank(0.5)
    model = make_model("profile").fit(history, Calendar("US", shopping=False))
    daily = _daily(model.predict("2025-08-30", 7))
    assert daily[pd.Timestamp("2025-09-01")] == pytest.approx(0.5 * normal, rel=0.1)
    assert daily[pd.Timestamp("2025-09-02")] == pytest.approx(1.3 * normal, rel=0.08)


def test_the_day_after_a_known_single_closed_day_takes_the_calls_of_the_closure():
    """A queue that shuts on holidays takes the calls on the next working day; a single
    midweek day the planner says it is closed gets the same lift the day after."""
    days = pd.date_range("2025-03-03", "2025-08-29", freq="D")
    days = days[days.day_of_week < 5]
    volume = np.full(len(days), 4000.0)
    for holiday, after in (("2025-05-26", "2025-05-27"), ("2025-06-19", "2025-06-20"),
                           ("2025-07-04", "2025-07-07")):
        volume[days == pd.Timestamp(holiday)] = np.nan
        volume[days == pd.Timestamp(after)] = 1.3 * 4000.0
    history = _history(days, volume)
    calendar = Calendar("US", shopping=False, closed=["2025-09-10"])
    daily = _daily(make_model("profile").fit(history, calendar).predict("2025-09-06", 7))
    assert daily[pd.Timestamp("2025-09-10")] == 0.0
    assert daily[pd.Timestamp("2025-09-11")] == pytest.approx(1.3 * 4000.0, rel=0.08)
    assert daily[pd.Timestamp("2025-09-12")] == pytest.approx(4000.0, rel=0.06)


def test_without_a_calendar_the_holiday_is_an_ordinary_day():
    history, normal = _weekday_bank(np.nan)
    daily = _daily(make_model("profile").fit(history).predict("2025-08-30", 7))
    assert daily[pd.Timestamp("2025-09-01")] > 0.8 * normal


LIFT = {-2: 1.4, -1: 1.8, 0: 4.0, 1: 2.2, 2: 1.3}


def test_event_day_multipliers_are_learnt_by_day_relative_to_the_event():
    """The event falls on a Monday in 2025 and a Wednesday in 2026: its days must line
    up by distance from the event day, not by date or weekday."""
    events = check_events(pd.DataFrame({
        "name": ["brand_day", "brand_day"], "start": ["2025-03-10", "2026-03-11"],
        "end": ["", ""], "days_before": ["2", "2"], "days_after": ["2", "2"]}))
    calendar = Calendar(None, shopping=False, events=events)
    days = pd.date_range("2025-01-06", "2026-03-08", freq="D")
    week = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.7, 0.6])
    volume = 3000.0 * week[days.day_of_week]
    for offset, lift in LIFT.items():
        volume[days == pd.Timestamp("2025-03-10") + pd.Timedelta(days=offset)] *= lift
    history = _history(days, volume)
    daily = _daily(make_model("profile").fit(history, calendar).predict("2026-03-09", 5))
    for offset, lift in LIFT.items():
        day = pd.Timestamp("2026-03-11") + pd.Timedelta(days=offset)
        expected = 3000.0 * week[day.day_of_week] * lift
        assert daily[day] == pytest.approx(expected, rel=0.1), (offset, daily[day], expected)


def test_a_day_in_a_holiday_and_a_shopping_season_learns_both_effects():
    """2025's Dragon Boat break (31 May - 2 June) fell inside the 618 pre-sale; in 2026 the
    same 618 days are working days, so they must get 618's lift without the day off."""
    calendar = Calendar("CN", shopping=True)
    days = pd.date_range("2025-01-06", "2026-05-28", freq="D")
    volume = np.full(len(days), 2000.0)
    table = calendar.breaks(days[0], days[-1]).set_index("date")
    volume[table.loc[days, "day_off"].to_numpy()] *= 0.5
    in_618 = (days >= "2025-06-01") & (days <= "2025-06-23")
    volume[in_618] *= 1.5
    history = _history(days, volume)
    daily = _daily(make_model("profile").fit(history, calendar).predict("2026-06-01", 3))
    for day in pd.date_range("2026-06-01", "2026-06-03"):
        assert daily[day] == pytest.approx(3000.0, rel=0.1), (day, daily[day])


def test_event_effects_lose_one_occurrence_s_noise_but_keep_the_peak():
    """A small queue (300 a day) and one past occurrence: the raw per-day effects carry
    Poisson noise of about 6%; shrunk towards their neighbours they land nearer the true
    flat 1.3 of the pre-sale, while the 4x event day is kept."""
    from forecasting.models.profile import DailyProfile

    events = check_events(pd.DataFrame({
        "name": ["sale", "sale"], "start": ["2025-04-16", "2026-04-15"], "end": ["", ""],
        "days_before": ["14", "14"], "days_after": ["3", "3"]}))
    calendar = Calendar(None, shopping=False, events=events)
    days = pd.date_range("2025-01-06", "2026-03-29", freq="D")
    volume = np.full(len(days), 300.0)
    truth = {o: 1.3 for o in range(-14, 0)} | {0: 4.0, 1: 1.5, 2: 1.2, 3: 1.1}
    for offset, lift in truth.items():
        volume[days == pd.Timestamp("2025-04-16") + pd.Timedelta(days=offset)] *= lift
    history = _history(days, volume, seed=11)
    raw = DailyProfile(smooth_events=False).fit(history, calendar)
    smooth = DailyProfile().fit(history, calendar)

    def error(model: DailyProfile) -> float:
        return float(np.mean([abs(np.exp(model.uplift_[("sale", o)]) / 1.3 - 1)
                              for o in range(-13, -1)]))

    assert error(smooth) < 0.75 * error(raw)
    assert np.exp(smooth.uplift_[("sale", 0)]) == pytest.approx(4.0, rel=0.08)
