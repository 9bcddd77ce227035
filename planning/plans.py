"""Saved plans: create one, run the steps it lacks, say where each step stands.

`run_plan` runs the steps a plan still lacks and saves each result in the workspace
as soon as it is ready, so a crash or a closed browser loses nothing and a second
start is instant. A plan's inputs (settings, shift templates, import summary, the
last failure) are read and written as `planning.contract.PlanInputs`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

from planning import privacy
from planning.contract import (
    ImportReport,
    PlanInputs,
    RosterSummary,
    StepError,
    StepState,
    StepStatus,
)
from planning.defaults import (
    agents_table,
    default_agents,
    default_queue_settings,
    read_queue_settings,
    sample_events,
    sample_shifts_text,
    shifts_for_history,
)
from planning.roster_step import check_sites, roster_step, team_from_table, team_proficiency
from planning.sample import load_sample_history
from planning.settings import SAMPLE_ROSTER_TIME_LIMIT, PlanSettings
from planning.steps import (
    Progress,
    apply_adjustments,
    backtest_step,
    forecast_step,
    parse_shifts,
    projection_step,
    requirements_step,
)
from planning.workspace import Workspace

StepProgress = Callable[[str, float], None]

STEPS = ("forecast", "requirements", "roster", "projection")
# The frames each step writes; a change to an earlier step makes later ones stale.
STEP_FRAMES = {
    "forecast": ("forecast", "backtest"),
    "requirements": ("requirements",),
    "roster": ("roster", "coverage", "violations"),
    "projection": ("projection",),
}
SAMPLE_PLAN = "Sample: next week"
STARTER_TEAM = "starter_team"  # meta of an agents frame the tool invented
# When the roster (or a step before it) is recomputed, the roster and projection in hand
# are kept under these names until a new roster is solved: a failed solve (a
# contradictory agent edit) then leaves the last good roster and projection on screen,
# marked out of date, beside the error.
KEPT = ("roster", "coverage", "violations", "projection")
KEPT_PREFIX = "last_good_"


# a plan's inputs ------------------------------------------------------------

def create_plan(ws: Workspace, name: str, history: pd.DataFrame, *,
                source: str, queue_settings: pd.DataFrame | None = None,
                agents: pd.DataFrame | None = None, shifts_text: str | None = None,
                events: pd.DataFrame | None = None,
                settings: PlanSettings | None = None,
                import_summary: ImportReport | None = None) -> int:
    """Save a new plan with its history and inputs; returns the plan id."""
    settings = settings or PlanSettings()
    inputs = PlanInputs(settings=settings, shifts_yaml=shifts_text,
                        import_summary=import_summary or None)
    plan_id = ws.create_plan(name, source=source, inputs=inputs.to_dict())
    ws.save_frame(plan_id, "history", history)
    if queue_settings is not None:
        ws.save_frame(plan_id, "queue_settings", queue_settings)
    if agents is not None:
        ws.save_frame(plan_id, "agents", _private_agents(ws, agents, settings))
    if events is not None:
        ws.save_frame(plan_id, "events", events)
    return plan_id


def plan_inputs(ws: Workspace, plan_id: int) -> PlanInputs:
    """What the plan was made from, besides its frames."""
    return PlanInputs.from_dict(ws.plan(plan_id).inputs)


def plan_settings(ws: Workspace, plan_id: int) -> PlanSettings:
    """The settings a plan's steps run with."""
    return plan_inputs(ws, plan_id).settings


def save_settings(ws: Workspace, plan_id: int, settings: PlanSettings,
                  stale_from: str | None = None) -> None:
    """Store new settings; drop the frames of `stale_from` and every later step."""
    ws.update_inputs(plan_id, settings=settings.to_dict())
    if stale_from is not None:
        invalidate(ws, plan_id, stale_from)


def save_shifts_text(ws: Workspace, plan_id: int, text: str | None) -> None:
    """Store the plan's shift templates (YAML text; None: derive them from the history
    on the next roster)."""
    ws.update_inputs(plan_id, shifts_yaml=text or None)


