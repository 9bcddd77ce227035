"""What `planning` hands the dashboard and keeps with a plan, as typed records.

A plan's inputs are stored as JSON in the workspace (`plans.inputs`) and a roster's
summary as the roster frame's meta; each record here reads those dicts tolerantly
(`from_dict` ignores unknown keys and fills missing ones), so plans saved by an
older version still open, and writes them back in the same shape (`to_dict`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from typing import Any

from planning.settings import PlanSettings


def _known(cls: type, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """The entries of `data` that are fields of the dataclass `cls`."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in (data or {}).items() if k in names}


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class RosterSummary:
    """How good a solved roster is; saved as the roster frame's meta.

    `under_weighted` is the solver's under-staffing (agent-slots x queue priority),
    `under_bound` its proven lower bound and `gap` = (value - bound) / value.
    `time_limit` is the limit of the solve that gave the roster (after any retry).
    A field is None when the saved meta does not have it (older plans).
    """

    status: str | None = None
    under_hours: float | None = None
    over_hours: float | None = None
    paid_hours: float | None = None
    under_weighted: float | None = None
    under_bound: float | None = None
    gap: float | None = None
    seconds: float | None = None
    decomposition: str | None = None
    time_limit: float | None = None

    @property
    def over_cap(self) -> bool:
        """True when the solve ran past its cap of 2 x `time_limit` + 10 s (a busy
        machine): the planner is told, since a second solve may then find another roster."""
        if self.seconds is None or self.time_limit is None:
            return False
        return self.seconds > 2 * self.time_limit + 10

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RosterSummary:
        """Read a saved roster meta; unknown keys are ignored, missing ones are None."""
        known = _known(cls, data)
        text = {"status", "decomposition"}
        return cls(**{k: (None if v is None else str(v)) if k in text else _number(v)
                      for k, v in known.items()})

    def to_dict(self) -> dict[str, Any]:
        """The summary as the roster frame's meta (fields that are None left out)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


class StepState(Enum):
    """Where a plan's step stands."""

    DONE = "done"  # computed in this run
    KEPT = "kept"  # saved with the plan from an earlier run
    MISSING = "missing"  # not computed yet
    ERROR = "error"  # failed with a planner's error (`message`), kept until inputs change
    WAITING = "waiting"  # needs the result of `waiting_for`, which failed


@dataclass(frozen=True)
class StepStatus:
    """One step's state, with the error message or the step it waits for."""

    state: StepState
    message: str = ""
    waiting_for: str | None = None

    def __str__(self) -> str:
        if self.state is StepState.ERROR:
            return f"error: {self.message}"
        if self.state is StepState.WAITING:
            return f"waiting: {self.waiting_for}"
        return self.state.value

    @property
    def failed(self) -> bool:
        """Whether the step failed (its message says why)."""
        return self.state is StepState.ERROR


@dataclass(frozen=True)
class StepError:
    """The last failure of a plan's step, kept with the plan until its inputs change."""

    step: str
    message: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> StepError | None:
        """The saved failure, or None when there is none."""
        if not data or not data.get("step"):
            return None
        return cls(str(data["step"]), str(data.get("message", "")))

    def to_dict(self) -> dict[str, str]:
        return {"step": self.step, "message": self.message}


@dataclass(frozen=True)
class ImportReport:
    """What an import read, used and excluded (`forecasting.history.ImportSummary` as
    plain values: times as text), kept with the plan made from the file. `text` is the
    importer's own wording of it; `file` the uploaded file's name."""

    file: str = ""
    profile: str = ""
    kind: str = ""
    interval: str = ""
    rows_read: int | None = None
    rows_used: int | None = None
    rows_excluded: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    contacts: int | None = None
    queues: tuple[str, ...] = ()
    first_interval: str | None = None
    last_interval: str | None = None
    intervals_per_queue: int | None = None
    channels: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    timezone: str | None = None
    text: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ImportReport:
        """Read a saved import summary; unknown keys are ignored."""
        known = _known(cls, data)
        for key in ("queues", "notes"):
            if key in known:
                known[key] = tuple(known[key] or ())
        for key in ("excluded", "channels"):
            if key in known:
                known[key] = dict(known[key] or {})
        return cls(**known)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON values, as saved with the plan."""
        return json.loads(json.dumps(asdict(self), default=str))


@dataclass(frozen=True)
class ScenarioRecord:
    """What a saved scenario run keeps to be reproduced: its YAML text, the folder its
    paths are relative to, the hash of every input and the roster's summary."""

    name: str = ""
    description: str = ""
    yaml: str = ""
    source: str = ""
    folder: str = "."
    input_hashes: dict[str, dict[str, str]] = field(default_factory=dict)
    roster: RosterSummary = field(default_factory=RosterSummary)
    history_sha256: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ScenarioRecord:
        """Read a saved scenario record; unknown keys are ignored."""
        known = _known(cls, data)
        known["roster"] = RosterSummary.from_dict(known.get("roster"))
        known["input_hashes"] = dict(known.get("input_hashes") or {})
        return cls(**known)

    def to_dict(self) -> dict[str, Any]:
        """The record as saved with the plan."""
        return {"name": self.name, "description": self.description, "yaml": self.yaml,
                "source": self.source, "folder": self.folder,
                "input_hashes": self.input_hashes, "roster": self.roster.to_dict(),
                "history_sha256": self.history_sha256}


@dataclass
class PlanInputs:
    """What a plan was made from, besides its frames: saved as the plan's `inputs`.

    `shifts_yaml` is the shift templates' YAML text (None: derived from the history on
    the first roster); `import_summary` what the upload's import read; `step_error`
    the last failed step; `scenario` set for saved scenario runs.
    """

    settings: PlanSettings = field(default_factory=PlanSettings)
    shifts_yaml: str | None = None
    import_summary: ImportReport | None = None
    step_error: StepError | None = None
    scenario: ScenarioRecord | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> PlanInputs:
        """Read a plan's saved inputs; unknown keys are ignored, missing ones are empty."""
        data = data or {}
        summary = data.get("import_summary")
        scenario = data.get("scenario")
        return cls(settings=PlanSettings.from_dict(data.get("settings")),
                   shifts_yaml=data.get("shifts_yaml") or None,
                   import_summary=ImportReport.from_dict(summary) if summary else None,
                   step_error=StepError.from_dict(data.get("step_error")),
                   scenario=ScenarioRecord.from_dict(scenario) if scenario else None)

    def to_dict(self) -> dict[str, Any]:
        """The inputs as saved with the plan (entries that are not set left out)."""
        out: dict[str, Any] = {"settings": self.settings.to_dict()}
        if self.shifts_yaml is not None:
            out["shifts_yaml"] = self.shifts_yaml
        if self.import_summary is not None:
            out["import_summary"] = self.import_summary.to_dict()
        if self.step_error is not None:
            out["step_error"] = self.step_error.to_dict()
        if self.scenario is not None:
            out["scenario"] = self.scenario.to_dict()
        return out
