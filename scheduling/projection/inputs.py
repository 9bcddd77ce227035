"""The projection's inputs read and checked: the roster (`parse_roster`, breaks by
`break_spans`), the forecast (`check_forecast`, `interval_length`) and the queue
settings, with errors naming queue, agent, date or interval."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduling import frames
from scheduling.frames import INTERVAL_MINUTES, ROSTER_COLUMNS, read_stamps
from scheduling.queue_settings import queue_settings_frame

FORECAST_NEEDS = ("queue", "interval_start", "contacts", "aht_seconds")

class ProjectionInputError(ValueError):
    """A roster, forecast or queue settings that do not fit together; the message names
    the queue, agent, date or interval and what was expected."""


def break_spans(text: object, start: pd.Timestamp, end: pd.Timestamp,
                where: str) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """'10:30-10:45;13:00-13:30' -> timestamps inside the shift [start, end].

    A break clock earlier than the shift start falls on the next day (night shifts).
    """
    try:
        return frames.break_spans(text, start, end)
    except ValueError as exc:
        raise ProjectionInputError(f"{where}: {exc}") from None


def parse_roster(roster: pd.DataFrame, source: str = "roster") -> pd.DataFrame:
    """The roster with `start`/`end` as timestamps and `date` as a day; refuses rows
    that cannot be read, a `date` that is not the day of `start`, and an agent's shifts
    that overlap (a duplicated row would count the agent twice), naming `source`, the
    row (as a line of the file, the header being line 1) and the agent."""
    missing = [c for c in ROSTER_COLUMNS if c not in roster.columns]
    if missing:
        raise ProjectionInputError(
            f"{source}: missing columns {missing}; expected {list(ROSTER_COLUMNS)}")
    out = roster.copy()

    def where(i: int) -> str:
        return f"{source} row {i + 2} (agent {out['agent_id'].iloc[i]})"

    for col in ("start", "end"):
        parsed = pd.to_datetime(out[col], errors="coerce", format="mixed")
        bad = parsed.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ProjectionInputError(
                f"{where(i)}, column {col}: {out[col].iloc[i]!r} is not a date and time")
        out[col] = parsed
    date = pd.to_datetime(out["date"], errors="coerce", format="mixed")
    if date.isna().any():
        i = int(np.flatnonzero(date.isna().to_numpy())[0])
        raise ProjectionInputError(
            f"{where(i)}, column date: {out['date'].iloc[i]!r} is not a date YYYY-MM-DD")
    out["date"] = date.dt.normalize()
    bad = out["end"] <= out["start"]
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ProjectionInputError(
            f"{where(i)}, column end: shift ends {out['end'].iloc[i]} before it starts "
            f"{out['start'].iloc[i]}")
    long = (out["end"] - out["start"]) > pd.Timedelta(hours=24)
    if long.any():
        i = int(np.flatnonzero(long.to_numpy())[0])
        raise ProjectionInputError(f"{where(i)}, column end: a shift of more than 24 hours "
                                   f"({out['start'].iloc[i]} to {out['end'].iloc[i]})")
    off = out["date"] != out["start"].dt.normalize()
    if off.any():
        i = int(np.flatnonzero(off.to_numpy())[0])
        raise ProjectionInputError(
            f"{where(i)}, column date: {out['date'].iloc[i]:%Y-%m-%d} is not the day the "
            f"shift starts ({out['start'].iloc[i]})")
    out["queue"] = out["queue"].astype(str)
    out["agent_id"] = out["agent_id"].astype(str)
    order = np.lexsort((out["start"].to_numpy(), out["agent_id"].to_numpy()))
    ids = out["agent_id"].to_numpy()[order]
    starts = out["start"].to_numpy()[order]
    ends = out["end"].to_numpy()[order]
    clash = np.flatnonzero((ids[1:] == ids[:-1]) & (starts[1:] < ends[:-1]))
    if clash.size:
        first, second = sorted((int(order[clash[0]]), int(order[clash[0] + 1])))
        raise ProjectionInputError(
            f"{where(second)}: overlaps the agent's shift on row {first + 2} "
            f"({out['start'].iloc[first]} to {out['end'].iloc[first]}); an agent works one "
            "shift at a time (a duplicated row would count the agent twice)")
    return out


def interval_length(forecast: pd.DataFrame) -> int:
    """The forecast's one interval length in minutes; refuses mixed or unusual lengths."""
    lengths = frames.queue_interval_minutes(forecast)
    if not lengths:
        minute = forecast["interval_start"].dt.minute
        for m in INTERVAL_MINUTES:
            if (minute % m == 0).all():
                return m
        raise ProjectionInputError("forecast: one interval only, and its start is not on a "
                                   "15-, 30- or 60-minute boundary")
    distinct = sorted(set(lengths.values()))
    if len(distinct) > 1:
        detail = ", ".join(f"{q}: {m} min" for q, m in lengths.items())
        raise ProjectionInputError(
            f"forecast: queues have intervals of different lengths ({detail}); "
            "one forecast uses one interval length")
    length = distinct[0]
    if length not in INTERVAL_MINUTES:
        q = next(iter(lengths))
        raise ProjectionInputError(
            f"forecast: queue {q} has {length}-minute intervals; expected 15, 30 or 60")
    return length