def roster_summary(ws: Workspace, plan_id: int) -> RosterSummary:
    """How good the plan's saved roster is (empty when it has none)."""
    return RosterSummary.from_dict(ws.frame_meta(plan_id, "roster"))


def adjust_forecast(ws: Workspace, plan_id: int, adjustment: dict[str, Any]) -> pd.DataFrame:
    """Apply one manual adjustment to the plan's saved forecast and record it.

    The adjustment is kept in the plan's settings, so recomputing the forecast
    applies it again; requirements, roster and projection become stale.
    """
    forecast = ws.load_frame(plan_id, "forecast")
    if forecast is None:
        raise ValueError("the plan has no forecast to adjust yet")
    adjustment = {k: (str(v) if isinstance(v, pd.Timestamp) else v)
                  for k, v in adjustment.items()}
    adjusted = apply_adjustments(forecast, [adjustment])
    settings = plan_settings(ws, plan_id)
    settings.adjustments.append(adjustment)
    meta = ws.frame_meta(plan_id, "forecast") or {}
    ws.save_frame(plan_id, "forecast", adjusted, meta=meta)
    save_settings(ws, plan_id, settings, stale_from="requirements")
    return adjusted


# agent names --------------------------------------------------------------

def _private_agents(ws: Workspace, agents: pd.DataFrame,
                    settings: PlanSettings) -> pd.DataFrame:
    if not settings.pseudonymise_agents or "name" not in agents.columns:
        return agents
    return privacy.pseudonymise_agents(agents, privacy.workspace_key(ws.folder))


def save_agents(ws: Workspace, plan_id: int, agents: pd.DataFrame) -> pd.DataFrame:
    """Save a plan's agents table; with the plan's `pseudonymise_agents` setting on, the
    names are replaced by the workspace's pseudonyms first. Returns what was saved."""
    saved = _private_agents(ws, agents, plan_settings(ws, plan_id))
    ws.save_frame(plan_id, "agents", saved)
    return saved


def starter_team(ws: Workspace, plan_id: int) -> int:
    """The size of the plan's team when the tool invented it (a starter team sized on the
    requirements), 0 when the planner gave the team (or there is none yet)."""
    meta = ws.frame_meta(plan_id, "agents") or {}
    agents = ws.load_frame(plan_id, "agents")
    if agents is None or not len(agents):
        return 0
    if meta.get(STARTER_TEAM):
        return len(agents)
    # plans saved before the meta existed: the starter team's own ids and names
    ids = [f"A{i:03d}" for i in range(1, len(agents) + 1)]
    names = [f"Agent {i}" for i in range(1, len(agents) + 1)]
    invented = (list(agents["agent_id"].astype(str)) == ids and "name" in agents
                and list(agents["name"].astype(str)) == names)
    return len(agents) if invented else 0


def set_pseudonymise_agents(ws: Workspace, plan_id: int, on: bool) -> None:
    """Turn a plan's agent-name pseudonyms on or off. Turning them on replaces the names
    already saved with the plan (there is no way back: the names are not kept);
    `agent_id` and the roster are unchanged; the workspace file is rewritten so the
    names do not linger in its free pages."""
    settings = plan_settings(ws, plan_id)
    settings.pseudonymise_agents = bool(on)
    ws.update_inputs(plan_id, settings=settings.to_dict())
    agents = ws.load_frame(plan_id, "agents")
    if on and agents is not None:
        save_agents(ws, plan_id, agents)
        ws.compact()  # the names replaced must not stay in the file's free pages


# where the steps stand ----------------------------------------------------

def invalidate(ws: Workspace, plan_id: int, step: str) -> None:
    """Forget the results of `step` and every step after it. A roster and projection in
    hand are kept aside (`kept_results`) until the next roster is solved."""
    later = STEPS[STEPS.index(step):]
    _keep_last_good(ws, plan_id)
    ws.drop_frames(plan_id, [kind for s in later for kind in STEP_FRAMES[s]])
    ws.update_inputs(plan_id, step_error=None)


