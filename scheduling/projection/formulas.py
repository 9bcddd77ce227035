"""The per-queue formulas of the projection: Erlang C, Erlang A, the chat
concurrency model and deferred work, giving service level, ASA, the 90th-percentile
wait, abandonment and occupancy per interval."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from scheduling import chat, deferred, erlang, erlang_a
from scheduling.queue_settings import open_intervals

WAIT_PERCENTILE = 0.9


def erlang_c_wait_percentile(contacts: np.ndarray, aht_seconds: np.ndarray,
                             interval_seconds: float, agents: np.ndarray,
                             percentile: float = WAIT_PERCENTILE) -> np.ndarray:
    """Wait not exceeded by `percentile` of contacts under Erlang C, in closed form.

    P(wait > t) = P(wait) x exp(-(agents - traffic) t / AHT), so the percentile p is
    0 when P(wait) <= 1 - p and AHT / (agents - traffic) x ln(P(wait) / (1 - p)) else;
    infinite when agents <= traffic. For a fractional number of agents P(wait) is
    Erlang C's interpolated value.
    """
    a = erlang.traffic_intensity(contacts, aht_seconds, interval_seconds)
    x = np.asarray(agents, dtype=float)
    c = erlang.erlang_c(a, x)
    tail = 1.0 - percentile
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.asarray(aht_seconds, dtype=float) / (x - a) * np.log(c / tail)
    t = np.where(c <= tail, 0.0, t)
    t = np.where((x <= a) & (a > 0), np.inf, t)
    return np.where(a > 0, t, 0.0)


def formula_metrics(frame: pd.DataFrame, settings: pd.DataFrame, length: int) -> pd.DataFrame:
    """Service level, ASA, p90 wait, abandonment and occupancy per row of `frame`
    (columns queue, contacts, aht_seconds, scheduled) by each queue's formula:
    chat -> chat concurrency model, email -> deferred backlog, voice -> Erlang A where
    `patience_seconds` is known, else Erlang C."""
    interval = length * 60.0
    out = pd.DataFrame(np.nan, index=frame.index, columns=list(_METRICS))
    method = pd.Series("", index=frame.index, dtype=object)
    for queue, rows in frame.groupby("queue", sort=False):
        q = settings.loc[queue]
        c = rows["contacts"].to_numpy(dtype=float)
        h = rows["aht_seconds"].to_numpy(dtype=float)
        x = rows["scheduled"].to_numpy(dtype=float)
        target = float(q["target_seconds"])
        kind = _method(q)
        if kind == "chat":
            values = _chat_columns(c, h, interval, x, int(q["concurrency"]), target,
                                   float(q["patience_seconds"]))
        elif kind == "deferred":
            is_open = open_intervals(rows["interval_start"], q["open_hours"])
            values = _deferred_columns(c, h, interval, x, target, float(q["max_occupancy"]),
                                       is_open)
        elif kind == "erlang_a":
            values = _erlang_a_columns(c, h, interval, x, float(q["patience_seconds"]), target)
        else:
            values = _erlang_c_columns(c, h, interval, x, target)
        out.loc[rows.index, list(_METRICS)] = values
        method[rows.index] = kind
    return out.assign(method=method)


_METRICS = ("service_level", "asa_seconds", "wait_p90_seconds", "abandon_rate", "occupancy")


def _method(q: pd.Series) -> str:
    channel = str(q["channel"])
    if channel == "chat":
        return "chat"
    if channel == "email":
        return "deferred"
    patience = float(q["patience_seconds"])
    return "erlang_a" if np.isfinite(patience) and patience > 0 else "erlang_c"


def _erlang_c_columns(c: np.ndarray, h: np.ndarray, interval: float, x: np.ndarray,
                      target: float) -> np.ndarray:
    return np.column_stack([
        erlang.service_level(c, h, interval, x, target),
        erlang.asa_seconds(c, h, interval, x),
        erlang_c_wait_percentile(c, h, interval, x),
        np.zeros(c.size),
        erlang.occupancy(c, h, interval, x),
    ])


def _erlang_a_columns(c: np.ndarray, h: np.ndarray, interval: float, x: np.ndarray,
                      patience: float, target: float) -> np.ndarray:
    m = erlang_a.erlang_a(c, h, interval, x, patience, target)

    def within(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return erlang_a.erlang_a(c[rows], h[rows], interval, x[rows], patience, t).service_level

    return np.column_stack([
        m.service_level, m.asa_seconds, _answered_wait_percentile(within, m.abandon_rate, h),
        m.abandon_rate, m.occupancy])


def _answered_wait_percentile(service_level_within: Callable[[np.ndarray, np.ndarray],
                                                             np.ndarray],
                              abandon_rate: np.ndarray, aht: np.ndarray) -> np.ndarray:
    """90th percentile of the wait of answered contacts, where some abandon: the share
    answered within t is the service level at t over the share answered."""
    answered = 1.0 - abandon_rate

    def answered_within(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
        sl = service_level_within(t, rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(answered[rows] > 0, sl / answered[rows], 1.0)

    return _wait_percentile(answered_within, aht)


def _wait_percentile(share_within: Callable[[np.ndarray, np.ndarray], np.ndarray],
                     aht: np.ndarray, percentile: float = WAIT_PERCENTILE) -> np.ndarray:
    """Least wait t with share_within(t, rows) >= percentile (the share grows with t),
    to 0.5 s or 1%, or to 0.5% of the tail share (1 - share within 0.0005 of 0.1 at
    the 90th percentile). A bracket, then the Illinois variant of regula falsi on
    log(1 - share), nearly linear in t since waits have a near-exponential tail; each
    step is evaluated only on the rows still open. Infinite where never reached."""
    goal = np.log1p(-percentile)

    def excess(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """>= 0 once the share answered within t reaches the percentile."""
        return goal - np.log(np.clip(1.0 - share_within(t, rows), 1e-300, 1.0))

    n = aht.size
    out = np.full(n, np.inf)
    rows = np.arange(n)
    f0 = excess(np.zeros(n), rows)
    out[f0 >= 0] = 0.0
    rows = rows[f0 < 0]
    lo, f_lo = np.zeros(rows.size), f0[rows]
    hi = np.maximum(aht[rows], 1.0)
    f_hi = excess(hi, rows)
    for _ in range(20):  # widen the bracket where needed (x4 each time)
        short = f_hi < 0
        if not short.any():
            break
        lo = np.where(short, hi, lo)
        f_lo = np.where(short, f_hi, f_lo)
        hi = np.where(short, hi * 4.0, hi)
        idx = np.flatnonzero(short)
        f_hi[idx] = excess(hi[idx], rows[idx])
    found = f_hi >= 0
    rows, lo, hi, f_lo, f_hi = rows[found], lo[found], hi[found], f_lo[found], f_hi[found]
    side = np.zeros(rows.size, dtype=np.int8)
    settled = np.abs(f_hi) < 0.005
    for _ in range(60):
        open_ = ~settled & ((hi - lo) > np.maximum(0.5, 0.01 * hi))
        if not open_.any():
            break
        idx = np.flatnonzero(open_)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = hi[idx] - f_hi[idx] * (hi[idx] - lo[idx]) / (f_hi[idx] - f_lo[idx])
        mid = (lo[idx] + hi[idx]) / 2.0
        t = np.where(np.isfinite(t) & (t > lo[idx]) & (t < hi[idx]), t, mid)
        f = excess(t, rows[idx])
        settled[idx] = np.abs(f) < 0.005
        up = (f >= 0) | settled[idx]
        # Illinois: halve the stored value of the end that stays, so both ends move.
        i_up, i_dn = idx[up], idx[~up]
        hi[i_up], f_hi[i_up] = t[up], f[up]
        f_lo[i_up] = np.where(side[i_up] == 1, f_lo[i_up] / 2.0, f_lo[i_up])
        side[i_up] = 1
        lo[i_dn], f_lo[i_dn] = t[~up], f[~up]
        f_hi[i_dn] = np.where(side[i_dn] == -1, f_hi[i_dn] / 2.0, f_hi[i_dn])
        side[i_dn] = -1
    out[rows] = hi
    return out


def _chat_columns(c: np.ndarray, h: np.ndarray, interval: float, x: np.ndarray,
                  concurrency: int, target: float, patience: float = math.nan) -> np.ndarray:
    """Chat concurrency model (with abandonment where the queue has a patience);
    between whole agent counts the metrics are interpolated linearly, as Erlang C
    and A do."""
    lo = np.floor(x + 1e-9)
    frac = np.clip(x - lo, 0.0, 1.0)

    def at(n: np.ndarray) -> np.ndarray:
        m = chat.chat_metrics(c, h, interval, n, concurrency, target,
                              patience_seconds=patience)
        if math.isnan(patience):
            p_wait = 1.0 - chat.chat_metrics(c, h, interval, n, concurrency, 0.0).service_level
            with np.errstate(divide="ignore", invalid="ignore"):
                gap = p_wait / m.asa_seconds  # exponential tail rate of the wait
                p90 = np.log(p_wait / (1.0 - WAIT_PERCENTILE)) / gap
            p90 = np.where(p_wait <= 1.0 - WAIT_PERCENTILE, 0.0, p90)
            p90 = np.where(np.isfinite(m.asa_seconds), p90, np.inf)
        else:
            def within(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
                return chat.chat_metrics(c[rows], h[rows], interval, n[rows], concurrency, t,
                                         patience_seconds=patience).service_level

            p90 = _answered_wait_percentile(within, m.abandon_rate, h)
        return np.column_stack([m.service_level, m.asa_seconds, p90, m.abandon_rate,
                                m.occupancy])

    low = at(lo)
    if not np.any(frac > 0):
        return low
    high = at(lo + 1.0)
    f = frac[:, None]
    with np.errstate(invalid="ignore"):
        mixed = low + f * (high - low)
    mixed = np.where(np.isinf(low) & (f > 0), np.where(f >= 1.0, high, low), mixed)
    if not math.isnan(patience):
        # ASA is a mean over answered chats: weight each count by the chats it answers.
        mixed[:, 1] = erlang_a.answered_weighted_asa(low[:, 1], low[:, 3], high[:, 1],
                                                     high[:, 3], frac)
        nobody = (1.0 - low[:, 3]) * (1.0 - frac) <= 0
        mixed[:, 2] = np.where(nobody & (f[:, 0] > 0), high[:, 2], mixed[:, 2])
    return np.where(f > 0, mixed, low)


def _deferred_columns(c: np.ndarray, h: np.ndarray, interval: float, x: np.ndarray,
                      target: float, max_occupancy: float,
                      is_open: np.ndarray | None = None) -> np.ndarray:
    """Email: a first-in-first-out backlog worked by the scheduled agents (intervals
    taken as consecutive; the deadline counts open hours); `asa_seconds` is the mean
    time to clear, no percentile.

    Work still in the backlog at the end of the horizon (email that arrives after the
    last opening, due the next morning) is worked after it at the horizon's mean staffing
    of its open intervals, as `scheduling.deferred.deferred_requirement` assumes when it
    staffs that work; without the padding it would count as never handled (service level
    0, infinite ASA) whatever the roster."""
    size = c.size
    opened = np.ones(size, dtype=bool) if is_open is None else np.asarray(is_open, dtype=bool)
    staffed = x[opened & (x > 0)]
    if size and staffed.size:
        level = float(staffed.mean())
        _, _, _, left = deferred.clear_backlog(c, h, x, interval, target, max_occupancy,
                                               open_intervals=opened)
        per_interval = level * interval * max_occupancy
        extra = max(deferred.deadline_intervals(target, interval) - 1,
                    int(np.ceil(left[-1] / per_interval)) + 1)
        c = np.concatenate([c, np.zeros(extra)])
        h = np.concatenate([h, np.zeros(extra)])
        x = np.concatenate([x, np.full(extra, level)])
        opened = np.concatenate([opened, np.ones(extra, dtype=bool)])
    in_time, delay, occ, _ = deferred.clear_backlog(c, h, x, interval, target, max_occupancy,
                                                    open_intervals=opened)
    in_time, delay, occ = in_time[:size], delay[:size], occ[:size]
    return np.column_stack([in_time, delay, np.full(size, np.nan), np.zeros(size), occ])
