"""Every dashboard page under Streamlit's AppTest, over a hand-built plan whose numbers
are known, so the tests can assert what each page shows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from dashboard_helpers import PAGES, hand_built_plan, open_page
from streamlit.testing.v1 import AppTest

from dashboard.i18n import LABELS, header, t
from planning.plans import plan_settings

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("local_server")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_data_page_shows_history_totals(plan):
    _, plan_id = plan
    at = open_page("data", plan_id)
    metrics = _metrics(at)
    # 14 days x 24 open intervals x 3 and x 5 contacts
    assert metrics["chat_a"] == "1,008"
    assert metrics["voice_b"] == "1,680"
    assert not at.error
    assert len(at.get("plotly_chart")) == 2


def test_forecast_page_shows_totals_and_backtest(plan):
    _, plan_id = plan
    at = open_page("forecast", plan_id)
    metrics = _metrics(at)
    assert metrics[t("forecast_total", "en")] == "2,880"  # (10 + 20) x 96 intervals
    assert metrics["voice_b"] == "1,920"
    table = at.dataframe[0].value
    assert table.loc["weekday_mean", "chat_a"] == "8.7%"
    assert table.loc["seasonal_naive", "voice_b"] == "13.4%"


@pytest.mark.slow
def test_forecast_adjustment_scales_a_day(plan):
    ws, plan_id = plan
    at = open_page("forecast", plan_id)
    form = at.get("form")
    assert form, "the adjustment form is shown"
    number = [n for n in at.number_input if n.label == t("adjust_percent", "en")][0]
    number.set_value(50.0)
    queue = [s for s in at.selectbox if s.label == t("queue", "en")][-1]
    queue.set_value("chat_a")
    [b for b in at.button if b.label == t("adjust_apply", "en")][0].click()
    at.run()
    assert not at.exception, at.exception
    forecast = ws.load_frame(plan_id, "forecast")
    day1 = forecast["interval_start"] < pd.Timestamp("2026-10-20")
    chat = forecast["queue"] == "chat_a"
    assert forecast.loc[day1 & chat, "contacts"].sum() == pytest.approx(48 * 15.0)
    assert forecast.loc[~day1 & chat, "contacts"].sum() == pytest.approx(48 * 10.0)
    assert forecast.loc[forecast["queue"] == "voice_b", "contacts"].sum() == pytest.approx(1920)
    assert plan_settings(ws, plan_id).adjustments[0]["percent"] == 50.0


def test_requirements_page_shows_peak_and_hours(plan):
    _, plan_id = plan
    at = open_page("requirements", plan_id)
    metrics = _metrics(at)
    assert metrics[t("req_peak", "en")] == "16"  # 3 + 13 at 10:00 on the first day
    # (3 + 8) staff x 96 intervals x 0.5 h, plus the 5 extra staff at the peak x 0.5 h
    assert metrics[t("req_hours", "en")] == f"{(11 * 96 + 5) * 0.5:,.0f}"
    assert len(at.get("plotly_chart")) == 1
    assert at.get("arrow_data_frame") or at.dataframe  # queue settings editor shown


def test_roster_page_shows_gap_and_violations(plan):
    _, plan_id = plan
    at = open_page("roster", plan_id)
    metrics = _metrics(at)
    assert metrics[t("roster_status", "en")] == "Feasible"
    assert metrics[t("roster_under", "en")] == "42.5"
    assert metrics[t("roster_avoidable", "en")] == "6.2%"  # the share the bound leaves
    assert t("roster_lower", "en") not in metrics  # no weighted solver objective shown
    assert metrics[t("roster_hours", "en")] == "32"  # four 8-hour shifts
    tables = [d.value for d in at.dataframe]
    assert any("minimum_rest" in set(tab.get(header("rule", "en"), [])) for tab in tables)
    labels = [b.label for b in at.get("download_button")]
    assert t("download_agent", "en") in labels and t("download_all_agents", "en") in labels


def test_roster_page_says_when_the_solve_ran_past_its_cap(plan):
    ws, plan_id = plan
    assert not [i.value for i in open_page("roster", plan_id).info
                if "twice its time limit" in i.value]
    roster = ws.load_frame(plan_id, "roster")
    meta = {**ws.frame_meta(plan_id, "roster"), "seconds": 75.0, "time_limit": 20.0}
    ws.save_frame(plan_id, "roster", roster, meta=meta)
    shown = [i.value for i in open_page("roster", plan_id).info]
    assert t("roster_over_cap", "en", seconds="75 s", limit="20 s") in shown


def test_response_page_flags_intervals_below_target(plan):
    _, plan_id = plan
    at = open_page("response", plan_id)
    metrics = _metrics(at)
    assert metrics[t("resp_below", "en")] == "3"
    # contact-weighted: voice_b weight 20, chat_a 10; three voice_b intervals at 0.5
    total = 96 * 10 + 96 * 20
    expected = (total * 0.9 - 3 * 20 * 0.4) / total
    assert metrics[t("week_sl", "en")] == f"{expected * 100:.1f}%"
    flagged = at.dataframe[-1].value
    assert len(flagged) == 3


@pytest.mark.slow
def test_pages_in_chinese(plan):
    _, plan_id = plan
    for page in PAGES:
        at = open_page(page, plan_id, lang="zh")
        titles = [x.value for x in at.title]
        assert titles and all(any("\u4e00" <= ch <= "\u9fff" for ch in x) for x in titles), \
            (page, titles)
    at = open_page("data", plan_id, lang="zh")
    assert at.sidebar.selectbox[0].label == "语言"


@pytest.mark.slow
def test_plans_page_renames_and_deletes(plan):
    ws, plan_id = plan
    other = hand_built_plan(ws, "Second plan")
    at = open_page("plans", plan_id)
    at.selectbox(key="manage_plan").set_value(other)
    at.run()
    at.text_input(key=f"rename_{other}").set_value("Double 11 plan")
    at.button(key="rename_plan").click()
    at.run()
    assert not at.exception
    assert ws.plan(other).name == "Double 11 plan"
    at.selectbox(key="manage_plan").set_value(other)
    at.run()
    at.checkbox(key=f"delete_sure_{other}").check()
    at.run()
    at.button(key="delete_plan").click()
    at.run()
    assert not at.exception
    assert ws.find_plan("Double 11 plan") is None
    assert ws.plan(plan_id).name == "Hand-built week"


def test_bad_upload_shows_the_importers_message(plan):
    _, plan_id = plan
    at = open_page("data", plan_id)
    at.file_uploader[0].set_value(("calls.csv", b"when,who\nyesterday,bob\n", "text/csv"))
    at.run()
    assert not at.exception, at.exception
    messages = [e.value for e in at.error]
    assert messages and "calls.csv" in messages[0], messages


def test_a_broken_frame_gives_a_message_not_a_traceback(plan):
    ws, plan_id = plan
    ws.save_frame(plan_id, "projection", pd.DataFrame({"queue": ["x"], "oops": [1]}))
    at = open_page("response", plan_id)
    assert not at.exception
    assert at.error, "the page says something went wrong"


def test_every_label_has_both_languages():
    for key, pair in LABELS.items():
        assert len(pair) == 2 and all(pair), key
    import re

    used = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "dashboard").rglob("*.py"))]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+)["']""", path.read_text()))
    missing = sorted(k for k in used if k not in LABELS)
    assert not missing, missing


