"""What the plan must cover in each interval, judged as the projection judges a roster.

`scheduling.staffing.requirements` gives `staff`: whole agents on line for the target,
grossed up for shrinkage and rounded up. The projection that judges the plan counts
staff on line as a fraction (shifts that start or break inside an interval) and
applies shrinkage without rounding, so the least staff that meets the target there is
often below `staff`. `interval_need` finds it per interval by bisection with the
queue's own formula (Erlang C / A, chat concurrency), so the goal-seek's cover, its LP
bound and the projection agree. Email keeps `staff` here (shown as its requirement):
its backlog carries from one interval to the next, so no one interval has a need of
its own; the goal-seek plans it as a backlog (`backlog`).

Modes (`TARGET_MODES`): `interval` (every interval a lever can reach), `day` and
`week` (each queue's day or Monday-to-Sunday week as a whole, contact-weighted as
`scheduling.projection.rollup` weights it). The day and week modes plan the interval
need first, then the trim pass takes out what the day or week does not need; a plan
built on the period LP (`levels`), trimmed the same way, replaces it when cheaper,
and that LP is their lower bound on cost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduling.projection import below_target, formula_metrics, settings_table

TOLERANCE = 1e-3  # staff: the bisection stops within this of the least staff


def judge(frame: pd.DataFrame, settings: pd.DataFrame, length: int
          ) -> tuple[np.ndarray, np.ndarray]:
    """Per row of `frame` (queue, interval_start, contacts, aht_seconds, scheduled: agents
    on line after shrinkage): the service level by the queue's formula, and whether the
    queue's targets hold (service level, ASA where set, and occupancy at most the
    queue's `max_occupancy`, as `scheduling.staffing` staffs it)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        metrics = formula_metrics(frame, settings, length)
    full = pd.concat([frame, metrics], axis=1)
    ok = ~np.array(below_target(full, settings), dtype=bool)
    cap = frame["queue"].map(settings["max_occupancy"]).to_numpy(float)
    busy = (full["occupancy"].to_numpy(float) > cap + 1e-9) & (
        frame["contacts"].to_numpy(float) > 0)
    return np.array(full["service_level"], dtype=float), ok & ~busy


def meets_target(frame: pd.DataFrame, settings: pd.DataFrame, length: int) -> np.ndarray:
    """Whether the queue's targets hold in each row (`judge`)."""
    return judge(frame, settings, length)[1]


def interval_need(req: pd.DataFrame, staff: np.ndarray, queue_settings: pd.DataFrame,
                  length: int) -> tuple[np.ndarray, np.ndarray]:
    """(least staff that meets the target, most staff that still misses it) per row of
    `req` (queue, interval_start, contacts, aht_seconds): the first is what the plan
    covers, the second a lower bound on what any plan must (for the LP bound). Both
    are at most `staff`; email rows keep `staff` in both."""
    settings = settings_table(queue_settings)
    queue = req["queue"].astype(str)
    keep = 1.0 - queue.map(settings["shrinkage"]).to_numpy(float)
    email = queue.map(settings["channel"]).astype(str).to_numpy() == "email"
    low = np.zeros(len(req))
    high = np.asarray(staff, dtype=float).copy()
    rows = np.flatnonzero(~email & (high > 0))
    frame = req[["queue", "interval_start", "contacts", "aht_seconds"]].iloc[rows]
    frame = frame.reset_index(drop=True)
    ok = meets_target(frame.assign(scheduled=0.0), settings, length)
    high[rows[ok]] = 0.0
    rows, frame = rows[~ok], frame[~ok].reset_index(drop=True)
    while len(rows):
        mid = (low[rows] + high[rows]) / 2
        ok = meets_target(frame.assign(scheduled=mid * keep[rows]), settings, length)
        high[rows[ok]] = mid[ok]
        low[rows[~ok]] = mid[~ok]
        wide = high[rows] - low[rows] > TOLERANCE
        rows, frame = rows[wide], frame[wide].reset_index(drop=True)
    low[email] = high[email]
    return high, low
