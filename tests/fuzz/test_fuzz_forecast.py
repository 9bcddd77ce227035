"""Bad inputs to `wfm forecast`, one test per kind: each refused with exit 2, naming the place."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fuzzkit import history_frame, refused, run_wfm

START = "2026-10-26"


def _forecast(capsys, inputs, *options: object, history=None, names: tuple[str, ...]):
    return refused(capsys, "forecast", history or inputs.history, "--model", "profile",
                   "--jobs", "1", "-o", inputs.folder / "out.csv", *options, names=names)


def _bad_history(inputs, row: int, column: str, value) -> object:
    frame = history_frame()
    if isinstance(value, str):
        frame[column] = frame[column].astype(object)
    frame.loc[row, column] = value
    return inputs.write_frame("bad_history.csv", frame)


def test_start_february_30(capsys, inputs):
    _forecast(capsys, inputs, "--start", "2026-02-30", "--days", "2",
              names=("--start", "2026-02-30"))


def test_start_not_a_date(capsys, inputs):
    _forecast(capsys, inputs, "--start", "tomorrow", "--days", "2", names=("--start",))


@pytest.mark.parametrize("days", ["0", "-3", "100000"])
def test_days_out_of_range(capsys, inputs, days):
    _forecast(capsys, inputs, "--start", START, "--days", days, names=("--days",))


@pytest.mark.parametrize("level", ["0", "100", "250"])
def test_level_out_of_range(capsys, inputs, level):
    _forecast(capsys, inputs, "--start", START, "--days", "2", "--level", level,
              names=("--level",))


def test_jobs_zero(capsys, inputs):
    refused(capsys, "forecast", inputs.history, "--start", START, "--days", "2",
            "--jobs", "0", "-o", inputs.folder / "out.csv", names=("--jobs",))


def test_unknown_model(capsys, inputs):
    refused(capsys, "forecast", inputs.history, "--start", START, "--days", "2",
            "--model", "crystal_ball", "-o", inputs.folder / "out.csv",
            names=("--model", "crystal_ball"))


def test_nan_contacts_in_history(capsys, inputs):
    path = _bad_history(inputs, 10, "contacts", np.nan)
    _forecast(capsys, inputs, "--start", START, "--days", "2", history=path,
              names=("bad_history.csv", "row 11", "contacts"))


def test_aht_of_1e12_in_history(capsys, inputs):
    path = _bad_history(inputs, 10, "aht_seconds", 1e12)
    _forecast(capsys, inputs, "--start", START, "--days", "2", history=path,
              names=("bad_history.csv", "row 11", "aht_seconds"))


def test_a_billion_contacts_in_history(capsys, inputs):
    path = _bad_history(inputs, 12, "contacts", 1e9)
    _forecast(capsys, inputs, "--start", START, "--days", "2", history=path,
              names=("row 13", "contacts"))


def test_infinite_aht_in_history(capsys, inputs):
    path = _bad_history(inputs, 12, "aht_seconds", np.inf)
    _forecast(capsys, inputs, "--start", START, "--days", "2", history=path,
              names=("row 13", "aht_seconds"))


def test_negative_contacts_in_history(capsys, inputs):
    path = _bad_history(inputs, 12, "contacts", -3)
    _forecast(capsys, inputs, "--start", START, "--days", "2", history=path,
              names=("row 13", "contacts"))


def test_history_from_1970_to_2099(capsys, inputs):
    frame = history_frame()
    frame.loc[0, "interval_start"] = pd.Timestamp("1970-01-01 08:00")
    frame.loc[1, "interval_start"] = pd.Timestamp("2099-01-01 08:00")
    path = inputs.write_frame("bad_history.csv", frame)
    _forecast(capsys, inputs, "--start", START, "--days", "2", history=path,
              names=("bad_history.csv", "row 1", "row 2", "years"))


def test_unreadable_interval_start_in_history(capsys, inputs):
    path = _bad_history(inputs, 4, "interval_start", "yesterday")
    _forecast(capsys, inputs, "--start", START, "--days", "2", history=path,
              names=("row 5", "interval_start", "yesterday"))


def test_history_missing_contacts_column(capsys, inputs):
    path = inputs.write_frame("bad_history.csv", history_frame().drop(columns="contacts"))
    _forecast(capsys, inputs, "--start", START, "--days", "2", history=path,
              names=("bad_history.csv", "contacts"))


def test_start_inside_the_history(capsys, inputs):
    _forecast(capsys, inputs, "--start", "2026-10-01", "--days", "2",
              names=("2026-10-01", "history"))


def test_formula_guard_is_taken_off_the_queue_name(capsys, inputs):
    """Accepted: a queue `+cmd` that `wfm ingest` wrote as `'+cmd` is forecast as `+cmd`."""
    frame = history_frame().assign(queue="'+cmd")
    path = inputs.write_frame("guarded_history.csv", frame)
    out = inputs.folder / "forecast.parquet"
    result = run_wfm(capsys, "forecast", path, "--start", START, "--days", "2",
                     "--model", "profile", "--jobs", "1", "-o", out)
    assert result.code == 0, result.err
    assert set(pd.read_parquet(out)["queue"]) == {"+cmd"}


@pytest.mark.parametrize(("row", "names"), [
    ("promo,2026-02-30,2026-03-01,0,0", ("line 2", "start", "2026-02-30")),
    ("promo,2026-11-01,2026-10-01,0,0", ("line 2", "end")),
    ("promo,2026-11-01,2026-11-02,-3,0", ("line 2", "days_before")),
    ("promo,2026-11-01,2026-11-02,banana,0", ("line 2", "days_before", "banana")),
    ("promo,2026-11-01,2026-11-02,100000,0", ("line 2", "days_before")),
    (",2026-11-01,2026-11-02,0,0", ("line 2", "name")),
], ids=["event_february_30", "event_ends_before_it_starts", "negative_days_before",
        "days_before_banana", "days_before_absurd", "event_without_a_name"])
def test_bad_events_file(capsys, inputs, row, names):
    events = inputs.write("bad_events.csv", "name,start,end,days_before,days_after\n"
                                            f"{row}\n")
    _forecast(capsys, inputs, "--start", START, "--days", "2", "--events", events,
              names=("bad_events.csv", *names))


@pytest.mark.parametrize("day", ["2026-02-30", "notadate"])
def test_closed_day_not_a_date(capsys, inputs, day):
    _forecast(capsys, inputs, "--start", START, "--days", "2", "--closed", day,
              names=("--closed", day))


def test_unknown_country(capsys, inputs):
    _forecast(capsys, inputs, "--start", START, "--days", "2", "--country", "XX",
              names=("--country", "XX"))
