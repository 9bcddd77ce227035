"""Column names and codecs of the frames `scheduling` reads and returns.

One place for each: the frames are listed in DESIGN.md and docs/design-notes.md;
the break strings of a roster (`10:30-10:45;13:00-13:30`) and the interval length
of a frame of intervals are read (and break strings written) here and nowhere else in
`scheduling`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

REQUIREMENTS_COLUMNS = (
    "queue", "interval_start", "contacts", "aht_seconds", "agents", "staff", "service_level",
    "asa_seconds", "occupancy",
)
ROSTER_COLUMNS = ("agent_id", "date", "shift", "start", "end", "queue", "breaks")
COVERAGE_COLUMNS = ("queue", "interval_start", "required", "scheduled", "under", "over")
VIOLATION_COLUMNS = ("agent_id", "rule", "date", "detail")
INTERVAL_MINUTES = (15, 30, 60)


def queue_interval_minutes(frame: pd.DataFrame) -> dict[str, int]:
    """Each queue's interval length in minutes: its smallest step between interval
    starts. Queues with a single interval are left out."""
    lengths: dict[str, int] = {}
    for queue, rows in frame.groupby("queue", sort=True, observed=True):
        steps = pd.to_datetime(rows["interval_start"]).sort_values().diff().dropna()
        steps = steps[steps > pd.Timedelta(0)]
        if len(steps):
            lengths[str(queue)] = int(steps.min() / pd.Timedelta(minutes=1))
    return lengths


def interval_minutes(frame: pd.DataFrame, default: int | None = None) -> int:
    """The frame's interval length in minutes (the smallest over its queues).

    `default` is returned when no queue has two intervals; without one, that is an
    error naming what is missing.
    """
    lengths = queue_interval_minutes(frame)
    if lengths:
        return min(lengths.values())
    if default is None:
        raise ValueError("need at least two intervals of one queue to tell the interval "
                         "length")
    return int(default)


def _clock_minutes(text: str) -> int:
    try:
        hours, minutes = (int(v) for v in text.strip().split(":"))
    except ValueError:
        raise ValueError(f"break time {text!r} is not HH:MM") from None
    if not (0 <= hours <= 24 and 0 <= minutes < 60):
        raise ValueError(f"break time {text!r} is not a clock time")
    return hours * 60 + minutes


def break_spans(text: object, start: pd.Timestamp, end: pd.Timestamp | None = None
                ) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Breaks written `10:30-10:45;13:00-13:30` as timestamps on or after the shift
    `start` (a clock earlier than the start falls on the next day: night shifts).

    With `end`, every break must lie inside the shift and none may overlap another.
    Raises ValueError naming the break that cannot be read; callers add the roster
    row or agent.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or not str(text).strip():
        return []
    start = pd.Timestamp(start)
    spans = []
    for part in str(text).split(";"):
        if not part.strip():
            continue
        if part.count("-") != 1:
            raise ValueError(f"break {part.strip()!r} is not HH:MM-HH:MM")
        a, b = part.split("-")
        day = start.normalize()
        bs = day + pd.Timedelta(minutes=_clock_minutes(a))
        if bs < start:
            bs += pd.Timedelta(days=1)
        be = bs.normalize() + pd.Timedelta(minutes=_clock_minutes(b))
        if be <= bs:
            be += pd.Timedelta(days=1)
        if end is not None and be > end:
            raise ValueError(f"break {part.strip()} is not inside the shift "
                             f"{start:%Y-%m-%d %H:%M}-{pd.Timestamp(end):%H:%M}")
        spans.append((bs, be))
    if end is not None:
        spans.sort()
        for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
            if s2 < e1:
                raise ValueError(f"breaks {text!r} overlap")
    return spans


def break_text(spans: Iterable[tuple[int, int]]) -> str:
    """Breaks given as (start, end) minutes from a midnight, written `10:30-10:45;13:00-13:30`
    (times past midnight wrap to the clock); the inverse of `break_spans`."""

    def clock(minutes: int) -> str:
        minutes %= 1440
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    return ";".join(f"{clock(a)}-{clock(b)}" for a, b in spans)


def break_minutes(text: object) -> list[int]:
    """The length in minutes of each break in a break string, in the order written."""
    origin = pd.Timestamp("2000-01-01")
    return [int((be - bs) / pd.Timedelta(minutes=1)) for bs, be in break_spans(text, origin)]



def row_label(frame: pd.DataFrame, position: int, source: str) -> str:
    """'forecast row 7 (queue 'x', interval 2026-...)': the row as a CSV line number
    (header is line 1) when the frame was read from a file with a default index."""
    index = frame.index[position]
    line = int(index) + 2 if isinstance(index, int | np.integer) else position + 2
    return (f"{source} row {line} (queue {frame['queue'].iloc[position]!r}, "
            f"interval {frame['interval_start'].iloc[position]})")


def interval_starts(frame: pd.DataFrame, source: str) -> pd.Series:
    """The frame's `interval_start` as timestamps; raises ValueError naming the first
    row (see `row_label`) whose start is not a date and time."""
    starts = pd.to_datetime(frame["interval_start"], errors="coerce", format="mixed")
    if starts.isna().any():
        i = int(np.flatnonzero(starts.isna().to_numpy())[0])
        raise ValueError(f"{row_label(frame, i, source)}, column interval_start: "
                         f"{frame['interval_start'].iloc[i]!r} is not a date and time")
    return starts


def read_stamps(values: pd.Series) -> pd.Series:
    """Date-times of a column as given (strings or stamps), NaT where a value is not one,
    so the caller can name the row; without pandas' warning about guessing the format."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return pd.to_datetime(values, errors="coerce")