def check_forecast(forecast: pd.DataFrame, interval_minutes: int | None = None
                   ) -> tuple[pd.DataFrame, int]:
    """The forecast with timestamps parsed, and its interval length."""
    missing = [c for c in FORECAST_NEEDS if c not in forecast.columns]
    if missing:
        raise ProjectionInputError(
            f"forecast: missing columns {missing}; expected {list(FORECAST_NEEDS)}")
    out = forecast.copy()
    out["queue"] = out["queue"].astype(str)
    stamps = read_stamps(out["interval_start"])
    if stamps.isna().any():
        i = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise ProjectionInputError(f"forecast row {i + 2}, column interval_start: "
                                   f"{out['interval_start'].iloc[i]!r} is not a date and time")
    out["interval_start"] = stamps
    for col in ("contacts", "aht_seconds"):
        values = pd.to_numeric(out[col], errors="coerce")
        bad = ~(values >= 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raw = out[col].iloc[i]
            shown = raw.item() if isinstance(raw, np.generic) else raw
            raise ProjectionInputError(
                f"forecast row {i + 2} (queue {out['queue'].iloc[i]}, "
                f"{out['interval_start'].iloc[i]}), column {col}: {shown!r}; "
                "expected a number >= 0")
        out[col] = values.astype(float)
    dup = out.duplicated(["queue", "interval_start"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise ProjectionInputError(f"forecast: queue {out['queue'].iloc[i]} has interval "
                                   f"{out['interval_start'].iloc[i]} twice")
    length = interval_length(out)
    if interval_minutes is not None and interval_minutes != length:
        raise ProjectionInputError(f"forecast has {length}-minute intervals; expected "
                                   f"{interval_minutes}-minute intervals")
    off = (out["interval_start"].dt.hour * 60 + out["interval_start"].dt.minute) % length != 0
    off |= out["interval_start"].dt.second != 0
    if off.any():
        i = int(np.flatnonzero(off.to_numpy())[0])
        raise ProjectionInputError(
            f"forecast: queue {out['queue'].iloc[i]} interval {out['interval_start'].iloc[i]} "
            f"does not start on a {length}-minute boundary")
    return out.sort_values(["queue", "interval_start"], ignore_index=True), length


def settings_table(queue_settings: pd.DataFrame) -> pd.DataFrame:
    """Queue settings validated with channel defaults filled (`scheduling.queue_settings`),
    indexed by queue."""
    table = queue_settings_frame(queue_settings)
    table["queue"] = table["queue"].astype(str)
    return table.set_index("queue")


def _check_fit(roster: pd.DataFrame, forecast: pd.DataFrame, settings: pd.DataFrame) -> None:
    """Refuse a roster or forecast that does not fit: queues without settings or
    forecast, roster days the forecast does not cover."""
    known = set(settings.index)
    unknown = sorted(set(forecast["queue"]) - known)
    if unknown:
        raise ProjectionInputError(f"forecast queue {unknown[0]!r} has no queue settings; the "
                                   f"queue settings list {sorted(known)}")
    forecast_queues = set(forecast["queue"])
    for i, r in enumerate(roster.itertuples(index=False)):
        if r.queue not in known:
            raise ProjectionInputError(
                f"roster row {i + 1} (agent {r.agent_id}, {r.date:%Y-%m-%d}): unknown queue "
                f"{r.queue!r}; the queue settings list {sorted(known)}")
        if r.queue not in forecast_queues:
            raise ProjectionInputError(
                f"roster row {i + 1} (agent {r.agent_id}, {r.date:%Y-%m-%d}): queue "
                f"{r.queue!r} has no forecast; the forecast covers {sorted(forecast_queues)}")
    days = set(forecast["interval_start"].dt.normalize())
    first, last = min(days), max(days)
    outside = ~roster["date"].isin(days)
    if outside.any():
        i = int(np.flatnonzero(outside.to_numpy())[0])
        r = roster.iloc[i]
        why = ("has no forecast intervals" if first <= r["date"] <= last
               else "is outside the forecast")
        raise ProjectionInputError(
            f"roster row {i + 1} (agent {r['agent_id']}, queue {r['queue']}): day "
            f"{r['date']:%Y-%m-%d} {why} (the forecast covers {first:%Y-%m-%d} to "
            f"{last:%Y-%m-%d})")
