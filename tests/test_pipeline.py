"""The planning pipeline: its own pure parts, imports, downloads, and the sample plan."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import yaml

from planning.contract import StepState, StepStatus
from planning.defaults import default_agents, shifts_for_history
from planning.exports import to_csv_bytes, to_excel_bytes
from planning.imports import import_history
from planning.plans import (
    STEPS,
    create_plan,
    invalidate,
    missing_steps,
    plan_settings,
    plan_status,
    run_plan,
    save_settings,
)
from planning.settings import PlanSettings
from planning.steps import apply_adjustments, below_target_flags, projection_rollup
from planning.workspace import Workspace


def _forecast() -> pd.DataFrame:
    stamps = pd.date_range("2026-10-19", periods=96, freq="30min")
    return pd.concat([
        pd.DataFrame({"queue": q, "interval_start": stamps, "contacts": 10.0,
                      "contacts_lo": 8.0, "contacts_hi": 12.0, "aht_seconds": 300.0,
                      "model": "m"}) for q in ("chat", "voice")], ignore_index=True)


def test_adjustment_scales_only_its_range_and_queue():
    fc = _forecast()
    out = apply_adjustments(fc, [
        {"start": "2026-10-19 09:00", "end": "2026-10-19 12:00", "percent": 20, "queue": "chat"},
        {"start": "2026-10-20", "end": "2026-10-21", "percent": -50, "queue": None},
    ])
    chat = out[out["queue"] == "chat"].set_index("interval_start")
    assert chat.loc["2026-10-19 08:30", "contacts"] == 10.0
    assert chat.loc["2026-10-19 09:00", "contacts"] == pytest.approx(12.0)
    assert chat.loc["2026-10-19 11:30", "contacts_hi"] == pytest.approx(14.4)
    assert chat.loc["2026-10-19 12:00", "contacts"] == 10.0
    assert (out.loc[out["interval_start"] >= "2026-10-20", "contacts"] == 5.0).all()
    assert fc["contacts"].eq(10.0).all()  # the input is left alone
    with pytest.raises(ValueError, match="unknown queue 'mail'"):
        apply_adjustments(fc, [{"start": "2026-10-19", "end": "2026-10-20",
                                "percent": 5, "queue": "mail"}])
    with pytest.raises(ValueError, match="more than -100%"):
        apply_adjustments(fc, [{"start": "2026-10-19", "end": "2026-10-20",
                                "percent": -100}])


def test_below_target_uses_sl_and_asa_targets_and_skips_idle_intervals():
    projection = pd.DataFrame({
        "queue": ["a", "a", "a", "b", "b"],
        "interval_start": pd.date_range("2026-10-19", periods=5, freq="30min"),
        "contacts": [10, 0, 10, 10, 10], "required": [2, 0, 2, 3, 3],
        "service_level": [0.79, 0.0, 0.95, 0.95, 0.95],
        "asa_seconds": [30.0, 0.0, 5.0, 25.0, 15.0], "abandon_rate": 0.0,
        "scheduled": [2, 0, 2, 3, 3], "occupancy": 0.7})
    settings = pd.DataFrame({"queue": ["a", "b"], "service_level": [0.8, 0.8],
                             "asa_seconds": [np.nan, 20.0]})
    flags = below_target_flags(projection, settings)
    assert flags.tolist() == [True, False, False, True, False]
    rollup = projection_rollup(projection, flags).set_index("queue")
    assert rollup.loc["a", "service_level"] == pytest.approx((0.79 + 0.95) / 2)
    assert rollup.loc["b", "intervals_below_target"] == 1
    assert rollup.loc["all queues", "intervals_below_target"] == 2


def test_shifts_for_history_opens_queues_on_their_busy_hours():
    base = yaml.safe_dump({"templates": {"day": {"earliest_start": "07:00",
                                                  "latest_start": "12:00",
                                                  "lengths": [480]}},
                           "queues": {"old": {"open": "00:00", "close": "24:00"}}})
    stamps = pd.date_range("1999-02-01", periods=48 * 3, freq="30min")
    busy = (stamps.hour >= 7) & (stamps.hour < 23)
    history = pd.DataFrame({"queue": "PS", "interval_start": stamps,
                            "contacts": np.where(busy, 4, 0), "aht_seconds": 200.0})
    shifts = yaml.safe_load(shifts_for_history(history, base))
    assert shifts["queues"] == {"PS": {"open": "07:00", "close": "23:00"}}
    assert shifts["templates"]["day"]["lengths"] == [480]


def test_default_agents_cover_the_weeks_staff_hours():
    stamps = pd.date_range("2026-10-19", periods=48 * 7, freq="30min")
    req = pd.DataFrame({"queue": "q", "interval_start": stamps, "staff": 10})
    agents = default_agents(req)
    # 10 staff x 24 h x 7 days = 1,680 hours; 40-hour contracts plus 5% -> 45 agents
    assert len(agents) == 45
    assert agents["queues"].eq("q").all()


def test_downloads_neutralise_formulas_and_keep_chinese():
    frame = pd.DataFrame({"queue": ["=HYPERLINK(1)", "售前咨询"], "contacts": [-1.0, 2.0]})
    csv = to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv and "售前咨询" in csv and "-1.0" in csv
    book = pd.read_excel(io.BytesIO(to_excel_bytes({"forecast": frame})), sheet_name=None)
    assert list(book) == ["forecast"]
    assert book["forecast"]["queue"].tolist() == ["'=HYPERLINK(1)", "售前咨询"]


def test_import_of_the_bank_log(shared_data):
    data = (shared_data / "anonymous_bank_feb1999_calls.tsv").read_bytes()
    history, summary = import_history(data, "bank.tsv")
    assert summary.file == "bank.tsv"
    assert summary.rows_read == 33_344
    assert set(history["queue"]) == {"IN", "NE", "NW", "PE", "PS", "TT"}
    assert 19_000 < history.loc[history["queue"] == "PS", "contacts"].sum() < 21_000


def test_import_error_names_the_upload():
    with pytest.raises(ValueError, match="calls.csv"):
        import_history(b"when,who\nyesterday,bob\n", "calls.csv")


def test_missing_steps_and_invalidation(tmp_path):
    ws = Workspace(tmp_path)
    stamps = pd.date_range("2026-10-05", periods=48, freq="30min")
    history = pd.DataFrame({"queue": "q", "interval_start": stamps, "contacts": 1,
                            "aht_seconds": 100.0})
    plan_id = create_plan(ws, "p", history, source="test")
    assert missing_steps(ws, plan_id) == list(STEPS)
    ws.save_frame(plan_id, "forecast", _forecast())
    ws.save_frame(plan_id, "requirements", _forecast())
    assert missing_steps(ws, plan_id) == ["roster", "projection"]
    invalidate(ws, plan_id, "requirements")
    assert missing_steps(ws, plan_id) == ["requirements", "roster", "projection"]
    settings = PlanSettings(forecast_days=3, roster_time_limit=7)
    save_settings(ws, plan_id, settings)
    assert plan_settings(ws, plan_id) == settings


def test_a_failed_step_is_kept_until_the_inputs_change(tmp_path):
    ws = Workspace(tmp_path)
    stamps = pd.date_range("2026-10-05", periods=48 * 14, freq="30min")
    history = pd.DataFrame({"queue": "q", "interval_start": stamps, "contacts": 5,
                            "aht_seconds": 200.0})
    bad = PlanSettings(model="no_such_model")
    plan_id = create_plan(ws, "p", history, source="test", settings=bad)
    status = run_plan(ws, plan_id)
    assert status["forecast"].state is StepState.ERROR
    assert "no_such_model" in status["forecast"].message
    assert status["projection"] == StepStatus(StepState.WAITING, waiting_for="forecast")
    known = plan_status(ws, plan_id)
    assert known["forecast"] == status["forecast"]
    assert run_plan(ws, plan_id, retry_failed=False) == known  # not run again
    fixed = PlanSettings(model="weekday_mean", backtest_folds=0)
    save_settings(ws, plan_id, fixed, stale_from="forecast")
    assert plan_status(ws, plan_id)["forecast"].state is StepState.MISSING
    assert run_plan(ws, plan_id, until="forecast")["forecast"].state is StepState.DONE
