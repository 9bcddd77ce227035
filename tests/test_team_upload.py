"""The team from a file: an agent list uploaded on the Roster page replaces the invented
starter team, which every page that uses it labels as one; shift templates edited as
rows."""

from __future__ import annotations

import pandas as pd
import pytest
from dashboard_helpers import open_page

from dashboard.i18n import t
from planning.plans import STARTER_TEAM, plan_inputs, starter_team
from planning.steps import parse_shifts
from planning.team import apply_templates_table, read_agents_file, templates_table

pytestmark = pytest.mark.usefixtures("local_server")

SHIFTS = """\
queues:
  voice_b: {open: "08:00", close: "20:00"}
templates:
  day: {earliest_start: "08:00", latest_start: "10:00", start_step: 60, lengths: ["8:00"],
        breaks: [{name: break, length: 15, window: ["2:00", "3:00"]}]}
"""


def test_a_chinese_agent_list_fills_the_missing_columns() -> None:
    data = "工号,姓名,技能组\nB1,张伟,voice_b\nB2,李娜,all\n".encode("gbk")
    agents = read_agents_file(data, "坐席.csv", ["chat_a", "voice_b"])
    assert list(agents["agent_id"]) == ["B1", "B2"]
    assert agents.loc[1, "queues"] == "chat_a;voice_b"
    assert agents.loc[0, "max_hours_week"] == "40"


def test_an_unknown_queue_is_named_with_its_row() -> None:
    data = b"name,queues\nAnn,voice_b\nBob,sales\n"
    with pytest.raises(ValueError, match=r"team\.csv, line 3, column 'queues': unknown queue"):
        read_agents_file(data, "team.csv", ["voice_b"])


def test_templates_round_trip_through_the_table() -> None:
    table = templates_table(SHIFTS)
    assert list(table["template"]) == ["day"] and table.loc[0, "lengths"] == "8:00"
    table.loc[1] = ["late", "12:00", "14:00", 30, "6:00;8:00"]
    text = apply_templates_table(SHIFTS, table)
    shifts = parse_shifts(text)
    assert shifts is not None
    assert "late" in text and "break" in text
    bad = table.assign(start_step=["x", 30])
    with pytest.raises(ValueError, match="row 1, column start_step"):
        apply_templates_table(SHIFTS, bad)


def test_the_starter_team_is_labelled_and_replaced(plan) -> None:
    ws, plan_id = plan
    agents = ws.load_frame(plan_id, "agents")
    ws.save_frame(plan_id, "agents", agents, meta={STARTER_TEAM: True})
    assert starter_team(ws, plan_id) == len(agents)
    label = t("starter_team_label", "en", count=len(agents))
    for page in ("roster", "response", "today"):
        at = open_page(page, plan_id)
        assert label in [w.value for w in at.warning], page
    at = open_page("roster", plan_id)
    upload = b"agent_id,name,queues\nR1,Real One,all\nR2,Real Two,all\nR3,Real Three,all\n"
    at.file_uploader(key=f"team_upload_{plan_id}").set_value(("team.csv", upload, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    at.button(key="replace_team").click()
    at.run()
    assert not at.exception, at.exception
    assert starter_team(ws, plan_id) == 0
    assert list(ws.load_frame(plan_id, "agents")["agent_id"]) == ["R1", "R2", "R3"]
    assert ws.load_frame(plan_id, "roster") is None  # the roster waits for the new team
    assert label not in [w.value for w in at.warning]


def test_shift_templates_saved_from_the_form(plan) -> None:
    ws, plan_id = plan
    at = open_page("roster", plan_id)
    at.button(key="save_templates").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    saved = plan_inputs(ws, plan_id).shifts_yaml
    assert saved and not templates_table(saved).empty
    assert isinstance(templates_table(saved), pd.DataFrame)


def test_agent_list_problems_read_in_chinese() -> None:
    from dashboard.messages import reason_in

    with pytest.raises(ValueError) as info:
        read_agents_file(b"name,queues\nAnn,voice_b\nBob,sales\n", "team.csv", ["voice_b"])
    assert reason_in(str(info.value), "zh").startswith("team.csv，第 3 行，列“queues”：未知队列")
    with pytest.raises(ValueError) as info:
        read_agents_file(b"name,hours\nAnn,40\n", "team.csv", ["voice_b"])
    assert "技能组" in reason_in(str(info.value), "zh")


def test_a_starter_team_saved_before_the_label_is_recognised(tmp_path) -> None:
    from planning.defaults import default_agents
    from planning.workspace import Workspace

    ws = Workspace(tmp_path)
    history = pd.DataFrame({"queue": "q", "interval_start": pd.date_range(
        "2026-03-02", periods=48, freq="30min"), "contacts": 10.0, "aht_seconds": 300.0})
    from planning.plans import create_plan

    plan_id = create_plan(ws, "old", history, source="upload:x.csv")
    requirements = history.assign(staff=3.0)
    ws.save_frame(plan_id, "agents", default_agents(requirements))  # no meta, as before
    assert starter_team(ws, plan_id) > 0
    ws.save_frame(plan_id, "agents", default_agents(requirements).assign(name="Real"))
    assert starter_team(ws, plan_id) == 0
