"""The app's first start on the bundled sample, under AppTest: the sample plan is built
with every step, saved, and each page shows the numbers of the saved frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import num, pct, t
from planning.contract import StepState, StepStatus
from planning.plans import SAMPLE_PLAN, STEPS, open_sample_plan, plan_status
from planning.steps import BACKTEST_MODELS
from planning.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample") / "workspace"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WFM_WORKSPACE", str(folder))
        at = AppTest.from_file(APP, default_timeout=600)
        at.run()  # the first start: builds the sample plan
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        yield Workspace(folder)


def _page(page: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.fixture()
def ws(sample_workspace, monkeypatch):
    monkeypatch.setenv("WFM_WORKSPACE", str(sample_workspace.folder))
    return sample_workspace


def test_the_first_start_builds_and_keeps_the_whole_sample_plan(ws):
    plans = ws.list_plans()
    assert plans["name"].tolist() == [SAMPLE_PLAN]
    plan_id = int(plans["plan_id"].iloc[0])
    assert plan_status(ws, plan_id) == {step: StepStatus(StepState.KEPT) for step in STEPS}

    history = ws.load_frame(plan_id, "history")
    forecast = ws.load_frame(plan_id, "forecast")
    assert forecast["interval_start"].min() == history["interval_start"].max().normalize() \
        + pd.Timedelta(days=1)
    assert forecast["interval_start"].dt.normalize().nunique() == 7
    assert set(forecast["queue"]) == set(history["queue"])
    assert (forecast["contacts_lo"] <= forecast["contacts"] + 1e-9).all()
    assert set(ws.load_frame(plan_id, "backtest")["model"]) == set(BACKTEST_MODELS)

    requirements = ws.load_frame(plan_id, "requirements")
    assert (requirements["staff"] >= requirements["agents"]).all()
    # Every interval with contacts needs agents, except email outside its open hours
    # (08:00-20:00: night emails are worked from the morning).
    hour = requirements["interval_start"].dt.hour
    night_email = (requirements["queue"] == "email") & ((hour < 8) | (hour >= 20))
    busy = requirements["contacts"] > 0
    assert (requirements.loc[busy & ~night_email, "agents"] > 0).all()
    assert (requirements.loc[night_email, "agents"] == 0).all()

    roster = ws.load_frame(plan_id, "roster")
    assert set(roster["agent_id"]) <= set(ws.load_frame(plan_id, "agents")["agent_id"])
    assert ws.load_frame(plan_id, "violations").empty  # the independent checker agrees
    meta = ws.frame_meta(plan_id, "roster")
    assert meta["under_weighted"] >= meta["under_bound"] - 1e-6

    projection = ws.load_frame(plan_id, "projection")
    assert set(projection["queue"]) == set(forecast["queue"])
    assert projection["service_level"].between(0, 1).all()

    # A second start finds it saved: nothing is computed again.
    versions = ws.versions(plan_id)
    assert open_sample_plan(Workspace(ws.folder)) == plan_id
    assert ws.versions(plan_id) == versions


def test_pages_show_the_sample_plans_numbers(ws):
    plan_id = int(ws.list_plans()["plan_id"].iloc[0])
    forecast = ws.load_frame(plan_id, "forecast")
    at = _page("dashboard/pages/forecast.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("forecast_total", "en")] == num(forecast["contacts"].sum())

    requirements = ws.load_frame(plan_id, "requirements")
    at = _page("dashboard/pages/requirements.py")
    metrics = {m.label: m.value for m in at.metric}
    peak = requirements.groupby("interval_start")["staff"].sum().max()
    assert metrics[t("req_peak", "en")] == num(peak)

    meta = ws.frame_meta(plan_id, "roster")
    at = _page("dashboard/pages/roster.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("roster_hours", "en")] == num(meta["paid_hours"])
    assert metrics[t("roster_avoidable", "en")] == pct(meta["gap"])

    projection = ws.load_frame(plan_id, "projection")
    at = _page("dashboard/pages/response_times.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("resp_below", "en")] == num(int(projection["below_target"].sum()))

    at = _page("dashboard/pages/plans.py")
    assert SAMPLE_PLAN in at.dataframe[0].value.iloc[:, 0].tolist()
