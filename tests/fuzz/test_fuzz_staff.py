"""Bad inputs to `wfm staff`, one test per kind: each refused with exit 2, naming the place."""

from __future__ import annotations

import numpy as np
import pandas as pd
from fuzzkit import forecast_frame, refused, run_wfm


def _staff(capsys, inputs, frame: pd.DataFrame, *extra: str, names: tuple[str, ...]):
    path = inputs.write_frame("bad_forecast.csv", frame)
    return refused(capsys, "staff", path, "--queues", inputs.queues,
                   "-o", inputs.folder / "out.csv", *extra, names=names)


def test_interval_option_not_a_standard_length(capsys, inputs):
    refused(capsys, "staff", inputs.forecast, "--queues", inputs.queues, "--interval", "7",
            "-o", inputs.folder / "out.csv", names=("--interval", "7"))


def test_interval_option_contradicts_the_forecast(capsys, inputs):
    path = inputs.write_frame("f30.csv", forecast_frame(30))
    refused(capsys, "staff", path, "--queues", inputs.queues, "--interval", "15",
            "-o", inputs.folder / "out.csv", names=("15", "30-minute", "f30.csv"))


def test_interval_option_nan(capsys, inputs):
    refused(capsys, "staff", inputs.forecast, "--queues", inputs.queues, "--interval", "nan",
            "-o", inputs.folder / "out.csv", names=("--interval",))


def test_negative_contacts(capsys, inputs):
    frame = forecast_frame()
    frame.loc[5, "contacts"] = -40.0
    result = _staff(capsys, inputs, frame, names=("bad_forecast.csv", "row 7", "contacts"))
    assert "np.float64" not in result.err


def test_nan_contacts(capsys, inputs):
    frame = forecast_frame()
    frame.loc[9, "contacts"] = np.nan
    _staff(capsys, inputs, frame, names=("bad_forecast.csv", "row 11", "contacts"))


def test_text_in_contacts(capsys, inputs):
    frame = forecast_frame().astype({"contacts": object})
    frame.loc[2, "contacts"] = "lots"
    _staff(capsys, inputs, frame, names=("row 4", "contacts", "lots"))


def test_negative_aht(capsys, inputs):
    frame = forecast_frame()
    frame.loc[3, "aht_seconds"] = -5.0
    _staff(capsys, inputs, frame, names=("row 5", "aht_seconds"))


def test_infinite_aht(capsys, inputs):
    frame = forecast_frame()
    frame.loc[3, "aht_seconds"] = np.inf
    _staff(capsys, inputs, frame, names=("row 5", "aht_seconds"))


def test_zero_aht_with_contacts(capsys, inputs):
    frame = forecast_frame()
    frame.loc[6, "aht_seconds"] = 0.0
    _staff(capsys, inputs, frame, names=("row 8", "aht_seconds", "handle time"))


def test_a_billion_contacts_in_one_interval(capsys, inputs):
    frame = forecast_frame()
    frame.loc[3, "contacts"] = 1e9
    _staff(capsys, inputs, frame, names=("row 5", "contacts", "100,000"))


def test_a_billion_seconds_of_handle_time(capsys, inputs):
    frame = forecast_frame()
    frame.loc[3, "aht_seconds"] = 1e9
    _staff(capsys, inputs, frame, names=("row 5", "aht_seconds", "28,800"))


def test_stray_interval_off_the_grid(capsys, inputs):
    frame = forecast_frame()
    frame.loc[3, "interval_start"] = pd.Timestamp("2026-11-02 08:07")
    _staff(capsys, inputs, frame, names=("row 5", "interval_start", "15-minute grid"))


def test_extra_quarter_in_a_30_minute_forecast(capsys, inputs):
    frame = forecast_frame(30)
    extra = frame.iloc[[4]].assign(interval_start=pd.Timestamp("2026-11-02 10:15"))
    frame = pd.concat([frame, extra], ignore_index=True)
    _staff(capsys, inputs, frame, names=("interval_start", "30-minute grid", "10:15"))


def test_unreadable_interval_start(capsys, inputs):
    frame = forecast_frame().astype({"interval_start": object})
    frame.loc[4, "interval_start"] = "soon"
    _staff(capsys, inputs, frame, names=("row 6", "interval_start", "soon"))


def test_duplicated_interval(capsys, inputs):
    frame = forecast_frame()
    frame = pd.concat([frame, frame.iloc[[10]]], ignore_index=True)
    _staff(capsys, inputs, frame, names=("row", "appear twice"))


def test_missing_column(capsys, inputs):
    _staff(capsys, inputs, forecast_frame().drop(columns="aht_seconds"),
           names=("aht_seconds",))


def test_queue_without_settings(capsys, inputs):
    frame = forecast_frame()
    frame.loc[frame["queue"] == "chat", "queue"] = "webchat"
    _staff(capsys, inputs, frame, names=("webchat",))


def test_chat_slowdown_out_of_range(capsys, inputs):
    refused(capsys, "staff", inputs.forecast, "--queues", inputs.queues,
            "--chat-slowdown", "1e9", "-o", inputs.folder / "out.csv",
            names=("--chat-slowdown",))


def test_ten_missing_intervals_are_noted(capsys, inputs):
    """Accepted with a note: the gap is named, the rest is staffed as given."""
    path = inputs.write_frame("gaps.csv", forecast_frame().drop(index=range(10, 20)))
    result = run_wfm(capsys, "staff", path, "--queues", inputs.queues,
                     "-o", inputs.folder / "out.csv")
    assert result.code == 0, result.err
    assert "10 interval(s) missing" in result.err and "hotline" in result.err


def test_workload_beyond_ten_thousand_erlangs_in_chat(capsys, inputs):
    """100,000 chats of 8 hours in 15 minutes: each bound alone holds, the work does not
    (staffing it ran for minutes before)."""
    frame = forecast_frame()
    frame.loc[50, ["contacts", "aht_seconds"]] = [100_000.0, 28_800.0]
    _staff(capsys, inputs, frame, names=("row 52", "chat", "erlangs"))
