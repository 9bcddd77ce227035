"""Saved scenario runs in the workspace: save a run as a plan with its inputs, list
the saved runs, read one back and run it again exactly (the runs themselves are in
`planning.scenario_run`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planning import audit
from planning.contract import PlanInputs, ScenarioRecord
from planning.scenario_base import load_base
from planning.scenario_run import ScenarioResult, StepProgress, run_scenario
from planning.scenarios import Scenario, ScenarioError, parse_scenario
from planning.settings import PlanSettings
from planning.workspace import Workspace


def save_scenario(ws: Workspace, result: ScenarioResult, replace: bool = True,
                  user: str | None = None) -> int:
    """Save a scenario run as a plan named "Scenario: <name>" with its inputs.

    The inputs hold the YAML text, the folder its paths are relative to, the hash
    of every input file and the pipeline settings; the frames hold every result.
    `replace` overwrites an earlier run of the same scenario, in one transaction, but
    never a published plan: the run is then saved beside it under a new name. The run is recorded
    in the audit trail under `user` (None: the person at the shell).
    """
    sc = result.scenario
    name = sc.plan_name
    history_sha = result.hashes.get("history", {})
    settings = PlanSettings(
        forecast_start=str(result.forecast["interval_start"].min().date()),
        forecast_days=sc.days, model=sc.model, backtest_folds=0,
        roster_time_limit=sc.roster_time_limit, seed=sc.seed, country=sc.country,
        shopping=sc.shopping)
    record = ScenarioRecord(
        name=sc.name, description=sc.description, yaml=sc.text, source=sc.source,
        folder=str(sc.folder), input_hashes=result.hashes, roster=result.roster_summary,
        history_sha256=history_sha.get("sha256"))
    inputs = PlanInputs(settings=settings, shifts_yaml=result.shifts_text, scenario=record)
    base_id = None
    if "plan" in sc.base:
        found = ws.find_plan(sc.base["plan"])
        base_id = None if found is None else found.plan_id
    frames = {"queue_settings": result.queue_settings, "agents": result.agents,
              "forecast": result.forecast, "requirements": result.requirements,
              "roster": result.roster, "coverage": result.coverage,
              "violations": result.violations, "projection": result.projection,
              "scenario_daily": result.daily, "shortfall": result.shortfall}
    if result.history is not None:  # the other pages show the forecast against it
        frames["history"] = result.history
    if result.events is not None:
        frames["events"] = result.events
    saved = ws.replace_plan(name, frames, source="scenario", inputs=inputs.to_dict(),
                            base_plan_id=base_id, replace=replace,
                            meta={"roster": result.roster_summary.to_dict()})
    plan_id, name, replaced = saved.plan_id, saved.name, saved.replaced
    result.plan_id = plan_id
    audit.record(ws, user, "scenario", plan_id=plan_id, plan_name=name,
                 detail=f"scenario {sc.name!r} from {sc.source}"
                 + (f", replacing plan id {replaced}" if replaced is not None else ""))
    return plan_id


def scenario_plans(ws: Workspace) -> pd.DataFrame:
    """Saved scenario runs: plan_id, name (the scenario's), plan name, saved time."""
    plans = ws.list_plans()
    plans = plans[plans["source"] == "scenario"]
    rows = []
    for rec in plans.itertuples(index=False):
        record = PlanInputs.from_dict(ws.plan(int(rec.plan_id)).inputs).scenario
        rows.append({"plan_id": int(rec.plan_id),
                     "scenario": record.name if record is not None and record.name else rec.name,
                     "plan": rec.name, "updated_at": rec.updated_at})
    return pd.DataFrame(rows, columns=["plan_id", "scenario", "plan", "updated_at"])


def load_saved_daily(ws: Workspace, plan_id: int) -> pd.DataFrame:
    """The per queue and day summary saved with a scenario run."""
    frame = ws.load_frame(plan_id, "scenario_daily")
    if frame is None:
        raise ScenarioError(f"plan {plan_id} is not a saved scenario run (no scenario_daily)")
    return frame


def saved_scenario(ws: Workspace, plan_id: int) -> Scenario:
    """The scenario as it was run, parsed again from the saved YAML text."""
    info = ws.plan(plan_id)
    stored = PlanInputs.from_dict(info.inputs).scenario
    if stored is None:
        raise ScenarioError(f"plan {info.name!r} was not made by a scenario run")
    return parse_scenario(stored.yaml, source=stored.source or info.name,
                          folder=Path(stored.folder))


def reproduce_scenario(ws: Workspace, plan_id: int,
                       progress: StepProgress | None = None) -> ScenarioResult:
    """Run a saved scenario again from its stored YAML text.

    Refuses (ScenarioError naming the input) when an input file no longer has the
    hash recorded when the scenario was saved. Forecast and requirements come out
    identical. The roster is solved with the same seed and deterministic time limit;
    it is identical when the solver finishes its search (small plans) but may differ
    on a large plan stopped by the time limit, because the roster library takes the
    wall-clock time of its warm start out of the solver's budget. A roster that was
    warm-started from another scenario's in `run_scenarios` is solved again from
    scratch (or from the base plan's roster), so it may differ.
    """
    scenario = saved_scenario(ws, plan_id)
    saved = PlanInputs.from_dict(ws.plan(plan_id).inputs).scenario.input_hashes
    current = load_base(scenario, ws).hashes
    for key, record in saved.items():
        now = current.get(key, {})
        if now.get("sha256") != record.get("sha256"):
            raise ScenarioError(f"scenario {scenario.name!r}: input {key} "
                                f"({record.get('source')}) has changed since the run was "
                                "saved, so it cannot be reproduced exactly")
    return run_scenario(scenario, ws, progress=progress)
