"""A failed roster solve keeps the last good roster and projection, marked out of date,
with the error beside them (planning.plans.kept_results and the roster and response
pages)."""

from __future__ import annotations

import pandas as pd
import pytest
from dashboard_helpers import open_page

from dashboard.i18n import t
from planning.contract import StepState
from planning.plans import invalidate, kept_results, run_plan, save_agents

pytestmark = pytest.mark.usefixtures("local_server")


def _contradict(ws, plan_id) -> None:
    """An agent edit no roster can honour: at least 50 hours a week, at most 40."""
    agents = ws.load_frame(plan_id, "agents").copy()
    agents.loc[0, "min_hours_week"] = "50"
    save_agents(ws, plan_id, agents)
    invalidate(ws, plan_id, "roster")


def test_a_failed_solve_keeps_the_last_good_roster_and_projection(plan):
    ws, plan_id = plan
    roster = ws.load_frame(plan_id, "roster")
    projection = ws.load_frame(plan_id, "projection")
    _contradict(ws, plan_id)
    status = run_plan(ws, plan_id)
    assert status["roster"].state is StepState.ERROR
    assert status["projection"].state is StepState.WAITING
    assert ws.load_frame(plan_id, "roster") is None  # the current roster is not faked
    kept = kept_results(ws, plan_id)
    pd.testing.assert_frame_equal(kept["roster"], roster)
    pd.testing.assert_frame_equal(kept["projection"], projection)


def test_a_new_roster_drops_what_was_kept(plan):
    ws, plan_id = plan
    invalidate(ws, plan_id, "roster")
    assert set(kept_results(ws, plan_id)) == {"roster", "coverage", "violations", "projection"}
    run_plan(ws, plan_id)
    assert ws.load_frame(plan_id, "roster") is not None
    assert kept_results(ws, plan_id) == {}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pages_show_the_kept_roster_out_of_date_beside_the_error(plan, lang):
    ws, plan_id = plan
    _contradict(ws, plan_id)
    run_plan(ws, plan_id)
    at = open_page("roster", plan_id, lang)
    errors = [e.value for e in at.error]
    assert any(e.startswith(t("out_of_date", lang)) for e in errors), errors
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("roster_under", lang)] == "42.5"  # the kept roster's summary
    at = open_page("response", plan_id, lang)
    assert any(e.value.startswith(t("out_of_date", lang)) for e in at.error)
    assert t("week_sl", lang) in {m.label for m in at.metric}
