"""The Today page under Streamlit's AppTest, over the dashboard tests' hand-built plan:
actuals in session (as after an upload), the reforecast chart, the service level with
and without changes, accepting changes, and the page in Chinese."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from dashboard_helpers import APP, TIMEOUT
from streamlit.testing.v1 import AppTest

from planning import intraday

pytestmark = pytest.mark.usefixtures("local_server")
PAGE = "dashboard/pages/today.py"


def _actuals(ws, plan_id: int) -> pd.DataFrame:
    forecast = ws.load_frame(plan_id, "forecast")
    return intraday.example_actuals(forecast, pd.Timestamp("2026-10-19 12:00"),
                                    queue="chat_a", uplift=0.6)


def _open(plan_id: int, actuals: pd.DataFrame | None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["plan_id"] = plan_id
    at.session_state["step_status"] = {}
    at.session_state["lang"] = lang
    if actuals is not None:
        at.session_state["today_actuals"] = actuals
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def test_today_page_without_actuals_asks_for_them(plan):
    ws, plan_id = plan
    at = _open(plan_id, None)
    assert any("Upload the actuals" in i.value for i in at.info)
    at.button(key="today_example").click().run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 2


def test_today_page_shows_reforecast_service_levels_and_changes(plan):
    ws, plan_id = plan
    at = _open(plan_id, _actuals(ws, plan_id))
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    names = {trace.get("name") for trace in charts[0]["data"]}
    assert {"Forecast", "Actual", "Reforecast"} <= names
    table = at.dataframe[-1].value
    assert "Without changes" in table.columns
    assert not table.isna().any().any()
    assert at.session_state["today_result"][1].replan is not None


def test_today_page_in_chinese(plan):
    ws, plan_id = plan
    at = _open(plan_id, _actuals(ws, plan_id), lang="zh")
    assert at.title[0].value == "今日实况与计划"


def test_accepting_every_change_gives_the_proposed_service_level(plan):
    ws, plan_id = plan
    forecast = ws.load_frame(plan_id, "forecast")
    forecast.loc[forecast["queue"] == "voice_b", "contacts"] = 1.0  # voice over-staffed
    ws.save_frame(plan_id, "forecast", forecast)
    at = _open(plan_id, _actuals(ws, plan_id))
    result = at.session_state["today_result"][1].replan
    assert not result.changes.empty
    at.session_state["today_accepted"] = sorted(set(result.changes["agent_id"]))
    at.run()
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    assert list(table["With the accepted changes"]) == list(table["With all proposed changes"])


def test_bad_actuals_are_shown_naming_file_row_and_column(plan):
    ws, plan_id = plan
    bad = _actuals(ws, plan_id)
    bad.loc[0, "queue"] = "billing"
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["plan_id"] = plan_id
    at.session_state["step_status"] = {}
    at.session_state["lang"] = "en"
    at.session_state["today_actuals"] = bad
    at.session_state["today_actuals_name"] = "today.csv"
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    assert any("today.csv, row 2, column queue: unknown queue 'billing'" in e.value
               for e in at.error)


def test_an_unreadable_upload_is_refused_naming_the_file():
    with pytest.raises(ValueError, match="today.xlsx"):
        intraday.read_actuals(b"not a workbook", "today.xlsx")


def test_changes_are_described_in_the_chosen_language():
    from dashboard.i18n import t

    changes = pd.DataFrame({"agent_id": ["A1", "A1", "A2", "A3"],
                            "change": ["move", "break", "vto", "shift"],
                            "from": ["12:00", "13:00-13:15", "08:00-16:30", "13:00-21:30"],
                            "to": ["15:00", "14:00-14:15", "08:00-15:00", "15:00-23:30"],
                            "queue": ["voice_b", "chat_a", "chat_a", "chat_a"]})

    def zh(r: dict) -> str:
        return t(f"today_change_{r['change']}", lang="zh", start=r["from"], end=r["to"],
                 queue=r["queue"])

    table = intraday.agent_changes(changes, zh).set_index("agent_id")["changes"]
    assert table["A1"] == "12:00-15:00 改接 voice_b; 休息 13:00-13:15 → 14:00-14:15"
    assert table["A2"] == "自愿休假：班次 08:00-16:30 → 08:00-15:00"
    assert table["A3"] == "班次调整：13:00-21:30 → 15:00-23:30"
    english = intraday.agent_changes(changes).set_index("agent_id")["changes"]
    assert english["A2"] == "vto 08:00-16:30 -> 08:00-15:00"


def test_a_call_in_is_described_and_accepted_like_any_change():
    """A call-in (an agent off today given a shift) reads in both languages and, once
    accepted, puts the agent's shift into the roster; not accepted, the agent stays off."""
    from dashboard.i18n import t
    from scheduling.intraday import ReplanOptions, replan
    from scheduling.roster import Agent, shift_settings

    day = "2026-10-21"
    shifts = shift_settings({
        "queues": {"voice": {"open": "08:00", "close": "22:00"}},
        "templates": {"day": {"earliest_start": "08:00", "latest_start": "14:00",
                              "lengths": ["8:00"]}},
        "rules": {"max_late_shifts_per_week": None}})
    settings = pd.DataFrame({"queue": ["voice"], "channel": ["voice"], "service_level": [0.8],
                             "target_seconds": [20], "max_occupancy": [0.95],
                             "shrinkage": [0.0], "concurrency": [1]})
    roster = pd.DataFrame([
        {"agent_id": "A1", "date": day, "shift": "day", "start": f"{day} 08:00",
         "end": f"{day} 16:00", "queue": "voice", "breaks": ""},
        *[{"agent_id": "C1", "date": d, "shift": "day", "start": f"{d} 08:00",
           "end": f"{d} 16:00", "queue": "voice", "breaks": ""}
          for d in ("2026-10-19", "2026-10-20")]])  # Monday and Tuesday: no lone day off
    agents = [Agent(a, a, ("voice",), 0.0, 40.0, 5) for a in ("A1", "C1")]
    stamps = pd.date_range(day, periods=48, freq="30min")
    forecast = pd.DataFrame({"queue": "voice", "interval_start": stamps,
                             "contacts": ((stamps.hour >= 8) & (stamps.hour < 22)) * 6.0,
                             "aht_seconds": 360.0})
    result = replan(roster, forecast, settings, agents, shifts, f"{day} 10:00",
                    ReplanOptions(time_limit=5, max_changed_share=None))
    call = result.changes[result.changes["change"] == "call_in"]
    assert list(call["agent_id"]) == ["C1"]

    def zh(r: dict) -> str:
        return t(f"today_change_{r['change']}", lang="zh", start=r["from"], end=r["to"],
                 queue=r["queue"])

    words = intraday.agent_changes(call, zh).set_index("agent_id")["changes"]
    assert words["C1"] == f"休息日召回上班：{call['to'].iloc[0]}，接 voice"
    english = t("today_change_call_in", lang="en", start="off", end=call["to"].iloc[0],
                queue="voice")
    assert english.startswith("called in on a day off: ")
    taken = intraday.accepted_roster(roster, result, ["C1"])
    today = pd.to_datetime(taken["date"]) == pd.Timestamp(day)
    assert set(taken.loc[today, "agent_id"]) == {"A1", "C1"}
    kept = intraday.accepted_roster(roster, result, ["A1"])
    assert "C1" not in set(kept.loc[pd.to_datetime(kept["date"]) == pd.Timestamp(day),
                                    "agent_id"])


def test_event_day_follows_the_surge_as_it_is(plan):
    ws, plan_id = plan
    at = _open(plan_id, _actuals(ws, plan_id))
    at.checkbox(key="today_event_day").check().run()
    assert not at.exception, at.exception
    summary = at.session_state["today_result"][1].reforecast.summary.set_index("queue")
    assert bool(summary.loc["chat_a", "event"])
    assert summary.loc["chat_a", "ratio"] > 1.4
    assert any("chat_a" in i.value for i in at.info)