def _keep_last_good(ws: Workspace, plan_id: int) -> None:
    have = ws.versions(plan_id)
    if "roster" not in have:
        return  # nothing newer than what is kept already
    for kind in KEPT:
        if kind in have:
            ws.save_frame(plan_id, KEPT_PREFIX + kind, ws.load_frame(plan_id, kind),
                          meta=ws.frame_meta(plan_id, kind))
        elif KEPT_PREFIX + kind in have:
            ws.drop_frames(plan_id, [KEPT_PREFIX + kind])


def kept_results(ws: Workspace, plan_id: int) -> dict[str, pd.DataFrame]:
    """The last good roster, coverage, violations and projection kept while the plan's
    roster is recomputed (empty once a new roster is solved, or if there was none)."""
    have = ws.versions(plan_id)
    return {kind: ws.load_frame(plan_id, KEPT_PREFIX + kind) for kind in KEPT
            if KEPT_PREFIX + kind in have}


def kept_roster_summary(ws: Workspace, plan_id: int) -> RosterSummary:
    """How good the kept (out of date) roster was."""
    return RosterSummary.from_dict(ws.frame_meta(plan_id, KEPT_PREFIX + "roster"))


def _drop_kept(ws: Workspace, plan_id: int) -> None:
    have = ws.versions(plan_id)
    stale = [KEPT_PREFIX + kind for kind in KEPT if KEPT_PREFIX + kind in have]
    if stale:
        ws.drop_frames(plan_id, stale)


def missing_steps(ws: Workspace, plan_id: int) -> list[str]:
    """Steps whose main frame the plan does not hold yet, in order."""
    have = ws.versions(plan_id)
    return [step for step in STEPS if STEP_FRAMES[step][0] not in have]


def plan_status(ws: Workspace, plan_id: int) -> dict[str, StepStatus]:
    """What each step of a saved plan holds: kept, an error (kept from the last run
    until the plan's inputs change), waiting for a failed step, or missing."""
    have = ws.versions(plan_id)
    failure = plan_inputs(ws, plan_id).step_error
    status: dict[str, StepStatus] = {}
    blocked = None
    for step in STEPS:
        if STEP_FRAMES[step][0] in have:
            status[step] = StepStatus(StepState.KEPT)
        elif blocked:
            status[step] = StepStatus(StepState.WAITING, waiting_for=blocked)
        elif failure is not None and failure.step == step:
            status[step] = StepStatus(StepState.ERROR, message=failure.message)
            blocked = step
        else:
            status[step] = StepStatus(StepState.MISSING)
    return status


# running the steps --------------------------------------------------------

def run_plan(ws: Workspace, plan_id: int, *, until: str = "projection",
             progress: StepProgress | None = None,
             retry_failed: bool = True,
             mapper: Callable[[Callable, list], list] | None = None) -> dict[str, StepStatus]:
    """Run the steps the plan lacks, up to and including `until`; save each result.

    Returns each step's status: done, kept, an error, or waiting for a failed step. A
    step that fails with a planner's error (ValueError: bad settings, rules that cannot
    all hold) stops the steps after it, which need its result. The failure is kept with
    the plan until its inputs change; with `retry_failed=False` a kept failure is
    reported, not run again.

    One plan is computed by one caller at a time (two browser tabs opening the same
    plan): the second waits and then finds the first one's results saved. `mapper` (a
    cluster's, see `planning.cluster`) runs the per-queue forecasts and roster parts;
    only this process writes the workspace.
    """
    with _plan_lock(ws, plan_id):
        if not retry_failed:
            known = plan_status(ws, plan_id)
            if any(v.failed for v in known.values()):
                return known
        return _run_plan(ws, plan_id, until, progress, mapper)


_PLAN_LOCKS: dict[tuple[str, int], threading.Lock] = {}
_PLAN_LOCKS_GUARD = threading.Lock()


def _plan_lock(ws: Workspace, plan_id: int) -> threading.Lock:
    key = (str(ws.folder.resolve()), int(plan_id))
    with _PLAN_LOCKS_GUARD:
        return _PLAN_LOCKS.setdefault(key, threading.Lock())