@pytest.mark.slow
def test_roster_page_solves_with_its_time_limit(plan):
    ws, plan_id = plan
    at = open_page("roster", plan_id)
    at.number_input(key="time_limit").set_value(5)
    at.button(key="solve_roster").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    meta = ws.frame_meta(plan_id, "roster")
    assert meta["status"] in ("optimal", "feasible")  # the solver's, not the hand-built one
    assert plan_settings(ws, plan_id).roster_time_limit == 5
    roster = ws.load_frame(plan_id, "roster")
    assert set(roster["agent_id"]) <= {"A1", "A2", "A3"}
    assert ws.load_frame(plan_id, "projection") is not None  # recomputed after the roster
    metrics = _metrics(at)
    assert metrics[t("roster_hours", "en")] == f"{meta['paid_hours']:,.0f}"


@pytest.mark.slow
def test_saving_queue_settings_recomputes_requirements(plan):
    ws, plan_id = plan
    at = open_page("requirements", plan_id)
    editor = at.get("arrow_data_frame") or at.dataframe
    assert editor
    [b for b in at.button if b.key == "save_queue_settings"][0].click()
    at.run()
    assert not at.exception, at.exception
    requirements = ws.load_frame(plan_id, "requirements")
    # Real Erlang C requirements replace the hand-built ones (13 staff written by hand at
    # 10:00; the same 20 contacts as every other interval need the same staff).
    voice = requirements[requirements["queue"] == "voice_b"].set_index("interval_start")
    assert voice["staff"].nunique() == 1
    assert voice.loc["2026-10-19 10:00", "staff"] != 13
    assert (voice["staff"] >= voice["agents"]).all()
    assert voice["service_level"].iloc[0] >= 0.8  # meets the 80% target, not the 0.85 by hand
    assert voice["service_level"].iloc[0] != 0.85


def test_an_edited_import_profile_reads_a_renamed_column(plan):
    _, plan_id = plan
    rows = ["Start,Queue,Media Type,Offered,Handled,Total Handle Time"]
    for i in range(8):
        rows.append(f"2026-03-02 {8 + i // 2:02d}:{30 * (i % 2):02d},sales,voice,{10 + i},"
                    f"{10 + i},{(10 + i) * 200}")
    data = ("\n".join(rows) + "\n").encode()
    at = open_page("data", plan_id)
    at.file_uploader[0].set_value(("export.csv", data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert at.expander, "without a fitting profile the page shows the guessed column mapping"
    at.selectbox(key="profile").set_value("genesys")
    at.run()
    yaml_box = at.text_area(key="profile_yaml_genesys")
    yaml_box.set_value(yaml_box.value.replace("start: Interval Start", "start: Start")
                       .replace("detect: [Interval Start,", "detect: [Start,"))
    at.checkbox(key="use_custom_profile").check()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    preview = at.dataframe[-1].value
    assert preview[header("contacts", "en")].sum() == sum(10 + i for i in range(8))
    assert set(preview[header("queue", "en")]) == {"sales"}
