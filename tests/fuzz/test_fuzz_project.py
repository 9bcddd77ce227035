"""Bad inputs to `wfm project`, one test per kind: each refused with exit 2, naming the place."""

from __future__ import annotations

import numpy as np
import pandas as pd
from fuzzkit import QUEUES_CSV, ROSTER_CSV, forecast_frame, refused

EXTRA_SHIFT = "Z9,2026-11-02,day,2026-11-02 08:00:00,2026-11-02 16:30:00,hotline,12:00-12:30\n"


def _project(capsys, inputs, *options: object, roster=None, forecast=None, queues=None,
             names: tuple[str, ...]):
    return refused(capsys, "project", roster or inputs.roster,
                   "--forecast", forecast or inputs.forecast, "--queues", queues or inputs.queues,
                   "-o", inputs.folder / "out.csv", *options, names=names)


def _roster(inputs, text: str):
    return inputs.write("bad_roster.csv", text)


def test_roster_row_for_an_unknown_agent(capsys, inputs):
    path = _roster(inputs, ROSTER_CSV + EXTRA_SHIFT)
    _project(capsys, inputs, "--agents", inputs.agents, roster=path,
             names=("bad_roster.csv", "row 5", "Z9", "agent"))


def test_duplicated_roster_row(capsys, inputs):
    first = ROSTER_CSV.splitlines()[1]
    path = _roster(inputs, ROSTER_CSV + first + "\n")
    _project(capsys, inputs, roster=path, names=("bad_roster.csv", "row 5", "A1", "row 2"))


def test_overlapping_shifts_of_one_agent(capsys, inputs):
    path = _roster(inputs, ROSTER_CSV + "A3,2026-11-02,day,2026-11-02 12:00:00,"
                                        "2026-11-02 20:00:00,hotline,\n")
    _project(capsys, inputs, roster=path, names=("bad_roster.csv", "A3", "overlaps"))


def test_date_contradicts_start(capsys, inputs):
    path = _roster(inputs, ROSTER_CSV.replace("A2,2026-11-02", "A2,2026-11-03"))
    _project(capsys, inputs, roster=path,
             names=("bad_roster.csv", "row 3", "A2", "column date"))


def test_shift_ending_before_it_starts(capsys, inputs):
    path = _roster(inputs, ROSTER_CSV.replace("2026-11-02 16:30:00", "2026-11-02 07:30:00"))
    _project(capsys, inputs, roster=path, names=("bad_roster.csv", "row 2", "A1", "end"))


def test_shift_of_three_days(capsys, inputs):
    path = _roster(inputs, ROSTER_CSV.replace("2026-11-02 16:30:00", "2026-11-05 16:30:00"))
    _project(capsys, inputs, roster=path, names=("row 2", "A1", "24 hours"))


def test_unreadable_start(capsys, inputs):
    path = _roster(inputs, ROSTER_CSV.replace("2026-11-02 09:00:00", "nine"))
    _project(capsys, inputs, roster=path, names=("row 4", "A3", "start", "nine"))


def test_roster_missing_a_column(capsys, inputs):
    text = "\n".join(",".join(line.split(",")[:-1]) for line in ROSTER_CSV.splitlines())
    _project(capsys, inputs, roster=_roster(inputs, text + "\n"),
             names=("bad_roster.csv", "breaks"))


def test_break_outside_the_shift(capsys, inputs):
    path = _roster(inputs, ROSTER_CSV.replace("12:00-12:30", "22:00-22:30"))
    _project(capsys, inputs, roster=path, names=("A1", "22:00-22:30"))


def _forecast(inputs, row: int, column: str, value):
    frame = forecast_frame()
    frame.loc[row, column] = value
    return inputs.write_frame("bad_forecast.csv", frame)


def test_negative_contacts_in_forecast(capsys, inputs):
    result = _project(capsys, inputs, forecast=_forecast(inputs, 3, "contacts", -40.0),
                      names=("bad_forecast.csv", "row 5", "contacts"))
    assert "np.float64" not in result.err


def test_nan_aht_in_forecast(capsys, inputs):
    _project(capsys, inputs, forecast=_forecast(inputs, 3, "aht_seconds", np.nan),
             names=("bad_forecast.csv", "row 5", "aht_seconds"))


def test_aht_of_1e12_in_forecast(capsys, inputs):
    _project(capsys, inputs, forecast=_forecast(inputs, 3, "aht_seconds", 1e12),
             names=("bad_forecast.csv", "row 5", "aht_seconds"))


def test_forecast_interval_off_the_grid(capsys, inputs):
    path = _forecast(inputs, 3, "interval_start", pd.Timestamp("2026-11-02 08:07"))
    _project(capsys, inputs, forecast=path, names=("08:07",))


def test_service_level_above_one(capsys, inputs):
    path = inputs.write("bad_queues.csv", QUEUES_CSV.replace("hotline,voice,0.8",
                                                             "hotline,voice,1.8"))
    _project(capsys, inputs, queues=path, names=("bad_queues.csv", "hotline", "service_level"))


def test_replications_zero(capsys, inputs):
    _project(capsys, inputs, "--replications", "0", names=("--replications",))


def test_workload_beyond_ten_thousand_erlangs(capsys, inputs):
    frame = forecast_frame()
    frame.loc[3, ["contacts", "aht_seconds"]] = [100_000.0, 28_800.0]
    path = inputs.write_frame("bad_forecast.csv", frame)
    _project(capsys, inputs, forecast=path, names=("bad_forecast.csv", "row 5", "erlangs"))
