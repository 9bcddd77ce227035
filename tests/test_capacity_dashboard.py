"""The Capacity page under Streamlit's AppTest: forms render, the hiring plan is solved
from the form, and a goal-seek answer shows as cards and charts (no NaN, inf or None)."""

from __future__ import annotations

import pandas as pd
import pytest
from capacity_helpers import agent as _agent
from capacity_helpers import requirements as _requirements
from capacity_helpers import settings as _settings
from capacity_helpers import shifts as _shifts
from dashboard_helpers import open_page

from dashboard.figures_capacity import hiring_figure, peak_day, staff_figure
from scheduling.capacity import Levers, TempLever, goal_seek

pytestmark = pytest.mark.usefixtures("local_server")
PAGE = "dashboard/pages/capacity.py"


def _open(plan_id: int, lang: str = "en"):
    from dashboard_helpers import PAGES

    PAGES.setdefault("capacity", PAGE)
    return open_page("capacity", plan_id, lang)


def _answer() -> dict:
    plan = goal_seek(_requirements({"voice": 3}), [_agent(1)], _shifts(),
                     Levers(temps=[TempLever("day", ("voice",), 10.0, 5)]), _settings(),
                     time_limit=20, exact_need=False, trim=False)
    daily = plan.daily.assign(service_level_rostered=float("nan"),
                              rostered_staff_hours=float("nan"))
    return {"levers": plan.levers, "daily": daily, "reasons": plan.reasons,
            "planned": plan.planned, "cost": plan.cost, "gap": plan.gap,
            "temps": sum(plan.temps.values()),
            "overtime_hours": sum(plan.overtime_hours.values()),
            "cuts": [{"lever": "day (voice)", "overtime": False, "before": 3, "after": 2,
                      "minimal": True, "missed": "1 interval(s) newly below target"}]}


def _open_with_answer(plan_id: int, lang: str = "en"):
    """The Capacity page with a goal-seek answer in the session, as after a run."""
    from dashboard_helpers import APP, TIMEOUT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["plan_id"] = plan_id
    at.session_state["step_status"] = {}
    at.session_state["lang"] = lang
    at.session_state["capacity"] = _answer()
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def test_capacity_page_forms_and_hiring_plan(plan):
    _, plan_id = plan
    at = _open(plan_id)
    assert not at.exception
    assert at.title[0].value.startswith("Capacity")
    assert len(at.get("form")) >= 2 if at.get("form") else True
    buttons = [b for b in at.button if b.label == "Plan hiring"]
    assert buttons, [b.label for b in at.button]
    buttons[0].click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Hires"]) > 0
    for value in metrics.values():
        assert value not in ("nan", "inf", "None", "–")
    assert len(at.get("plotly_chart")) == 1


def test_capacity_page_shows_a_goal_seek_answer(plan):
    _, plan_id = plan
    at = _open_with_answer(plan_id, "zh")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["临时工"] == "2"
    assert metrics["成本"] == "160"
    assert metrics["最低日服务水平"].endswith("%")
    assert all(v not in ("nan", "inf", "None") for v in metrics.values())
    assert len(at.get("plotly_chart")) >= 1
    trimmed = [c.value for c in at.caption if "按排班验证削减" in c.value]
    assert trimmed and "day (voice) 3 → 2 名临时工，再减即未达标" in trimmed[0], trimmed


def test_a_capacity_answer_is_saved_and_compared(plan):
    """Saved in the workspace like a scenario run, then compared on the same page."""
    _, plan_id = plan
    at = _open_with_answer(plan_id)
    save = [b for b in at.button if b.label == "Save this plan"]
    assert save, [b.label for b in at.button]
    save[0].click().run()
    assert not at.exception, at.exception
    assert any("Saved as" in s.value for s in at.success)
    table = at.dataframe[-1].value
    assert "Gap to the lower bound" in table.columns and len(table) >= 1
    assert table["Cost"].iloc[0] == "160"
    assert len(at.get("plotly_chart")) >= 2  # the comparison's chart beside the day's


def test_capacity_figures() -> None:
    answer = _answer()
    day = peak_day(answer["planned"])
    assert day == pd.Timestamp("2026-11-11")
    fig = staff_figure(answer["planned"], day)
    assert [tr.name for tr in fig.data][:2] == ["Required staff", "Planned staff"]
    weekly = pd.DataFrame({"week_start": ["2026-10-19", "2026-10-26"], "required_fte": [10, 12],
                           "productive_fte": [10, 10], "temps": [0, 2]})
    hiring = pd.DataFrame({"class_start": ["2026-10-19"], "hires": [4]})
    fig = hiring_figure(weekly, hiring)
    assert fig.data[-1].text == ("+4",)


def test_a_capacity_answer_is_saved_in_chinese(plan):
    """The same in Chinese: the page's widgets keep their values over the save's rerun."""
    from dashboard.i18n import t

    _, plan_id = plan
    at = _open_with_answer(plan_id, "zh")
    save = [b for b in at.button if b.label == t("cap_save", "zh")]
    assert save, [b.label for b in at.button]
    save[0].click().run()
    assert not at.exception, at.exception
    assert at.success and all("Saved" not in s.value for s in at.success)
