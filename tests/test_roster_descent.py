"""The descent from a start roster (`scheduling.roster.descent`): one agent at a time
until no week improves alone; never worse than its start, repeatable, and the same
roster as re-solving every agent on every pass; and scenario rosters that skip the
bound's CP-SAT search."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from roster_helpers import START, TWO_QUEUES, under_of

import scheduling.roster.descent as descent
from scheduling.roster.checker import check_roster
from scheduling.roster.construct import construct_roster
from scheduling.roster.solve import build_problem, solve_roster
from scheduling.roster.synthetic import (
    synthetic_agents,
    synthetic_requirements,
)
from scheduling.roster.templates import shift_settings

SETTINGS = TWO_QUEUES
MIX = [(("sales",), 0.4), (("service",), 0.4), (("sales", "service"), 0.2)]


def _inputs(demand: float) -> tuple[pd.DataFrame, list, object]:
    queues = {"sales": (480, 1320, 6.0 * demand), "service": (480, 1320, 5.0 * demand)}
    req = synthetic_requirements(queues, start=START, seed=3)
    return req, synthetic_agents(24, MIX, seed=3), shift_settings(SETTINGS, "test")


def test_descent_improves_a_start_for_other_requirements_and_repeats():
    req, team, st = _inputs(1.0)
    first = build_problem(req, team, st).problem
    start, _ = construct_roster(first, 5.0, seed=0, max_passes=1)
    # the scenario: sales 40% busier, service 30% quieter; two agents to plan
    busier = req.assign(staff=req["staff"].where(req["queue"] != "sales", req["staff"] * 1.4)
                        .where(req["queue"] != "service", req["staff"] * 0.7))
    problem = build_problem(busier, team, st).problem
    given = [None, None, *start[2:]]
    weeks, passes = descent.descend(problem, given, seed=0)
    assert passes >= 1 and all(w is not None for w in weeks)
    as_given = [w if w is not None else [None] * problem.days for w in given]
    assert under_of(problem, weeks) < under_of(problem, as_given)
    again, _ = descent.descend(problem, given, seed=0)
    assert again == weeks
    # skipping agents whose view did not change gives what solving them all gives
    full, _ = descent.descend(problem, given, seed=0, skip_unchanged=False)
    assert full == weeks


def test_a_start_is_not_split_by_team():
    req, team, st = _inputs(1.0)
    team = [replace(a, team=f"T{i % 2}") for i, a in enumerate(team)]
    split = solve_roster(req, team, st, time_limit=1, seed=0, max_agents=10)
    assert "team" in split.decomposition
    warm = solve_roster(req, team, st, time_limit=1, seed=0, max_agents=10,
                        start=split.roster)
    assert "from the start roster" in warm.decomposition
    assert not check_roster(warm.roster, team, st, start=START, days=7)


def test_skipping_the_bound_search_keeps_the_roster():
    """`bound_search=False` (scenario rosters) spends no time in CP-SAT on the pooled
    model but keeps the budgets: the same roster, a bound no roster beats."""
    req, team, st = _inputs(1.3)
    searched = solve_roster(req, team, st, time_limit=2, seed=0, bound_share=0.1)
    lp_only = solve_roster(req, team, st, time_limit=2, seed=0, bound_share=0.1,
                           bound_search=False)
    pd.testing.assert_frame_equal(searched.roster, lp_only.roster)
    assert 0 < lp_only.under_bound <= searched.under_weighted
