"""The forecaster over queues and the `wfm forecast` / `wfm backtest` commands."""

import numpy as np
import pandas as pd
import pytest

from forecasting.calendar import Calendar
from forecasting.forecaster import ForecastError, forecast
from forecasting.frames import FORECAST_COLUMNS
from forecasting.models.auto import AUTO_CANDIDATES
from planning.cli import main

SLOTS = np.arange(96)
SHAPE = np.where((SLOTS >= 32) & (SLOTS < 84), np.sin(np.pi * (SLOTS - 32) / 52), 0.0)
SHAPE = SHAPE / SHAPE.sum()


def queue_history(queue: str, days: int, per_day: float, seed: int,
                  end: str = "2026-03-01") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end=end, periods=days, freq="D")
    level = per_day * np.where(dates.day_of_week >= 5, 0.5, 1.0)
    counts = rng.poisson(level[:, None] * SHAPE[None, :])
    stamps = (dates.to_numpy()[:, None] + (SLOTS * np.timedelta64(15, "m"))[None, :]).ravel()
    return pd.DataFrame({"queue": queue, "interval_start": stamps,
                         "contacts": counts.ravel().astype(float),
                         "aht_seconds": rng.normal(400, 20, counts.size)})


@pytest.fixture(scope="module")
def two_queues():
    return pd.concat([queue_history("email", 42, 800, 1),
                      queue_history("hotline", 5, 300, 2)], ignore_index=True)


@pytest.mark.slow
def test_every_queue_gets_a_forecast_and_short_history_falls_back(two_queues):
    result = forecast(two_queues, "2026-03-02", 7, model="mstl", calendar=Calendar(None))
    frame = result.forecast
    assert list(frame.columns) == list(FORECAST_COLUMNS)
    assert set(frame["queue"]) == {"email", "hotline"}
    assert len(frame) == 2 * 7 * 96
    assert result.models["email"] == "mstl"
    assert result.models["hotline"] == "seasonal_naive"  # 5 days: too few for mstl, profile
    assert any("hotline" in n and "mstl needs at least 21" in n for n in result.notes)
    weekday = frame[(frame["queue"] == "email") & (frame["interval_start"].dt.day_of_week < 5)]
    assert weekday.groupby(weekday["interval_start"].dt.normalize())["contacts"].sum().mean() \
        == pytest.approx(800, rel=0.15)


def test_auto_picks_per_queue_and_says_why(two_queues):
    result = forecast(two_queues, "2026-03-02", 3, model="auto")
    # a candidate or an equal-weight combination of candidates, named "a+b"
    assert set(result.models["email"].split("+")) <= set(AUTO_CANDIDATES)
    assert any("email: auto chose" in n for n in result.notes)
    assert any("hotline" in n and "too little to backtest" in n for n in result.notes)


def test_parallel_workers_give_the_same_forecast(two_queues):
    one = forecast(two_queues, "2026-03-02", 2, model="profile").forecast
    two = forecast(two_queues, "2026-03-02", 2, model="profile", n_jobs=2).forecast
    pd.testing.assert_frame_equal(one, two)


def test_bad_requests_get_clear_messages(two_queues):
    with pytest.raises(ForecastError, match="unknown model 'best'"):
        forecast(two_queues, "2026-03-02", 7, model="best")
    with pytest.raises(ForecastError, match=r"not after the end of the history \(2026-03-01\)"):
        forecast(two_queues, "2026-02-20", 7, model="profile")


def test_a_queue_whose_history_overlaps_the_horizon_is_skipped_not_fatal(two_queues):
    later = queue_history("chat", 30, 500, 3, end="2026-03-05")
    result = forecast(pd.concat([two_queues, later]), "2026-03-03", 2, model="profile")
    assert set(result.forecast["queue"]) == {"email", "hotline"}
    assert "chat" in result.skipped and "2026-03-05" in result.skipped["chat"]


