"""The pooled simulation against the formulas it must reproduce where they hold, and pooling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scheduling import chat, erlang, erlang_a
from scheduling.pooled_simulation import AgentWindows, QueueModel, simulate_pooled
from scheduling.projection import on_line_windows, project
from scheduling.projection.simulation import simulation_agents

INTERVALS = 48  # one stationary day of 30-minute intervals
DAY_SECONDS = INTERVALS * 1800.0


def demand(queue: str, contacts: float, aht: float) -> pd.DataFrame:
    return pd.DataFrame({"queue": queue, "contacts": contacts, "aht_seconds": aht,
                         "interval_start": pd.date_range("2026-11-02", periods=INTERVALS,
                                                         freq="30min")})


def team(n: int, queue: str, skills: tuple[str, ...] = ()) -> list[AgentWindows]:
    return [AgentWindows(f"{queue}{i}", queue, (queue, *skills), ((0.0, DAY_SECONDS),))
            for i in range(n)]


def weighted(frame: pd.DataFrame, column: str) -> float:
    """Contact-weighted mean over the steady part of the day (the simulation starts
    empty: the first hour is left out)."""
    steady = frame[frame["interval_start"] >= frame["interval_start"].min() + pd.Timedelta("1h")]
    return float(np.average(steady[column], weights=steady["contacts"]))


def test_one_queue_matches_erlang_c_within_two_points() -> None:
    sim = simulate_pooled(demand("v", 100, 180), team(12, "v"), {"v": QueueModel("v", 20.0)},
                          30, seed=1, replications=20)
    assert weighted(sim, "service_level") == pytest.approx(
        float(erlang.service_level(100, 180, 1800, 12, 20)), abs=0.02)
    assert weighted(sim, "asa_seconds") == pytest.approx(
        float(erlang.asa_seconds(100, 180, 1800, 12)), rel=0.15)
    assert weighted(sim, "occupancy") == pytest.approx(10 / 12, abs=0.02)
    assert weighted(sim, "abandon_rate") == 0.0


def test_impatient_callers_match_erlang_a_within_two_points() -> None:
    queues = {"v": QueueModel("v", 20.0, patience_seconds=120.0)}
    sim = simulate_pooled(demand("v", 100, 180), team(10, "v"), queues, 30, seed=2,
                          replications=20)
    m = erlang_a.erlang_a(100, 180, 1800, 10, 120, 20)
    assert weighted(sim, "service_level") == pytest.approx(float(m.service_level), abs=0.02)
    assert weighted(sim, "abandon_rate") == pytest.approx(float(m.abandon_rate), abs=0.01)


def test_chat_concurrency_with_slowdown_matches_the_chat_model() -> None:
    queues = {"c": QueueModel("c", 60.0, concurrency=3, slowdown=chat.DEFAULT_SLOWDOWN)}
    sim = simulate_pooled(demand("c", 150, 300), team(15, "c"), queues, 30, seed=3,
                          replications=10)
    m = chat.chat_metrics(150, 300, 1800, 15, 3, 60)
    assert weighted(sim, "service_level") == pytest.approx(float(m.service_level), abs=0.02)
    assert weighted(sim, "occupancy") == pytest.approx(float(m.occupancy), abs=0.02)


def test_fully_pooled_agents_behave_as_one_erlang_c_queue() -> None:
    """Every agent knows both queues, same AHT: the number of contacts in the system is
    that of one M/M/12 queue, so the mean wait (Little's law) is Erlang C's. The service
    level is not: serving the rostered queue first is not first-come-first-served."""
    both = pd.concat([demand("a", 60, 180), demand("b", 40, 180)])
    queues = {"a": QueueModel("a", 20.0), "b": QueueModel("b", 20.0)}
    agents = team(7, "a", ("b",)) + team(5, "b", ("a",))
    sim = simulate_pooled(both, agents, queues, 30, seed=4, replications=20)
    assert weighted(sim, "asa_seconds") == pytest.approx(
        float(erlang.asa_seconds(100, 180, 1800, 12)), rel=0.15)
    # Apart, each queue would do much worse than the pool.
    apart = (60 * erlang.service_level(60, 180, 1800, 7, 20)
             + 40 * erlang.service_level(40, 180, 1800, 5, 20)) / 100
    assert weighted(sim, "service_level") > apart + 0.1


def test_routing_serves_the_rostered_queue_first() -> None:
    both = pd.concat([demand("a", 100, 180), demand("b", 100, 180)])
    queues = {"a": QueueModel("a", 20.0), "b": QueueModel("b", 20.0)}
    # b's agents also know a; a's agents only a. a is understaffed, b is not.
    agents = team(8, "a") + team(14, "b", ("a",))
    sim = simulate_pooled(both, agents, queues, 30, seed=5, replications=5)
    a, b = (sim[sim["queue"] == q] for q in ("a", "b"))
    assert weighted(a, "service_level") > float(erlang.service_level(100, 180, 1800, 8, 20))
    assert weighted(b, "service_level") > weighted(a, "service_level")


def test_simulation_is_deterministic_for_a_seed() -> None:
    args = (demand("v", 100, 180), team(12, "v"), {"v": QueueModel("v", 20.0)}, 30)
    one = simulate_pooled(*args, seed=7, replications=2)
    two = simulate_pooled(*args, seed=7, replications=2)
    other = simulate_pooled(*args, seed=8, replications=2)
    pd.testing.assert_frame_equal(one, two)
    assert not one["asa_seconds"].equals(other["asa_seconds"])


def test_simulated_shrinkage_takes_the_same_share_of_on_line_time_on_average() -> None:
    rows = [{"agent_id": f"a{i}", "date": "2026-11-02", "shift": "d",
             "start": pd.Timestamp("2026-11-02 08:00"), "end": pd.Timestamp("2026-11-02 12:00"),
             "queue": "v", "breaks": "10:00-10:15"} for i in range(7)]
    windows = on_line_windows(pd.DataFrame(rows))
    settings = pd.DataFrame({"shrinkage": [0.3]}, index=pd.Index(["v"], name="queue"))
    draw = simulation_agents(windows, settings, None, pd.Timestamp("2026-11-02 08:00"), 30)
    rng = np.random.default_rng(0)
    edges = np.arange(9) * 1800.0
    total = np.zeros(8)
    runs = 200
    for _ in range(runs):
        spans = np.array([w for agent in draw(rng) for w in agent.windows])
        total += np.clip(np.minimum(spans[:, 1:2], edges[1:]) - np.maximum(spans[:, :1],
                                                                         edges[:-1]),
                         0.0, None).sum(axis=0)
    on_line = total / runs / 1800
    expected = np.array([7, 7, 7, 7, 3.5, 7, 7, 7]) * 0.7
    assert on_line == pytest.approx(expected, abs=0.15)


def test_project_simulate_agrees_with_the_formulas_for_a_dedicated_team() -> None:
    rows = [{"agent_id": f"a{i}", "date": "2026-11-02", "shift": "d",
             "start": pd.Timestamp("2026-11-02 00:00"), "end": pd.Timestamp("2026-11-03 00:00"),
             "queue": "v", "breaks": ""} for i in range(12)]
    fc = demand("v", 100, 180)
    queues = pd.DataFrame({"queue": ["v"], "channel": ["voice"], "service_level": [0.8],
                           "target_seconds": [20], "shrinkage": [0.0], "max_occupancy": [1.0]})
    formula = project(pd.DataFrame(rows), fc, queues)
    sim = project(pd.DataFrame(rows), fc, queues, simulate=True, seed=0, replications=20)
    assert set(sim["method"]) == {"simulation"}
    assert (sim["required"] == formula["required"]).all()
    assert weighted(sim, "service_level") == pytest.approx(
        weighted(formula, "service_level"), abs=0.02)
