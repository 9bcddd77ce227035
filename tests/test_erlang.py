"""Erlang C: published example, arbitrary-precision reference, properties, simulation."""

from __future__ import annotations

from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from queue_sim import simulate_voice

from scheduling.erlang import (
    ErlangInputError,
    agents_needed,
    asa_seconds,
    ceil_tolerant,
    erlang_b_integer,
    erlang_c,
    fractional_agents,
    occupancy,
    requirement,
    service_level,
    staff_for_agents,
)


def reference_requirement(contacts: int, aht: int, interval: int, sl: str, target: int,
                          max_occ: str) -> tuple[int, Decimal]:
    """Least agents in 50-digit decimal arithmetic (Erlang B recursion, exact
    rational comparisons for the traffic and the occupancy cap)."""
    getcontext().prec = 50
    a_exact = Fraction(contacts * aht, interval)
    if a_exact == 0:
        return 0, Decimal(1)
    goal = Decimal(sl)
    a = Decimal(contacts * aht) / Decimal(interval)
    b = Decimal(1)
    n = 0
    while True:
        n += 1
        b = a * b / (n + a * b)
        if n <= a_exact or a_exact / n > Fraction(max_occ):
            continue
        c = n * b / (n - a * (1 - b))
        level = 1 - c * (-(n - a) * Decimal(target) / Decimal(aht)).exp()
        if level >= goal:
            return n, level


def test_published_example_85_percent_occupancy():
    r = requirement(100, 180, 1800, service_level=0.8, target_seconds=20, max_occupancy=0.85)
    assert int(r.agents) == 14
    assert float(r.service_level) == pytest.approx(0.888, abs=5e-4)
    assert float(r.occupancy) == pytest.approx(0.714, abs=5e-4)
    assert int(staff_for_agents(r.agents, 0.3)) == 20


def test_published_example_70_percent_occupancy():
    r = requirement(100, 180, 1800, service_level=0.8, target_seconds=20, max_occupancy=0.70)
    assert int(r.agents) == 15
    assert int(staff_for_agents(r.agents, 0.3)) == 22


def test_reverse_calculation_of_the_example():
    assert float(service_level(100, 180, 1800, 14, 20)) == pytest.approx(0.8884, abs=1e-4)
    assert float(service_level(100, 180, 1800, 13, 20)) < 0.8
    assert float(occupancy(100, 180, 1800, 14)) == pytest.approx(10 / 14)
    # P(wait) for A = 10, n = 14 and the ASA that follows from it.
    p = float(erlang_c(10.0, 14))
    assert float(asa_seconds(100, 180, 1800, 14)) == pytest.approx(p * 180 / 4)


def test_floating_point_never_adds_an_agent():
    assert ceil_tolerant(9.8 / 0.7) == 14
    assert ceil_tolerant(21 / 0.7) == 30
    assert list(staff_for_agents([14, 21, 7], [0.3, 0.3, 0.3])) == [20, 30, 10]
    # Occupancy cap exactly on a whole number: 7 Erlangs at 70% need 10, not 11.
    r = requirement(70, 180, 1800, service_level=0.01, target_seconds=0, max_occupancy=0.7)
    assert int(r.agents) == 10


def test_zero_contacts_need_zero_agents():
    r = requirement([0, 0], [180, 0], 1800, service_level=0.8, target_seconds=20,
                    max_occupancy=0.85)
    assert list(r.agents) == [0, 0]
    assert list(r.service_level) == [1.0, 1.0]
    assert list(r.occupancy) == [0.0, 0.0]
    assert float(fractional_agents(0, 180, 1800, service_level=0.8, target_seconds=20)) == 0


def test_at_or_below_traffic_the_queue_never_clears():
    assert float(service_level(100, 180, 1800, 10, 20)) == 0.0
    assert np.isinf(asa_seconds(100, 180, 1800, 9.5))
    assert float(erlang_c(10.0, 10)) == 1.0
    assert float(occupancy(100, 180, 1800, 8)) == 1.0


def test_vectorised_matches_one_by_one_and_broadcasts():
    contacts = np.array([[5, 50], [500, 2000]])
    out = agents_needed(contacts, 240, 1800, service_level=0.8, target_seconds=20,
                        max_occupancy=0.9)
    assert out.shape == (2, 2)
    for idx in np.ndindex(2, 2):
        single = agents_needed(int(contacts[idx]), 240, 1800, service_level=0.8,
                               target_seconds=20, max_occupancy=0.9)
        assert int(single) == out[idx]


