"""In Chinese, a validation error on a page is shown in Chinese and names the queue, the
field and the agent as the planner wrote them (dashboard/messages.py at work)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import streamlit as st
from dashboard_helpers import open_page

from dashboard.i18n import header
from planning.plans import invalidate

pytestmark = pytest.mark.usefixtures("local_server")


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def _english_words(text: str) -> list[str]:
    """ASCII words outside quotes (“…”, '…') and other than the names shown."""
    bare = re.sub(r"“[^”]*”|'[^']*'", " ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_0-9]*", bare)
            if w not in {"service_level", "chat_a", "A1", "A2", "contract_hours"}]


def test_a_bad_queue_settings_edit_is_refused_in_chinese(plan, monkeypatch):
    """The planner types 150% as chat_a's service level and saves: the page says so in
    Chinese, naming the queue and the field, and keeps the saved settings."""
    ws, plan_id = plan
    before = ws.load_frame(plan_id, "queue_settings")
    editor = st.data_editor

    def typed(data, *args, **kwargs):
        shown = editor(data, *args, **kwargs)
        if str(kwargs.get("key", "")).startswith("queue_settings_editor"):
            shown = pd.DataFrame(shown).copy()
            lang = "zh" if header("queue", "zh") in shown.columns else "en"
            queue, level = header("queue", lang), header("service_level", lang)
            shown.loc[shown[queue] == "chat_a", level] = 1.5
        return shown

    monkeypatch.setattr(st, "data_editor", typed)
    at = open_page("requirements", plan_id, lang="zh")
    at.button(key="save_queue_settings").click()
    at.run()
    assert not at.exception, at.exception
    (shown,) = _errors(at)
    assert shown == ("队列设置，第 2 行，队列“chat_a”：service_level 应在 0 到 1 之间"
                     "（如 0.8 或 80%），实际为 1.5")
    assert not _english_words(shown)
    pd.testing.assert_frame_equal(ws.load_frame(plan_id, "queue_settings"), before)

    at.sidebar.selectbox(key="lang").set_value("en")
    at.button(key="save_queue_settings").click()
    at.run()
    assert _errors(at) == ["queue settings, row 2, queue 'chat_a': service_level must be "
                           "between 0 and 1 (e.g. 0.8 or 80%), got 1.5"]


def test_a_failed_step_is_told_in_chinese(plan):
    """Queue settings saved outside the app with a queue the forecast does not have: the
    requirements step fails and its page says why in Chinese, naming the queues."""
    ws, plan_id = plan
    settings = ws.load_frame(plan_id, "queue_settings")
    ws.save_frame(plan_id, "queue_settings", settings[settings["queue"] == "chat_a"])
    invalidate(ws, plan_id, "requirements")
    at = open_page("requirements", plan_id, lang="zh")
    at.button(key="run_missing_requirements").click()
    at.run()
    assert not at.exception, at.exception
    (shown,) = _errors(at)
    assert shown == ("队列 ['voice_b'] 在预测中，但不在队列设置中；请为每个队列添加一行"
                     "（已有队列：['chat_a']）")


def test_roster_conflicts_are_told_in_chinese(plan):
    """The roster step's conflicts per agent, as RosterInfeasibleError words them, shown
    on the Roster page in Chinese with each agent and rule named."""
    from planning.contract import StepState, StepStatus
    from scheduling.roster.errors import RosterInfeasibleError

    ws, plan_id = plan
    invalidate(ws, plan_id, "roster")
    at = open_page("roster", plan_id, lang="zh")
    failure = RosterInfeasibleError({"A1": ["contract_hours"]})
    at.session_state["step_status"] = {"roster": StepStatus(StepState.ERROR,
                                                            message=str(failure))}
    at.run()
    assert not at.exception, at.exception
    (shown,) = _errors(at)
    assert "硬性规则无法同时满足；各坐席相互冲突的规则：" in shown
    assert "坐席 A1：合同工时（contract_hours）" in shown
    assert not _english_words(shown)