class _PlanFrames:
    """The plan's frames, each loaded once from the workspace and saved through here."""

    def __init__(self, ws: Workspace, plan_id: int) -> None:
        self.ws, self.plan_id = ws, plan_id
        self.have = ws.versions(plan_id)
        self.loaded: dict[str, pd.DataFrame | None] = {}
        self.mapper: Callable[[Callable, list], list] | None = None  # where tasks run

    def get(self, kind: str) -> pd.DataFrame | None:
        if kind not in self.loaded:
            self.loaded[kind] = (self.ws.load_frame(self.plan_id, kind) if kind in self.have
                                 else None)
        return self.loaded[kind]

    def save(self, kind: str, frame: pd.DataFrame, meta: dict[str, Any] | None = None) -> None:
        self.ws.save_frame(self.plan_id, kind, frame, meta=meta)
        self.loaded[kind] = frame

    def save_all(self, frames: dict[str, pd.DataFrame],
                 meta: dict[str, dict[str, Any]] | None = None) -> None:
        """Save a step's frames in one transaction: all of them, or none."""
        self.ws.save_frames(self.plan_id, frames, meta=meta)
        self.loaded.update(frames)


def _run_plan(ws: Workspace, plan_id: int, until: str, progress: StepProgress | None,
              mapper: Callable[[Callable, list], list] | None = None
              ) -> dict[str, StepStatus]:
    report = progress or (lambda step, fraction: None)
    inputs = plan_inputs(ws, plan_id)
    frames = _PlanFrames(ws, plan_id)
    frames.mapper = mapper
    status: dict[str, StepStatus] = {}
    later_steps = list(STEPS[: STEPS.index(until) + 1])
    for step in later_steps:
        if STEP_FRAMES[step][0] in frames.have:
            status[step] = StepStatus(StepState.KEPT)
            continue
        try:
            report(step, 0.0)
            _STEP_RUNNERS[step](frames, inputs, _step_callback(report, step))
            report(step, 1.0)
            status[step] = StepStatus(StepState.DONE)
            if inputs.step_error is not None and inputs.step_error.step == step:
                ws.update_inputs(plan_id, step_error=None)
                inputs.step_error = None
            frames.have = ws.versions(plan_id)
            if step == "projection":
                _drop_kept(ws, plan_id)  # a new roster and its projection are in hand
        except (ValueError, FileNotFoundError) as exc:
            # A planner's problem (bad settings, rules that cannot all hold): say it on the
            # step's page; the later steps wait for it.
            status[step] = StepStatus(StepState.ERROR, message=str(exc))
            ws.update_inputs(plan_id, step_error=StepError(step, str(exc)).to_dict())
            for later in later_steps[later_steps.index(step) + 1:]:
                status[later] = StepStatus(StepState.WAITING, waiting_for=step)
            break
        except (ArithmeticError, RuntimeError) as exc:
            if step != "roster":
                raise
            # The solver itself stopped (not the planner's inputs): say so on the roster
            # page like a planner's error, so the last good roster stays on screen.
            message = f"the roster solver stopped unexpectedly ({type(exc).__name__}: {exc})"
            status[step] = StepStatus(StepState.ERROR, message=message)
            ws.update_inputs(plan_id, step_error=StepError(step, message).to_dict())
            for later in later_steps[later_steps.index(step) + 1:]:
                status[later] = StepStatus(StepState.WAITING, waiting_for=step)
            break
    return status


def _run_forecast(frames: _PlanFrames, inputs: PlanInputs, on: Progress) -> None:
    settings = inputs.settings
    history = frames.get("history")
    result = forecast_step(history, settings, frames.get("events"), progress=on,
                           mapper=frames.mapper)
    frames.save("forecast", result, meta={"model": settings.model,
                                          "days": settings.forecast_days})
    if settings.backtest_folds > 0:
        frames.save("backtest", backtest_step(history, settings, frames.get("events"),
                                              mapper=frames.mapper))


