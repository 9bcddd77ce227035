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
    _check_non_negative(c, "contacts")
    _check_non_negative(h, "aht_seconds")
    if np.any(~(L > 0)):
        raise ErlangInputError("interval_seconds must be positive")
    return c * h / L


def _check_non_negative(x: NDArray, name: str) -> None:
    bad = ~(np.isfinite(x) & (x >= 0))
    if np.any(bad):
        value = x[bad].flat[0] if x.ndim else x
        raise ErlangInputError(f"{name} must be a finite number >= 0, got {value}")


def erlang_b_integer(traffic: ArrayLike, agents: ArrayLike) -> NDArray[np.float64]:
    """Erlang B blocking probability for whole numbers of agents.

    The recursion runs over agent counts; intervals are sorted by agents so each
    step updates only the suffix still below its own count (a slice, no masks).
    """
    a, n = np.broadcast_arrays(np.asarray(traffic, dtype=float), np.asarray(agents))
    shape = a.shape
    a = a.ravel()
    n = np.asarray(n, dtype=np.int64).ravel()
    order = np.argsort(n, kind="stable")
    a_sorted = a[order]
    n_sorted = n[order]
    b = np.ones_like(a_sorted)
    top = int(n_sorted[-1]) if n_sorted.size else 0
    for k in range(1, top + 1):
        start = int(np.searchsorted(n_sorted, k, side="left"))
        ab = a_sorted[start:] * b[start:]
        b[start:] = ab / (k + ab)
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
    _check_non_negative(x, "agents")
    _check_non_negative(t, "target_seconds")
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
    with np.errstate(divide="ignore", invalid="ignore"):
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
    _check_non_negative(a, "traffic")
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
    _check_non_negative(x, "agents")
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
        _check_non_negative(np.asarray(target_seconds, dtype=float), "target_seconds")
    if asa_seconds is not None:
        q = np.asarray(asa_seconds, dtype=float)
        if np.any(~np.isnan(q) & ~(q > 0)):
            raise ErlangInputError("asa_seconds target must be positive")
    occ = np.asarray(max_occupancy, dtype=float)
    if np.any(~((occ > 0) & (occ <= 1))):
        raise ErlangInputError("max_occupancy must be above 0 and at most 1")


def requirement(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    *,
    service_level: ArrayLike | None = None,
    target_seconds: ArrayLike | None = None,
    asa_seconds: ArrayLike | None = None,
    max_occupancy: ArrayLike = 1.0,
) -> Requirement:
    """Least whole agents meeting every given target, plus the fractional agents.

    Targets: service level `service_level` within `target_seconds`, and/or an ASA of
    at most `asa_seconds`; and occupancy (traffic / agents) at most `max_occupancy`.
    NaN in a target array means "no such target for this interval". Zero contacts
    need zero agents.

    Fractional agents: the real number that just meets the targets under the
    linear interpolation documented in the module docstring (service level, or ASA,
    linear between the whole number below and above; the occupancy cap gives
    traffic / max_occupancy exactly). Never below the traffic intensity.
    """
    _validate_targets(service_level, target_seconds, asa_seconds, max_occupancy)
    a = traffic_intensity(contacts, aht_seconds, interval_seconds)
    nan = np.nan
    sl_t = np.asarray(nan if service_level is None else service_level, dtype=float)
    t_t = np.asarray(0.0 if target_seconds is None else target_seconds, dtype=float)
    asa_t = np.asarray(nan if asa_seconds is None else asa_seconds, dtype=float)
    occ_t = np.asarray(max_occupancy, dtype=float)
    aht = np.asarray(aht_seconds, dtype=float)
    a, aht, sl_t, t_t, asa_t, occ_t = np.broadcast_arrays(a, aht, sl_t, t_t, asa_t, occ_t)
    shape = a.shape
    a, aht, sl_t, t_t, asa_t, occ_t = (
        np.array(v, dtype=float).ravel() for v in (a, aht, sl_t, t_t, asa_t, occ_t)
    )
    if np.any(np.isnan(sl_t) & np.isnan(asa_t) & (a > 0)):
        raise ErlangInputError("every interval needs a service_level or an asa_seconds target")
    size = a.size
    agents = np.zeros(size, dtype=np.int64)
    b_at = np.ones(size)
    b_below = np.ones(size)

    busy = np.flatnonzero(a > 0)
    occ_floor = ceil_tolerant(a[busy] / occ_t[busy])
    start = np.maximum(np.floor(a[busy]).astype(np.int64) + 1, occ_floor)
    b_prev = erlang_b_integer(a[busy], start - 1)

    idx = busy
    n = start
    ab = a[busy] * b_prev
    b_cur = ab / (n + ab)
    while idx.size:
        aa = a[idx]
        nf = n.astype(float)
        c = nf * b_cur / (nf - aa * (1.0 - b_cur))
        gap = nf - aa
        h = aht[idx]
        ok = np.ones(idx.size, dtype=bool)
        sl_goal = sl_t[idx]
        has_sl = ~np.isnan(sl_goal)
        if np.any(has_sl):
            sl = 1.0 - c * np.exp(-gap * t_t[idx] / h)
            ok &= ~has_sl | (sl >= sl_goal)
        asa_goal = asa_t[idx]
        has_asa = ~np.isnan(asa_goal)
        if np.any(has_asa):
            ok &= ~has_asa | (c * h / gap <= asa_goal)
        done = idx[ok]
        agents[done] = n[ok]
        b_at[done] = b_cur[ok]
        b_below[done] = b_prev[ok]
        keep = ~ok
        idx, n, b_prev = idx[keep], n[keep] + 1, b_cur[keep]
        ab = a[idx] * b_prev
        b_cur = ab / (n + ab)

    sl_at, asa_at, frac = _deliver_and_fraction(
        a, aht, agents, b_at, b_below, sl_t, t_t, asa_t, occ_t
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(agents > 0, a / np.maximum(agents, 1), 0.0)
    return Requirement(
        agents.reshape(shape),
        frac.reshape(shape),
        sl_at.reshape(shape),
        asa_at.reshape(shape),
        occ.reshape(shape),
    )


def _deliver_and_fraction(
    a: NDArray,
    aht: NDArray,
    agents: NDArray,
    b_at: NDArray,
    b_below: NDArray,
    sl_t: NDArray,
    t_t: NDArray,
    asa_t: NDArray,
    occ_t: NDArray,
) -> tuple[NDArray, NDArray, NDArray]:
    """Service level and ASA at `agents`, and the fractional requirement."""
    busy = a > 0
    n = agents.astype(float)
    h = np.where(aht > 0, aht, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        c_at = _erlang_c_from_b(a, n, b_at)
        c_below = _erlang_c_from_b(a, n - 1, b_below)
        gap = n - a
        sl_at = np.where(busy, 1.0 - c_at * np.exp(-gap * t_t / h), 1.0)
        asa_at = np.where(busy, c_at * aht / gap, 0.0)
        below_stable = (n - 1) > a
        sl_below = np.where(below_stable, 1.0 - c_below * np.exp(-(gap - 1) * t_t / h), 0.0)
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
    frac = np.where(busy, np.minimum(x, n), 0.0)
    return np.clip(sl_at, 0.0, 1.0), asa_at, frac


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
    _check_non_negative(n, "agents")
    if np.any(~((s >= 0) & (s < 1))):
        raise ErlangInputError("shrinkage must be at least 0 and below 1")
    return ceil_tolerant(n / (1.0 - s))