def test_wfm_forecast_writes_the_forecast_and_prints_assumptions(tmp_path, two_queues,
                                                                 capsys):
    src = tmp_path / "history.csv"
    two_queues.to_csv(src, index=False)
    events = tmp_path / "events.csv"
    events.write_text("name,start,end,days_before,days_after\nlaunch,2026-03-04,,0,1\n")
    out = tmp_path / "forecast.csv"
    code = main(["forecast", str(src), "--start", "2026-03-02", "--days", "7",
                 "--model", "profile", "--events", str(events), "--jobs", "1",
                 "-o", str(out)])
    assert code == 0
    frame = pd.read_csv(out)
    assert list(frame.columns) == list(FORECAST_COLUMNS)
    text = capsys.readouterr().out
    assert "Assumed:" in text and "launch" in text


def test_wfm_forecast_known_closed_days_are_zero(tmp_path, two_queues, capsys):
    src = tmp_path / "history.csv"
    two_queues.to_csv(src, index=False)
    closed = tmp_path / "closed.txt"
    closed.write_text("date\n2026-03-04\n")
    out = tmp_path / "forecast.csv"
    for value in (str(closed), "2026-03-04, 2026-03-06"):
        assert main(["forecast", str(src), "--start", "2026-03-02", "--days", "7",
                     "--model", "profile", "--closed", value, "--jobs", "1",
                     "-o", str(out)]) == 0
        frame = pd.read_csv(out, parse_dates=["interval_start"])
        daily = frame.groupby(frame["interval_start"].dt.date)["contacts"].sum()
        assert daily[pd.Timestamp("2026-03-04").date()] == 0
        assert daily[pd.Timestamp("2026-03-03").date()] > 0
    assert main(["forecast", str(src), "--start", "2026-03-02", "--days", "7",
                 "--closed", "2026-02-30", "-o", str(out)]) == 2
    assert "closed days" in capsys.readouterr().err


def test_wfm_forecast_bad_input_exits_2_without_traceback(tmp_path, two_queues, capsys):
    src = tmp_path / "history.csv"
    two_queues.to_csv(src, index=False)
    assert main(["forecast", str(src), "--start", "2026-03-02", "--days", "7",
                 "--model", "nope"]) == 2
    assert "unknown model 'nope'" in capsys.readouterr().err
    assert main(["forecast", str(src), "--start", "2026-01-02", "--days", "7",
                 "-o", str(tmp_path / "f.csv")]) == 2
    assert "not after the end of the history" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("queue,interval_start,contacts\nq,2026-01-01 09:00,5\nq,yesterday,3\n")
    assert main(["forecast", str(bad), "--start", "2026-03-02", "--days", "1"]) == 2
    assert "row 2, column interval_start: 'yesterday'" in capsys.readouterr().err


def test_wfm_backtest_prints_and_writes_wape(tmp_path, two_queues, capsys):
    src = tmp_path / "history.csv"
    two_queues[two_queues["queue"] == "email"].to_csv(src, index=False)
    out = tmp_path / "wape.csv"
    code = main(["backtest", str(src), "--days", "7", "--folds", "2", "--models",
                 "seasonal_naive,profile", "--country", "none", "--jobs", "1", "-o", str(out)])
    assert code == 0
    scores = pd.read_csv(out)
    assert {"model", "queue", "day_type", "wape", "vs_seasonal_naive"} <= set(scores.columns)
    overall = scores[scores["day_type"] == "all"].set_index("model")
    assert overall.loc["seasonal_naive", "vs_seasonal_naive"] == pytest.approx(1.0)
    assert overall.loc["profile", "wape"] < overall.loc["seasonal_naive", "wape"]
    assert "WAPE" in capsys.readouterr().out
    assert main(["backtest", str(src), "--models", "profile,guess"]) == 2


def test_a_queue_without_contacts_is_forecast_as_zero_with_a_note(two_queues):
    dead = queue_history("archive", 30, 500, 4).assign(contacts=0.0)
    result = forecast(pd.concat([two_queues, dead]), "2026-03-02", 2, model="profile")
    archive = result.forecast[result.forecast["queue"] == "archive"]
    assert len(archive) == 2 * 96 and (archive["contacts"] == 0).all()
    assert any("archive: no contacts" in n for n in result.notes)
