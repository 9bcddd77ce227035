"""Email and other deferred work: staff so each interval's work is cleared by its deadline.

Deferred contacts do not wait on a line; they wait in a backlog. Work arriving in
an interval (contacts x AHT) must be finished within `target_seconds`; with
``d = max(1, floor(target / interval))`` intervals, counting the arrival interval,
work arriving in interval i is due at the end of interval i + d - 1 (at most
`target_seconds` after the interval starts, so never later than the target).

Rule: each interval's work is spread evenly over its d intervals (rate smoothing),
the capacity of interval k is at least the work due there divided by the
occupancy cap, and agents are that capacity rounded up. Because cumulative
capacity is then never below the cumulative work that is due, a first-in-first-out
backlog (carried forward from interval to interval) meets every deadline;
`clear_backlog` replays it and reports the delays. Work whose window runs past the
last interval is staffed only for the part inside the horizon (its remainder is
carried forward past the end of the frame); the replay assumes that remainder is
staffed at the same even rate after the horizon.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scheduling.erlang import ErlangInputError, _check_non_negative, ceil_tolerant


class DeferredRequirement(NamedTuple):
    """Agents per interval for deferred work and what the backlog replay shows."""

    agents: NDArray[np.int64]
    service_level: NDArray[np.float64]  # share of the interval's contacts cleared in time
    asa_seconds: NDArray[np.float64]  # mean time from interval end to clearing (seconds)
    occupancy: NDArray[np.float64]
    backlog_seconds: NDArray[np.float64]  # work left at the end of the interval


def deadline_intervals(target_seconds: float, interval_seconds: float) -> int:
    """Intervals (counting the arrival interval) in which work must be cleared."""
    return max(1, int(np.floor(target_seconds / interval_seconds + 1e-9)))


def deferred_requirement(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: float,
    target_seconds: float,
    max_occupancy: float = 1.0,
) -> DeferredRequirement:
    """Agents per interval (one queue, consecutive intervals in time order)."""
    c = np.asarray(contacts, dtype=float).ravel()
    h = np.broadcast_to(np.asarray(aht_seconds, dtype=float), c.shape).ravel()
    _check_non_negative(c, "contacts")
    _check_non_negative(h, "aht_seconds")
    if not interval_seconds > 0:
        raise ErlangInputError("interval_seconds must be positive")
    if not 0 < max_occupancy <= 1:
        raise ErlangInputError("max_occupancy must be above 0 and at most 1")
    d = deadline_intervals(target_seconds, interval_seconds)
    size = c.size
    # Pad d - 1 empty intervals so the replay can finish work due after the horizon.
    c = np.concatenate([c, np.zeros(d - 1)])
    h = np.concatenate([h, np.zeros(d - 1)])
    work = c * h
    cumulative = np.concatenate([[0.0], np.cumsum(work)])
    k = np.arange(work.size)
    # Load of interval k: (work of intervals k-d+1 .. k) / d.
    load = (cumulative[k + 1] - cumulative[np.maximum(k - d + 1, 0)]) / d
    agents = ceil_tolerant(load / (interval_seconds * max_occupancy))
    agents = np.where(work > 0, np.maximum(agents, 0), agents)
    replay = clear_backlog(c, h, agents, interval_seconds, target_seconds, max_occupancy)
    return DeferredRequirement(agents[:size], *(v[:size] for v in replay))


def clear_backlog(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    agents: ArrayLike,
    interval_seconds: float,
    target_seconds: float,
    max_occupancy: float = 1.0,
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Replay a first-in-first-out backlog with the given agents per interval.

    Work of interval i may be worked from the start of interval i; each interval's
    capacity (agents x interval x max_occupancy) is used at an even rate. Returns
    per interval: share of its contacts cleared by the deadline, mean time from the
    middle of the interval (the mean arrival time) to clearing, in seconds,
    occupancy, and backlog left at the end of the interval (seconds of work).
    """
    c = np.asarray(contacts, dtype=float).ravel()
    work = c * np.broadcast_to(np.asarray(aht_seconds, dtype=float), c.shape).ravel()
    staffed = np.asarray(agents, dtype=float).ravel() * interval_seconds
    capacity = staffed * max_occupancy
    size = work.size
    work_cum = np.cumsum(work)
    done_work = np.zeros(size)
    backlog = np.zeros(size)
    level = 0.0
    for i in range(size):
        level += work[i]
        served = min(level, capacity[i])
        level -= served
        backlog[i] = level
        done_work[i] = served
    # Time at which cumulative served work reaches work_cum[i] (interpolated).
    served_cum = np.concatenate([[0.0], np.cumsum(done_work)])
    finish = _time_reached(served_cum, done_work, work_cum, interval_seconds)
    first = _time_reached(served_cum, done_work, work_cum - work, interval_seconds)
    first = np.maximum(first, np.arange(size) * interval_seconds)
    mid = (np.arange(size) + 0.5) * interval_seconds
    d = deadline_intervals(target_seconds, interval_seconds)
    due = (np.arange(size) + d) * interval_seconds
    with np.errstate(invalid="ignore", divide="ignore"):
        span = finish - first
        in_time = np.where(
            work > 0,
            np.clip(np.where(span > 0, (due - first) / span, (finish <= due + 1e-9) * 1.0),
                    0.0, 1.0),
            1.0,
        )
        mean_finish = (first + finish) / 2.0
        delay = np.where(work > 0, np.maximum(mean_finish - mid, 0.0), 0.0)
        occ = np.where(staffed > 0, done_work / staffed, 0.0)
    in_time = np.where(np.isfinite(finish) | (work == 0), in_time, 0.0)
    return in_time, delay, occ, backlog


def _time_reached(
    served_cum: NDArray, served: NDArray, amount: NDArray, interval_seconds: float
) -> NDArray:
    """First time cumulative served work reaches `amount` (even rate within intervals)."""
    tol = 1e-9 * max(1.0, float(served_cum[-1]))
    j = np.searchsorted(served_cum, amount - tol, side="left")
    out = np.full(amount.shape, np.inf)
    zero = j == 0
    out[zero] = 0.0
    inside = (j > 0) & (j < served_cum.size)
    k = j[inside] - 1
    part = np.clip((amount[inside] - served_cum[k]) / served[k], 0.0, 1.0)
    out[inside] = (k + part) * interval_seconds
    return out
