"""Chat concurrency model: Erlang C at concurrency 1, simulation, requirement."""

from __future__ import annotations

import numpy as np
import pytest
from queue_sim import simulate_chat

from scheduling.chat import chat_metrics, chat_requirement, handle_factor
from scheduling.erlang import asa_seconds, service_level
from scheduling.erlang_a import erlang_a


def test_one_chat_at_a_time_is_erlang_c():
    m = chat_metrics(100, 180, 1800, [11, 12, 14, 20], 1, 20)
    assert np.allclose(m.service_level, service_level(100, 180, 1800, [11, 12, 14, 20], 20))
    assert np.allclose(m.asa_seconds, asa_seconds(100, 180, 1800, [11, 12, 14, 20]))


def test_pooled_slots_without_slowdown_are_erlang_c_on_slots():
    m = chat_metrics(300, 600, 1800, 40, 3, 60, slowdown=0.0)
    assert float(m.service_level) == pytest.approx(float(service_level(300, 600, 1800, 120, 60)))


def test_handle_time_grows_with_concurrency():
    assert list(handle_factor([1, 2, 3], 0.3)) == pytest.approx([1.0, 1.3, 1.6])
    one = chat_requirement(200, 600, 1800, 1, service_level=0.8, target_seconds=60)
    three = chat_requirement(200, 600, 1800, 3, service_level=0.8, target_seconds=60)
    no_slowdown = chat_requirement(200, 600, 1800, 3, service_level=0.8, target_seconds=60,
                                   slowdown=0.0)
    assert no_slowdown.agents < three.agents < one.agents


@pytest.mark.parametrize("contacts,aht,agents,concurrency,slowdown", [
    (60, 600, 13, 3, 0.3),
    (300, 400, 29, 4, 0.2),
    (100, 900, 36, 3, 0.5),
])
def test_formula_matches_simulation(contacts, aht, agents, concurrency, slowdown):
    sims = [simulate_chat(contacts / 1800, aht, agents, concurrency, 60, slowdown=slowdown,
                          contacts=40_000, seed=s) for s in (11, 12)]
    m = chat_metrics(contacts, aht, 1800, agents, concurrency, 60, slowdown)
    simulated = np.mean([s["service_level"] for s in sims])
    assert simulated == pytest.approx(float(m.service_level), abs=0.02)
    occupancy = np.mean([s["occupancy"] for s in sims])
    # Uneven loads across agents make the simulated slots a little busier than the
    # evenly-spread model (about 2 points at slowdown 0.5).
    assert occupancy == pytest.approx(float(m.occupancy), abs=0.03)


def test_requirement_is_the_least_meeting_the_targets():
    contacts = np.array([0, 5, 60, 200, 1500])
    r = chat_requirement(contacts, 600, 1800, 3, service_level=0.8, target_seconds=60,
                         max_occupancy=0.85)
    assert r.agents[0] == 0
    for c, n in zip(contacts[1:], r.agents[1:], strict=True):
        at = chat_metrics(c, 600, 1800, n, 3, 60)
        below = chat_metrics(c, 600, 1800, n - 1, 3, 60)
        assert at.service_level >= 0.8 and at.occupancy <= 0.85
        assert below.service_level < 0.8 or below.occupancy > 0.85


@pytest.mark.parametrize("contacts,aht,agents,concurrency,patience", [
    (120, 600, 12, 3, 120),   # overloaded without abandonment: stable only with it
    (300, 400, 30, 4, 300),
    (100, 600, 14, 2, 60),
])
def test_abandonment_matches_simulation(contacts, aht, agents, concurrency, patience):
    sims = [simulate_chat(contacts / 1800, aht, agents, concurrency, 60, slowdown=0.3,
                          patience_seconds=patience, contacts=40_000, seed=s)
            for s in (21, 22)]
    m = chat_metrics(contacts, aht, 1800, agents, concurrency, 60, 0.3, patience)
    for key, tol in (("service_level", 0.02), ("abandon_rate", 0.02)):
        simulated = np.mean([s[key] for s in sims])
        assert simulated == pytest.approx(float(getattr(m, key)), abs=tol), key
    asa = np.mean([s["asa_seconds"] for s in sims])
    assert asa == pytest.approx(float(m.asa_seconds), rel=0.1, abs=2.0)


def test_one_chat_at_a_time_with_patience_is_erlang_a():
    m = chat_metrics(100, 180, 1800, [8, 10, 12], 1, 20, 0.3, 90)
    a = erlang_a(100, 180, 1800, [8, 10, 12], 90, 20)
    for key in ("service_level", "asa_seconds", "abandon_rate"):
        assert np.allclose(getattr(m, key), getattr(a, key), rtol=1e-9), key
    assert np.allclose(m.occupancy, a.occupancy, rtol=1e-9)


def test_requirement_with_patience_is_the_least_meeting_the_targets():
    contacts = np.array([5, 60, 200, 1500])
    r = chat_requirement(contacts, 600, 1800, 3, service_level=0.8, target_seconds=60,
                         max_occupancy=0.85, patience_seconds=120)
    none = chat_requirement(contacts, 600, 1800, 3, service_level=0.8, target_seconds=60,
                            max_occupancy=0.85)
    assert (r.agents <= none.agents).all()
    for c, n in zip(contacts, r.agents, strict=True):
        at = chat_metrics(c, 600, 1800, n, 3, 60, patience_seconds=120)
        below = chat_metrics(c, 600, 1800, n - 1, 3, 60, patience_seconds=120)
        assert at.service_level >= 0.8 and at.occupancy <= 0.85
        assert below.service_level < 0.8 or below.occupancy > 0.85
