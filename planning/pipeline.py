"""The planning pipeline: history -> forecast -> requirements -> roster -> projection.

Each step is one function over frames that calls the library doing the work
(`forecasting`, `scheduling`) and takes an optional progress callback
(`progress(fraction)` with 0-1). `run_plan` runs the steps a plan still lacks
and saves each result in the workspace as soon as it is ready, so a crash or a
closed browser loses nothing and a second start is instant.

A step whose library is not installed in this build raises `StepUnavailable`;
the dashboard says so plainly instead of inventing numbers.
"""

from __future__ import annotations

import importlib
import io
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from planning import privacy, uploads
from planning.files import neutralise_formulas
from planning.sample import sample_file
from planning.workspace import Workspace

Progress = Callable[[float], None]
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
# Quick models whose backtest accuracy the Forecast page shows.
BACKTEST_MODELS = ("seasonal_naive", "weekday_mean", "profile")


class StepUnavailable(RuntimeError):
    """A planning step whose library is not part of this build yet."""

    def __init__(self, step: str, detail: str = "") -> None:
        self.step = step
        super().__init__(f"the {step} step is not available yet" + (f" ({detail})" if detail
                                                                    else ""))


@dataclass
class PlanSettings:
    """What a plan's steps are run with; saved with the plan so it can be reproduced."""

    forecast_start: str | None = None  # first forecast day; default the day after the history
    forecast_days: int = 7
    model: str = "auto"
    backtest_days: int = 7
    backtest_folds: int = 2
    roster_time_limit: float = 25.0
    seed: int = 0
    country: str | None = "CN"  # public holidays for the forecast; None for none
    shopping: bool = True  # Double 11, 618 and 12.12 with their windows
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    pseudonymise_agents: bool = False  # agent names stored as keyed pseudonyms

    @classmethod
    def from_inputs(cls, inputs: dict[str, Any]) -> PlanSettings:
        known = {k: v for k, v in inputs.get("settings", {}).items()
                 if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_inputs(self) -> dict[str, Any]:
        return asdict(self)


def _noop(_: float) -> None:
    return None


def _library(module: str, step: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module or module.startswith(exc.name + ".")):
            raise StepUnavailable(step, f"{module} is not installed") from exc
        raise


def _call(func: Callable[..., Any], *args: Any, progress: Progress | None = None,
          **kwargs: Any) -> Any:
    """Call a library function, passing `progress` only if it takes one."""
    import inspect

    params = inspect.signature(func).parameters
    if progress is not None and "progress" in params:
        kwargs["progress"] = progress
    kwargs = {k: v for k, v in kwargs.items()
              if k in params or any(p.kind == p.VAR_KEYWORD for p in params.values())}
    return func(*args, **kwargs)


# import -------------------------------------------------------------------

def import_history(data: bytes | str | Path, file_name: str, *, profile: str | None = None,
                   interval: str = "30min", max_mb: float | None = None,
                   profile_yaml: str | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read an uploaded contact log or interval file into the interval history.

    The file is checked first (`planning.uploads.check_upload`: size limit, an
    accepted format by name and by content) and then parsed, never run. Only the
    columns the import profile names are read, so customer identifiers stay out.
    `profile_yaml` is the text of a planner's own profile (loaded safely; it
    overrides `profile`). Returns the history and the importer's summary (rows
    read, used and excluded and why). Raises ValueError, whose message names file,
    row and column, when the file cannot be used.
    """
    import tempfile

    history_lib = _library("forecasting.history", "import")
    upload = not isinstance(data, (str, Path))
    name = uploads.check_upload(data, file_name if upload else None, max_mb=max_mb)
    with tempfile.TemporaryDirectory(prefix="wfm-upload-") as tmp:
        names: dict[str, str] = {}
        if profile_yaml is not None:
            profile = str(Path(tmp) / "profile.yaml")
            _write_private(Path(profile), profile_yaml.encode("utf-8"))
            names[profile] = "the edited import profile"
        if upload:
            path = Path(tmp) / name
            _write_private(path, data)
            names[str(path)] = name
        else:
            path = Path(data)

        def shown(text: str) -> str:
            for temp, label in names.items():
                text = text.replace(temp, label)
            return text

        try:
            result = _call(history_lib.ingest, path, profile=profile, interval=interval)
        except history_lib.HistoryError as exc:
            raise history_lib.HistoryError(shown(exc.reason), file=shown(exc.file or "") or None,
                                           row=exc.row, column=exc.column) from None
        except ValueError as exc:
            raise ValueError(shown(str(exc))) from None
        history, summary = _split_ingest_result(result)
        if "text" in summary:
            summary["text"] = shown(summary["text"])
        if upload:
            summary["file"] = name
        return history, summary


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (the upload holds customer data)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _split_ingest_result(result: Any) -> tuple[pd.DataFrame, dict[str, Any]]:
    if isinstance(result, tuple):
        history, raw = result[0], result[1]
    else:
        history, raw = getattr(result, "history", result), getattr(result, "summary", {})
    summary: dict[str, Any] = {}
    if hasattr(raw, "__dataclass_fields__"):
        summary = asdict(raw)
        for extra in ("rows_excluded",):
            if hasattr(raw, extra):
                summary[extra] = getattr(raw, extra)
        summary["text"] = str(raw)
    elif isinstance(raw, dict):
        summary = dict(raw)
    return history, summary


def import_profiles() -> list[str]:
    """Names of the import profiles the importer ships (empty if it is not installed)."""
    try:
        profiles = _library("forecasting.history", "import")
    except StepUnavailable:
        return []
    return list(profiles.shipped_profiles())


def profile_text(name: str) -> str:
    """The YAML text of a shipped import profile, as a starting point for editing."""
    profiles = _library("forecasting.history", "import")
    path = profiles.shipped_profiles().get(name)
    if path is None:
        raise ValueError(f"no shipped import profile called {name!r}; "
                         f"expected one of {list(profiles.shipped_profiles())}")
    return Path(path).read_text(encoding="utf-8")


# forecast -----------------------------------------------------------------

def forecast_start(history: pd.DataFrame, settings: PlanSettings) -> pd.Timestamp:
    """The first forecast day: as set, else the day after the history's last interval."""
    if settings.forecast_start:
        return pd.Timestamp(settings.forecast_start).normalize()
    return (history["interval_start"].max() + pd.Timedelta(days=1)).normalize()


