"""Starting a roster from another one (a scenario from its base plan's roster), and the
agent-by-agent construction cut short by its deadline: both still give rosters that
pass the independent checker."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from scheduling.roster.checker import check_roster
from scheduling.roster.construct import construct_roster, hard_signature
from scheduling.roster.inputs import Agent
from scheduling.roster.model import ModelContext, hint_weeks
from scheduling.roster.solve import build_problem, solve_roster, start_weeks
from scheduling.roster.synthetic import (
    STANDARD_SHIFTS,
    synthetic_agents,
    synthetic_requirements,
)
from scheduling.roster.templates import shift_settings

START = "2026-11-02"
QUEUES = {"sales": (480, 1320, 6.0), "service": (480, 1320, 5.0)}
SETTINGS = {**STANDARD_SHIFTS,
            "queues": {"sales": {"open": "08:00", "close": "22:00"},
                       "service": {"open": "08:00", "close": "22:00"}}}
MIX = [(("sales",), 0.4), (("service",), 0.4), (("sales", "service"), 0.2)]


def _inputs(n: int = 24, demand: float = 1.0) -> tuple[pd.DataFrame, list[Agent], object]:
    queues = {q: (o, c, p * demand) for q, (o, c, p) in QUEUES.items()}
    req = synthetic_requirements(queues, start=START, seed=3)
    return req, synthetic_agents(n, MIX, seed=3), shift_settings(SETTINGS, "test")


def test_start_roster_is_read_back_week_for_week():
    req, team, st = _inputs()
    first = solve_roster(req, team, st, time_limit=2, seed=0)
    build = build_problem(req, team, st)
    weeks = start_weeks(build, first.roster, team, st)
    assert all(w is not None for w in weeks)
    worked = sum(pick is not None for w in weeks for pick in w)
    assert worked == len(first.roster)
    # an agent whose shift is moved off the template's grid is planned afresh
    moved = first.roster.copy()
    row = moved.index[moved["agent_id"] == team[0].agent_id][0]
    moved.loc[row, "start"] = pd.Timestamp(moved.loc[row, "start"]) + pd.Timedelta(minutes=7)
    again = start_weeks(build, moved, team, st)
    assert again[0] is None and all(w is not None for w in again[1:])


@pytest.mark.slow
def test_scenario_start_from_base_roster_keeps_rules_and_does_not_lose_cover():
    req, team, st = _inputs()
    base = solve_roster(req, team, st, time_limit=2, seed=0)
    # the scenario: 20% more contacts, one agent gone, two new ones
    busier = req.assign(staff=req["staff"] * 1.2)
    extra = synthetic_agents(2, MIX, seed=9)
    new_team = team[1:] + [Agent(f"N{i}", f"New {i}", a.queues, a.min_hours_week,
                                 a.max_hours_week, a.max_days_week, shifts=a.shifts)
                           for i, a in enumerate(extra)]
    result = solve_roster(busier, new_team, st, time_limit=2, seed=0, start=base.roster)
    assert "from the start roster" in result.decomposition
    assert "23 of 25 agents' weeks, 2 planned" in result.decomposition
    assert not check_roster(result.roster, new_team, st, start=START, days=7)
    assert set(result.roster["agent_id"]) <= {a.agent_id for a in new_team}
    assert {"N0", "N1"} <= set(result.roster["agent_id"])
    # never worse than the start it was given, on the scenario's requirements
    kept = base.roster[base.roster["agent_id"] != team[0].agent_id]
    as_given = solve_roster(busier, new_team, st, time_limit=0.1, seed=0, start=kept,
                            lns_share=0.0, bound_share=0.0)
    assert result.under_weighted <= as_given.under_weighted + 1e-9


def test_construct_past_its_deadline_copies_twins_and_stays_feasible():
    req, team, st = _inputs(n=30)
    problem = build_problem(req, team, st).problem
    weeks, passes = construct_roster(problem, 60.0, seed=0, max_passes=3,
                                     deadline=time.monotonic() - 1)
    assert passes == 1 and all(w is not None for w in weeks)
    signatures = [hard_signature(problem, a) for a in range(len(problem.agents))]
    first_of = {}
    for a, sig in enumerate(signatures):
        first_of.setdefault(sig, a)
    assert len(first_of) < len(signatures)  # the team has twins to copy from
    assert all(weeks[a] == weeks[first_of[sig]] for a, sig in enumerate(signatures))
    assert hint_weeks(ModelContext(problem), weeks) is not None  # every hard rule holds


@pytest.mark.slow
def test_large_team_small_limit_returns_a_valid_roster():
    # 300 agents at a 2 s limit: the construction alone would outlast its deadline
    req, team, st = _inputs(n=300, demand=12.0)
    result = solve_roster(req, team, st, time_limit=2, seed=0, max_agents=400)
    assert result.roster["agent_id"].nunique() > 250
    assert not check_roster(result.roster, team, st, start=START, days=7)
    assert result.time_limit == 2 and result.cap_seconds == 14
    assert result.seconds > 0 and isinstance(result.over_cap, bool)
