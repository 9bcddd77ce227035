"""The planner's own events: a small file of named dates with days of effect around them.

File format (CSV, one row per occurrence)::

    name,start,end,days_before,days_after
    brand_day,2026-03-08,2026-03-08,2,1
    app_outage_drill,2025-09-14,,0,0

`end` defaults to `start`; `days_before`/`days_after` default to 0. The same
`name` on several rows is the same event in different years, so its uplift
learnt from past rows applies to future rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

EVENT_COLUMNS = ("name", "start", "end", "days_before", "days_after")


class EventsError(ValueError):
    """The events file is not usable; the message names the row and column."""


def read_events(path: str | Path) -> pd.DataFrame:
    """Read and validate an events CSV file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: events file not found")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError as exc:
        raise EventsError(f"{path}: the file is empty; expected columns "
                          f"{','.join(EVENT_COLUMNS)}") from exc
    return check_events(frame, source=str(path))


def check_events(frame: pd.DataFrame, source: str = "events") -> pd.DataFrame:
    """Return typed events (`start`/`end` as dates, day counts as int); raise EventsError."""
    frame = frame.rename(columns=lambda c: str(c).strip())
    for col in ("name", "start"):
        if col not in frame.columns:
            raise EventsError(f"{source}: missing column {col!r}; expected columns "
                              f"{','.join(EVENT_COLUMNS)}, found {','.join(frame.columns)}")
    rows = []
    for i, rec in enumerate(frame.to_dict("records"), start=2):
        name = str(rec.get("name", "")).strip()
        if not name or name == "nan":
            raise EventsError(f"{source}: line {i}, column name: empty event name")
        start = _date(rec.get("start"), source, i, "start")
        if start is None:
            raise EventsError(f"{source}: line {i}, column start: empty; expected a date "
                              "such as 2026-11-11")
        end = _date(rec.get("end"), source, i, "end") or start
        if end < start:
            raise EventsError(f"{source}: line {i}: end {end.date()} is before start "
                              f"{start.date()}")
        before = _days(rec.get("days_before"), source, i, "days_before")
        after = _days(rec.get("days_after"), source, i, "days_after")
        rows.append((name, start, end, before, after))
    out = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    out["start"] = pd.to_datetime(out["start"]).astype("datetime64[ns]")
    out["end"] = pd.to_datetime(out["end"]).astype("datetime64[ns]")
    return out


def _date(value: object, source: str, line: int, col: str) -> pd.Timestamp | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    if not text or text == "nan":
        return None
    stamp = pd.to_datetime(text, errors="coerce")
    if pd.isna(stamp):
        raise EventsError(f"{source}: line {line}, column {col}: {text!r} is not a date "
                          "(expected e.g. 2026-11-11)")
    return pd.Timestamp(stamp).normalize()


def _days(value: object, source: str, line: int, col: str) -> int:
    if value is None:
        return 0
    text = str(value).strip()
    if not text or text == "nan":
        return 0
    try:
        days = int(float(text))
    except ValueError as exc:
        raise EventsError(f"{source}: line {line}, column {col}: {text!r} is not a whole "
                          "number of days") from exc
    if days < 0 or days > 60:
        raise EventsError(f"{source}: line {line}, column {col}: {days} is outside 0-60 days")
    return days
