"""A scenario's base plan: the history, queue settings, agents, shift templates and
events it starts from, read from files, a plan saved in the workspace or the bundled
sample, with a hash of each input so a saved scenario run can be reproduced and
checked later (`planning.scenario_store`)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from forecasting.history import load_history
from planning.contract import PlanInputs
from planning.defaults import agents_table, read_queue_settings
from planning.sample import sample_file
from planning.scenarios import Scenario, ScenarioError
from planning.workspace import Workspace


@dataclass
class BaseInputs:
    """What a scenario starts from, with a hash of each input."""

    history: pd.DataFrame
    queue_settings: pd.DataFrame
    agents: pd.DataFrame
    shifts_text: str
    events: pd.DataFrame | None
    hashes: dict[str, dict[str, str]]
    base_plan_id: int | None = None
    roster: pd.DataFrame | None = None  # the base plan's roster: where scenario rosters start


def _sha_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha_frame(frame: pd.DataFrame) -> str:
    buffer = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(buffer, index=False)
    return _sha_bytes(buffer.getvalue())


def load_base(scenario: Scenario, ws: Workspace | None = None) -> BaseInputs:
    """The base plan's history, queue settings, agents, shift templates and events.

    Files named in `base` are read relative to the scenario file; a `plan` is taken
    from the workspace; anything not named comes from the bundled sample.
    """
    base = scenario.base
    hashes: dict[str, dict[str, str]] = {}
    plan_frames: dict[str, pd.DataFrame | None] = {}
    shifts_text = ""
    base_plan_id = None
    if "plan" in base:
        if ws is None:
            raise ScenarioError(f"{scenario.source}: base.plan: a saved plan needs the "
                                "workspace; run the scenario with a workspace")
        info = ws.find_plan(base["plan"])
        if info is None:
            names = ws.list_plans()["name"].tolist()
            raise ScenarioError(f"{scenario.source}: base.plan: no plan called "
                                f"{base['plan']!r} in workspace {ws.folder}; saved plans: "
                                f"{names}")
        base_plan_id = info.plan_id
        shifts_text = PlanInputs.from_dict(info.inputs).shifts_yaml or ""
        for kind in ("history", "queue_settings", "agents", "events", "roster"):
            plan_frames[kind] = ws.load_frame(info.plan_id, kind)

    def path_of(key: str, default: str) -> Path | None:
        if key in base:
            path = Path(base[key])
            path = path if path.is_absolute() else scenario.folder / path
            if not path.is_file():
                raise ScenarioError(f"{scenario.source}: base.{key}: no such file {path}")
            return path
        if "plan" in base:
            return None
        return sample_file(default)

    def from_plan(kind: str, key: str) -> pd.DataFrame:
        frame = plan_frames.get(kind)
        if frame is None:
            raise ScenarioError(f"{scenario.source}: base.plan: plan {base['plan']!r} has no "
                                f"{kind}; name a file in base.{key}")
        hashes[key] = {"source": f"plan {base['plan']}:{kind}", "sha256": _sha_frame(frame)}
        return frame

    def file_hash(key: str, path: Path) -> None:
        hashes[key] = {"source": str(path), "sha256": _sha_bytes(path.read_bytes())}

    def frame(key: str, kind: str, default: str, read: Callable[[Path], pd.DataFrame]
              ) -> pd.DataFrame:
        path = path_of(key, default)
        if path is None:
            return from_plan(kind, key)
        file_hash(key, path)
        return read(path)

    history = frame("history", "history", "history.csv", load_history)
    queue_settings = frame("queues", "queue_settings", "queues.csv", read_queue_settings)
    agents = frame("agents", "agents", "agents.csv", agents_table)
    path = path_of("shifts", "shifts.yaml")
    if path is None:
        if not shifts_text:
            raise ScenarioError(f"{scenario.source}: base.plan: plan {base['plan']!r} has no "
                                "shift templates; name a file in base.shifts")
        hashes["shifts"] = {"source": f"plan {base['plan']}:shifts_yaml",
                            "sha256": _sha_bytes(shifts_text.encode("utf-8"))}
    else:
        file_hash("shifts", path)
        shifts_text = path.read_text(encoding="utf-8")
    events = None
    if "events" in base or "plan" not in base:
        path = path_of("events", "events.csv")
        file_hash("events", path)
        from forecasting.events import read_events

        events = read_events(path)
    elif plan_frames.get("events") is not None:
        events = from_plan("events", "events")
    return BaseInputs(history, queue_settings, agents, shifts_text, events, hashes,
                      base_plan_id, plan_frames.get("roster"))
