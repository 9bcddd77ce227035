"""Chat: agents who serve several chats at once, and get slower per chat as they do.

The model (documented here, validated against a discrete-event simulation in
tests/test_chat.py):

- each agent can hold up to `concurrency` chats (c);
- `aht_seconds` is the handle time of a chat an agent serves alone; an agent
  with j chats open works on each at speed 1 / f(j), with
  ``f(j) = 1 + slowdown x (j - 1)`` (default slowdown 0.3: a second chat makes each
  chat take 30% longer). The handle time of a chat therefore grows with
  concurrency, and an agent's throughput ``j / f(j)`` grows less than linearly;
- a new chat goes to the agent with the fewest open chats; when every agent is
  full it waits in a first-come-first-served queue; its wait is the first-response
  time the target applies to (80% within 60 s by default);
- arrivals are Poisson and the work of a chat exponential, so the number of chats
  in the system is a birth-death chain if the open chats are spread evenly over
  agents (least-loaded routing keeps them nearly so). With k chats in service the
  completion rate is ``sum over agents of j_agent / (aht f(j_agent))`` with
  ``j_agent`` equal to k // n or k // n + 1. Above n c chats the rate stays at its
  maximum ``n c / (aht f(c))``, so the wait is exponential as in Erlang C:
  ``P(wait > t) = P(wait) exp(-(mu_max - lambda) t)``.

With concurrency 1 (or slowdown 0 and pooled slots) this is exactly Erlang C.
`occupancy` is the share of chat slots in use (mean chats in service / (n c)).

Customers who give up: with `patience_seconds` each waiting chat leaves at rate
1 / patience (exponential patience, as in Erlang A). Above n c chats the chain is
then Erlang A's waiting phase with the full-slot rate in place of n / AHT, computed
by `scheduling.erlang_a.abandonment_tail`; the queue is stable at any load, the
service level counts abandoned chats as missed, and `abandon_rate` is the share of
offered chats that leave unanswered. With concurrency 1 this is exactly Erlang A.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scheduling.erlang import ErlangInputError, ceil_tolerant, check_non_negative
from scheduling.erlang_a import abandonment_tail

DEFAULT_SLOWDOWN = 0.3


class ChatMetrics(NamedTuple):
    """Chat metrics per interval (arrays)."""

    service_level: NDArray[np.float64]
    asa_seconds: NDArray[np.float64]
    occupancy: NDArray[np.float64]
    abandon_rate: NDArray[np.float64]


def handle_factor(concurrency: ArrayLike, slowdown: ArrayLike = DEFAULT_SLOWDOWN) -> NDArray:
    """f(j): how much longer a chat takes when an agent has j chats open."""
    j = np.asarray(concurrency, dtype=float)
    return 1.0 + np.asarray(slowdown, dtype=float) * np.maximum(j - 1.0, 0.0)


def _chat_integer(
    lam: NDArray, aht: NDArray, n: NDArray, c: NDArray, t: NDArray, slowdown: NDArray,
    patience: NDArray,
) -> ChatMetrics:
    """Metrics for whole agent counts; flat arrays, lam > 0; patience inf = nobody leaves."""
    slots = (n * c).astype(np.int64)
    mu_max = np.where(n > 0, slots / (aht * handle_factor(c, slowdown)), 0.0)
    b = np.ones(lam.size)  # B_k = pi_k / sum_{j<=k} pi_j
    mean = np.zeros(lam.size)  # mean of k under pi truncated at k
    order = np.argsort(slots, kind="stable")
    s_sorted = slots[order]
    top = int(s_sorted[-1]) if s_sorted.size else 0
    for k in range(1, top + 1):
        start = int(np.searchsorted(s_sorted, k, side="left"))
        sel = order[start:]
        nn = n[sel]
        q, r = np.divmod(k, nn)
        rate = (r * (q + 1) / handle_factor(q + 1, slowdown[sel])
                + (nn - r) * q / handle_factor(q, slowdown[sel])) / aht[sel]
        rb = lam[sel] / rate * b[sel]
        mean[sel] = (k * rb + mean[sel]) / (rb + 1.0)
        b[sel] = rb / (1.0 + rb)
    stable = mu_max > lam
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rho = lam / mu_max
        tail = b * rho / (1.0 - rho)  # P(k > slots) relative to P(k <= slots)
        p_wait = (b + tail) / (1.0 + tail)
        gap = mu_max - lam
        sl = 1.0 - p_wait * np.exp(-gap * t)
        asa = p_wait / gap
        in_service = (mean + slots * tail) / (1.0 + tail)
        occ = in_service / slots
    out = ChatMetrics(
        np.where(stable, np.clip(sl, 0.0, 1.0), 0.0),
        np.where(stable, asa, np.inf),
        np.where(stable, np.clip(occ, 0.0, 1.0), 1.0),
        np.zeros(lam.size),
    )
    leave = np.isfinite(patience)
    if np.any(leave):
        ab = abandonment_tail(b[leave], mu_max[leave], lam[leave], patience[leave], t[leave])
        with np.errstate(divide="ignore", invalid="ignore"):
            in_service = mean[leave] * ab.p_no_queue + slots[leave] * (1.0 - ab.p_no_queue)
            occ = np.where(slots[leave] > 0, in_service / slots[leave], 1.0)
        out.service_level[leave] = ab.service_level
        out.asa_seconds[leave] = ab.asa_seconds
        out.occupancy[leave] = np.clip(occ, 0.0, 1.0)
        out.abandon_rate[leave] = ab.abandon_rate
    return out


def _prepare(*values: ArrayLike) -> tuple[tuple[int, ...], list[NDArray]]:
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in values))
    return arrays[0].shape, [np.array(v, dtype=float).ravel() for v in arrays]


def chat_metrics(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    agents: ArrayLike,
    concurrency: ArrayLike,
    target_seconds: ArrayLike,
    slowdown: ArrayLike = DEFAULT_SLOWDOWN,
    patience_seconds: ArrayLike | None = None,
) -> ChatMetrics:
    """First-response service level, mean first-response wait, slot occupancy and the
    share of chats abandoned before a first response.

    Whole numbers of agents (non-integer agents are rounded down). `patience_seconds`
    (NaN or omitted: nobody leaves) is the customers' mean patience.
    """
    shape, (cc, h, L, x, conc, t, sd, pat) = _prepare(
        contacts, aht_seconds, interval_seconds, agents, concurrency, target_seconds, slowdown,
        np.nan if patience_seconds is None else patience_seconds,
    )
    pat = np.where(np.isnan(pat), np.inf, pat)
    if np.any(~(pat > 0)):
        raise ErlangInputError("patience_seconds must be above 0")
    for arr, name in ((cc, "contacts"), (h, "aht_seconds"), (x, "agents"),
                      (t, "target_seconds"), (sd, "slowdown")):
        check_non_negative(arr, name)
    if np.any(~(conc >= 1)):
        raise ErlangInputError("concurrency must be at least 1")
    if np.any(~(L > 0)):
        raise ErlangInputError("interval_seconds must be positive")
    out = [np.ones(cc.size), np.zeros(cc.size), np.zeros(cc.size), np.zeros(cc.size)]
    busy = (cc > 0) & (h > 0)
    if np.any(busy):
        m = _chat_integer(cc[busy] / L[busy], h[busy], np.floor(x[busy]),
                          np.floor(conc[busy]), t[busy], sd[busy], pat[busy])
        for k in range(4):
            out[k][busy] = m[k]
    return ChatMetrics(*(v.reshape(shape) for v in out))


class ChatRequirement(NamedTuple):
    """Least agents meeting the chat targets, and what they deliver."""

    agents: NDArray[np.int64]
    service_level: NDArray[np.float64]
    asa_seconds: NDArray[np.float64]
    occupancy: NDArray[np.float64]
    abandon_rate: NDArray[np.float64]


def chat_requirement(
    contacts: ArrayLike,
    aht_seconds: ArrayLike,
    interval_seconds: ArrayLike,
    concurrency: ArrayLike,
    *,
    service_level: ArrayLike | None = None,
    target_seconds: ArrayLike | None = None,
    asa_seconds: ArrayLike | None = None,
    max_occupancy: ArrayLike = 1.0,
    slowdown: ArrayLike = DEFAULT_SLOWDOWN,
    patience_seconds: ArrayLike | None = None,
) -> ChatRequirement:
    """Least whole agents whose first-response service level (and/or mean wait)
    meets the target with slot occupancy at most `max_occupancy`, with customers of
    mean patience `patience_seconds` leaving the queue (NaN or omitted: nobody
    leaves). Bisection per interval, vectorised."""
    if service_level is None and asa_seconds is None:
        raise ErlangInputError(
            "give a service_level (with target_seconds) or an asa_seconds target"
        )
    shape, (cc, h, L, conc, sl_t, t_t, asa_t, occ_t, sd, pat) = _prepare(
        contacts, aht_seconds, interval_seconds, concurrency,
        np.nan if service_level is None else service_level,
        0.0 if target_seconds is None else target_seconds,
        np.nan if asa_seconds is None else asa_seconds, max_occupancy, slowdown,
        np.nan if patience_seconds is None else patience_seconds,
    )
    if np.any(~np.isnan(sl_t) & ~((sl_t > 0) & (sl_t < 1))):
        raise ErlangInputError("service_level must be between 0 and 1 (exclusive)")
    if np.any(~((occ_t > 0) & (occ_t <= 1))):
        raise ErlangInputError("max_occupancy must be above 0 and at most 1")
    agents = np.zeros(cc.size, dtype=np.int64)
    busy = np.flatnonzero((cc > 0) & (h > 0))
    if busy.size:
        def ok(n: NDArray, sel: NDArray) -> NDArray:
            i = busy[sel]
            m = chat_metrics(cc[i], h[i], L[i], n, conc[i], t_t[i], sd[i], pat[i])
            good = m.occupancy <= occ_t[i] * (1 + 1e-12)
            good &= np.isnan(sl_t[i]) | (m.service_level >= sl_t[i])
            good &= np.isnan(asa_t[i]) | (m.asa_seconds <= asa_t[i])
            return good

        load = cc[busy] / L[busy] * h[busy] * handle_factor(conc[busy], sd[busy]) / conc[busy]
        lo = np.floor(load).astype(np.int64)  # unstable at or below: fails
        lo = np.where(ceil_tolerant(load) == lo, lo - 1, lo)
        # With abandonment every count is stable, but answered chats cannot outrun the
        # full-slot rate, so fewer than service_level x load agents still fail.
        leave = ~np.isnan(pat[busy])
        share = np.where(np.isnan(sl_t[busy]), 0.0, sl_t[busy])
        lo = np.where(leave, np.maximum(ceil_tolerant(share * load) - 1, 0), lo)
        hi = np.maximum(lo + 1, 1)
        everyone = np.arange(busy.size)
        fails = ~ok(hi, everyone)
        step = np.maximum(np.sqrt(load), 1.0).astype(np.int64) + 1
        while np.any(fails):
            sel = np.flatnonzero(fails)
            lo[sel] = hi[sel]
            hi[sel] = hi[sel] + step[sel]
            step[sel] *= 2
            fails[sel] = ~ok(hi[sel], sel)
        while True:
            sel = np.flatnonzero(hi - lo > 1)
            if not sel.size:
                break
            mid = (lo[sel] + hi[sel]) // 2
            good = ok(mid, sel)
            hi[sel[good]] = mid[good]
            lo[sel[~good]] = mid[~good]
        agents[busy] = hi
    m = chat_metrics(cc, h, L, agents, conc, t_t, sd, pat)
    return ChatRequirement(agents.reshape(shape), *(v.reshape(shape) for v in m))
