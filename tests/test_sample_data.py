"""The bundled sample in data/sample: reproducible, complete, and shaped as data/README.md says."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
QUEUES = ("presales_chat", "aftersales_chat", "order_hotline", "email")
REGENERATE = ".venv/bin/python data/generate_sample.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_sample",
                                                  ROOT / "data" / "generate_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_sample"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _load_generator()


@pytest.fixture(scope="module")
def history(sample_dir: Path) -> pd.DataFrame:
    frame = pd.read_csv(sample_dir / "history.csv",
                        dtype={"queue": str, "contacts": "int64", "aht_seconds": "float64"})
    frame["interval_start"] = pd.to_datetime(frame["interval_start"], format="%Y-%m-%d %H:%M:%S")
    return frame


@pytest.fixture(scope="module")
def daily(history: pd.DataFrame) -> pd.DataFrame:
    """Contacts per day (rows) and queue (columns)."""
    return (history.assign(date=history["interval_start"].dt.normalize())
            .pivot_table(index="date", columns="queue", values="contacts", aggfunc="sum"))


def test_committed_history_is_what_the_generator_writes(gen, sample_dir, tmp_path):
    gen.write_history(gen.generate_history(), tmp_path / "history.csv")
    fresh = (tmp_path / "history.csv").read_bytes()
    committed = (sample_dir / "history.csv").read_bytes()
    assert fresh == committed, (
        f"data/sample/history.csv differs from the generator's output (holidays "
        f"{holidays.__version__}); rerun `{REGENERATE}` and commit, or check the holidays "
        "calendar for China")


def test_a_slice_regenerates_to_the_same_rows(gen, history):
    part = gen.generate_history(dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    rows = history[(history["interval_start"] >= "2025-11-01")
                   & (history["interval_start"] < "2025-12-01")].reset_index(drop=True)
    pd.testing.assert_series_equal(part["contacts"], rows["contacts"], check_dtype=False)
    assert np.allclose(part["aht_seconds"].round(1), rows["aht_seconds"])


def test_small_files_are_what_the_generator_writes(gen, sample_dir, tmp_path):
    gen.events_frame().to_csv(tmp_path / "e.csv", index=False, lineterminator="\n")
    gen.queues_frame().to_csv(tmp_path / "q.csv", index=False, lineterminator="\n")
    assert (tmp_path / "e.csv").read_bytes() == (sample_dir / "events.csv").read_bytes()
    assert (tmp_path / "q.csv").read_bytes() == (sample_dir / "queues.csv").read_bytes()


def test_full_15_minute_grid_over_two_years(history):
    assert list(history.columns) == ["queue", "interval_start", "contacts", "aht_seconds"]
    assert tuple(history["queue"].unique()) == QUEUES
    grid = pd.date_range("2024-10-01 00:00", "2026-10-18 23:45", freq="15min")
    assert grid[-1] - grid[0] > pd.Timedelta(days=2 * 365)
    for queue, part in history.groupby("queue"):
        assert part["interval_start"].reset_index(drop=True).equals(
            pd.Series(grid, name="interval_start")), queue
    assert (history["contacts"] >= 0).all()


def test_closed_hours_hold_zero_and_aht_is_zero_only_without_contacts(history):
    hour = history["interval_start"].dt.hour
    day = history["interval_start"].dt.strftime("%m-%d")
    chat = history["queue"].str.endswith("_chat")
    sale_day = day.isin(["11-11", "06-18", "12-12"])  # chat opens around the clock
    assert (history.loc[chat & (hour < 8) & ~sale_day, "contacts"] == 0).all()
    hotline = history["queue"] == "order_hotline"
    assert (history.loc[hotline & ((hour < 9) | (hour >= 21)), "contacts"] == 0).all()
    assert history.loc[hotline & (hour >= 9) & (hour < 21), "contacts"].mean() > 20
    assert ((history["aht_seconds"] == 0) == (history["contacts"] == 0)).all()
    email_night = history[(history["queue"] == "email") & (hour < 6)]
    assert email_night["contacts"].sum() > 0


def test_normal_weekday_volumes_are_as_documented(daily):
    sept = daily.loc["2025-09-01":"2025-09-30"]
    midweek = sept[sept.index.day_of_week.isin([1, 2, 3])].median()
    for queue, volume in {"presales_chat": 2500, "aftersales_chat": 3500,
                          "order_hotline": 1800, "email": 600}.items():
        assert 0.8 * volume < midweek[queue] < 1.2 * volume, (queue, midweek[queue])


def test_weekly_shape_differs_by_queue(daily):
    quiet = daily.loc["2025-08-18":"2025-09-28"]  # six weeks without holidays or sales
    weekend = quiet.index.day_of_week >= 5
    ratio = quiet[weekend].mean() / quiet[~weekend].mean()
    assert ratio["presales_chat"] > 1.1
    assert ratio["order_hotline"] < 0.7
    assert ratio["email"] < 0.7
    monday = quiet[quiet.index.day_of_week == 0].mean()
    friday = quiet[quiet.index.day_of_week == 4].mean()
    assert monday["aftersales_chat"] > 1.1 * friday["aftersales_chat"]


def test_evening_peak_for_chat_and_daytime_for_hotline(history):
    quiet = history[(history["interval_start"] >= "2025-09-01")
                    & (history["interval_start"] < "2025-09-29")]
    by_hour = quiet.pivot_table(index=quiet["interval_start"].dt.hour, columns="queue",
                                values="contacts", aggfunc="sum")
    assert by_hour["presales_chat"].idxmax() in (20, 21, 22)
    assert by_hour["presales_chat"][12] < 0.8 * by_hour["presales_chat"][10]  # lunch dip
    assert by_hour["order_hotline"].idxmax() in (10, 11)


def test_double11_surge_with_midnight_spike_and_after_sale_tail(history, daily):
    for year in (2024, 2025):
        normal = daily.loc[f"{year}-10-10":f"{year}-10-18"]  # after the golden week
        normal = normal[normal.index.day_of_week < 5].median()
        d11 = daily.loc[f"{year}-11-11"]
        assert 4 <= d11["presales_chat"] / normal["presales_chat"] <= 6.5, year
        presale = daily.loc[f"{year}-10-20"]["presales_chat"] / normal["presales_chat"]
        assert presale > 1.6, year
        tail = daily.loc[f"{year}-11-12":f"{year}-11-25", "aftersales_chat"].mean()
        assert tail > 1.5 * normal["aftersales_chat"], year
        day = history[(history["queue"] == "presales_chat")
                      & (history["interval_start"].dt.normalize() == f"{year}-11-11")]
        first_hour = day["contacts"].iloc[:4].sum()
        assert first_hour > 3 * normal["presales_chat"] * 0.11, year  # > 3x a normal peak hour
    for day, quiet, floor in (("2025-06-18", "2025-05-12", 2.0), ("2026-06-18", "2026-05-11", 2.0),
                              ("2024-12-12", "2024-12-02", 1.4), ("2025-12-12", "2025-12-01", 1.4)):
        usual = daily.loc[quiet:pd.Timestamp(quiet) + pd.Timedelta(days=6), "presales_chat"]
        assert daily.loc[day, "presales_chat"] > floor * usual.mean(), day


def test_spring_festival_is_a_lull_and_aftersales_catches_up(daily):
    for new_year in ("2025-01-29", "2026-02-17"):
        ny = pd.Timestamp(new_year)
        before = daily.loc[ny - pd.Timedelta(days=42):ny - pd.Timedelta(days=29)].mean()
        week = daily.loc[ny - pd.Timedelta(days=1):ny + pd.Timedelta(days=5)].mean()
        assert week.sum() < 0.4 * before.sum(), new_year
        assert (week < 0.5 * before).all(), (new_year, (week / before).round(2).to_dict())
        after = daily.loc[ny + pd.Timedelta(days=8):ny + pd.Timedelta(days=14)].mean()
        assert after["aftersales_chat"] > 1.1 * before["aftersales_chat"], new_year


def test_planted_outage_drops_then_catches_up(history):
    def slots(day: str, start: str, end: str) -> pd.Series:
        t = history["interval_start"]
        part = history[(t >= f"{day} {start}") & (t < f"{day} {end}")]
        return part.groupby("queue")["contacts"].sum()

    down = slots("2025-08-14", "14:00", "16:30")
    usual = slots("2025-08-07", "14:00", "16:30")
    for queue in ("presales_chat", "aftersales_chat", "order_hotline"):
        assert down[queue] < 0.1 * usual[queue], queue
        assert slots("2025-08-14", "16:30", "18:00")[queue] > \
            1.3 * slots("2025-08-07", "16:30", "18:00")[queue], queue


def test_aht_within_sane_bounds_and_longer_late_at_night(history):
    served = history[history["contacts"] > 0]
    bounds = {"presales_chat": (300, 400, 150, 1000), "aftersales_chat": (360, 470, 180, 1200),
              "order_hotline": (200, 300, 100, 650), "email": (400, 700, 200, 1500)}
    for queue, (lo, hi, floor, ceiling) in bounds.items():
        aht = served.loc[served["queue"] == queue, "aht_seconds"]
        assert lo <= aht.median() <= hi, (queue, aht.median())
        assert aht.between(floor, ceiling).all(), (queue, aht.min(), aht.max())
    chat = served[served["queue"] == "presales_chat"]
    hour = chat["interval_start"].dt.hour
    assert chat.loc[hour >= 22, "aht_seconds"].mean() > 1.05 * chat.loc[
        hour.between(13, 16), "aht_seconds"].mean()


def test_events_file(sample_dir):
    events = pd.read_csv(sample_dir / "events.csv", dtype=str)
    assert list(events.columns) == ["name", "start", "end", "days_before", "days_after"]
    d11 = events[events["name"] == "double11"]
    assert list(d11["start"]) == ["2024-11-11", "2025-11-11", "2026-11-11"]
    assert set(d11["days_before"]) == {"22"}  # pre-sale from 20 October
    assert set(events["name"]) == {"double11", "618", "double12", "outage"}
    outage = events[events["name"] == "outage"].iloc[0]
    assert (outage["start"], outage["end"]) == ("2025-08-14", "2025-08-14")
    assert (pd.to_datetime(events["end"]) >= pd.to_datetime(events["start"])).all()
    read_events = getattr(pytest.importorskip("forecasting.events"), "read_events", None)
    if read_events is not None:  # the forecasting library reads it as it stands
        assert len(read_events(sample_dir / "events.csv")) == len(events)


def test_queue_settings_file(sample_dir):
    queues = pd.read_csv(sample_dir / "queues.csv")
    assert list(queues.columns) == ["queue", "channel", "service_level", "target_seconds",
                                    "asa_seconds", "max_occupancy", "shrinkage",
                                    "concurrency", "patience_seconds", "open_hours"]
    q = queues.set_index("queue")
    assert tuple(q.index) == QUEUES
    assert q.loc["order_hotline", ["channel", "service_level", "target_seconds",
                                   "patience_seconds", "concurrency"]].tolist() == \
        ["voice", 0.8, 20, 120, 1]
    for chat in ("presales_chat", "aftersales_chat"):
        assert q.loc[chat, ["channel", "service_level", "target_seconds", "concurrency",
                            "patience_seconds"]].tolist() == ["chat", 0.8, 60, 3, 300]
    assert q.loc["email", ["channel", "service_level", "target_seconds"]].tolist() == \
        ["email", 0.9, 14400]
    assert q["asa_seconds"].isna().all()
    assert (q["max_occupancy"] == 0.85).all() and (q["shrinkage"] == 0.15).all()
