"""Erlang C: waiting, service level, ASA, occupancy and agents needed per interval.

Everything is vectorised NumPy over all intervals at once: inputs are arrays (or
scalars) that broadcast together, outputs have the broadcast shape.

Exactness. Erlang C is computed from the Erlang B recursion
``B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1))``, iterated over the agent count and
vectorised across intervals. Every term stays in (0, 1], so nothing overflows at
20,000 contacts per interval or thousands of agents, and the relative error grows
only by a few machine epsilons per step (checked against exact rational arithmetic
in the tests). Ceilings of ratios (occupancy cap, shrinkage) are taken with a
relative tolerance of 1e-9 so that floating-point noise never adds an agent:
``ceil(9.8 / 0.7) == 14``, ``ceil(21 / 0.7) == 30``.

Non-integer agents. The metric functions accept any real number of agents. For a
whole number they give the exact Erlang C value; between two whole numbers they
interpolate linearly (the same rule `fractional_agents` inverts). At or below the
traffic intensity the queue grows without bound: service level 0, ASA infinite,
probability of waiting 1, occupancy 1. Between the traffic intensity A and the
next whole number the interpolation runs from that limit at A (service level 0;
1/ASA = 0).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

CEIL_TOLERANCE = 1e-9


class ErlangInputError(ValueError):
    """An Erlang input is out of range (negative contacts, AHT, agents...)."""


def ceil_tolerant(values: ArrayLike) -> NDArray[np.int64]:
    """Round up, treating values within 1e-9 (relative) above a whole number as it.

    Why: 9.8 / 0.7 is 14.000000000000002 in floating point and must give 14.
    """
    x = np.asarray(values, dtype=float)
    slack = CEIL_TOLERANCE * np.maximum(1.0, np.abs(x))
    return np.ceil(x - slack).astype(np.int64)


def traffic_intensity(
    contacts: ArrayLike, aht_seconds: ArrayLike, interval_seconds: ArrayLike
) -> NDArray[np.float64]:
    """Offered load in Erlangs: contacts x AHT / interval length."""
    c, h, L = (np.asarray(v, dtype=float) for v in (contacts, aht_seconds, interval_seconds))
    check_non_negative(c, "contacts")
    check_non_negative(h, "aht_seconds")
    if np.any(~(L > 0)):
        raise ErlangInputError("interval_seconds must be positive")
    return c * h / L


def check_non_negative(x: NDArray, name: str) -> None:
    """Refuse an input array holding a negative, NaN or infinite value, naming the input
    (`contacts`, `agents` ...), so every staffing model reports bad input alike."""
    bad = ~(np.isfinite(x) & (x >= 0))
    if np.any(bad):
        value = x[bad].flat[0] if x.ndim else x
        raise ErlangInputError(f"{name} must be a finite number >= 0, got {value}")


def erlang_b_integer(traffic: ArrayLike, agents: ArrayLike) -> NDArray[np.float64]:
    """Erlang B blocking probability for whole numbers of agents.

    The recursion runs over agent counts; intervals are sorted by agents so each
    step updates, in place, only the suffix still below its own count.
    """
    a, n = np.broadcast_arrays(np.asarray(traffic, dtype=float), np.asarray(agents))
    shape = a.shape
    a = a.ravel()
    n = np.asarray(n, dtype=np.int64).ravel()
    top = int(n.max()) if n.size else 0
    if n.size and top < 2**16 and n.min() >= 0:
        order = np.argsort(n.astype(np.uint16), kind="stable")  # radix sort
    else:
        order = np.argsort(n, kind="stable")
    a_sorted = a[order]
    n_sorted = n[order]
    b = np.ones_like(a_sorted)
    ab = np.empty_like(a_sorted)
    den = np.empty_like(a_sorted)
    starts = np.searchsorted(n_sorted, np.arange(1, top + 1), side="left")
    for k, first in zip(range(1, top + 1), starts.tolist(), strict=True):
        tail = slice(first, None)
        np.multiply(a_sorted[tail], b[tail], out=ab[tail])
        np.add(ab[tail], k, out=den[tail])
        np.divide(ab[tail], den[tail], out=b[tail])
    out = np.empty_like(b)
    out[order] = b
    return out.reshape(shape)


def _erlang_c_from_b(a: NDArray, n: NDArray, b: NDArray) -> NDArray:
    """P(wait) from Erlang B for n > a; 1 where n <= a."""
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1.0 - b))
    c = np.where(n > a, c, 1.0)
    return np.where(a > 0, np.clip(c, 0.0, 1.0), 0.0)


class _Metrics(NamedTuple):
    wait: NDArray
    service_level: NDArray
    asa: NDArray


def _integer_metrics(
    a: NDArray, n: NDArray, aht: NDArray, target: NDArray
) -> _Metrics:
    """Exact Erlang C metrics for whole agent counts n (arrays of equal shape)."""
    b = erlang_b_integer(a, n)
    c = _erlang_c_from_b(a, n.astype(float), b)
    stable = n > a
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = n - a
        decay = np.exp(-gap * target / np.where(aht > 0, aht, 1.0))
        sl = np.where(stable, 1.0 - c * decay, 0.0)
        asa = np.where(stable, c * aht / gap, np.inf)
    idle = a <= 0
    sl = np.where(idle, 1.0, sl)
    asa = np.where(idle, 0.0, asa)
    return _Metrics(c, np.clip(sl, 0.0, 1.0), asa)


def _metrics(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    agents: ArrayLike,
    target_seconds: ArrayLike = 0.0,
) -> tuple[_Metrics, NDArray, NDArray]:
    a = traffic_intensity(contacts, aht_seconds, interval_seconds)
    x = np.asarray(agents, dtype=float)
    t = np.asarray(target_seconds, dtype=float)
    check_non_negative(x, "agents")
    check_non_negative(t, "target_seconds")
    a, x, aht, t = np.broadcast_arrays(a, x, np.asarray(aht_seconds, dtype=float), t)
    lo = np.floor(x)
    frac = x - lo
    hi = lo + (frac > 0)
    m_hi = _integer_metrics(a, hi.astype(np.int64), aht, t)
    if not np.any(frac > 0):
        return m_hi, a, x
    m_lo = _integer_metrics(a, lo.astype(np.int64), aht, t)
    # Lower anchor: the whole number below, or the traffic intensity if that is higher.
    anchor = np.maximum(lo, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(hi > anchor, (x - anchor) / (hi - anchor), 1.0)
    w = np.clip(w, 0.0, 1.0)
    below = lo <= a
    wait_lo = np.where(below, 1.0, m_lo.wait)
    sl_lo = np.where(below, 0.0, m_lo.service_level)
    wait = wait_lo + w * (m_hi.wait - wait_lo)
    sl = sl_lo + w * (m_hi.service_level - sl_lo)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        asa_linear = m_lo.asa + w * (m_hi.asa - m_lo.asa)
        speed = w / m_hi.asa
        asa_near_a = np.where(speed > 0, 1.0 / speed, np.inf)
    asa = np.where(below, asa_near_a, asa_linear)
    whole = frac == 0
    idle = a <= 0
    out = _Metrics(
        np.where(whole, m_hi.wait, np.where(idle, 0.0, np.where(x <= a, 1.0, wait))),
        np.where(whole, m_hi.service_level, np.where(idle, 1.0, np.where(x <= a, 0.0, sl))),
        np.where(whole, m_hi.asa, np.where(idle, 0.0, np.where(x <= a, np.inf, asa))),
    )
    return out, a, x


def erlang_c(traffic: ArrayLike, agents: ArrayLike) -> NDArray[np.float64]:
    """Probability that a contact waits (Erlang C) for the given traffic and agents.

    `traffic` is the offered load in Erlangs (contacts x AHT / interval length).
    1 where agents <= traffic, 0 where traffic is 0.
    """
    a = np.asarray(traffic, dtype=float)
    check_non_negative(a, "traffic")
    m, _, _ = _metrics(a, 1.0, 1.0, agents)
    return m.wait


def service_level(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    agents: ArrayLike,
    target_seconds: ArrayLike,
) -> NDArray[np.float64]:
    """Share of contacts answered within `target_seconds` (Erlang C).

    ``1 - P(wait) x exp(-(agents - traffic) x target / AHT)``; 0 when agents <= traffic;
    1 when there are no contacts.
    """
    m, _, _ = _metrics(contacts, aht_seconds, interval_seconds, agents, target_seconds)
    return m.service_level


def asa_seconds(
    contacts: ArrayLike, aht_seconds: ArrayLike, interval_seconds: ArrayLike, agents: ArrayLike
) -> NDArray[np.float64]:
    """Average speed of answer in seconds: ``P(wait) x AHT / (agents - traffic)``.

    Infinite when agents <= traffic; 0 when there are no contacts.
    """
    m, _, _ = _metrics(contacts, aht_seconds, interval_seconds, agents)
    return m.asa


def occupancy(
    contacts: ArrayLike, aht_seconds: ArrayLike, interval_seconds: ArrayLike, agents: ArrayLike
) -> NDArray[np.float64]:
    """Share of agents' time spent handling contacts: traffic / agents, at most 1.

    0 when there are no contacts; 1 when agents <= traffic (the queue grows).
    """
    a = traffic_intensity(contacts, aht_seconds, interval_seconds)
    x = np.asarray(agents, dtype=float)
    check_non_negative(x, "agents")
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(x > 0, a / x, 1.0)
    return np.where(a > 0, np.minimum(occ, 1.0), 0.0)


class Requirement(NamedTuple):
    """Least agents meeting the targets, and what they deliver (arrays)."""

    agents: NDArray[np.int64]
    fractional_agents: NDArray[np.float64]
    service_level: NDArray[np.float64]
    asa_seconds: NDArray[np.float64]
    occupancy: NDArray[np.float64]


def _validate_targets(
    service_level: ArrayLike | None,
    target_seconds: ArrayLike | None,
    asa_seconds: ArrayLike | None,
    max_occupancy: ArrayLike,
) -> None:
    if service_level is None and asa_seconds is None:
        raise ErlangInputError(
            "give a service_level (with target_seconds) or an asa_seconds target"
        )
    if service_level is not None:
        s = np.asarray(service_level, dtype=float)
        if np.any(~np.isnan(s) & ~((s > 0) & (s < 1))):
            raise ErlangInputError("service_level must be between 0 and 1 (exclusive)")
        if target_seconds is None:
            raise ErlangInputError("a service_level target needs target_seconds")
        check_non_negative(np.asarray(target_seconds, dtype=float), "target_seconds")
    if asa_seconds is not None:
        q = np.asarray(asa_seconds, dtype=float)
        if np.any(~np.isnan(q) & ~(q > 0)):
            raise ErlangInputError("asa_seconds target must be positive")
    occ = np.asarray(max_occupancy, dtype=float)
    if np.any(~((occ > 0) & (occ <= 1))):
        raise ErlangInputError("max_occupancy must be above 0 and at most 1")


def _flat(value: NDArray, shape: tuple[int, ...]) -> NDArray:
    """Scalars stay 0-d (cheap to use everywhere); arrays are broadcast and flattened."""
    return value if value.ndim == 0 else np.broadcast_to(value, shape).ravel()


def _take(value: NDArray, idx: NDArray | None) -> NDArray:
    return value if idx is None or value.ndim == 0 else value[idx]


def requirement(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    *,
    service_level: ArrayLike | None = None,
    target_seconds: ArrayLike | None = None,
    asa_seconds: ArrayLike | None = None,
    max_occupancy: ArrayLike = 1.0,
    fractional: bool = True,
) -> Requirement:
    """Least whole agents meeting every given target, plus the fractional agents.

    Targets: service level `service_level` within `target_seconds`, and/or an ASA of
    at most `asa_seconds`; and occupancy (traffic / agents) at most `max_occupancy`.
    NaN in a target array means "no such target for this interval". Zero contacts
    need zero agents.

    Fractional agents: the real number that just meets the targets under the
    linear interpolation documented in the module docstring (service level, or ASA,
    linear between the whole number below and above; the occupancy cap gives
    traffic / max_occupancy exactly). Never below the traffic intensity. With
    `fractional=False` they are skipped (NaN), which is faster.
    """
    _validate_targets(service_level, target_seconds, asa_seconds, max_occupancy)
    a = traffic_intensity(contacts, aht_seconds, interval_seconds)
    nan = np.nan
    aht = np.asarray(aht_seconds, dtype=float)
    sl_t = np.asarray(nan if service_level is None else service_level, dtype=float)
    t_t = np.asarray(0.0 if target_seconds is None else target_seconds, dtype=float)
    asa_t = np.asarray(nan if asa_seconds is None else asa_seconds, dtype=float)
    occ_t = np.asarray(max_occupancy, dtype=float)
    shape = np.broadcast_shapes(a.shape, aht.shape, sl_t.shape, t_t.shape, asa_t.shape,
                                occ_t.shape)
    a = np.broadcast_to(a, shape).ravel()
    aht, sl_t, t_t, asa_t, occ_t = (_flat(v, shape) for v in (aht, sl_t, t_t, asa_t, occ_t))
    size = a.size
    busy = np.flatnonzero(a > 0)
    sel = None if busy.size == size else busy
    a_b = _take(a, sel)
    h_b, sl_b, t_b, asa_b, occ_b = (_take(v, sel) for v in (aht, sl_t, t_t, asa_t, occ_t))
    has_sl = ~np.isnan(sl_b)
    has_asa = ~np.isnan(asa_b)
    if np.any(~has_sl & ~has_asa):
        raise ErlangInputError("every interval needs a service_level or an asa_seconds target")
    any_sl, any_asa = bool(np.any(has_sl)), bool(np.any(has_asa))
    all_sl, all_asa = bool(np.all(has_sl)), bool(np.all(has_asa))

    m = a_b.size
    n_b = np.zeros(m, dtype=np.int64)
    b_at = np.ones(m)
    b_below = np.ones(m)
    sl_at = np.ones(m)
    asa_at = np.zeros(m)

    occ_floor = ceil_tolerant(a_b / occ_b)
    n = np.maximum(np.floor(a_b).astype(np.int64) + 1, occ_floor)
    b_prev = erlang_b_integer(a_b, n - 1)
    ab = a_b * b_prev
    b_cur = ab / (n + ab)
    idx: NDArray | None = None  # positions still searching; None = all
    while m and (idx is None or idx.size):
        aa = _take(a_b, idx)
        h = _take(h_b, idx)
        nf = n.astype(float)
        gap = nf - aa
        c = nf * b_cur / (gap + aa * b_cur)
        sl = 1.0 - c * np.exp(-gap * _take(t_b, idx) / h) if any_sl else None
        asa = c * h / gap
        if all_sl:
            ok = sl >= _take(sl_b, idx)
        elif any_sl:
            ok = ~_take(has_sl, idx) | (sl >= _take(sl_b, idx))
        else:
            ok = np.ones(n.size, dtype=bool)
        if all_asa:
            ok &= asa <= _take(asa_b, idx)
        elif any_asa:
            ok &= ~_take(has_asa, idx) | (asa <= _take(asa_b, idx))
        if ok.all():
            done, keep = (slice(None) if idx is None else idx), None
            pick = slice(None)
        else:
            pos = np.arange(m) if idx is None else idx
            done, pick = pos[ok], ok
            keep = ~ok
        n_b[done] = n[pick]
        b_at[done] = b_cur[pick]
        b_below[done] = b_prev[pick]
        sl_at[done] = (1.0 - c * np.exp(-gap * _take(t_b, idx) / h))[pick] if not any_sl \
            else sl[pick]
        asa_at[done] = asa[pick]
        if keep is None:
            break
        idx = (np.arange(m) if idx is None else idx)[keep]
        n, b_prev = n[keep] + 1, b_cur[keep]
        ab = a_b[idx] * b_prev
        b_cur = ab / (n + ab)

    agents = np.zeros(size, dtype=np.int64)
    out_sl = np.ones(size)
    out_asa = np.zeros(size)
    out_occ = np.zeros(size)
    out_frac = np.full(size, np.nan)
    where = slice(None) if sel is None else sel
    agents[where] = n_b
    out_sl[where] = np.clip(sl_at, 0.0, 1.0)
    out_asa[where] = asa_at
    out_occ[where] = a_b / np.maximum(n_b, 1)
    if fractional:
        out_frac[:] = 0.0
        out_frac[where] = _fraction(a_b, h_b, n_b, b_at, b_below, sl_b, t_b, asa_b, occ_b)
    return Requirement(
        agents.reshape(shape),
        out_frac.reshape(shape),
        out_sl.reshape(shape),
        out_asa.reshape(shape),
        out_occ.reshape(shape),
    )


def _fraction(
    a: NDArray,
    aht: NDArray,
    agents: NDArray,
    b_at: NDArray,
    b_below: NDArray,
    sl_t: NDArray,
    t_t: NDArray,
    asa_t: NDArray,
    occ_t: NDArray,
) -> NDArray:
    """The fractional requirement of busy intervals (a > 0) found at `agents`."""
    n = agents.astype(float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        c_at = _erlang_c_from_b(a, n, b_at)
        c_below = _erlang_c_from_b(a, n - 1, b_below)
        gap = n - a
        sl_at = 1.0 - c_at * np.exp(-gap * t_t / aht)
        asa_at = c_at * aht / gap
        below_stable = (n - 1) > a
        sl_below = np.where(below_stable, 1.0 - c_below * np.exp(-(gap - 1) * t_t / aht), 0.0)
        asa_below = np.where(below_stable, c_below * aht / (gap - 1), np.inf)
        anchor = np.maximum(n - 1, a)
        span = n - anchor
        x = np.full(a.shape, -np.inf)
        has_sl = ~np.isnan(sl_t)
        w_sl = np.clip((sl_t - sl_below) / (sl_at - sl_below), 0.0, 1.0)
        x = np.where(has_sl, np.maximum(x, anchor + w_sl * span), x)
        has_asa = ~np.isnan(asa_t)
        w_lin = (asa_below - asa_t) / (asa_below - asa_at)
        w_near = asa_at / asa_t  # 1/ASA linear from 0 at the traffic intensity
        w_asa = np.clip(np.where(below_stable, w_lin, w_near), 0.0, 1.0)
        x = np.where(has_asa, np.maximum(x, anchor + w_asa * span), x)
        x = np.maximum(x, a / occ_t)
    return np.minimum(x, n)


def agents_needed(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    *,
    service_level: ArrayLike | None = None,
    target_seconds: ArrayLike | None = None,
    asa_seconds: ArrayLike | None = None,
    max_occupancy: ArrayLike = 1.0,
) -> NDArray[np.int64]:
    """Least whole number of agents meeting the service-level and/or ASA target
    and the occupancy cap, per interval (Erlang C). See `requirement`."""
    return requirement(
        contacts, aht_seconds, interval_seconds, service_level=service_level,
        target_seconds=target_seconds, asa_seconds=asa_seconds, max_occupancy=max_occupancy,
    ).agents


def fractional_agents(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    *,
    service_level: ArrayLike | None = None,
    target_seconds: ArrayLike | None = None,
    asa_seconds: ArrayLike | None = None,
    max_occupancy: ArrayLike = 1.0,
) -> NDArray[np.float64]:
    """The real number of agents that just meets the targets (linear interpolation
    between whole agent counts; see the module docstring). For planners who sum
    requirements across queues before rounding."""
    return requirement(
        contacts, aht_seconds, interval_seconds, service_level=service_level,
        target_seconds=target_seconds, asa_seconds=asa_seconds, max_occupancy=max_occupancy,
    ).fractional_agents


def staff_for_agents(agents: ArrayLike, shrinkage: ArrayLike) -> NDArray[np.int64]:
    """Staff to schedule so that `agents` remain on line after shrinkage:
    ``agents / (1 - shrinkage)`` rounded up, without floating-point noise
    (14 agents at 30% shrinkage give 20 staff, not 21)."""
    n = np.asarray(agents, dtype=float)
    s = np.asarray(shrinkage, dtype=float)
    check_non_negative(n, "agents")
    if np.any(~((s >= 0) & (s < 1))):
        raise ErlangInputError("shrinkage must be at least 0 and below 1")
    return ceil_tolerant(n / (1.0 - s))
