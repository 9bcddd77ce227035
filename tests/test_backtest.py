"""Backtest metrics and the accuracy target on the real US bank calls."""

import numpy as np
import pandas as pd
import pytest

from forecasting.backtest import (
    coverage,
    cross_validate,
    daily_totals,
    event_windows,
    rolling_cutoffs,
    score,
    wape,
)
from forecasting.calendar import Calendar
from forecasting.events import read_events
from forecasting.history import load_history, resample_history
from forecasting.models import make_model


def test_wape_by_hand():
    assert wape([10, 20, 30], [12, 18, 30]) == pytest.approx(4 / 60)
    assert np.isnan(wape([0, 0], [1, 1]))
    assert coverage([1, 5, 9], [0, 0, 0], [2, 6, 8]) == pytest.approx(2 / 3)


def test_rolling_cutoffs_step_back_from_the_end():
    hist = pd.DataFrame({"queue": "q", "interval_start": pd.date_range(
        "2026-01-01", "2026-03-01 23:30", freq="30min"), "contacts": 1.0})
    cuts = rolling_cutoffs(hist, days=7, folds=3)
    assert cuts == [pd.Timestamp("2026-02-09"), pd.Timestamp("2026-02-16"),
                    pd.Timestamp("2026-02-23")]


@pytest.fixture(scope="module")
def us_bank(shared_data):
    return resample_history(load_history(shared_data / "us_bank_2003_5min.csv"), 30)


# the bank's holiday schedule, as its planner would enter it: the 2003 US public holidays
# it closed on (it opened on Columbus Day, 13 October)
US_BANK_CLOSED = ["2003-05-26", "2003-07-04", "2003-09-01"]


@pytest.mark.slow
def test_us_bank_baselines_match_the_published_figures_and_auto_meets_the_target(us_bank):
    """The issue's yardsticks, recomputed independently here: seasonal naive ~9.7%, mean
    of the last 4 same weekdays ~7.6% (8 one-week folds, 30-minute intervals); `auto`
    at or below 6.0% and 0.62x seasonal naive once the bank's closed days are known."""
    cal = Calendar(None, shopping=False, closed=US_BANK_CLOSED)
    cv, notes = cross_validate(us_bank, ["seasonal_naive", "weekday_mean", "auto"],
                               days=7, folds=8, calendar=cal)
    assert not notes
    assert cv["cutoff"].nunique() == 8
    scores = score(cv).set_index("model")["wape"]
    assert scores["seasonal_naive"] == pytest.approx(0.097, abs=0.002)
    assert scores["weekday_mean"] == pytest.approx(0.076, abs=0.002)
    assert scores["auto"] <= 0.060  # measured 5.78%
    assert scores["auto"] <= 0.62 * scores["seasonal_naive"]
    # actual intervals only: the bank's missing holidays are not scored
    assert cv.groupby("model").size().nunique() == 1


def test_us_bank_day_after_labor_day_is_lifted_when_the_closure_is_known(us_bank):
    train = us_bank[us_bank["interval_start"] < "2003-08-30"]
    plain = make_model("profile").fit(train).predict("2003-08-30", 7)
    cal = Calendar(None, shopping=False, closed=US_BANK_CLOSED)
    known = make_model("profile").fit(train, cal).predict("2003-08-30", 7)
    day = known["interval_start"].dt.normalize()
    assert known.loc[day == "2003-09-01", "contacts"].sum() == 0
    tuesday = day == "2003-09-02"
    assert known.loc[tuesday, "contacts"].sum() > 1.03 * plain.loc[tuesday, "contacts"].sum()


def test_us_bank_labor_day_is_learnt_from_the_other_holidays_without_closed_days(us_bank):
    """No closed days given: the bank closed on Memorial Day and Independence Day, so Labor
    Day (not in the history) is forecast closed and the Tuesday after it lifted as after
    those two."""
    train = us_bank[us_bank["interval_start"] < "2003-08-30"]
    plain = make_model("profile").fit(train).predict("2003-08-30", 7)
    model = make_model("profile").fit(train, Calendar("US", shopping=False))
    known = model.predict("2003-08-30", 7)
    day = known["interval_start"].dt.normalize()
    assert known.loc[day == "2003-09-01", "contacts"].sum() == 0
    tuesday = day == "2003-09-02"
    actual = us_bank.loc[us_bank["interval_start"].dt.normalize() == "2003-09-02",
                         "contacts"].sum()
    assert known.loc[tuesday, "contacts"].sum() > 1.1 * plain.loc[tuesday, "contacts"].sum()
    assert known.loc[tuesday, "contacts"].sum() == pytest.approx(actual, rel=0.15)
    assert any("no past occurrence of labor_day" in n for n in model.notes_)


@pytest.mark.slow
def test_us_bank_auto_meets_the_target_on_the_exchange_calendar(us_bank):
    """With the NYSE trading holidays as the calendar (Columbus Day is a trading day, and
    this bank opened on it) and no hand-given closures, `auto` meets the issue's target."""
    cv, _ = cross_validate(us_bank, ["seasonal_naive", "auto"], days=7, folds=8,
                           calendar=Calendar("NYSE", shopping=False))
    scores = score(cv).set_index("model")["wape"]
    assert scores["auto"] <= 0.060
    assert scores["auto"] <= 0.62 * scores["seasonal_naive"]


@pytest.mark.slow
def test_sample_event_days_within_15_percent(sample_dir):
    path = sample_dir / "history.csv"
    if not path.exists():
        pytest.skip("sample history not generated")
    hist = load_history(path)
    hist = hist[hist["queue"].isin(["presales_chat", "aftersales_chat"])]
    cal = Calendar("CN", events=read_events(sample_dir / "events.csv"))
    windows = event_windows(hist, cal, ["double11", "double_11"])
    assert windows, "the sample should hold two Double 11 seasons"
    cv, _ = cross_validate(hist, ["profile", "seasonal_naive"],
                           windows=[(c, d) for c, d, _ in windows], calendar=cal)
    days = daily_totals(cv, cal)
    peak = days[days["day_type"].isin(["double11", "double_11"])]
    profile = peak[peak["model"] == "profile"]
    naive = peak[peak["model"] == "seasonal_naive"]
    assert profile["error"].abs().mean() <= 0.15
    assert profile["error"].abs().mean() < naive["error"].abs().mean()
    core = profile[profile["date"].dt.strftime("%m-%d") == "11-11"]
    assert (core["error"].abs() <= 0.15).all()


def test_cross_validate_can_return_what_each_model_noted():
    hist = pd.DataFrame({"queue": "q", "interval_start": pd.date_range(
        "2026-01-05", "2026-03-01 23:30", freq="30min")})
    hist["contacts"] = np.where(hist["interval_start"].dt.hour.between(8, 19), 10.0, 0.0)
    hist["aht_seconds"] = 300.0
    _, quiet = cross_validate(hist, ["auto"], days=7, folds=1)
    _, told = cross_validate(hist, ["auto"], days=7, folds=1, model_notes=True)
    assert not quiet
    assert any("auto, cutoff 2026-02-23" in n and "auto chose" in n for n in told)