def _run_requirements(frames: _PlanFrames, inputs: PlanInputs, on: Progress) -> None:
    queue_settings = frames.get("queue_settings")
    if queue_settings is None:
        channels = inputs.import_summary.channels if inputs.import_summary else {}
        queue_settings = default_queue_settings(
            sorted(set(frames.get("forecast")["queue"].astype(str))), channels)
        frames.save("queue_settings", queue_settings)
    notes: list[str] = []
    frames.save("requirements", requirements_step(frames.get("forecast"), queue_settings,
                                                  progress=on, notes=notes),
                meta={"notes": notes})


def _run_roster(frames: _PlanFrames, inputs: PlanInputs, on: Progress) -> None:
    settings = inputs.settings
    agents = frames.get("agents")
    if agents is None:
        agents = _private_agents(frames.ws, default_agents(frames.get("requirements")),
                                 settings)
        # an invented team: the pages say so until the planner gives the real one
        frames.save("agents", agents, meta={STARTER_TEAM: True})
    shifts_text = inputs.shifts_yaml
    if not shifts_text:
        shifts_text = shifts_for_history(frames.get("history"))
        save_shifts_text(frames.ws, frames.plan_id, shifts_text)
        inputs.shifts_yaml = shifts_text
    team = team_from_table(agents)
    check_sites(team, frames.get("queue_settings"))
    # Wall-clock time: the planner waits in front of the screen for this many seconds.
    outcome = roster_step(frames.get("requirements"), team,
                          parse_shifts(shifts_text), time_limit=settings.roster_time_limit,
                          seed=settings.seed, deterministic=False, progress=on,
                          mapper=frames.mapper)
    frames.save_all({"roster": outcome.roster, "coverage": outcome.coverage,
                     "violations": outcome.violations},
                    meta={"roster": outcome.summary.to_dict()})


def _run_projection(frames: _PlanFrames, inputs: PlanInputs, on: Progress) -> None:
    proficiency = team_proficiency(frames.get("agents"))
    frames.save("projection", projection_step(frames.get("roster"), frames.get("forecast"),
                                              frames.get("queue_settings"), progress=on,
                                              proficiency=proficiency))


_STEP_RUNNERS: dict[str, Callable[[_PlanFrames, PlanInputs, Progress], None]] = {
    "forecast": _run_forecast,
    "requirements": _run_requirements,
    "roster": _run_roster,
    "projection": _run_projection,
}


def _step_callback(report: StepProgress, step: str) -> Progress:
    def on(fraction: float) -> None:
        report(step, min(max(float(fraction), 0.0), 1.0))
    return on


# the bundled sample -------------------------------------------------------

def sample_settings() -> PlanSettings:
    """The opening plan: one week ahead with a quick model and a short roster time limit."""
    return PlanSettings(forecast_days=7, model="profile", backtest_days=7,
                        backtest_folds=2, roster_time_limit=SAMPLE_ROSTER_TIME_LIMIT, seed=0)


def open_sample_plan(ws: Workspace, progress: StepProgress | None = None,
                     compute: bool = True) -> int:
    """The bundled sample as a plan, computing whatever it still lacks (unless `compute`
    is False, for a caller that runs `run_plan` itself to see each step's status).

    The first start builds it (about a minute); later starts find it saved.
    """
    info = ws.find_plan(SAMPLE_PLAN)
    if info is None:
        try:
            plan_id = create_plan(ws, SAMPLE_PLAN, load_sample_history(), source="sample",
                                  queue_settings=_optional(read_queue_settings),
                                  agents=_optional(agents_table),
                                  shifts_text=_optional(sample_shifts_text),
                                  events=_optional(sample_events),
                                  settings=sample_settings())
        except ValueError:
            found = ws.find_plan(SAMPLE_PLAN)  # another tab created it meanwhile
            if found is None:
                raise
            plan_id = found.plan_id
    else:
        plan_id = info.plan_id
    if compute and missing_steps(ws, plan_id):
        run_plan(ws, plan_id, progress=progress)
    return plan_id


_T = TypeVar("_T")


def _optional(func: Callable[[], _T]) -> _T | None:
    """What `func` reads from the sample, or None when the sample does not ship it."""
    try:
        return func()
    except FileNotFoundError:
        return None
