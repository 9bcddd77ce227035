"""Email in the goal-seek: a backlog worked within its deadline, as the projection
judges it, instead of a per-interval staff requirement.

`scheduling.deferred` staffs email so each interval's work is spread over its
deadline window, and the projection judges a roster by a first-in-first-out backlog:
work arriving in an interval must be cleared within the d open intervals counted from
its first open interval (`deferred.deadline_intervals`). The goal-seek models that as
cumulative work served: `S_k`, the work cleared by the end of open interval k, grows
by at most that interval's capacity (`staff on line x (1 - shrinkage) x interval
seconds x max_occupancy`) and never passes the work arrived so far; oldest first (the
projection's order), the work of arrival interval i is cleared in time as far as
`S_due(i)` passes the work that arrived before it. The most any plan can clear is the
first-in-first-out backlog's, so the constraints are exact for the work cleared.

The plan must clear all of each interval's work by its deadline (share 1): the
projection then finds every interval on time, whatever the staffing inside the window.
The LP bound asks only the queue's service-level share (`goal`) of each interval's
work in time: any plan the projection passes clears about that much (the projection
interpolates the in-time share over the clearing span, so this is the bound's one
approximation). Work whose window runs past the horizon may be worked beyond it: in
proportion to the window's part outside for the plan, all of it for the bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduling.deferred import deadline_intervals
from scheduling.projection import settings_table
from scheduling.queue_settings import open_intervals


@dataclass(frozen=True)
class BacklogQueue:
    """One deferred queue's backlog model over the horizon's requirement rows."""

    queue: str
    open_rows: np.ndarray               # the queue's open rows, in time order
    arrived: np.ndarray                 # work arrived by the end of each open row (s)
    work: dict[int, float]              # arrival row -> work in seconds (rows with work)
    before: dict[int, float]            # arrival row -> work that arrived before it (s)
    due: dict[int, int]                 # arrival row -> position in open_rows of its
                                        # deadline (-1: past the horizon)
    beyond: dict[int, float]            # arrival row -> share of its window past the end
    per_staff: float                    # work-seconds one staff on line clears per interval
    goal: float                         # the queue's service-level share


def backlog_queues(req: pd.DataFrame, queue_settings: pd.DataFrame, length: int
                   ) -> list[BacklogQueue]:
    """The backlog model of every email queue in `req` (queue, interval_start,
    contacts, aht_seconds, sorted by queue and interval start; the rows of a queue
    taken as consecutive intervals, as the projection takes them)."""
    settings = settings_table(queue_settings)
    out = []
    interval = length * 60.0
    queues = req["queue"].astype(str).to_numpy()
    for q in sorted(set(queues)):
        if q not in settings.index or str(settings.loc[q, "channel"]) != "email":
            continue
        s = settings.loc[q]
        rows = np.flatnonzero(queues == q)
        frame = req.iloc[rows]
        is_open = open_intervals(frame["interval_start"], s["open_hours"])
        work = frame["contacts"].to_numpy(float) * frame["aht_seconds"].to_numpy(float)
        cumulative = np.cumsum(work)
        d = deadline_intervals(float(s["target_seconds"]), interval)
        rank = np.cumsum(is_open) - is_open  # first open interval at or after each row
        n_open = int(is_open.sum())
        works, before, due, beyond = {}, {}, {}, {}
        for j, r in enumerate(rows):
            if not work[j] > 0 or rank[j] >= n_open:
                continue  # nothing to do, or worked after the horizon
            last = int(rank[j]) + d - 1
            works[int(r)] = float(work[j])
            before[int(r)] = float(cumulative[j] - work[j])
            due[int(r)] = last if last < n_open else -1
            beyond[int(r)] = max(last + 1 - max(int(rank[j]), n_open), 0) / d
        keep = 1.0 - float(s["shrinkage"])
        goal = float(s["service_level"])
        out.append(BacklogQueue(q, rows[is_open], cumulative[is_open], works, before, due,
                                beyond, keep * interval * float(s["max_occupancy"]),
                                goal if np.isfinite(goal) else 0.0))
    return out
