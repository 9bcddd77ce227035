"""The lower bound on under-staffing is a true bound: never above any roster found, never
above the proven optimum of a tiny instance, and the LP relaxation it starts from
matches an LP worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from ortools.sat.python import cp_model

from scheduling.roster.bound import under_staffing_bound
from scheduling.roster.checker import check_roster
from scheduling.roster.inputs import Agent
from scheduling.roster.lp import lp_relaxation, proven_bound
from scheduling.roster.model import ModelContext
from scheduling.roster.objective import objective_terms
from scheduling.roster.solve import build_problem, solve_roster
from scheduling.roster.synthetic import synthetic_requirements
from scheduling.roster.templates import shift_settings

START = "2026-10-19"

SETTINGS = {
    "queues": {"a": {"open": "08:00", "close": "22:00", "priority": 2},
               "b": {"open": "09:00", "close": "21:00"}},
    "templates": {"day": {"earliest_start": "08:00", "latest_start": "14:00", "start_step": 60,
                          "lengths": ["8:00"],
                          "breaks": [{"length": 30, "window": ["3:00", "5:00"],
                                      "paid": False}]},
                  "short": {"earliest_start": "10:00", "latest_start": "17:00",
                            "start_step": 60, "lengths": ["4:00"]}},
    "rules": {"min_rest_hours": 11, "max_consecutive_days": 5, "min_consecutive_days_off": 2,
              "days_off_per_week": 2, "max_late_shifts_per_week": 2, "fairness": False},
}


def team(n: int) -> list[Agent]:
    skills = [("a",), ("b",), ("a", "b")]
    return [Agent(f"A{i}", f"A{i}", skills[i % 3], 16 if i % 2 else 30, 40, 5,
                  shifts=("short",) if i % 4 == 3 else ("day",)) for i in range(n)]


def test_lp_relaxation_matches_a_hand_worked_lp():
    # min 3x + 2y  s.t. x + y >= 1.5, x - y <= 0.5 (as integers: 2x+2y >= 3), x, y in [0, 4]
    m = cp_model.CpModel()
    x, y = m.NewIntVar(0, 4, "x"), m.NewIntVar(0, 4, "y")
    m.Add(2 * x + 2 * y >= 3)
    b = m.NewBoolVar("b")
    m.AddBoolOr([b])  # a clause: b must hold
    m.Add(x >= 1).OnlyEnforceIf(b.Not())  # gated: dropped by the relaxation
    m.Minimize(3 * x + 2 * y + 5 * b)
    value, values = lp_relaxation(m)
    assert value == pytest.approx(2 * 1.5 + 5)  # y = 1.5, x = 0, b = 1
    assert values[y.Index()] == pytest.approx(1.5)
    assert proven_bound(value) == 8
    solver = cp_model.CpSolver()
    assert solver.Solve(m) == cp_model.OPTIMAL and solver.ObjectiveValue() >= value


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_bound_never_exceeds_a_roster_found(seed):
    st = shift_settings(SETTINGS, "test")
    req = synthetic_requirements({"a": (480, 1320, 4.5), "b": (540, 1260, 3.0)},
                                 start=START, seed=seed)
    agents = team(7)
    r = solve_roster(req, agents, st, time_limit=2, seed=seed)
    assert check_roster(r.roster, agents, st, START, 7) == []
    assert 0 < r.under_bound <= r.under_weighted
    problem = build_problem(req, agents, st).problem
    lp_only = under_staffing_bound(problem, 0.0)
    assert 0 < lp_only <= r.under_weighted
    assert under_staffing_bound(problem, 2.0, seed=seed) >= lp_only


@pytest.mark.slow
def test_bound_does_not_exceed_the_optimum_of_a_tiny_instance():
    st = shift_settings(SETTINGS, "test")
    req = synthetic_requirements({"a": (480, 1080, 2.5)}, start=START, days=7, seed=5)
    agents = [Agent(f"T{i}", f"T{i}", ("a",), 16, 40, 5, shifts=("day",)) for i in range(3)]
    problem = build_problem(req, agents, st).problem
    ctx = ModelContext(problem)
    terms = objective_terms(ctx)
    ctx.model.Minimize(sum(v * w for v, w in terms["under"]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 60
    assert solver.Solve(ctx.model) == cp_model.OPTIMAL
    optimum = solver.ObjectiveValue()
    bound = under_staffing_bound(problem, 3.0)
    assert 0 < bound <= optimum
    r = solve_roster(req, agents, st, time_limit=3, seed=0)
    assert r.under_bound <= optimum <= r.under_weighted


@pytest.mark.slow
def test_days_before_the_week_restrict_the_bound_as_the_rules_do():
    from scheduling.roster.bound import _allowed_options

    st = shift_settings({**SETTINGS, "rules": {**SETTINGS["rules"], "max_consecutive_days": 6,
                                                "min_consecutive_days_off": 2}}, "test")
    req = synthetic_requirements({"a": (480, 1320, 3.0)}, start=START, seed=2)

    def shifts(days: list[int], start: str = "08:00", end: str = "16:00") -> tuple:
        day0 = pd.Timestamp(START)
        return tuple((day0 - pd.Timedelta(days=d) + pd.Timedelta(start + ":00"),
                      day0 - pd.Timedelta(days=d) + pd.Timedelta(end + ":00")) for d in days)

    six = Agent("S", "S", ("a",), 0, 40, 5, shifts=("day",), previous_shifts=shifts([1, 2, 3,
                                                                                        4, 5, 6]))
    short_off = Agent("O", "O", ("a",), 0, 40, 5, shifts=("day",),
                      previous_shifts=shifts([2, 3]))  # off on Sunday only
    late = Agent("L", "L", ("a",), 0, 40, 5, shifts=("day",),
                 previous_shifts=shifts([1], "14:00", "23:00"))
    problem = build_problem(req, [six, short_off, late], st).problem
    allowed = [_allowed_options(problem, spec) for spec in problem.agents]
    assert allowed[0][0] == [] and allowed[0][1]  # the 7th day in a row is off
    assert allowed[1][0] == [] and allowed[1][1]  # one day off is too short a run
    first_start = min(o.start for o in allowed[2][0]) % 1440
    assert first_start == 10 * 60  # 23:00 + 11 h rest
    r = solve_roster(req, [six, short_off, late], st, time_limit=3, seed=0)
    assert check_roster(r.roster, [six, short_off, late], st, START, 7) == []
    assert 0 < r.under_bound <= r.under_weighted
    assert under_staffing_bound(problem, 0.0) <= r.under_weighted