def calendar_for(settings: PlanSettings, events: pd.DataFrame | None) -> Any:
    """The forecasting calendar: public holidays of the plan's country, shopping events
    and the planner's own events."""
    lib = _library("forecasting.calendar", "forecast")
    return lib.Calendar(country=settings.country or None, shopping=settings.shopping,
                        events=events)


def forecast_step(history: pd.DataFrame, settings: PlanSettings,
                  events: pd.DataFrame | None = None,
                  progress: Progress | None = None) -> pd.DataFrame:
    """The interval forecast for `settings.forecast_days` days, adjustments applied."""
    lib = _library("forecasting.forecaster", "forecast")
    start = forecast_start(history, settings)
    result = _call(lib.forecast, history, start=start, days=settings.forecast_days,
                   model=settings.model, calendar=calendar_for(settings, events),
                   progress=progress or _noop)
    frame = result if isinstance(result, pd.DataFrame) else result.forecast
    return apply_adjustments(frame, settings.adjustments)


def backtest_step(history: pd.DataFrame, settings: PlanSettings,
                  events: pd.DataFrame | None = None,
                  progress: Progress | None = None) -> pd.DataFrame:
    """Each quick model's rolling-origin WAPE per queue (one row per model and queue).

    Columns: model, queue, day_type, wape, coverage, intervals, fit_seconds.
    """
    lib = _library("forecasting.backtest", "backtest")
    models = [m for m in BACKTEST_MODELS if m in _known_models()]
    calendar = calendar_for(settings, events)
    cv, _notes = _call(lib.cross_validate, history, models, days=settings.backtest_days,
                       folds=settings.backtest_folds, calendar=calendar,
                       progress=progress or _noop)
    return lib.score(cv, calendar, by_day_type=False)


