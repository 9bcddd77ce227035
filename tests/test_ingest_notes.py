"""Notes the planner sees on what was assumed. Intervals missing from a plan's forecast:
the requirements step notes them, the plan keeps the note with its requirements and the
Requirements page shows it in both languages (`wfm staff` prints the same note on
stderr: tests/fuzz/test_fuzz_staff.py). An import's notes (copied rows, empty cells) in
Chinese on the Data page."""

from __future__ import annotations

import pandas as pd
import pytest
from dashboard_helpers import open_page

from dashboard.messages import summary_in
from forecasting.history import ingest
from planning.contract import StepState
from planning.plans import invalidate, run_plan

MISSING = pd.date_range("2026-10-19 10:00", periods=10, freq="30min")


def _drop_forecast_intervals(ws, plan_id: int) -> None:
    forecast = ws.load_frame(plan_id, "forecast")
    gone = (forecast["queue"] == "voice_b") & forecast["interval_start"].isin(MISSING)
    ws.save_frame(plan_id, "forecast", forecast[~gone].reset_index(drop=True))
    invalidate(ws, plan_id, "requirements")


def test_plan_requirements_keep_the_missing_intervals_note(plan):
    ws, plan_id = plan
    _drop_forecast_intervals(ws, plan_id)
    status = run_plan(ws, plan_id, until="requirements")
    assert status["requirements"].state is StepState.DONE, status
    notes = ws.frame_meta(plan_id, "requirements")["notes"]
    assert len(notes) == 1, notes
    assert "queue 'voice_b': 10 interval(s) missing inside the day" in notes[0]
    assert "2026-10-19 10:00:00" in notes[0] and "no staff is planned" in notes[0]
    requirements = ws.load_frame(plan_id, "requirements")
    voice = requirements[requirements["queue"] == "voice_b"]
    assert not voice["interval_start"].isin(MISSING).any()


def test_complete_forecast_has_no_note(plan):
    ws, plan_id = plan
    invalidate(ws, plan_id, "requirements")
    run_plan(ws, plan_id, until="requirements")
    assert ws.frame_meta(plan_id, "requirements")["notes"] == []


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("Assumed:", "queue 'voice_b'", "10 interval(s) missing inside the day")),
    ("zh", ("假定：", "队列“voice_b”", "当天内缺少 10 个时段", "另有 7 个", "不安排人员")),
])
def test_requirements_page_shows_the_note(plan, lang, words):
    ws, plan_id = plan
    _drop_forecast_intervals(ws, plan_id)
    run_plan(ws, plan_id, until="requirements")
    at = open_page("requirements", plan_id, lang=lang)
    shown = " ".join(w.value for w in at.warning)
    for word in words:
        assert word in shown, (word, shown)


def test_import_notes_in_chinese(tmp_path):
    frame = pd.DataFrame({"queue": "hotline",
                          "interval_start": pd.date_range("2026-09-21", periods=48,
                                                          freq="30min"),
                          "contacts": 4, "aht_seconds": 200.0, "answered": 3})
    frame = pd.concat([frame, frame.iloc[[5]]], ignore_index=True).astype({"answered": object})
    frame.loc[7, "answered"] = None
    path = tmp_path / "calls.csv"
    frame.to_csv(path, index=False)
    text = str(ingest(path).summary)
    assert "Note: 1 row is an exact copy of an earlier row" in text
    zh = summary_in(text, "zh")
    assert "说明：1 行与前面的某行完全相同" in zh and "首例：第 50 行重复第 7 行" in zh
    assert "说明：列 'answered' 中有 1 个空单元格（首个：第 9 行）按 0 读取。" in zh
    assert "Note:" not in zh
    assert summary_in(text, "en") == text
