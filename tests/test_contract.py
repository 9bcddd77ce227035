"""The typed records between planning and the dashboard, and the one roster step."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from planning import roster_step as step
from planning.contract import (
    ImportReport,
    PlanInputs,
    RosterSummary,
    ScenarioRecord,
    StepError,
    StepState,
    StepStatus,
)
from planning.settings import ROSTER_TIME_LIMIT, PlanSettings
from scheduling.roster import RosterTimeoutError

OLD_INPUTS = {  # a plan saved before the typed contract, with a key this version ignores
    "settings": {"forecast_days": 3, "model": "profile", "roster_time_limit": 20.0,
                 "retired_setting": 1},
    "shifts_yaml": "templates: {}\n",
    "import_summary": {"file": "calls.csv", "rows_read": 10, "rows_used": 9,
                       "excluded": {"no queue": 1}, "rows_excluded": 1,
                       "queues": ["a", "b"], "first_interval": "2026-10-05 00:00:00",
                       "channels": {"a": "chat"}, "text": "calls.csv: 10 rows read"},
    "step_error": {"step": "roster", "message": "rules cannot all hold"},
    "something_new": {"x": 1},
}


def test_plan_inputs_read_old_plans_and_write_the_same_shape():
    inputs = PlanInputs.from_dict(OLD_INPUTS)
    assert inputs.settings == PlanSettings(forecast_days=3, model="profile",
                                           roster_time_limit=20.0)
    assert inputs.import_summary.channels == {"a": "chat"}
    assert inputs.import_summary.queues == ("a", "b")
    assert inputs.step_error == StepError("roster", "rules cannot all hold")
    assert inputs.scenario is None
    saved = inputs.to_dict()
    assert saved["shifts_yaml"] == OLD_INPUTS["shifts_yaml"]
    assert saved["step_error"] == OLD_INPUTS["step_error"]
    assert saved["import_summary"]["rows_read"] == 10
    assert PlanInputs.from_dict(saved) == inputs
    empty = PlanInputs.from_dict({"step_error": None})
    assert empty.settings == PlanSettings() and empty.step_error is None
    assert empty.settings.roster_time_limit == ROSTER_TIME_LIMIT


def test_roster_summary_and_scenario_record_tolerate_missing_and_unknown_keys():
    summary = RosterSummary.from_dict({"status": "FEASIBLE", "under_hours": 42.5,
                                       "gap": "0.1", "parts": []})
    assert summary.status == "FEASIBLE" and summary.under_hours == 42.5
    assert summary.gap == pytest.approx(0.1) and summary.paid_hours is None
    assert summary.to_dict() == {"status": "FEASIBLE", "under_hours": 42.5, "gap": 0.1}
    assert RosterSummary.from_dict(None) == RosterSummary()
    record = ScenarioRecord.from_dict({"name": "base", "yaml": "name: base\n",
                                       "roster": {"paid_hours": 80}})
    assert record.roster.paid_hours == 80.0 and record.folder == "."
    assert ScenarioRecord.from_dict(record.to_dict()) == record
    report = ImportReport.from_dict({"file": "x.csv", "first_interval": "2026-10-05"})
    assert report.rows_read is None and report.excluded == {}


def test_step_status_reads_as_before():
    assert str(StepStatus(StepState.DONE)) == "done"
    failed = StepStatus(StepState.ERROR, message="bad model")
    assert str(failed) == "error: bad model" and failed.failed
    assert str(StepStatus(StepState.WAITING, waiting_for="forecast")) == "waiting: forecast"


def _fake_result() -> SimpleNamespace:
    return SimpleNamespace(
        roster=pd.DataFrame(columns=["agent_id"]), coverage=pd.DataFrame(), status="feasible",
        under_hours=1.0, over_hours=0.0, paid_hours=8.0, under_weighted=2.0,
        under_bound=1.0, gap=0.5, seconds=0.1, decomposition="one model",
        interval_minutes=30, parts=[])


def test_roster_step_doubles_the_time_limit_on_a_timeout_at_most_twice(monkeypatch):
    # interval_start as text, as `wfm roster` reads it from a CSV file
    requirements = pd.DataFrame({"queue": ["q"], "staff": [1.0],
                                 "interval_start": ["2026-10-19 09:00"]})
    limits = []

    def solve(req, team, shifts, *, time_limit, timeouts, **kwargs):
        limits.append(time_limit)
        if len(limits) <= timeouts:
            raise RosterTimeoutError(time_limit)
        return _fake_result()

    monkeypatch.setattr(step, "check_roster", lambda *a, **k: [])
    monkeypatch.setattr(step, "solve_roster",
                        lambda *a, **k: solve(*a, timeouts=2, **k))
    outcome = step.roster_step(requirements, [], None, time_limit=5, deterministic=True)
    assert limits == [5, 10, 20]
    assert outcome.summary.time_limit == 20 and outcome.summary.paid_hours == 8.0
    assert list(outcome.violations.columns) == ["agent_id", "rule", "date", "detail"]
    limits.clear()
    monkeypatch.setattr(step, "solve_roster",
                        lambda *a, **k: solve(*a, timeouts=3, **k))
    with pytest.raises(RosterTimeoutError):
        step.roster_step(requirements, [], None, time_limit=5)
    assert limits == [5, 10, 20]


def test_a_roster_solve_past_its_cap_is_flagged():
    assert RosterSummary(seconds=49.0, time_limit=20.0).over_cap is False
    assert RosterSummary(seconds=51.0, time_limit=20.0).over_cap is True
    assert RosterSummary(seconds=51.0).over_cap is False  # older plans: nothing to judge
    assert "over_cap" not in RosterSummary(seconds=51.0, time_limit=20.0).to_dict()