def _known_models() -> list[str]:
    try:
        return list(_library("forecasting.models", "forecast").MODELS)
    except StepUnavailable:
        return []


def apply_adjustments(forecast: pd.DataFrame, adjustments: list[dict[str, Any]]) -> pd.DataFrame:
    """Scale the forecast by a percentage over a day or interval range, per queue or all.

    Each adjustment is `{"start": ..., "end": ..., "percent": 10, "queue": None}`:
    contacts and the band in [start, end) grow by `percent` (negative shrinks).
    Applied in order, so two adjustments of the same range compound.
    """
    out = forecast.copy()
    for adj in adjustments:
        start, end = pd.Timestamp(adj["start"]), pd.Timestamp(adj["end"])
        percent = float(adj["percent"])
        if end <= start:
            raise ValueError(f"forecast adjustment: end {end} is not after start {start}")
        if percent <= -100:
            raise ValueError(f"forecast adjustment: {percent}% would leave no contacts; "
                             "expected more than -100%")
        mask = (out["interval_start"] >= start) & (out["interval_start"] < end)
        queue = adj.get("queue")
        if queue:
            if queue not in set(out["queue"]):
                raise ValueError(f"forecast adjustment: unknown queue {queue!r}; the forecast "
                                 f"has {sorted(set(out['queue']))}")
            mask &= out["queue"] == queue
        factor = 1.0 + percent / 100.0
        for col in ("contacts", "contacts_lo", "contacts_hi"):
            if col in out.columns:
                out[col] = out[col].astype(float).where(~mask, out[col] * factor)
    return out


# requirements -------------------------------------------------------------

def read_queue_settings(path: str | Path | None = None) -> pd.DataFrame:
    """Queue settings from a CSV/YAML file (the sample's when no path is given)."""
    lib = _library("scheduling.queue_settings", "requirements")
    path = Path(path) if path is not None else sample_file("queues.csv")
    return lib.read_queue_settings(path)


def check_queue_settings(frame: pd.DataFrame, source: str = "queue settings") -> pd.DataFrame:
    """Validate edited queue settings (defaults filled per channel); raises ValueError."""
    lib = _library("scheduling.queue_settings", "requirements")
    return lib.queue_settings_frame(frame, source=source)


def default_queue_settings(queues: list[str],
                           channels: dict[str, str] | None = None) -> pd.DataFrame:
    """Settings for queues of an uploaded history: each channel's defaults (voice when the
    file does not say)."""
    channels = channels or {}
    frame = pd.DataFrame({"queue": queues,
                          "channel": [channels.get(q, "voice") for q in queues]})
    for col in ("service_level", "target_seconds", "asa_seconds", "max_occupancy",
                "shrinkage", "concurrency", "patience_seconds"):
        frame[col] = np.nan
    return check_queue_settings(frame)


def requirements_step(forecast: pd.DataFrame, queue_settings: pd.DataFrame,
                      progress: Progress | None = None) -> pd.DataFrame:
    """Agents on line and staff after shrinkage per queue and interval."""
    lib = _library("scheduling.staffing", "requirements")
    func = getattr(lib, "requirements", None) or lib.staff_requirements
    result = _call(func, forecast, queue_settings, progress=progress or _noop)
    return result if isinstance(result, pd.DataFrame) else result.requirements


# roster -------------------------------------------------------------------

@dataclass
class RosterOutcome:
    """A solved roster and what the planner needs to judge it."""

    roster: pd.DataFrame
    coverage: pd.DataFrame
    violations: pd.DataFrame
    summary: dict[str, Any]


