"""Roster -> agents on line: each agent's on-line windows (shift minus breaks) and
the agents on line per queue and interval, counted to the second (each agent at their
proficiency in the queue when given: an agent at 0.7 counts as 0.7 of an agent)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from scheduling.pooled_simulation import covered_seconds
from scheduling.projection.inputs import break_spans, parse_roster


def on_line_windows(roster: pd.DataFrame) -> pd.DataFrame:
    """Spans each rostered agent is on line: shifts with their breaks cut out.

    Columns: agent_id, queue, date, start, end (one row per span).
    """
    frame = parse_roster(roster)
    rows = []
    for i, r in enumerate(frame.itertuples(index=False)):
        where = f"roster row {i + 1} (agent {r.agent_id}, {r.date:%Y-%m-%d})"
        cursor = r.start
        for bs, be in break_spans(r.breaks, r.start, r.end, where):
            if bs > cursor:
                rows.append((r.agent_id, r.queue, r.date, cursor, bs))
            cursor = max(cursor, be)
        if r.end > cursor:
            rows.append((r.agent_id, r.queue, r.date, cursor, r.end))
    return pd.DataFrame(rows, columns=["agent_id", "queue", "date", "start", "end"])


def window_weights(windows: pd.DataFrame,
                   proficiency: Mapping[str, Mapping[str, float]] | None) -> np.ndarray | None:
    """Each on-line span's weight: the agent's proficiency in the span's queue (1 when
    not given); None when no agent has one, so the count stays a plain count."""
    if not proficiency or windows.empty:
        return None
    return np.array([float(proficiency.get(str(a), {}).get(str(q), 1.0))
                     for a, q in zip(windows["agent_id"], windows["queue"], strict=True)])


def agents_on_line(windows: pd.DataFrame, intervals: pd.DataFrame,
                   interval_minutes: int,
                   proficiency: Mapping[str, Mapping[str, float]] | None = None
                   ) -> np.ndarray:
    """Mean number of agents on line over each (queue, interval_start) of `intervals`,
    from on-line spans (`on_line_windows`), before unplanned shrinkage; with
    `proficiency` (agent_id -> queue -> share) each agent counts at their share."""
    out = np.zeros(len(intervals))
    if windows.empty or intervals.empty:
        return out
    origin = min(windows["start"].min(), intervals["interval_start"].min())
    sec = pd.Timedelta(seconds=1)
    length = interval_minutes * 60.0
    t0_all = ((intervals["interval_start"] - origin) / sec).to_numpy()
    queues = intervals["queue"].astype(str).to_numpy()
    weights = window_weights(windows, proficiency)
    if weights is not None:
        windows = windows.assign(_weight=weights)
    for queue, spans in windows.groupby("queue", sort=False):
        sel = queues == queue
        if not sel.any():
            continue
        s = ((spans["start"] - origin) / sec).to_numpy()
        e = ((spans["end"] - origin) / sec).to_numpy()
        t0 = t0_all[sel]
        w = np.ones(len(s)) if weights is None else spans["_weight"].to_numpy()
        out[sel] = (covered_seconds(t0 + length, s, e, w)
                    - covered_seconds(t0, s, e, w)) / length
    return out
