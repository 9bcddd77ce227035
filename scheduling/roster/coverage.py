"""Coverage of a roster frame against requirements, counted minute by minute from the frame.

This reads only the roster frame (shift spans, queue, break strings), never the
model, so it doubles as an independent check of the coverage the solver reports.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from scheduling import frames
from scheduling.roster.errors import RosterInputError


def parse_breaks(text: object, start: pd.Timestamp) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """'10:30-10:45;13:00-13:30' -> timestamps, each on or after the shift `start`."""
    try:
        return frames.break_spans(text, start)
    except ValueError as exc:
        raise RosterInputError(str(exc)) from None


def requirement_units(values: pd.Series) -> pd.Series:
    """Fractional needs are rostered as whole people: ceil (with a small tolerance)."""
    return np.ceil(values.astype(float) - 1e-9).clip(lower=0).astype(int)


def online_minutes(roster: pd.DataFrame, queue: str, origin: pd.Timestamp,
                   minutes: int, proficiency: Mapping[tuple[str, str], float] | None = None
                   ) -> np.ndarray:
    """People on line (on shift on `queue`, not on break) for each minute from `origin`;
    with `proficiency` ((agent_id, queue) -> share, 1 when not listed) each counts at
    their share in `queue`."""
    weighted = bool(proficiency)
    delta = np.zeros(minutes + 1, dtype=np.float64 if weighted else np.int64)

    def mark(a: pd.Timestamp, b: pd.Timestamp, sign: float) -> None:
        i = int((a - origin) / pd.Timedelta(minutes=1))
        j = int((b - origin) / pd.Timedelta(minutes=1))
        i, j = max(i, 0), min(j, minutes)
        if i < j:
            delta[i] += sign
            delta[j] -= sign

    rows = roster[roster["queue"] == queue]
    for r in rows.itertuples(index=False):
        start, end = pd.Timestamp(r.start), pd.Timestamp(r.end)
        share = proficiency.get((str(r.agent_id), queue), 1.0) if weighted else 1
        mark(start, end, share)
        for bs, be in parse_breaks(r.breaks, start):
            mark(bs, be, -share)
    online = np.cumsum(delta)[:minutes]
    return np.round(online, 9) if weighted else online  # no 1e-16 left by adding shares


def roster_coverage(roster: pd.DataFrame, requirements: pd.DataFrame,
                    cover: str = "staff",
                    proficiency: Mapping[tuple[str, str], float] | None = None
                    ) -> pd.DataFrame:
    """Per queue and interval: `required` (whole people), `scheduled` (mean on line over
    the interval), `under` and `over` (mean shortfall and surplus over its minutes).
    With `proficiency` ((agent_id, queue) -> share below 1), an agent on line counts at
    their share of a full agent in that queue."""
    if cover not in requirements.columns:
        raise RosterInputError(f"requirements: no column {cover!r} to roster against")
    req = requirements[["queue", "interval_start", cover]].copy()
    req["interval_start"] = pd.to_datetime(req["interval_start"])
    req["required"] = requirement_units(req[cover])
    origin = req["interval_start"].min().normalize()
    lengths = frames.queue_interval_minutes(req)
    out = []
    for queue, grp in req.groupby("queue", sort=True):
        grp = grp.sort_values("interval_start")
        length = lengths.get(str(queue), 60)
        last = grp["interval_start"].max() + pd.Timedelta(minutes=length)
        minutes = int((last - origin) / pd.Timedelta(minutes=1))
        online = online_minutes(roster, str(queue), origin, minutes, proficiency)
        offs = ((grp["interval_start"] - origin) / pd.Timedelta(minutes=1)).astype(int).to_numpy()
        window = online[offs[:, None] + np.arange(length)[None, :]]
        need = grp["required"].to_numpy()[:, None]
        out.append(pd.DataFrame({
            "queue": queue, "interval_start": grp["interval_start"].to_numpy(),
            "required": grp["required"].to_numpy(),
            "scheduled": window.mean(axis=1),
            "under": np.clip(need - window, 0, None).mean(axis=1),
            "over": np.clip(window - need, 0, None).mean(axis=1)}))
    if not out:
        return pd.DataFrame(columns=list(frames.COVERAGE_COLUMNS))
    return pd.concat(out, ignore_index=True)[list(frames.COVERAGE_COLUMNS)]


def coverage_summary(coverage: pd.DataFrame, interval_minutes: int) -> pd.DataFrame:
    """Per queue: required, scheduled, under and over in agent-hours while the queue is
    open, the need while it is closed (`closed_hours`, never staffed), and % covered."""
    h = interval_minutes / 60
    is_open = coverage["open"] if "open" in coverage else pd.Series(True, coverage.index)
    opened = coverage[is_open]
    g = opened.groupby("queue", sort=True)
    summary = pd.DataFrame({
        "required_hours": g["required"].sum() * h,
        "scheduled_hours": g["scheduled"].sum() * h,
        "under_hours": g["under"].sum() * h,
        "over_hours": g["over"].sum() * h,
    })
    closed = coverage[~is_open].groupby("queue")["required"].sum() * h
    summary["closed_hours"] = closed.reindex(summary.index).fillna(0.0)
    summary["covered_pct"] = np.where(
        summary["required_hours"] > 0,
        100 * (1 - summary["under_hours"] / summary["required_hours"].where(
            summary["required_hours"] > 0, 1)), 100.0)
    return summary.reset_index()
