"""Erlang A (M/M/n+M): callers abandon after an exponentially distributed patience.

The model of Garnett, Mandelbaum and Reiman (2002): Poisson arrivals at rate
lambda = contacts / interval, exponential handle time with mean AHT (rate mu),
n agents, first come first served, and each waiting contact abandons at rate
theta = 1 / patience_seconds.

How it is computed (exact, vectorised across intervals). The stationary
birth-death chain is split at n busy agents. Below n the weights are Poisson, so
their total relative to the all-busy state is ``1/B - 1`` with B the Erlang B of n
agents (the stable recursion of `scheduling.erlang`). Above n, an arrival that
finds m contacts waiting has weight ``w_m = prod_{j<=m} y / (a + j)`` with
``a = n mu / theta`` and ``y = lambda / theta``. Its offered wait V is a sum of
exponentials with rates ``theta (a + i)``, i = 0..m, so ``exp(-theta V)`` is
Beta(a, m + 1) distributed. From this, per m:

- it abandons with probability ``(m + 1) / (a + m + 1)``;
- it is answered within t with probability
  ``a / (a + m + 1) x P(Beta(a + 1, m + 1) >= exp(-theta t))``;
- its expected wait when answered contributes ``a / (a + m + 1) x sum_i 1 / (theta (a + i + 1))``.

The series over m runs in log space with a running maximum (no overflow at any
load) until the terms are negligible.

Definitions: `service_level` is the share of *offered* contacts answered within
the target (abandoned contacts count as missed); `asa_seconds` is the mean wait of
answered contacts; `abandon_rate` the share of offered contacts that abandon;
`occupancy` the carried load over agents.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scheduling.erlang import (
    ErlangInputError,
    ceil_tolerant,
    check_non_negative,
    erlang_b_integer,
    traffic_intensity,
)

_NEGLIGIBLE = np.log(1e-18)


class ErlangA(NamedTuple):
    """Erlang A metrics per interval (arrays)."""

    service_level: NDArray[np.float64]
    asa_seconds: NDArray[np.float64]
    abandon_rate: NDArray[np.float64]
    occupancy: NDArray[np.float64]


class AbandonmentTail(NamedTuple):
    """What callers see once every server is busy and the waiting ones may abandon."""

    service_level: NDArray[np.float64]
    asa_seconds: NDArray[np.float64]
    abandon_rate: NDArray[np.float64]
    p_no_queue: NDArray[np.float64]  # P(nobody waiting): at most all servers busy


def abandonment_tail(
    b: NDArray, busy_rate: NDArray, lam: NDArray, patience: NDArray, target: NDArray
) -> AbandonmentTail:
    """Service level, ASA and abandonment of a birth-death queue with impatient waiters.

    `b` is the probability that all servers are busy among the states with nobody
    waiting (Erlang B for n agents), `busy_rate` the completion rate when they are
    (n / AHT for Erlang A; the chat model's full-slot rate for chat), `lam` the
    arrival rate and `patience` the mean patience. Flat arrays of equal size, lam > 0.
    """
    theta = 1.0 / patience
    a = busy_rate * patience
    y = lam * patience
    with np.errstate(divide="ignore"):
        log_lower = np.where(b < 1.0, -np.log(b) + np.log1p(-b), -np.inf)
    # b underflowed to 0 (far more agents than traffic): nobody waits. A finite stand-in
    # for +inf keeps `log_lower - scale` at 0 instead of inf - inf = NaN.
    log_lower = np.minimum(log_lower, np.finfo(float).max)
    x = np.exp(-theta * target)

    size = lam.size
    total = np.empty(size)
    abandon = np.empty(size)
    answered_in_time = np.empty(size)
    answered_wait = np.empty(size)
    no_queue = np.empty(size)

    # Compact state of the intervals whose series is still running.
    idx = np.arange(size)
    aa, yy, th = a, y, theta
    scale = np.maximum(log_lower, 0.0)  # log w_0 = 0
    tot = np.exp(log_lower - scale) + np.exp(-scale)
    base = tot.copy()
    ab_sum = np.exp(-scale)  # m = 0 abandons with probability 1 / (a + 1), added below
    ab_sum = ab_sum / (aa + 1.0)
    # P(Beta(a + 1, b) >= x) for b = m + 1, by the recursion over b (log-space terms).
    a1 = aa + 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_x = np.log(x)
        log_1mx = np.log1p(-x)
        tail = -np.expm1(a1 * log_x)
        log_term = a1 * log_x + log_1mx + np.log(a1)
    harmonic = 1.0 / (th * a1)
    served = aa / a1
    in_time = np.exp(log_lower - scale) + np.exp(-scale) * served * tail
    wait = np.exp(-scale) * served * harmonic
    log_w = np.zeros(size)
    m = 0
    while True:
        falling = yy < aa + m + 1
        keep = ~(falling & (log_w - scale < _NEGLIGIBLE))
        if not keep.all():
            gone = idx[~keep]
            total[gone] = tot[~keep]
            abandon[gone] = ab_sum[~keep]
            answered_in_time[gone] = in_time[~keep]
            answered_wait[gone] = wait[~keep]
            no_queue[gone] = base[~keep]
            idx = idx[keep]
            if not idx.size:
                break
            aa, yy, th, a1, log_1mx, scale, tot, base, ab_sum, in_time, wait, log_w, \
                harmonic, tail, log_term = (v[keep] for v in (
                    aa, yy, th, a1, log_1mx, scale, tot, base, ab_sum, in_time, wait, log_w,
                    harmonic, tail, log_term))
        m += 1
        log_w = log_w + np.log(yy / (aa + m))
        harmonic = harmonic + 1.0 / (th * (aa + m + 1))
        with np.errstate(invalid="ignore"):
            tail = np.maximum(tail - np.exp(log_term), 0.0)
            log_term = log_term + log_1mx + np.log((a1 + m) / (m + 1))
        new_scale = np.maximum(scale, log_w)
        shrink = np.exp(scale - new_scale)
        weight = np.exp(log_w - new_scale)
        served = aa / (aa + m + 1)
        tot = tot * shrink + weight
        base = base * shrink
        ab_sum = ab_sum * shrink + weight * (m + 1) / (aa + m + 1)
        in_time = in_time * shrink + weight * served * tail
        wait = wait * shrink + weight * served * harmonic
        scale = new_scale

    p_abandon = abandon / total
    sl = answered_in_time / total
    p_answered = 1.0 - p_abandon
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(p_answered > 0, answered_wait / total / p_answered, np.inf)
    return AbandonmentTail(np.clip(sl, 0.0, 1.0), asa, np.clip(p_abandon, 0.0, 1.0),
                           np.clip(no_queue / total, 0.0, 1.0))


def _integer_erlang_a(
    lam: NDArray, aht: NDArray, n: NDArray, patience: NDArray, target: NDArray
) -> ErlangA:
    """Erlang A for whole agent counts; flat arrays of equal size, lam > 0."""
    traffic = lam * aht
    tail = abandonment_tail(erlang_b_integer(traffic, n), n / aht, lam, patience, target)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(n > 0, traffic * (1.0 - tail.abandon_rate) / n, 1.0)
    return ErlangA(tail.service_level, tail.asa_seconds, tail.abandon_rate,
                   np.clip(occ, 0.0, 1.0))


def erlang_a(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    agents: ArrayLike,
    patience_seconds: ArrayLike,
    target_seconds: ArrayLike,
) -> ErlangA:
    """Service level, ASA, abandonment rate and occupancy under Erlang A.

    Arrays broadcast together. Agents may be non-integer: metrics are then
    interpolated linearly between the whole numbers below and above (ASA weighted
    by the contacts answered at each, so it stays finite below one agent). No contacts
    give service level 1, ASA 0, abandonment 0, occupancy 0.
    """
    traffic_intensity(contacts, aht_seconds, interval_seconds)  # validates
    arrays = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in
          (contacts, aht_seconds, interval_seconds, agents, patience_seconds, target_seconds))
    )
    shape = arrays[0].shape
    c, h, L, x, p, t = (np.array(v, dtype=float).ravel() for v in arrays)
    check_non_negative(x, "agents")
    check_non_negative(t, "target_seconds")
    if np.any(~(np.isfinite(p) & (p > 0))):
        raise ErlangInputError("patience_seconds must be a positive finite number")
    busy = (c > 0) & (h > 0)
    out = [np.zeros(c.size), np.zeros(c.size), np.zeros(c.size), np.zeros(c.size)]
    out[0][:] = 1.0
    if np.any(busy):
        lam, hh, xx, pp, tt = c[busy] / L[busy], h[busy], x[busy], p[busy], t[busy]
        lo = np.floor(xx)
        frac = xx - lo
        m_lo = _integer_erlang_a(lam, hh, lo, pp, tt)
        if np.any(frac > 0):
            m_hi = _integer_erlang_a(lam, hh, lo + 1, pp, tt)
            with np.errstate(invalid="ignore"):
                mixed = [lo_v + frac * (hi_v - lo_v) for lo_v, hi_v in zip(m_lo, m_hi, strict=True)]
            mixed[1] = answered_weighted_asa(m_lo.asa_seconds, m_lo.abandon_rate,
                                             m_hi.asa_seconds, m_hi.abandon_rate, frac)
            mixed = [np.where(frac > 0, mv, lv) for mv, lv in zip(mixed, m_lo, strict=True)]
        else:
            mixed = list(m_lo)
        for k in range(4):
            out[k][busy] = mixed[k]
    return ErlangA(*(v.reshape(shape) for v in out))


def answered_weighted_asa(asa_lo: NDArray, abandon_lo: NDArray, asa_hi: NDArray,
                          abandon_hi: NDArray, frac: NDArray) -> NDArray:
    """ASA of a fractional agent count: the mix of both counts, weighted by answered contacts.

    ASA is a mean over answered contacts, so with fewer than one agent (where
    nobody is answered and ASA is infinite) it is the ASA of the answered ones.
    """
    w_lo = (1 - frac) * (1 - abandon_lo)
    w_hi = frac * (1 - abandon_hi)
    total = w_lo + w_hi
    with np.errstate(invalid="ignore", divide="ignore"):
        part_lo = np.where(w_lo > 0, w_lo * asa_lo, 0.0)
        part_hi = np.where(w_hi > 0, w_hi * asa_hi, 0.0)
        return np.where(total > 0, (part_lo + part_hi) / np.where(total > 0, total, 1), np.inf)


class ErlangARequirement(NamedTuple):
    """Least agents meeting the targets under Erlang A, and what they deliver."""

    agents: NDArray[np.int64]
    service_level: NDArray[np.float64]
    asa_seconds: NDArray[np.float64]
    abandon_rate: NDArray[np.float64]
    occupancy: NDArray[np.float64]


def _meets(m: ErlangA, sl_t: NDArray, asa_t: NDArray, ab_t: NDArray, occ_t: NDArray) -> NDArray:
    ok = m.occupancy <= occ_t * (1 + 1e-12)
    ok &= np.isnan(sl_t) | (m.service_level >= sl_t)
    ok &= np.isnan(asa_t) | (m.asa_seconds <= asa_t)
    ok &= np.isnan(ab_t) | (m.abandon_rate <= ab_t)
    return ok


def erlang_a_requirement(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    patience_seconds: ArrayLike,
    *,
    service_level: ArrayLike | None = None,
    target_seconds: ArrayLike | None = None,
    asa_seconds: ArrayLike | None = None,
    max_abandon_rate: ArrayLike | None = None,
    max_occupancy: ArrayLike = 1.0,
) -> ErlangARequirement:
    """Least whole agents meeting every given target under Erlang A.

    Targets (NaN or None = none): service level within `target_seconds`, ASA at most
    `asa_seconds`, abandonment rate at most `max_abandon_rate`, occupancy at most
    `max_occupancy`. Found by bisection per interval (all metrics are monotone in
    the number of agents), vectorised across intervals.
    """
    if service_level is None and asa_seconds is None and max_abandon_rate is None:
        raise ErlangInputError("give a service_level, asa_seconds or max_abandon_rate target")
    nan = np.nan
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (
        contacts, aht_seconds, interval_seconds, patience_seconds,
        nan if service_level is None else service_level,
        0.0 if target_seconds is None else target_seconds,
        nan if asa_seconds is None else asa_seconds,
        nan if max_abandon_rate is None else max_abandon_rate,
        max_occupancy,
    )))
    shape = arrays[0].shape
    c, h, L, p, sl_t, t_t, asa_t, ab_t, occ_t = (np.array(v, dtype=float).ravel() for v in arrays)
    if np.any(~np.isnan(sl_t) & ~((sl_t > 0) & (sl_t < 1))):
        raise ErlangInputError("service_level must be between 0 and 1 (exclusive)")
    if np.any(~np.isnan(ab_t) & ~((ab_t > 0) & (ab_t <= 1))):
        raise ErlangInputError("max_abandon_rate must be above 0 and at most 1")
    if np.any(~((occ_t > 0) & (occ_t <= 1))):
        raise ErlangInputError("max_occupancy must be above 0 and at most 1")
    traffic = traffic_intensity(c, h, L)
    agents = np.zeros(c.size, dtype=np.int64)
    busy = np.flatnonzero(traffic > 0)
    if busy.size:
        args = (c[busy], h[busy], L[busy])
        goals = (sl_t[busy], asa_t[busy], ab_t[busy], occ_t[busy])

        def ok(n: NDArray, sel: NDArray) -> NDArray:
            m = erlang_a(args[0][sel], args[1][sel], args[2][sel], n, p[busy][sel],
                         t_t[busy][sel])
            return _meets(m, *(g[sel] for g in goals))

        # The occupancy floor starts the upper bound; it doubles until all targets are met.
        hi = np.maximum(ceil_tolerant(traffic[busy] / goals[3]), 1)
        lo = np.full(busy.size, -1, dtype=np.int64)  # lo fails (or is below zero)
        everyone = np.arange(busy.size)
        fails = ~ok(hi, everyone)
        while np.any(fails):
            sel = np.flatnonzero(fails)
            lo[sel] = hi[sel]
            hi[sel] = hi[sel] * 2
            fails[sel] = ~ok(hi[sel], sel)
        while True:
            sel = np.flatnonzero(hi - lo > 1)
            if not sel.size:
                break
            mid = (lo[sel] + hi[sel]) // 2
            good = ok(np.maximum(mid, 0), sel)
            hi[sel[good]] = mid[good]
            lo[sel[~good]] = mid[~good]
        agents[busy] = hi
    m = erlang_a(c, h, L, agents, p, t_t)
    return ErlangARequirement(
        agents.reshape(shape), *(v.reshape(shape) for v in m)
    )


__all__ = ["ErlangA", "ErlangARequirement", "erlang_a", "erlang_a_requirement"]
