"""Erlang A: limits, a brute-force birth-death check, simulation, and agents for targets."""

from __future__ import annotations

import numpy as np
import pytest
from queue_sim import simulate_voice
from scipy.special import betaincc

from scheduling.erlang import asa_seconds, service_level
from scheduling.erlang_a import ErlangInputError, erlang_a, erlang_a_requirement


def chain(lam: float, aht: float, n: int, patience: float, states: int) -> np.ndarray:
    """Stationary law of the M/M/n+M birth-death chain truncated at `states`."""
    mu, theta = 1 / aht, 1 / patience
    logw = np.zeros(states)
    for k in range(1, states):
        death = min(k, n) * mu + max(k - n, 0) * theta
        logw[k] = logw[k - 1] + np.log(lam / death)
    p = np.exp(logw - logw.max())
    return p / p.sum()


def brute_force_abandonment(lam: float, aht: float, n: int, patience: float) -> tuple:
    """P(abandon) and P(wait) from a truncated birth-death chain, by rate balance:
    abandonments per second = theta x mean queue length."""
    theta = 1 / patience
    states = 5000
    p = chain(lam, aht, n, patience, states)
    k = np.arange(states)
    queue = np.maximum(k - n, 0)
    return theta * (p * queue).sum() / lam, p[k >= n].sum()


def brute_force_service_level(lam: float, aht: float, n: int, patience: float,
                              target: float) -> float:
    """Answered within target / offered, state by state on a truncated chain, with the
    offered wait's tilted law from scipy's incomplete beta (not the library's recursion)."""
    theta = 1 / patience
    states = 4000
    p = chain(lam, aht, n, patience, states)
    a = n / aht / theta
    m = np.arange(states - n)
    queued = a / (a + m + 1) * betaincc(a + 1, m + 1, np.exp(-theta * target))
    return float(p[:n].sum() + (p[n:] * queued).sum())


@pytest.mark.parametrize("contacts,aht,agents,patience,target", [
    (100, 180, 11, 120, 20), (100, 180, 8, 60, 0), (400, 300, 60, 200, 30),
    (50, 240, 3, 90, 600), (2000, 200, 200, 300, 15),
])
def test_service_level_matches_brute_force_chain(contacts, aht, agents, patience, target):
    expected = brute_force_service_level(contacts / 1800, aht, agents, patience, target)
    m = erlang_a(contacts, aht, 1800, agents, patience, target)
    assert float(m.service_level) == pytest.approx(expected, abs=1e-9)


def test_long_patience_is_erlang_c():
    m = erlang_a(100, 180, 1800, [12, 14, 20], 1e9, 20)
    assert np.allclose(m.service_level, service_level(100, 180, 1800, [12, 14, 20], 20),
                       atol=1e-5)
    assert np.allclose(m.asa_seconds, asa_seconds(100, 180, 1800, [12, 14, 20]), rtol=1e-4)
    assert np.all(m.abandon_rate < 1e-5)


@pytest.mark.parametrize("contacts,aht,agents,patience", [
    (100, 180, 11, 120), (100, 180, 8, 60), (400, 300, 60, 200), (50, 240, 3, 90),
    (2000, 200, 200, 300),
])
def test_abandonment_matches_brute_force_chain(contacts, aht, agents, patience):
    lam = contacts / 1800
    expected, _ = brute_force_abandonment(lam, aht, agents, patience)
    m = erlang_a(contacts, aht, 1800, agents, patience, 20)
    assert float(m.abandon_rate) == pytest.approx(expected, rel=1e-6, abs=1e-12)
    carried = lam * aht * (1 - expected) / agents
    assert float(m.occupancy) == pytest.approx(min(carried, 1.0), rel=1e-6)


def test_overloaded_queue_stays_finite():
    m = erlang_a(20_000, 180, 1800, [10, 1000, 1800], 600, 20)
    assert np.all(np.isfinite(m.abandon_rate)) and np.all(np.isfinite(m.service_level))
    assert m.abandon_rate[0] > 0.99
    assert m.abandon_rate[2] == pytest.approx(0.1, abs=0.01)  # load 2000 on 1800 agents


def test_no_contacts():
    m = erlang_a(0, 180, 1800, 0, 120, 20)
    assert float(m.service_level) == 1.0 and float(m.abandon_rate) == 0.0


@pytest.mark.parametrize("agents,patience", [(11, 120), (9, 60)])
def test_formula_matches_simulation(agents, patience):
    sim = simulate_voice(100 / 1800, 180, agents, 20, patience_seconds=patience,
                         contacts=60_000, seed=7)
    m = erlang_a(100, 180, 1800, agents, patience, 20)
    assert sim["service_level"] == pytest.approx(float(m.service_level), abs=0.02)
    assert sim["abandon_rate"] == pytest.approx(float(m.abandon_rate), abs=0.02)
    assert sim["asa_seconds"] == pytest.approx(float(m.asa_seconds), rel=0.15)


def test_agents_for_targets_with_maximum_abandonment():
    r = erlang_a_requirement([100, 500, 0], 180, 1800, 120, service_level=0.8,
                             target_seconds=20, max_abandon_rate=0.02, max_occupancy=0.9)
    for i, contacts in enumerate([100, 500]):
        n = int(r.agents[i])
        at = erlang_a(contacts, 180, 1800, n, 120, 20)
        below = erlang_a(contacts, 180, 1800, n - 1, 120, 20)
        assert at.service_level >= 0.8 and at.abandon_rate <= 0.02 and at.occupancy <= 0.9
        assert (below.service_level < 0.8 or below.abandon_rate > 0.02
                or below.occupancy > 0.9)
    assert r.agents[2] == 0
    only_abandon = erlang_a_requirement(100, 180, 1800, 120, max_abandon_rate=0.05)
    assert float(erlang_a(100, 180, 1800, only_abandon.agents, 120, 0).abandon_rate) <= 0.05


def test_bad_patience_refused():
    with pytest.raises(ErlangInputError, match="patience"):
        erlang_a(100, 180, 1800, 10, 0, 20)


def test_asa_below_one_agent_is_the_asa_of_those_answered():
    """Half an agent answers only in its on-line half: ASA is finite, that of one agent."""
    half = erlang_a(50, 200, 3600, 0.5, 345, 20)
    one = erlang_a(50, 200, 3600, 1.0, 345, 20)
    assert np.isfinite(half.asa_seconds)
    assert float(half.asa_seconds) == pytest.approx(float(one.asa_seconds))
    two = erlang_a(50, 200, 3600, 2.0, 345, 20)
    mid = erlang_a(50, 200, 3600, 1.5, 345, 20)
    assert float(two.asa_seconds) < float(mid.asa_seconds) < float(one.asa_seconds)
