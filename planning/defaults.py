"""Starting inputs for a plan: queue settings, a team and shift templates.

Read from the bundled sample (`data/sample/`) or a planner's file, or derived from an
uploaded history when the planner has not given them yet.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from forecasting.events import read_events
from planning.sample import sample_file
from scheduling.frames import interval_minutes
from scheduling.queue_settings import queue_settings_frame
from scheduling.queue_settings import read_queue_settings as read_queue_settings_file

DEFAULT_INTERVAL_MINUTES = 30
"""The interval length assumed for a frame with a single interval per queue."""


def read_queue_settings(path: str | Path | None = None) -> pd.DataFrame:
    """Queue settings from a CSV/YAML file (the sample's when no path is given)."""
    return read_queue_settings_file(Path(path) if path is not None else sample_file("queues.csv"))


def check_queue_settings(frame: pd.DataFrame, source: str = "queue settings") -> pd.DataFrame:
    """Validate edited queue settings (defaults filled per channel); raises ValueError."""
    return queue_settings_frame(frame, source=source)


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


def agents_table(path: str | Path | None = None) -> pd.DataFrame:
    """The agents file as a table of text the planner can edit (the sample's by default).

    Unlike `scheduling.roster.read_agents`, nothing is validated here: the roster step
    reads the table into the roster library's agents (`roster_step.team_from_table`).
    """
    path = Path(path) if path is not None else sample_file("agents.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def sample_shifts_text() -> str:
    """The sample's shift templates (YAML text, editable on the Roster page)."""
    return sample_file("shifts.yaml").read_text(encoding="utf-8")


def sample_events() -> pd.DataFrame:
    """The sample's events (promotions and the like the forecast should know)."""
    return read_events(sample_file("events.csv"))


def shifts_for_history(history: pd.DataFrame, base_text: str | None = None) -> str:
    """Shift templates for an uploaded history: the sample's templates and rules, with
    each queue open from its first to its last busy interval of the day."""
    data = yaml.safe_load(base_text or sample_shifts_text()) or {}
    minutes = interval_minutes(history, default=DEFAULT_INTERVAL_MINUTES)
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
    minutes = interval_minutes(requirements, default=DEFAULT_INTERVAL_MINUTES)
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
