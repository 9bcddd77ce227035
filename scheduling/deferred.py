"""Email and other deferred work: staff so each interval's work is cleared by its deadline.

Deferred contacts do not wait on a line; they wait in a backlog. Work arriving in
an interval (contacts x AHT) must be finished within `target_seconds` of open time:
with ``d = max(1, floor(target / interval))`` open intervals, counting the arrival
interval when it is open, work is due at the end of the d-th open interval at or
after its arrival. A queue worked 08:00-20:00 with a 4-hour deadline must answer a
03:00 email by 12:00, as planners count it; without opening hours every interval is
open and the deadline is clock time.

Rule: each interval's work is spread evenly over its d open intervals (rate
smoothing), the capacity of an open interval is at least the work due there divided
by the occupancy cap, and agents are that capacity rounded up; closed intervals get
none. Because cumulative capacity is then never below the cumulative work that is
due, a first-in-first-out backlog (carried forward from interval to interval) meets
every deadline; `clear_backlog` replays it and reports the delays. Work whose window
runs past the last interval is staffed only for the part inside the horizon (its
remainder is carried forward past the end of the frame); the replay assumes that
remainder is staffed at the same even rate after the horizon.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scheduling.erlang import ErlangInputError, ceil_tolerant, check_non_negative


class DeferredRequirement(NamedTuple):
    """Agents per interval for deferred work and what the backlog replay shows."""

    agents: NDArray[np.int64]
    service_level: NDArray[np.float64]  # share of the interval's contacts cleared in time
    asa_seconds: NDArray[np.float64]  # mean time from mid-interval to clearing (seconds)
    occupancy: NDArray[np.float64]
    backlog_seconds: NDArray[np.float64]  # work left at the end of the interval


def deadline_intervals(target_seconds: float, interval_seconds: float) -> int:
    """Open intervals (counting the arrival interval) in which work must be cleared."""
    return max(1, int(np.floor(target_seconds / interval_seconds + 1e-9)))


def _open_mask(open_intervals: ArrayLike | None, size: int) -> NDArray[np.bool_]:
    if open_intervals is None:
        return np.ones(size, dtype=bool)
    mask = np.asarray(open_intervals, dtype=bool).ravel()
    if mask.size != size:
        raise ErlangInputError(
            f"open_intervals has {mask.size} values for {size} intervals; give one per interval"
        )
    return mask


def deferred_requirement(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: float,
    target_seconds: float,
    max_occupancy: float = 1.0,
    open_intervals: ArrayLike | None = None,
) -> DeferredRequirement:
    """Agents per interval (one queue, consecutive intervals in time order).

    `open_intervals` marks the intervals in which the queue is worked (all when
    omitted); the deadline counts only those, and closed intervals get no agents.
    """
    c = np.asarray(contacts, dtype=float).ravel()
    h = np.broadcast_to(np.asarray(aht_seconds, dtype=float), c.shape).ravel()
    check_non_negative(c, "contacts")
    check_non_negative(h, "aht_seconds")
    if not interval_seconds > 0:
        raise ErlangInputError("interval_seconds must be positive")
    if not 0 < max_occupancy <= 1:
        raise ErlangInputError("max_occupancy must be above 0 and at most 1")
    is_open = _open_mask(open_intervals, c.size)
    d = deadline_intervals(target_seconds, interval_seconds)
    size = c.size
    # Pad d - 1 open intervals so the replay can finish work due after the horizon.
    c = np.concatenate([c, np.zeros(d - 1)])
    h = np.concatenate([h, np.zeros(d - 1)])
    is_open = np.concatenate([is_open, np.ones(d - 1, dtype=bool)])
    work = c * h
    rank = _open_rank(is_open)
    n_open = int(is_open.sum())
    # Work counts from the first open interval at or after its arrival; work arriving
    # after the last open interval waits beyond the horizon.
    inside = rank < n_open
    bucket = np.bincount(rank[inside], weights=work[inside], minlength=n_open)
    cumulative = np.concatenate([[0.0], np.cumsum(bucket)])
    k = np.arange(n_open)
    # Load of open interval k: (work of open intervals k-d+1 .. k) / d.
    load = (cumulative[k + 1] - cumulative[np.maximum(k - d + 1, 0)]) / d
    open_agents = ceil_tolerant(load / (interval_seconds * max_occupancy))
    agents = np.zeros(c.size, dtype=np.int64)
    agents[is_open] = np.maximum(open_agents, 0)
    replay = clear_backlog(c, h, agents, interval_seconds, target_seconds, max_occupancy,
                           open_intervals=is_open)
    return DeferredRequirement(agents[:size], *(v[:size] for v in replay))


def _open_rank(is_open: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Index among the open intervals of each interval's first open interval at or after it."""
    return np.cumsum(is_open) - is_open