def test_asa_target():
    r = requirement(100, 180, 1800, asa_seconds=10.0)
    n = int(r.agents)
    assert float(asa_seconds(100, 180, 1800, n)) <= 10.0 < float(asa_seconds(100, 180, 1800, n - 1))


def test_fractional_agents_just_meet_the_target():
    r = requirement([100, 400, 3], 180, 1800, service_level=0.8, target_seconds=20)
    for x, n in zip(r.fractional_agents, r.agents, strict=True):
        assert n - 1 < x <= n
    # The interpolated service level at the fractional agents is the target itself.
    sl = service_level([100, 400, 3], 180, 1800, r.fractional_agents, 20)
    assert np.allclose(sl, 0.8, atol=1e-12)
    occ_bound = fractional_agents(100, 180, 1800, service_level=0.5, target_seconds=0,
                                  max_occupancy=0.7)
    assert float(occ_bound) == pytest.approx(10 / 0.7)


def test_large_interval_has_no_overflow_and_matches_reference():
    r = requirement(20_000, 180, 1800, service_level=0.8, target_seconds=20, max_occupancy=1.0)
    n, level = reference_requirement(20_000, 180, 1800, "0.8", 20, "1")
    assert int(r.agents) == n
    assert float(r.service_level) == pytest.approx(float(level), abs=1e-10)
    b = erlang_b_integer(np.array([2000.0, 5000.0]), np.array([4000, 4000]))
    assert np.all(np.isfinite(b)) and b[0] < 1e-100 and 0 < b[1] < 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    contacts=st.integers(0, 20_000),
    aht=st.integers(5, 900),
    interval=st.sampled_from([900, 1800, 3600]),
    sl=st.sampled_from(["0.5", "0.8", "0.9", "0.95", "0.99"]),
    target=st.integers(0, 120),
    max_occ=st.sampled_from(["0.7", "0.85", "1"]),
)
def test_agrees_with_arbitrary_precision_reference(contacts, aht, interval, sl, target, max_occ):
    r = requirement(contacts, aht, interval, service_level=float(sl), target_seconds=target,
                    max_occupancy=float(max_occ))
    n, level = reference_requirement(contacts, aht, interval, sl, target, max_occ)
    assert int(r.agents) == n
    assert float(r.service_level) == pytest.approx(float(level), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    contacts=st.integers(1, 3000),
    aht=st.floats(10, 900),
    agents=st.integers(0, 400),
    target=st.floats(0, 120),
)
def test_more_agents_never_lower_the_service_level(contacts, aht, agents, target):
    sl = service_level(contacts, aht, 1800, [agents, agents + 1, agents + 1.5], target)
    assert sl[0] <= sl[1] + 1e-12 <= sl[2] + 2e-12


@settings(max_examples=60, deadline=None)
@given(
    contacts=st.integers(0, 5000),
    aht=st.floats(1, 1200),
    sl=st.floats(0.05, 0.99),
    target=st.floats(0, 300),
)
def test_requirement_is_never_below_the_traffic_intensity(contacts, aht, sl, target):
    r = requirement(contacts, aht, 1800, service_level=sl, target_seconds=target)
    traffic = contacts * aht / 1800
    assert r.agents >= traffic
    assert r.fractional_agents >= traffic - 1e-9
    if contacts:
        assert r.agents > traffic


def test_bad_inputs_are_refused():
    with pytest.raises(ErlangInputError, match="service_level"):
        agents_needed(10, 180, 1800, service_level=1.0, target_seconds=20)
    with pytest.raises(ErlangInputError, match="aht_seconds"):
        agents_needed(10, -1, 1800, service_level=0.8, target_seconds=20)
    with pytest.raises(ErlangInputError, match="shrinkage"):
        staff_for_agents(10, 1.0)
    with pytest.raises(ValueError, match="target"):
        agents_needed(10, 180, 1800)


def test_formula_matches_simulated_service_level():
    """Seeded M/M/n simulation: the Erlang C service level within 2 points."""
    sims = [simulate_voice(100 / 1800, 180, 14, 20, contacts=80_000, seed=s)
            for s in (1, 2)]
    simulated = np.mean([s["service_level"] for s in sims])
    assert simulated == pytest.approx(float(service_level(100, 180, 1800, 14, 20)), abs=0.02)
    simulated_asa = np.mean([s["asa_seconds"] for s in sims])
    assert simulated_asa == pytest.approx(float(asa_seconds(100, 180, 1800, 14)), rel=0.25)