def read_agents(path: str | Path | None = None) -> pd.DataFrame:
    """The agents file as a table the planner can edit (the sample's by default)."""
    path = Path(path) if path is not None else sample_file("agents.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def sample_shifts_text() -> str:
    """The sample's shift templates (YAML text, editable on the Roster page)."""
    try:
        return sample_file("shifts.yaml").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise StepUnavailable("roster", "the sample has no shift templates") from exc


def parse_shifts(text: str) -> Any:
    """Shift templates from YAML text, validated by the roster library."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"shift templates: not valid YAML: {exc}") from exc
    lib = _library("scheduling.roster.templates", "roster")
    return lib.shift_settings(data, source="shift templates")


def shifts_for_history(history: pd.DataFrame, base_text: str | None = None) -> str:
    """Shift templates for an uploaded history: the sample's templates and rules, with
    each queue open from its first to its last busy interval of the day."""
    data = yaml.safe_load(base_text or sample_shifts_text()) or {}
    minutes = interval_minutes(history)
    clock = history["interval_start"].dt.hour * 60 + history["interval_start"].dt.minute
    shape = history.assign(clock=clock).groupby(["queue", "clock"], observed=True)[
        "contacts"].mean()
    queues = {}
    for queue, rows in shape.groupby(level="queue", sort=True, observed=True):
        rows = rows.droplevel("queue")
        # Open while a day brings at least 2% of the busiest interval's contacts: a stray
        # call at midnight does not keep a queue open all night.
        busy = rows[rows >= max(0.02 * rows.max(), 1e-9)]
        if busy.empty:
            continue
        open_, close = int(busy.index.min()), int(busy.index.max()) + minutes
        queues[str(queue)] = {"open": f"{open_ // 60:02d}:{open_ % 60:02d}",
                              "close": f"{close // 60:02d}:{close % 60:02d}"}
    data["queues"] = queues
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def default_agents(requirements: pd.DataFrame, hours_per_week: float = 40.0) -> pd.DataFrame:
    """A starting team for an uploaded history: enough agents for the week's staff hours.

    Each agent is skilled in every queue, works 32-40 hours on at most five days.
    The planner edits the table on the Roster page before solving.
    """
    queues = sorted(set(requirements["queue"]))
    minutes = interval_minutes(requirements)
    staff_hours = requirements["staff"].sum() * minutes / 60.0
    days = max(1, requirements["interval_start"].dt.normalize().nunique())
    weekly_hours = staff_hours * 7.0 / days
    count = max(1, int(np.ceil(weekly_hours / hours_per_week * 1.05)))
    return pd.DataFrame({
        "agent_id": [f"A{i:03d}" for i in range(1, count + 1)],
        "name": [f"Agent {i}" for i in range(1, count + 1)],
        "queues": ";".join(queues),
        "min_hours_week": 32,
        "max_hours_week": int(hours_per_week),
        "max_days_week": 5,
        "unavailable": "",
    })


def roster_step(requirements: pd.DataFrame, agents: pd.DataFrame, shifts: Any,
                time_limit: float = 25.0, seed: int = 0,
                progress: Progress | None = None) -> RosterOutcome:
    """The best weekly roster within the time limit, its coverage, the hard-rule check
    of an independent checker, and the gap to the solver's lower bound."""
    inputs = _library("scheduling.roster.inputs", "roster")
    solve = _library("scheduling.roster.solve", "roster")
    team = inputs.agents_from_frame(agents.fillna("").astype(str), source="agents table")
    # A wall-clock limit: the planner waits in front of the screen for this many seconds.
    # On a busy machine that may be too short to find any roster; then try once more
    # with three times the time before giving up with the solver's message.
    try:
        result = _call(solve.solve_roster, requirements, team, shifts, time_limit=time_limit,
                       seed=seed, deterministic=False, progress=progress or _noop)
    except ValueError as exc:
        if "no roster found within the time limit" not in str(exc):
            raise
        result = _call(solve.solve_roster, requirements, team, shifts,
                       time_limit=3 * time_limit, seed=seed, deterministic=False,
                       progress=progress or _noop)
    violations = pd.DataFrame(columns=["agent_id", "rule", "date", "detail"])
    try:
        checker = _library("scheduling.roster.checker", "roster")
        days = max(1, requirements["interval_start"].dt.normalize().nunique())
        found = checker.check_roster(result.roster, team, shifts,
                                     start=requirements["interval_start"].min(), days=days)
        if found:
            violations = pd.DataFrame([asdict(v) for v in found])
    except StepUnavailable:
        pass
    summary = {key: getattr(result, key) for key in (
        "status", "under_hours", "over_hours", "paid_hours", "under_weighted", "under_bound",
        "gap", "seconds", "decomposition") if hasattr(result, key)}
    summary = {k: (v if isinstance(v, (int, float, str)) else str(v)) for k, v in summary.items()}
    return RosterOutcome(result.roster, result.coverage, violations, summary)


def interval_minutes(frame: pd.DataFrame) -> int:
    """The frame's interval length in minutes (30 when it has a single interval)."""
    from scheduling.frames import interval_minutes as minutes

    return minutes(frame, default=30)


# projection ---------------------------------------------------------------

def projection_step(roster: pd.DataFrame, forecast: pd.DataFrame, queue_settings: pd.DataFrame,
                    progress: Progress | None = None) -> pd.DataFrame:
    """Projected service level, ASA, wait percentiles and abandonment per queue and interval."""
    lib = _library("scheduling.projection", "projection")
    func = getattr(lib, "project", None) or lib.projection
    result = _call(func, roster, forecast, queue_settings, progress=progress or _noop)
    return result if isinstance(result, pd.DataFrame) else result.projection


# plans --------------------------------------------------------------------

def create_plan(ws: Workspace, name: str, history: pd.DataFrame, *,
                source: str, queue_settings: pd.DataFrame | None = None,
                agents: pd.DataFrame | None = None, shifts_text: str | None = None,
                events: pd.DataFrame | None = None,
                settings: PlanSettings | None = None,
                import_summary: dict[str, Any] | None = None) -> int:
    """Save a new plan with its history and inputs; returns the plan id."""
    settings = settings or PlanSettings()
    inputs: dict[str, Any] = {"settings": settings.to_inputs()}
    if shifts_text is not None:
        inputs["shifts_yaml"] = shifts_text
    if import_summary:
        inputs["import_summary"] = import_summary
    plan_id = ws.create_plan(name, source=source, inputs=inputs)
    ws.save_frame(plan_id, "history", history)
    if queue_settings is not None:
        ws.save_frame(plan_id, "queue_settings", queue_settings)
    if agents is not None:
        ws.save_frame(plan_id, "agents", _private_agents(ws, agents, settings))
    if events is not None:
        ws.save_frame(plan_id, "events", events)
    return plan_id


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


def set_pseudonymise_agents(ws: Workspace, plan_id: int, on: bool) -> None:
    """Turn a plan's agent-name pseudonyms on or off. Turning them on replaces the names
    already saved with the plan (there is no way back: the names are not kept);
    `agent_id` and the roster are unchanged; the workspace file is rewritten so the
    names do not linger in its free pages."""
    settings = plan_settings(ws, plan_id)
    settings.pseudonymise_agents = bool(on)
    ws.update_inputs(plan_id, settings=settings.to_inputs())
    agents = ws.load_frame(plan_id, "agents")
    if on and agents is not None:
        save_agents(ws, plan_id, agents)
        ws.compact()  # the names replaced must not stay in the file's free pages


def plan_settings(ws: Workspace, plan_id: int) -> PlanSettings:
    """The settings a plan's steps run with."""
    return PlanSettings.from_inputs(ws.plan(plan_id).inputs)


def save_settings(ws: Workspace, plan_id: int, settings: PlanSettings,
                  stale_from: str | None = None) -> None:
    """Store new settings; drop the frames of `stale_from` and every later step."""
    ws.update_inputs(plan_id, settings=settings.to_inputs())
    if stale_from is not None:
        invalidate(ws, plan_id, stale_from)


def invalidate(ws: Workspace, plan_id: int, step: str) -> None:
    """Forget the results of `step` and every step after it."""
    later = STEPS[STEPS.index(step):]
    ws.drop_frames(plan_id, [kind for s in later for kind in STEP_FRAMES[s]])
    ws.update_inputs(plan_id, step_error=None)


def missing_steps(ws: Workspace, plan_id: int) -> list[str]:
    """Steps whose main frame the plan does not hold yet, in order."""
    have = ws.versions(plan_id)
    return [step for step in STEPS if STEP_FRAMES[step][0] not in have]


def run_plan(ws: Workspace, plan_id: int, *, until: str = "projection",
             progress: StepProgress | None = None, retry_failed: bool = True) -> dict[str, str]:
    """Run the steps the plan lacks, up to and including `until`; save each result.

    Returns `step -> "done" | "kept" | "unavailable: ..." | "error: message" |
    "blocked: step" | "waiting: step"`. A step that is unavailable or fails with a
    planner's error (ValueError: bad settings, rules that cannot all hold) stops the
    steps after it, which need its result. The failure is kept with the plan until
    its inputs change; with `retry_failed=False` a kept failure is reported, not
    run again.

    One plan is computed by one caller at a time (two browser tabs opening the same
    plan): the second waits and then finds the first one's results saved.
    """
    with _plan_lock(ws, plan_id):
        if not retry_failed:
            known = plan_status(ws, plan_id)
            if any(v.startswith("error") for v in known.values()):
                return known
        return _run_plan(ws, plan_id, until, progress)


_PLAN_LOCKS: dict[tuple[str, int], threading.Lock] = {}
_PLAN_LOCKS_GUARD = threading.Lock()


def _plan_lock(ws: Workspace, plan_id: int) -> threading.Lock:
    key = (str(ws.folder.resolve()), int(plan_id))
    with _PLAN_LOCKS_GUARD:
        return _PLAN_LOCKS.setdefault(key, threading.Lock())


def plan_status(ws: Workspace, plan_id: int) -> dict[str, str]:
    """What each step of a saved plan holds: "kept", "error: message" (kept from the
    last run until the plan's inputs change), "waiting: step" or "missing"."""
    have = ws.versions(plan_id)
    failure = ws.plan(plan_id).inputs.get("step_error") or {}
    status: dict[str, str] = {}
    blocked = None
    for step in STEPS:
        if STEP_FRAMES[step][0] in have:
            status[step] = "kept"
        elif blocked:
            status[step] = f"waiting: {blocked}"
        elif failure.get("step") == step:
            status[step] = f"error: {failure.get('message', '')}"
            blocked = step
        else:
            status[step] = "missing"
    return status


def _run_plan(ws: Workspace, plan_id: int, until: str,
              progress: StepProgress | None) -> dict[str, str]:
    report = progress or (lambda step, fraction: None)
    info = ws.plan(plan_id)
    settings = PlanSettings.from_inputs(info.inputs)
    status: dict[str, str] = {}
    have = ws.versions(plan_id)
    frames: dict[str, pd.DataFrame | None] = {}

    def frame(kind: str) -> pd.DataFrame | None:
        if kind not in frames:
            frames[kind] = ws.load_frame(plan_id, kind) if kind in have else None
        return frames[kind]

    for step in STEPS[: STEPS.index(until) + 1]:
        if STEP_FRAMES[step][0] in have:
            status[step] = "kept"
            continue
        try:
            report(step, 0.0)
            on = _step_callback(report, step)
            if step == "forecast":
                history = frame("history")
                result = forecast_step(history, settings, frame("events"), progress=on)
                ws.save_frame(plan_id, "forecast", result,
                              meta={"model": settings.model, "days": settings.forecast_days})
                frames["forecast"] = result
                if settings.backtest_folds > 0:
                    try:
                        scores = backtest_step(history, settings, frame("events"))
                        ws.save_frame(plan_id, "backtest", scores)
                    except StepUnavailable:
                        pass
            elif step == "requirements":
                queue_settings = frame("queue_settings")
                if queue_settings is None:
                    channels = info.inputs.get("import_summary", {}).get("channels") or {}
                    queue_settings = default_queue_settings(
                        sorted(set(frame("forecast")["queue"].astype(str))), channels)
                    ws.save_frame(plan_id, "queue_settings", queue_settings)
                    frames["queue_settings"] = queue_settings
                result = requirements_step(frame("forecast"), queue_settings, progress=on)
                ws.save_frame(plan_id, "requirements", result)
                frames["requirements"] = result
            elif step == "roster":
                agents = frame("agents")
                if agents is None:
                    agents = _private_agents(ws, default_agents(frame("requirements")),
                                             settings)
                    ws.save_frame(plan_id, "agents", agents)
                    frames["agents"] = agents
                shifts_text = info.inputs.get("shifts_yaml")
                if not shifts_text:
                    shifts_text = shifts_for_history(frame("history"))
                    ws.update_inputs(plan_id, shifts_yaml=shifts_text)
                outcome = roster_step(frame("requirements"), agents, parse_shifts(shifts_text),
                                      time_limit=settings.roster_time_limit,
                                      seed=settings.seed, progress=on)
                ws.save_frame(plan_id, "roster", outcome.roster, meta=outcome.summary)
                ws.save_frame(plan_id, "coverage", outcome.coverage)
                ws.save_frame(plan_id, "violations", outcome.violations)
                frames["roster"] = outcome.roster
            elif step == "projection":
                result = projection_step(frame("roster"), frame("forecast"),
                                         frame("queue_settings"), progress=on)
                ws.save_frame(plan_id, "projection", result)
            report(step, 1.0)
            status[step] = "done"
            if (info.inputs.get("step_error") or {}).get("step") == step:
                info = ws.plan(plan_id)
                ws.update_inputs(plan_id, step_error=None)
            have = ws.versions(plan_id)
        except StepUnavailable as exc:
            status[step] = f"unavailable: {exc}"
            for later in STEPS[STEPS.index(step) + 1: STEPS.index(until) + 1]:
                status[later] = f"blocked: {exc.step}"
            break
        except (ValueError, FileNotFoundError) as exc:
            # A planner's problem (bad settings, rules that cannot all hold): say it on the
            # step's page; the later steps wait for it.
            status[step] = f"error: {exc}"
            ws.update_inputs(plan_id, step_error={"step": step, "message": str(exc)})
            for later in STEPS[STEPS.index(step) + 1: STEPS.index(until) + 1]:
                status[later] = f"waiting: {step}"
            break
    return status


def _step_callback(report: StepProgress, step: str) -> Progress:
    def on(fraction: float) -> None:
        report(step, min(max(float(fraction), 0.0), 1.0))
    return on


def sample_settings() -> PlanSettings:
    """The opening plan: one week ahead with a quick model and a short roster time limit."""
    return PlanSettings(forecast_days=7, model="profile", backtest_days=7,
                        backtest_folds=2, roster_time_limit=20.0, seed=0)


def open_sample_plan(ws: Workspace, progress: StepProgress | None = None,
                     compute: bool = True) -> int:
    """The bundled sample as a plan, computing whatever it still lacks (unless `compute`
    is False, for a caller that runs `run_plan` itself to see each step's status).

    The first start builds it (about a minute); later starts find it saved.
    """
    info = ws.find_plan(SAMPLE_PLAN)
    if info is None:
        from planning.sample import load_sample_history

        history = load_sample_history()
        queue_settings = _optional(read_queue_settings)
        agents = _optional(read_agents)
        events = _optional(_sample_events)
        try:
            shifts_text = sample_shifts_text()
        except StepUnavailable:
            shifts_text = None
        try:
            plan_id = create_plan(ws, SAMPLE_PLAN, history, source="sample",
                                  queue_settings=queue_settings, agents=agents,
                                  shifts_text=shifts_text, events=events,
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


def _optional(func: Callable[[], pd.DataFrame]) -> pd.DataFrame | None:
    try:
        return func()
    except (StepUnavailable, FileNotFoundError):
        return None


def _sample_events() -> pd.DataFrame:
    events = _library("forecasting.events", "forecast")
    return events.read_events(sample_file("events.csv"))


# downloads ----------------------------------------------------------------

def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as UTF-8 CSV (with BOM, so Excel shows Chinese text correctly)."""
    return _neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Frames as sheets of one .xlsx workbook (sheet names cut to Excel's 31 characters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _neutralise(frame).to_excel(writer, sheet_name=str(name)[:31] or "sheet",
                                        index=False)
    return buffer.getvalue()


def _neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe;
    time zones are dropped (Excel cannot hold them)."""
    out = neutralise_formulas(frame)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
    return out


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


def model_names() -> list[str]:
    """The forecasting models a planner can pick (`auto` first)."""
    return ["auto", *_known_models()]


def below_target(projection: pd.DataFrame, queue_settings: pd.DataFrame | None) -> pd.Series:
    """True for intervals with contacts whose projected service level (or ASA, where the
    queue has an ASA target) misses the queue's target. Uses the projection's own flag
    when it has one."""
    for col in ("below_target", "flag", "below"):
        if col in projection.columns:
            return projection[col].fillna(False).astype(bool)
    if queue_settings is None:
        return pd.Series(False, index=projection.index)
    targets = queue_settings.set_index(queue_settings["queue"].astype(str))
    queue = projection["queue"].astype(str)
    sl_goal = queue.map(targets["service_level"]).astype(float)
    busy = projection[[c for c in ("contacts", "required") if c in projection.columns]] \
        .fillna(0).sum(axis=1) > 0
    miss = projection["service_level"].astype(float) < sl_goal - 1e-9
    if "asa_seconds" in targets.columns:
        asa_goal = queue.map(targets["asa_seconds"]).astype(float)
        miss |= asa_goal.notna() & (projection["asa_seconds"].astype(float) > asa_goal + 1e-9)
    return (miss & busy).fillna(False)


def projection_rollup(projection: pd.DataFrame, flags: pd.Series,
                      period: str = "week") -> pd.DataFrame:
    """Per queue (and all queues) and day or week: contacts, service level and abandonment
    weighted by contacts, ASA by contacts answered, intervals below target."""
    lib = _library("scheduling.projection", "projection")
    frame = projection.assign(below_target=flags.astype(bool))
    if "contacts" not in frame.columns:
        frame["contacts"] = frame["required"]
    return lib.rollup(frame, period=period, all_queues=True)


def special_days(settings: PlanSettings, events: pd.DataFrame | None, first: pd.Timestamp,
                 last: pd.Timestamp) -> pd.DataFrame:
    """Holidays, shopping events and the planner's events touching [first, last], in the
    events-file shape (name, start, end, days_before, days_after) for marking charts."""
    occ = calendar_for(settings, events).occurrences(first, last)
    return pd.DataFrame({"name": occ["event"], "start": occ["first"], "end": occ["last"],
                         "days_before": occ["days_before"], "days_after": occ["days_after"]})
