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
from scheduling.frames import INTERVAL_MINUTES, interval_minutes, interval_starts, row_label
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


MAX_CONTACTS_PER_INTERVAL = 100_000
"""Most contacts one queue may have in one interval (a large centre's busiest queue sees
a few thousand); more is taken for a unit or typing error and refused."""
MAX_AHT_SECONDS = 8 * 3600
"""Longest average handle time accepted: 8 hours (an email worked over a whole shift)."""
MAX_LOAD_ERLANGS = 10_000
"""Most work one queue may bring in one interval, in erlangs (contacts x handle time /
interval length): ten thousand agents kept busy. More is a unit error, and staffing it
would run for minutes (chat's concurrency model grows with the load)."""
MISSING_NOTE_LIMIT = 3
"""How many missing intervals a note lists by time before it only counts them."""


def check_forecast_entries(forecast: pd.DataFrame, source: str = "forecast") -> pd.DataFrame:
    """The forecast's queue, interval_start, contacts and aht_seconds, checked where they
    enter: errors name `source`, the row (a line of the file) and the column. Contacts and
    handle time must be finite, >= 0 and within `MAX_CONTACTS_PER_INTERVAL` and
    `MAX_AHT_SECONDS`; an interval with a contact or more needs a handle time (a model's
    fraction of a contact with AHT 0 passes); a queue and interval appear once."""
    missing = [c for c in _NEEDED if c not in forecast.columns]
    if missing:
        raise StaffingError(
            f"{source} is missing column(s) {missing}; expected {', '.join(_NEEDED)}"
        )
    frame = forecast.loc[:, list(_NEEDED)].copy()
    frame["queue"] = frame["queue"].astype(str)
    try:
        frame["interval_start"] = interval_starts(frame, source)
    except ValueError as exc:
        raise StaffingError(str(exc)) from None
    limits = {"contacts": MAX_CONTACTS_PER_INTERVAL, "aht_seconds": MAX_AHT_SECONDS}
    for col in ("contacts", "aht_seconds"):
        values = pd.to_numeric(frame[col], errors="coerce").astype(float)
        bad = ~(np.isfinite(values) & (values >= 0))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raw = forecast[col].iloc[i]
            shown = raw.item() if isinstance(raw, np.generic) else raw
            raise StaffingError(f"{row_label(frame, i, source)}, column {col}: must be a "
                                f"number >= 0, got {shown!r}")
        over = values > limits[col]
        if over.any():
            i = int(np.flatnonzero(over.to_numpy())[0])
            raise StaffingError(f"{row_label(frame, i, source)}, column {col}: "
                                f"{values.iloc[i]:g} is above the most accepted "
                                f"({limits[col]:,}); check the unit")
        frame[col] = values
    zero = (frame["contacts"] >= 1) & (frame["aht_seconds"] <= 0)
    if zero.any():
        i = int(np.flatnonzero(zero.to_numpy())[0])
        raise StaffingError(f"{row_label(frame, i, source)}, column aht_seconds: 0 with "
                            f"{frame['contacts'].iloc[i]:g} contacts; contacts take time "
                            "to handle, give their average handle time in seconds")
    dup = frame.duplicated(["queue", "interval_start"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise StaffingError(f"{row_label(frame, i, source)}: this queue and interval "
                            "appear twice")
    return frame


def _usual_step_minutes(frame: pd.DataFrame) -> float | None:
    """The most common step between interval starts within queues, in minutes (None
    when no queue has two intervals). A stray row off the grid does not change it."""
    steps = (frame.sort_values(["queue", "interval_start"])
             .groupby("queue", sort=False)["interval_start"].diff().dropna())
    steps = steps[steps > pd.Timedelta(0)]
    if steps.empty:
        return None
    return float(steps.mode().iloc[0] / pd.Timedelta(minutes=1))


def check_interval_length(frame: pd.DataFrame, minutes: float | None, source: str) -> float:
    """The interval length in seconds: the forecast's own (15, 30 or 60 minutes, every
    start on that grid); a given `minutes` must agree with it."""
    if minutes is not None and not (np.isfinite(minutes) and minutes in INTERVAL_MINUTES):
        raise StaffingError(f"interval length must be one of {list(INTERVAL_MINUTES)} "
                            f"minutes, got {minutes:g}")
    if not len(frame):
        return 60.0 * (minutes or 30)
    found = _usual_step_minutes(frame)
    if found is None and minutes is None:
        raise StaffingError("cannot infer the interval length: no queue has two "
                            "intervals; give the interval length in minutes")
    if minutes is not None and found is not None and found != float(minutes):
        raise StaffingError(f"interval length {minutes:g} minutes does not match the "
                            f"{found:g}-minute intervals of {source}")
    length = float(minutes if minutes is not None else found)
    if length not in INTERVAL_MINUTES:
        raise StaffingError(f"{source}: intervals are {length:g} minutes apart; one frame "
                            f"uses one interval length, one of {list(INTERVAL_MINUTES)}")
    start = frame["interval_start"]
    minute_of_day = start.dt.hour * 60 + start.dt.minute + start.dt.second / 60.0
    off = (minute_of_day % length) != 0
    if off.any():
        i = int(np.flatnonzero(off.to_numpy())[0])
        raise StaffingError(f"{row_label(frame, i, source)}, column interval_start: not on "
                            f"the {length:g}-minute grid of the other intervals in {source}")
    return 60.0 * length


def check_workload(frame: pd.DataFrame, length_seconds: float, source: str) -> None:
    """Refuse an interval whose work (contacts x aht_seconds / interval length) is above
    `MAX_LOAD_ERLANGS`, naming `source` and the row."""
    load = frame["contacts"] * frame["aht_seconds"] / length_seconds
    heavy = load > MAX_LOAD_ERLANGS
    if heavy.any():
        i = int(np.flatnonzero(heavy.to_numpy())[0])
        raise StaffingError(f"{row_label(frame, i, source)}: contacts x aht_seconds is "
                            f"{load.iloc[i]:,.0f} erlangs of work in one interval, above the "
                            f"most accepted ({MAX_LOAD_ERLANGS:,}); check the units")


def missing_intervals(frame: pd.DataFrame, length_seconds: float) -> list[str]:
    """Notes on intervals missing inside each queue's days (between its first and last
    interval of a day); staffing those is left to the planner."""
    notes = []
    step = pd.Timedelta(seconds=length_seconds)
    for queue, rows in frame.groupby("queue", sort=True):
        starts = rows["interval_start"].sort_values()
        gaps = []
        for _, day in starts.groupby(starts.dt.normalize()):
            full = pd.date_range(day.iloc[0], day.iloc[-1], freq=step)
            if len(full) > len(day):
                gaps.extend(full.difference(pd.DatetimeIndex(day)))
        if gaps:
            shown = ", ".join(str(g) for g in gaps[:MISSING_NOTE_LIMIT])
            more = f" and {len(gaps) - MISSING_NOTE_LIMIT} more" if len(gaps) > \
                MISSING_NOTE_LIMIT else ""
            notes.append(f"queue {queue!r}: {len(gaps)} interval(s) missing inside the "
                         f"day ({shown}{more}); no staff is planned for them")
    return notes


def requirements(
    forecast: pd.DataFrame,
    settings: pd.DataFrame,
    progress: Callable[[float], None] | None = None,
    *,
    interval_minutes: float | None = None,
    chat_slowdown: float = DEFAULT_SLOWDOWN,
    fractional: bool = False,
    source: str = "forecast",
    notes: list[str] | None = None,
) -> pd.DataFrame:
    """The requirements frame (DESIGN.md) for every queue and interval of `forecast`.

    `settings` is a queue settings frame (raw or from `read_queue_settings`; defaults
    are filled and values validated here). Every queue of the forecast must have
    settings. The interval length is inferred from `interval_start` spacing unless
    `interval_minutes` is given. With `fractional=True` a `fractional_agents`
    column is added (voice on Erlang C only; NaN elsewhere).

    Entry checks (errors name `source`, its row and column): contacts and handle time
    are finite, >= 0 and within `MAX_CONTACTS_PER_INTERVAL` / `MAX_AHT_SECONDS`; an
    interval with a contact or more has a handle time; the interval length is 15, 30
    or 60 minutes, every start is on its grid and a given `interval_minutes` matches
    it. Intervals missing inside a day are staffed as absent and described in `notes`
    when a list is given.
    """
    frame = check_forecast_entries(forecast, source)
    settings = queue_settings_frame(settings)
    unknown = sorted(set(frame["queue"]) - set(settings["queue"]))
    if unknown:
        raise StaffingError(
            f"queue(s) {unknown} are in the forecast but not in the queue settings; "
            f"add a row for each (known queues: {sorted(settings['queue'])})"
        )
    length = check_interval_length(frame, interval_minutes, source)
    check_workload(frame, length, source)
    if notes is not None:
        notes.extend(missing_intervals(frame, length))
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
