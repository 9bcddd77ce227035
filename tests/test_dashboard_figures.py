"""The Plotly figures as pure functions: the traces they draw from a frame."""

from __future__ import annotations

import pandas as pd

from dashboard import figures


def _roster() -> pd.DataFrame:
    return pd.DataFrame({
        "agent_id": ["A1", "A2"], "date": ["2026-10-19", "2026-10-19"],
        "shift": ["late", "early"],
        "start": pd.to_datetime(["2026-10-19 15:30", "2026-10-19 08:00"]),
        "end": pd.to_datetime(["2026-10-20 00:00", "2026-10-19 16:30"]),
        "queue": ["chat", "voice"], "breaks": ["17:00-17:15;23:45-00:00", ""]})


def test_gantt_draws_each_shift_and_its_breaks():
    fig = figures.gantt_figure(_roster(), lang="en")
    by_name = {trace.name: trace for trace in fig.data}
    assert set(by_name) == {"chat", "voice", "Break"}
    assert list(by_name["voice"].x) == [8.5 * 3600 * 1000]
    breaks = by_name["Break"]
    assert list(breaks.y) == ["A1", "A1"]
    assert [pd.Timestamp(b) for b in breaks.base] == [pd.Timestamp("2026-10-19 17:00"),
                                                      pd.Timestamp("2026-10-19 23:45")]
    assert list(breaks.x) == [15 * 60 * 1000, 15 * 60 * 1000]


def test_requirements_heatmap_is_days_by_intervals():
    stamps = pd.date_range("2026-10-19", periods=48 * 2, freq="30min")
    req = pd.DataFrame({"queue": "q", "interval_start": stamps,
                        "staff": range(96)})
    fig = figures.requirements_heatmap(req, "q", lang="zh")
    z = fig.data[0].z
    assert len(z) == 2 and len(z[0]) == 48
    assert z[1][0] == 48
    assert fig.data[0].y[0] == "2026年10月19日 周一"


def test_forecast_figure_has_band_and_marks_events():
    hist_stamps = pd.date_range("2026-10-12", periods=48 * 7, freq="30min")
    history = pd.DataFrame({"queue": "q", "interval_start": hist_stamps, "contacts": 1.0})
    stamps = pd.date_range("2026-10-19", periods=96, freq="30min")
    forecast = pd.DataFrame({"queue": "q", "interval_start": stamps, "contacts": 2.0,
                             "contacts_lo": 1.0, "contacts_hi": 3.0})
    events = pd.DataFrame({"name": ["double11"], "start": [pd.Timestamp("2026-11-11")],
                           "end": [pd.Timestamp("2026-11-11")], "days_before": [22],
                           "days_after": [14]})
    fig = figures.forecast_figure(history, forecast, "q", events, lang="en")
    names = [trace.name for trace in fig.data]
    assert names == ["History", None, "80% prediction band", "Forecast"]
    assert len(fig.layout.shapes) == 1  # the Double 11 build-up starts on 20 October
    assert pd.Timestamp(fig.layout.shapes[0].x0) == pd.Timestamp("2026-10-20")
    assert fig.layout.annotations[0].text == "Double 11"  # the event's name, not its id


def test_numbers_and_dates_in_each_language():
    from dashboard.i18n import day, num, pct, stamp, t

    assert day("2026-11-11", "en") == "Wed 11 Nov 2026"
    assert day("2026-11-11", "zh") == "2026年11月11日 周三"
    assert stamp("2026-11-11 09:30", "zh") == "2026年11月11日 周三 09:30"
    assert num(1234567.891, 1) == "1,234,567.9"
    assert num(float("inf")) == "–" and num(float("nan")) == "–"  # never ∞ or NaN
    assert pct(0.8766) == "87.7%"
    assert t("step_waiting", "zh", step="排班", blocker="预测").startswith("「排班」步骤需等待")


def test_times_events_and_solver_words_in_each_language():
    from dashboard.formatting import (
        duration,
        event_name,
        hours,
        nobody_note,
        solver_description,
    )
    from dashboard.i18n import table

    assert duration(34.4) == "34 s" and duration(34.4, "zh") == "34 秒"
    assert duration(125) == "2:05" and duration(3725) == "1:02:05"
    assert duration(float("inf")) == "–" and duration(None) == "–"
    assert hours(1234.56) == "1,235" and hours(42.54) == "42.5"
    assert event_name("national_day") == "National Day"
    assert event_name("national_day", "zh") == "国庆节"
    assert event_name("makeup_workday") == "make-up working day"
    assert event_name("makeup_workday", "zh") == "调休上班日"
    assert event_name("double11", "zh") == "双十一" and event_name("double_11") == "Double 11"
    assert event_name("summer_sale") == "summer sale"
    assert nobody_note(12) == "nobody on line in 12 intervals"
    assert nobody_note(1, "zh") == "1 个时段无人在线"
    words = ("agent by agent (2 passes of one small exact model per agent), then one "
             "CP-SAT model over all agents")
    assert solver_description(words, "en") == words
    zh = solver_description(words, "zh")
    assert "agent" not in zh and "CP-SAT" in zh
    frame = pd.DataFrame({"queue": ["q"], "service_level": [0.87654],
                          "asa_seconds": [float("inf")], "contacts": [12.3456]})
    shown = table(frame, "en").to_html()
    assert "87.7%" in shown and "12.3" in shown and "–" in shown
    assert "inf" not in shown and "0.87654" not in shown and "∞" not in shown
