"""Discrete-event simulation of a roster serving pooled queues with skill-based routing.

Why: per-queue Erlang formulas assume each queue has its own agents. When agents
carry several skills, a contact can be answered by anyone skilled in its queue,
and the pooling changes response times in ways no per-queue formula shows.

The model (simpy): contacts arrive as a Poisson process whose rate is constant
within each interval (the forecast's `contacts`), handle times are exponential
with the interval's `aht_seconds`, and patience is exponential with the queue's
`patience_seconds` (no abandonment where it is unknown). Agents are on line only
inside their windows (shift minus breaks minus unplanned shrinkage); an agent
finishes the contact in hand when a window closes. Routing:

- a new contact goes to a free agent whose rostered queue is its queue, else to
  a free agent who merely has the skill (most free capacity first, then the one
  idle longest);
- a freed agent takes the oldest waiting contact of its rostered queue first,
  else the oldest waiting contact of its other skills.

Chat: an agent rostered on a chat queue with concurrency k holds up to k chats
at once and, as in `scheduling.chat`, works on each of j open chats at speed
1 / (1 + slowdown x (j - 1)); a voice (concurrency 1) contact needs the agent's
whole capacity. An agent at a proficiency below 1 in a queue (`AgentWindows.proficiency`)
works its contacts at that share of the speed (0.7: 1/0.7 of the handle time).

All randomness comes from one seed; `replications` independent runs are pooled.
Results are flat records per queue and interval (by arrival interval).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import simpy

SIMULATION_COLUMNS = (
    "queue", "interval_start", "contacts", "service_level", "asa_seconds",
    "wait_p90_seconds", "abandon_rate", "occupancy",
)
WAITING, SERVED, ABANDONED = 0, 1, 2


class SimulationInputError(ValueError):
    """Inputs of the pooled simulation that do not fit together."""


@dataclass(frozen=True)
class QueueModel:
    """What the simulation needs of a queue's settings."""

    queue: str
    target_seconds: float
    patience_seconds: float = math.inf
    concurrency: int = 1
    slowdown: float = 0.0


@dataclass(frozen=True)
class AgentWindows:
    """One agent: the rostered queue, every queue it may answer, and its on-line windows
    (seconds from the simulation origin, shrinkage already applied)."""

    agent_id: str
    queue: str
    skills: tuple[str, ...]
    windows: tuple[tuple[float, float], ...]
    proficiency: tuple[tuple[str, float], ...] = ()  # (queue, speed share) below 1


def simulate_pooled(
    demand: pd.DataFrame,
    agents: Sequence[AgentWindows] | Callable[[np.random.Generator], Sequence[AgentWindows]],
    queues: Mapping[str, QueueModel],
    interval_minutes: int,
    *,
    seed: int = 0,
    replications: int = 5,
    drain_seconds: float = 4 * 3600.0,
    progress: Callable[[float], None] | None = None,
) -> pd.DataFrame:
    """Simulated service level, ASA, 90th-percentile wait, abandonment and occupancy.

    `demand` has `queue`, `interval_start`, `contacts`, `aht_seconds`; the origin of
    the agents' windows is the first `interval_start`. `agents` is a list, or a
    function drawing one per replication from the given generator (so unplanned
    shrinkage can differ between runs). Service level counts contacts answered within
    the queue's target over all contacts offered (abandoned contacts miss it).
    Contacts still waiting `drain_seconds` after the last interval count as
    unanswered. Deterministic for a given seed.
    """
    if replications < 1:
        raise SimulationInputError(f"replications must be at least 1, got {replications}")
    frame = demand[["queue", "interval_start", "contacts", "aht_seconds"]].copy()
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    frame = frame.sort_values(["queue", "interval_start"], ignore_index=True)
    unknown = sorted(set(frame["queue"].astype(str)) - set(queues))
    if unknown:
        raise SimulationInputError(f"demand for queues {unknown} without queue settings")
    origin = frame["interval_start"].min()
    length = interval_minutes * 60.0
    frame["offset"] = (frame["interval_start"] - origin) / pd.Timedelta(seconds=1)
    names = sorted(queues)
    qindex = {q: i for i, q in enumerate(names)}
    frame["q"] = frame["queue"].astype(str).map(qindex)
    horizon = float(frame["offset"].max() + length)

    target = np.array([queues[name].target_seconds for name in names], dtype=float)
    totals = np.zeros((len(frame), 7))
    waits: list[pd.DataFrame] = []
    for rep in range(replications):
        rng = np.random.default_rng([seed, rep])
        roster = agents(rng) if callable(agents) else agents
        _check_agents(roster, qindex)
        contacts = _draw_contacts(frame, queues, names, length, rng)
        result = _run(contacts, roster, queues, names, qindex, horizon + drain_seconds)
        counts, answered_waits = _tally(frame, contacts, result, roster, qindex, target, length)
        totals += counts
        waits.append(answered_waits)
        if progress is not None:
            progress((rep + 1) / replications)
    return _metrics(frame, totals, pd.concat(waits, ignore_index=True), replications)


