"""Discrete-event simulations (simpy) of contact-centre queues, for cross-checking formulas.

One seed drives all randomness; results are flat records (dicts). Shared by the
staffing and projection tests.

- `simulate_voice`: M/M/n queue, first come first served, optional exponential
  patience (Erlang A); without patience it is the Erlang C system.
- `simulate_chat`: agents holding up to `concurrency` chats, each open chat
  worked at speed 1 / f(j) when the agent has j open (f(j) = 1 + slowdown (j - 1)),
  new chats routed to the least-loaded agent, otherwise queued FCFS; with a
  patience, a queued chat whose wait would exceed its exponential patience leaves.

Service level is the share of offered contacts answered within the target
(abandoned contacts count as missed); ASA the mean wait of answered contacts.
A warm-up period is discarded.
"""

from __future__ import annotations

import random

import simpy


def simulate_voice(
    arrival_rate: float,
    aht_seconds: float,
    agents: int,
    target_seconds: float,
    *,
    patience_seconds: float | None = None,
    contacts: int = 60_000,
    warmup: int = 2_000,
    seed: int = 1,
) -> dict[str, float]:
    """Simulate `contacts` arrivals (plus warm-up) to an M/M/n(+M) queue."""
    rng = random.Random(seed)
    env = simpy.Environment()
    team = simpy.Resource(env, capacity=agents)
    stats = {"offered": 0, "in_time": 0, "answered": 0, "abandoned": 0, "wait": 0.0,
             "busy": 0.0}
    start_measure = [None]

    def contact(index: int):
        arrived = env.now
        patience = rng.expovariate(1.0 / patience_seconds) if patience_seconds else None
        service = rng.expovariate(1.0 / aht_seconds)
        counted = index >= warmup
        with team.request() as req:
            if patience is None:
                yield req
            else:
                got = yield req | env.timeout(patience)
                if req not in got:
                    if counted:
                        stats["offered"] += 1
                        stats["abandoned"] += 1
                    return
            wait = env.now - arrived
            if counted:
                stats["offered"] += 1
                stats["answered"] += 1
                stats["wait"] += wait
                stats["in_time"] += wait <= target_seconds
                stats["busy"] += service
            yield env.timeout(service)

    def arrivals():
        for i in range(contacts + warmup):
            if i == warmup:
                start_measure[0] = env.now
            env.process(contact(i))
            yield env.timeout(rng.expovariate(arrival_rate))

    env.process(arrivals())
    env.run()
    return _summary(stats, agents, env.now - (start_measure[0] or 0.0))


def _summary(stats: dict, servers: float, duration: float) -> dict[str, float]:
    offered = max(stats["offered"], 1)
    return {
        "service_level": stats["in_time"] / offered,
        "asa_seconds": stats["wait"] / max(stats["answered"], 1),
        "abandon_rate": stats["abandoned"] / offered,
        "occupancy": stats["busy"] / (servers * duration) if duration > 0 else 0.0,
        "offered": stats["offered"],
    }


def simulate_chat(
    arrival_rate: float,
    aht_seconds: float,
    agents: int,
    concurrency: int,
    target_seconds: float,
    *,
    slowdown: float = 0.3,
    patience_seconds: float | None = None,
    contacts: int = 60_000,
    warmup: int = 2_000,
    seed: int = 1,
) -> dict[str, float]:
    """Simulate chats with multi-chat agents; the wait is the first-response time.

    Each chat's work is exponential with mean `aht_seconds` at speed 1; an agent with
    j chats open completes one of them at rate j / (aht f(j)) (memoryless, so the
    next completion is redrawn whenever j changes).
    """
    rng = random.Random(seed)
    env = simpy.Environment()
    open_chats = [0] * agents
    wakeups = [env.event() for _ in range(agents)]
    queue: list[tuple[float, bool, float]] = []  # arrived, counted, gives up at
    stats = {"offered": 0, "in_time": 0, "answered": 0, "abandoned": 0, "wait": 0.0,
             "busy": 0.0}
    start_measure = [None]

    def next_waiting() -> tuple[float, bool] | None:
        """The first queued chat still waiting; those whose patience ran out leave."""
        while queue:
            arrived, counted, leaves = queue.pop(0)
            if leaves >= env.now:
                return arrived, counted
            if counted:
                stats["offered"] += 1
                stats["abandoned"] += 1
        return None
    slot_time = [0.0, 0.0]  # integral of open chats, last change time

    def factor(j: int) -> float:
        return 1.0 + slowdown * (j - 1)

    def account() -> None:
        slot_time[0] += sum(open_chats) * (env.now - slot_time[1])
        slot_time[1] = env.now

    def assign(agent: int, arrived: float, counted: bool) -> None:
        account()
        open_chats[agent] += 1
        if counted:
            wait = env.now - arrived
            stats["offered"] += 1
            stats["answered"] += 1
            stats["wait"] += wait
            stats["in_time"] += wait <= target_seconds
        if not wakeups[agent].triggered:
            wakeups[agent].succeed()

    def agent_process(agent: int):
        while True:
            j = open_chats[agent]
            if j == 0:
                yield wakeups[agent]
                wakeups[agent] = env.event()
                continue
            done = env.timeout(rng.expovariate(j / (aht_seconds * factor(j))))
            got = yield done | wakeups[agent]
            if wakeups[agent] in got:
                wakeups[agent] = env.event()
            if done in got:
                account()
                open_chats[agent] -= 1
                waiting = next_waiting()
                if waiting:
                    assign(agent, *waiting)
                    wakeups[agent] = env.event()

    def arrivals():
        for i in range(contacts + warmup):
            if i == warmup:
                start_measure[0] = env.now
                account()
                slot_time[0] = 0.0
            counted = i >= warmup
            best = min(range(agents), key=open_chats.__getitem__)
            if open_chats[best] < concurrency and not queue:
                assign(best, env.now, counted)
            else:
                patience = (rng.expovariate(1.0 / patience_seconds) if patience_seconds
                            else float("inf"))
                queue.append((env.now, counted, env.now + patience))
            yield env.timeout(rng.expovariate(arrival_rate))

    for a in range(agents):
        env.process(agent_process(a))
    feeding = env.process(arrivals())
    env.run(until=feeding)
    account()
    duration = env.now - (start_measure[0] or 0.0)
    result = _summary(stats, agents * concurrency, duration)
    result["occupancy"] = slot_time[0] / (agents * concurrency * duration)
    return result
