"""Requirements: agents and staff per queue and interval, from a forecast and queue settings.

Each queue is staffed by the model of its channel (see `scheduling.queue_settings`):

- voice: Erlang C (`scheduling.erlang`), or Erlang A when the queue has a
  `patience_seconds` (`scheduling.erlang_a`);
- chat: agents serving several chats at once (`scheduling.chat`);
- email: deferred work cleared by its deadline (`scheduling.deferred`).

`agents` is the number on line; `staff` = agents / (1 - shrinkage) rounded up.
`service_level`, `asa_seconds` and `occupancy` are what those agents deliver.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from scheduling.chat import DEFAULT_SLOWDOWN, chat_requirement
from scheduling.deferred import deferred_requirement
from scheduling.erlang import requirement, staff_for_agents
from scheduling.erlang_a import erlang_a_requirement
from scheduling.frames import interval_minutes
from scheduling.queue_settings import open_intervals, queue_settings_frame

_NEEDED = ("queue", "interval_start", "contacts", "aht_seconds")
_CHUNK = 200_000


class StaffingError(ValueError):
    """A forecast or settings problem that prevents staffing; names queue and field."""


def interval_seconds_of(forecast: pd.DataFrame) -> float:
    """Interval length inferred from the spacing of `interval_start` within queues."""
    try:
        return 60.0 * interval_minutes(forecast)
    except ValueError:
        raise StaffingError("cannot infer the interval length: no queue has two intervals; "
                            "give the interval length in minutes") from None


def _validate_forecast(forecast: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _NEEDED if c not in forecast.columns]
    if missing:
        raise StaffingError(
            f"forecast is missing column(s) {missing}; expected {', '.join(_NEEDED)}"
        )
    frame = forecast.loc[:, list(_NEEDED)].copy()
    frame["queue"] = frame["queue"].astype(str)
    try:
        frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    except (ValueError, TypeError) as exc:
        raise StaffingError(f"forecast: interval_start is not a date-time: {exc}") from exc
    for col in ("contacts", "aht_seconds"):
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = ~(np.isfinite(values) & (values >= 0))
        if bad.any():
            row = frame.loc[bad].iloc[0]
            raise StaffingError(
                f"forecast, queue {row['queue']!r}, interval {row['interval_start']}: "
                f"{col} must be a number >= 0, got {forecast.loc[bad, col].iloc[0]!r}"
            )
        frame[col] = values.astype(float)
    dup = frame.duplicated(["queue", "interval_start"])
    if dup.any():
        row = frame.loc[dup].iloc[0]
        raise StaffingError(
            f"forecast, queue {row['queue']!r}: interval {row['interval_start']} appears twice"
        )
    return frame


def requirements(
    forecast: pd.DataFrame,
    settings: pd.DataFrame,
    progress: Callable[[float], None] | None = None,
    *,
    interval_minutes: float | None = None,
    chat_slowdown: float = DEFAULT_SLOWDOWN,
    fractional: bool = False,
) -> pd.DataFrame:
    """The requirements frame (DESIGN.md) for every queue and interval of `forecast`.

    `settings` is a queue settings frame (raw or from `read_queue_settings`; defaults
    are filled and values validated here). Every queue of the forecast must have
    settings. The interval length is inferred from `interval_start` spacing unless
    `interval_minutes` is given. With `fractional=True` a `fractional_agents`
    column is added (voice on Erlang C only; NaN elsewhere).
    """
    frame = _validate_forecast(forecast)
    settings = queue_settings_frame(settings)
    unknown = sorted(set(frame["queue"]) - set(settings["queue"]))
    if unknown:
        raise StaffingError(
            f"queue(s) {unknown} are in the forecast but not in the queue settings; "
            f"add a row for each (known queues: {sorted(settings['queue'])})"
        )
    if interval_minutes is not None:
        if not interval_minutes > 0:
            raise StaffingError(f"interval length must be positive, got {interval_minutes}")
        length = float(interval_minutes) * 60.0
    else:
        length = interval_seconds_of(frame) if len(frame) else 1800.0
    frame = frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
    merged = frame.merge(settings, on="queue", how="left", validate="many_to_one")
    n = len(merged)
    agents = np.zeros(n, dtype=np.int64)
    sl = np.ones(n)
    asa = np.zeros(n)
    occ = np.zeros(n)
    frac = np.full(n, np.nan)
    done = 0

    def tick(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None and n:
            progress(done / n)

    channel = merged["channel"].to_numpy()
    patience = merged["patience_seconds"].to_numpy(dtype=float)
    erlang_c_rows = np.flatnonzero((channel == "voice") & np.isnan(patience))
    for lo in range(0, erlang_c_rows.size, _CHUNK):
        rows = erlang_c_rows[lo:lo + _CHUNK]
        part = merged.iloc[rows]
        r = requirement(
            part["contacts"].to_numpy(), part["aht_seconds"].to_numpy(), length,
            service_level=part["service_level"].to_numpy(float),
            target_seconds=np.nan_to_num(part["target_seconds"].to_numpy(float)),
            asa_seconds=part["asa_seconds"].to_numpy(float),
            max_occupancy=part["max_occupancy"].to_numpy(float),
            fractional=fractional,
        )
        agents[rows], sl[rows], asa[rows], occ[rows] = r.agents, r.service_level, \
            r.asa_seconds, r.occupancy
        frac[rows] = r.fractional_agents
        tick(rows.size)

    erlang_a_rows = np.flatnonzero((channel == "voice") & ~np.isnan(patience))
    for lo in range(0, erlang_a_rows.size, _CHUNK):
        rows = erlang_a_rows[lo:lo + _CHUNK]
        part = merged.iloc[rows]
        r = erlang_a_requirement(
            part["contacts"].to_numpy(), part["aht_seconds"].to_numpy(), length,
            part["patience_seconds"].to_numpy(float),
            service_level=part["service_level"].to_numpy(float),
            target_seconds=np.nan_to_num(part["target_seconds"].to_numpy(float)),
            asa_seconds=part["asa_seconds"].to_numpy(float),
            max_occupancy=part["max_occupancy"].to_numpy(float),
        )
        agents[rows], sl[rows], asa[rows], occ[rows] = r.agents, r.service_level, \
            r.asa_seconds, r.occupancy
        tick(rows.size)

    chat_rows = np.flatnonzero(channel == "chat")
    for lo in range(0, chat_rows.size, _CHUNK):
        rows = chat_rows[lo:lo + _CHUNK]
        part = merged.iloc[rows]
        r = chat_requirement(
            part["contacts"].to_numpy(), part["aht_seconds"].to_numpy(), length,
            part["concurrency"].to_numpy(float),
            service_level=part["service_level"].to_numpy(float),
            target_seconds=np.nan_to_num(part["target_seconds"].to_numpy(float)),
            asa_seconds=part["asa_seconds"].to_numpy(float),
            max_occupancy=part["max_occupancy"].to_numpy(float),
            slowdown=chat_slowdown,
            patience_seconds=part["patience_seconds"].to_numpy(float),
        )
        agents[rows], sl[rows], asa[rows], occ[rows] = r.agents, r.service_level, \
            r.asa_seconds, r.occupancy
        tick(rows.size)

    email_rows = np.flatnonzero(channel == "email")
    for _, rows in merged.iloc[email_rows].groupby("queue", sort=False).indices.items():
        rows = email_rows[rows]
        part = merged.iloc[rows]
        first = part.iloc[0]
        r = deferred_requirement(
            part["contacts"].to_numpy(), part["aht_seconds"].to_numpy(), length,
            float(first["target_seconds"]), float(first["max_occupancy"]),
            open_intervals(part["interval_start"], first["open_hours"]),
        )
        agents[rows], sl[rows], asa[rows], occ[rows] = r.agents, r.service_level, \
            r.asa_seconds, r.occupancy
        tick(rows.size)

    out = merged.loc[:, ["queue", "interval_start", "contacts", "aht_seconds"]].copy()
    out["agents"] = agents
    out["staff"] = staff_for_agents(agents, merged["shrinkage"].to_numpy(float))
    out["service_level"] = sl
    out["asa_seconds"] = asa
    out["occupancy"] = occ
    if fractional:
        out["fractional_agents"] = frac
    if progress is not None:
        progress(1.0)
    return out