def _check_agents(roster: Sequence[AgentWindows], qindex: Mapping[str, int]) -> None:
    for a in roster:
        for q in (a.queue, *a.skills):
            if q not in qindex:
                raise SimulationInputError(
                    f"agent {a.agent_id}: queue {q!r} has no queue settings; expected one of "
                    f"{sorted(qindex)}")


def _draw_contacts(frame: pd.DataFrame, queues: Mapping[str, QueueModel], names: list[str],
                   length: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    counts = rng.poisson(frame["contacts"].to_numpy(dtype=float))
    row = np.repeat(np.arange(len(frame)), counts)
    arrival = frame["offset"].to_numpy()[row] + rng.uniform(0.0, length, row.size)
    aht = frame["aht_seconds"].to_numpy(dtype=float)[row]
    handle = rng.exponential(1.0, row.size) * aht
    q = frame["q"].to_numpy()[row]
    mean_patience = np.array([queues[n].patience_seconds for n in names], dtype=float)[q]
    patience = np.where(np.isfinite(mean_patience),
                        rng.exponential(1.0, row.size) * np.where(
                            np.isfinite(mean_patience), mean_patience, 0.0), np.inf)
    order = np.argsort(arrival, kind="stable")
    return {"row": row[order], "arrival": arrival[order], "handle": handle[order],
            "q": q[order], "patience": patience[order]}


class _Agent:
    __slots__ = ("primary", "skills", "others", "slots", "free", "online", "idle_since",
                 "slowdown", "open", "updated", "version", "speed")

    def __init__(self, primary: int, skills: list[int], slots: int, slowdown: float) -> None:
        self.primary = primary
        self.skills = skills
        self.others = [q for q in skills if q != primary]
        self.slots = slots
        self.free = slots
        self.online = False
        self.idle_since = 0.0
        self.slowdown = slowdown
        self.open: dict[int, float] = {}  # contact -> work left (seconds when served alone)
        self.updated = 0.0
        self.version = 0
        self.speed: dict[int, float] = {}  # queue -> share of full speed, when below 1

    def factor(self) -> float:
        """How much longer each open contact takes with this many open (chat model)."""
        return 1.0 + self.slowdown * max(len(self.open) - 1, 0)


def _run(contacts: dict[str, np.ndarray], roster: Sequence[AgentWindows],
         queues: Mapping[str, QueueModel], names: list[str], qindex: Mapping[str, int],
         until: float) -> dict[str, np.ndarray]:
    """One replication; returns per contact: state, answer time, agent."""
    env = simpy.Environment()
    n = contacts["arrival"].size
    state = np.full(n, WAITING, dtype=np.int8)
    answered_at = np.full(n, np.nan)
    agent_of = np.full(n, -1, dtype=np.int64)
    arrival, handle, cq, patience = (contacts[k] for k in ("arrival", "handle", "q", "patience"))
    concurrency = [max(1, int(queues[name].concurrency)) for name in names]
    waiting: list[deque[int]] = [deque() for _ in names]
    pool: list[_Agent] = []
    segments: list[tuple[int, float, float, float]] = []
    primary_of: list[list[int]] = [[] for _ in names]
    secondary_of: list[list[int]] = [[] for _ in names]
    for i, a in enumerate(roster):
        p = qindex[a.queue]
        skills = sorted({p, *(qindex[s] for s in a.skills)})
        pool.append(_Agent(p, skills, concurrency[p],
                           queues[names[p]].slowdown if concurrency[p] > 1 else 0.0))
        pool[-1].speed = {qindex[q]: v for q, v in a.proficiency if q in qindex}
        primary_of[p].append(i)
        for s in skills:
            if s != p:
                secondary_of[s].append(i)

    def need(agent: _Agent, q: int) -> int:
        return agent.slots if concurrency[q] == 1 else 1

    def start(c: int, i: int) -> None:
        agent = pool[i]
        state[c] = SERVED
        answered_at[c] = env.now
        agent_of[c] = i
        agent.free -= need(agent, int(cq[c]))
        advance(agent)
        speed = agent.speed.get(int(cq[c]))
        agent.open[c] = handle[c] if speed is None else handle[c] / speed
        reschedule(i)

    def advance(agent: _Agent) -> None:
        if agent.open:
            done = (env.now - agent.updated) / agent.factor()
            for k in agent.open:
                agent.open[k] -= done
        agent.updated = env.now

    def reschedule(i: int) -> None:
        agent = pool[i]
        agent.version += 1
        if agent.open:
            version = agent.version
            first = min(agent.open, key=agent.open.__getitem__)
            delay = max(agent.open[first], 0.0) * agent.factor()
            env.timeout(delay).callbacks.append(lambda _e: finish(i, version, first))

    def finish(i: int, version: int, first: int) -> None:
        agent = pool[i]
        if agent.version != version:
            return
        advance(agent)
        agent.open[first] = 0.0
        for c in [k for k, left in agent.open.items() if left <= 1e-6]:
            del agent.open[c]
            size = need(agent, int(cq[c]))
            agent.free += size
            segments.append((i, answered_at[c], env.now, size / agent.slots))
        if agent.free == agent.slots:
            agent.idle_since = env.now
        reschedule(i)
        pull(i)

    def head(q: int) -> int:
        line = waiting[q]
        while line and state[line[0]] != WAITING:
            line.popleft()
        return line[0] if line else -1

    def pull(i: int) -> None:
        agent = pool[i]
        while agent.online and agent.free > 0:
            c = head(agent.primary)
            if c < 0 or need(agent, agent.primary) > agent.free:
                c = -1
                best = math.inf
                for q in agent.others:
                    h = head(q)
                    if h >= 0 and arrival[h] < best and need(agent, q) <= agent.free:
                        c, best = h, arrival[h]
            if c < 0:
                return
            waiting[int(cq[c])].popleft()
            start(c, i)

    def abandon(c: int) -> None:
        if state[c] == WAITING:
            state[c] = ABANDONED
            answered_at[c] = env.now

    def arrive(c: int) -> None:
        q = int(cq[c])
        chosen, key = -1, None
        for group, rank in ((primary_of[q], 0), (secondary_of[q], 1)):
            for i in group:
                agent = pool[i]
                if agent.online and agent.free >= need(agent, q):
                    k = (rank, -agent.free, agent.idle_since)
                    if key is None or k < key:
                        chosen, key = i, k
            if chosen >= 0:
                break
        if chosen >= 0:
            start(c, chosen)
            return
        waiting[q].append(c)
        if np.isfinite(patience[c]):
            env.timeout(patience[c]).callbacks.append(lambda _e: abandon(c))

    def arrivals() -> simpy.events.ProcessGenerator:
        for c in range(n):
            yield env.timeout(arrival[c] - env.now)
            arrive(c)

    def shifts(i: int, windows: tuple[tuple[float, float], ...]) -> simpy.events.ProcessGenerator:
        agent = pool[i]
        for begin, end in windows:
            if end <= env.now:
                continue
            if begin > env.now:
                yield env.timeout(begin - env.now)
            agent.online = True
            if agent.free == agent.slots:
                agent.idle_since = env.now
            pull(i)
            yield env.timeout(end - env.now)
            agent.online = False

    env.process(arrivals())
    for i, a in enumerate(roster):
        env.process(shifts(i, tuple(sorted(a.windows))))
    env.run(until=until)
    seg = np.array(segments, dtype=float).reshape(-1, 4)
    return {"state": state, "answered_at": answered_at, "agent": agent_of, "segments": seg}


def covered_seconds(t: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                    weights: np.ndarray) -> np.ndarray:
    """For each time in `t`: the sum over the spans [start, end) of weight x the seconds
    of the span before t (agents on line, each at their weight, to the second)."""
    def before(points: np.ndarray) -> np.ndarray:
        order = np.argsort(points, kind="stable")
        p, w = points[order], weights[order]
        cw = np.concatenate([[0.0], np.cumsum(w)])
        cpw = np.concatenate([[0.0], np.cumsum(w * p)])
        k = np.searchsorted(p, t, side="left")
        return t * cw[k] - cpw[k]

    return before(starts) - before(ends)


def _tally(frame: pd.DataFrame, contacts: dict[str, np.ndarray], result: dict[str, np.ndarray],
           roster: Sequence[AgentWindows], qindex: Mapping[str, int], target: np.ndarray,
           length: float) -> tuple[np.ndarray, pd.DataFrame]:
    """One replication's sums per demand row: offered, answered, answered within target,
    abandoned, wait of the answered, busy capacity-seconds and on-line seconds of the
    queue's rostered agents; plus the waits of answered contacts."""
    row, arrival, q = contacts["row"], contacts["arrival"], contacts["q"]
    state, at = result["state"], result["answered_at"]
    rows = len(frame)
    served = state == SERVED
    wait = np.where(served, at - arrival, 0.0)
    within = served & (wait <= target[q] + 1e-9)
    out = np.zeros((rows, 7))
    out[:, 0] = np.bincount(row, minlength=rows)
    out[:, 1] = np.bincount(row, weights=served.astype(float), minlength=rows)
    out[:, 2] = np.bincount(row, weights=within.astype(float), minlength=rows)
    out[:, 3] = np.bincount(row, weights=(state == ABANDONED).astype(float), minlength=rows)
    out[:, 4] = np.bincount(row, weights=wait, minlength=rows)

    primary = np.array([qindex[a.queue] for a in roster], dtype=np.int64)
    seg = result["segments"]
    seg_q = primary[seg[:, 0].astype(np.int64)] if len(seg) else np.zeros(0, dtype=np.int64)
    win = np.array([(qindex[a.queue], b, e) for a in roster for b, e in a.windows],
                   dtype=float).reshape(-1, 3)
    starts = frame["offset"].to_numpy()
    fq = frame["q"].to_numpy()
    for qi in np.unique(fq):
        sel = np.flatnonzero(fq == qi)
        t0, t1 = starts[sel], starts[sel] + length
        s = seg[seg_q == qi]
        out[sel, 5] = (covered_seconds(t1, s[:, 1], s[:, 2], s[:, 3])
                       - covered_seconds(t0, s[:, 1], s[:, 2], s[:, 3]))
        w = win[win[:, 0] == qi]
        ones = np.ones(len(w))
        out[sel, 6] = (covered_seconds(t1, w[:, 1], w[:, 2], ones)
                       - covered_seconds(t0, w[:, 1], w[:, 2], ones))
    return out, pd.DataFrame({"row": row[served], "wait": wait[served]})


def _metrics(frame: pd.DataFrame, totals: np.ndarray, waits: pd.DataFrame,
             replications: int) -> pd.DataFrame:
    offered, answered, within, abandoned, wait_sum, busy, online = totals.T
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = np.where(offered > 0, within / offered, 1.0)
        asa = np.where(answered > 0, wait_sum / answered, np.where(offered > 0, np.inf, 0.0))
        abandon = np.where(offered > 0, abandoned / offered, 0.0)
        occ = np.where(online > 0, np.minimum(busy / online, 1.0), np.where(busy > 0, 1.0, 0.0))
    p90 = np.where(offered > 0, np.inf, 0.0)
    if len(waits):
        q90 = waits.groupby("row")["wait"].quantile(0.9)
        p90[q90.index.to_numpy()] = q90.to_numpy()
    return pd.DataFrame({
        "queue": frame["queue"].to_numpy(),
        "interval_start": frame["interval_start"].to_numpy(),
        "contacts": offered / replications,
        "service_level": sl,
        "asa_seconds": asa,
        "wait_p90_seconds": p90,
        "abandon_rate": abandon,
        "occupancy": occ,
    }, columns=list(SIMULATION_COLUMNS))