def clear_backlog(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    agents: ArrayLike,
    interval_seconds: float,
    target_seconds: float,
    max_occupancy: float = 1.0,
    open_intervals: ArrayLike | None = None,
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Replay a first-in-first-out backlog with the given agents per interval.

    Work of interval i may be worked from the start of interval i (or the next
    opening); each open interval's capacity (agents x interval x max_occupancy) is
    used at an even rate, and closed intervals work nothing. Returns per interval:
    share of its contacts cleared by the deadline (counted in open time), mean time
    from the middle of the interval (the mean arrival time) to clearing, in clock
    seconds, occupancy, and backlog left at the end of the interval (seconds of work).
    """
    c = np.asarray(contacts, dtype=float).ravel()
    work = c * np.broadcast_to(np.asarray(aht_seconds, dtype=float), c.shape).ravel()
    size = work.size
    is_open = _open_mask(open_intervals, size)
    staffed = np.where(is_open, np.asarray(agents, dtype=float).ravel(), 0.0) * interval_seconds
    capacity = staffed * max_occupancy
    done_work = np.zeros(size)
    backlog = np.zeros(size)
    level = 0.0
    for i in range(size):
        level += work[i]
        served = min(level, capacity[i])
        level -= served
        backlog[i] = level
        done_work[i] = served
    # Times on the open-time clock, where closed intervals take no time.
    open_index = np.flatnonzero(is_open)
    rank = _open_rank(is_open)
    served_cum = np.concatenate([[0.0], np.cumsum(done_work[open_index])])
    work_cum = np.cumsum(work)
    finish = _time_reached(served_cum, done_work[open_index], work_cum, interval_seconds)
    first = _time_reached(served_cum, done_work[open_index], work_cum - work, interval_seconds,
                          started=True)
    first = np.maximum(first, rank * interval_seconds)
    d = deadline_intervals(target_seconds, interval_seconds)
    due = (rank + d) * interval_seconds
    mid = (np.arange(size) + 0.5) * interval_seconds
    with np.errstate(invalid="ignore", divide="ignore"):
        span = finish - first
        in_time = np.where(
            work > 0,
            np.clip(np.where(span > 0, (due - first) / span, (finish <= due + 1e-9) * 1.0),
                    0.0, 1.0),
            1.0,
        )
        mean_finish = _clock_time((first + finish) / 2.0, open_index, interval_seconds)
        delay = np.where(work > 0, np.maximum(mean_finish - mid, 0.0), 0.0)
        occ = np.where(staffed > 0, done_work / staffed, 0.0)
    in_time = np.where(np.isfinite(finish) | (work == 0), in_time, 0.0)
    return in_time, delay, occ, backlog


def _clock_time(open_time: NDArray, open_index: NDArray, interval_seconds: float) -> NDArray:
    """Clock time (seconds from the first interval) of a point on the open-time clock."""
    out = np.full(open_time.shape, np.inf)
    if open_index.size == 0:
        return out
    position = open_time / interval_seconds
    finite = np.isfinite(position)
    whole = np.floor(position[finite]).astype(np.int64)
    part = position[finite] - whole
    # A point at the very end of an open interval belongs to that interval.
    at_end = (part == 0) & (whole > 0)
    whole = np.where(at_end, whole - 1, whole)
    part = np.where(at_end, 1.0, part)
    beyond = whole >= open_index.size
    last = open_index[-1]
    start = np.where(beyond, last + 1 + (whole - open_index.size),
                     open_index[np.minimum(whole, open_index.size - 1)])
    out[finite] = (start + part) * interval_seconds
    return out


def _time_reached(
    served_cum: NDArray, served: NDArray, amount: NDArray, interval_seconds: float,
    started: bool = False,
) -> NDArray:
    """First time cumulative served work reaches `amount` (even rate within intervals);
    with `started`, first time it rises above it: when work queued behind `amount`
    starts being served (idle intervals in between are skipped)."""
    tol = 1e-9 * max(1.0, float(served_cum[-1]))
    if started:
        j = np.searchsorted(served_cum, amount + tol, side="right")
    else:
        j = np.searchsorted(served_cum, amount - tol, side="left")
    out = np.where(j == 0, 0.0, np.inf)
    inside = (j > 0) & (j < served_cum.size)
    k = j[inside] - 1
    part = np.clip((amount[inside] - served_cum[k]) / served[k], 0.0, 1.0)
    out[inside] = (k + part) * interval_seconds
    return out
