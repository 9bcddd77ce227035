"""Large rosters in parts: independent queue groups are solved apart (and say so), big
groups team by team; every roster still passes the checker."""

from __future__ import annotations

import pytest

from scheduling.roster.checker import check_roster
from scheduling.roster.decompose import queue_groups
from scheduling.roster.inputs import Agent
from scheduling.roster.solve import build_problem, solve_roster
from scheduling.roster.synthetic import synthetic_requirements
from scheduling.roster.templates import shift_settings

START = "2026-10-19"
SETTINGS = {
    "queues": {q: {"open": "08:00", "close": "20:00"} for q in ("a", "b", "c")},
    "templates": {"day": {"earliest_start": "08:00", "latest_start": "12:00", "start_step": 60,
                          "lengths": ["8:00"],
                          "breaks": [{"length": 30, "window": ["3:00", "5:00"]}]}},
    "rules": {"fairness": False},
}


def agents() -> list[Agent]:
    skills = [("a",), ("b",), ("a", "b"), ("c",)]
    return [Agent(f"A{i:02d}", f"A{i}", skills[i % 4], 24, 40, 5, team=f"T{i % 2}")
            for i in range(12)]


def test_queue_groups_follow_shared_skills():
    st = shift_settings(SETTINGS, "test")
    req = synthetic_requirements({q: (480, 1200, 2.0) for q in "abc"}, start=START, seed=1)
    problem = build_problem(req, agents(), st).problem
    groups = [[problem.agents[a].agent_id for a in g] for g in queue_groups(problem)]
    assert groups == [[f"A{i:02d}" for i in range(12) if i % 4 != 3],
                      [f"A{i:02d}" for i in range(12) if i % 4 == 3]]


@pytest.mark.slow
def test_independent_queue_groups_are_solved_apart_and_say_so():
    st = shift_settings(SETTINGS, "test")
    req = synthetic_requirements({q: (480, 1200, 2.0) for q in "abc"}, start=START, seed=1)
    team = agents()
    r = solve_roster(req, team, st, time_limit=3, seed=0)
    assert check_roster(r.roster, team, st, START, 7) == []
    assert r.decomposition.startswith("by queue group")
    assert [(p["queues"], p["agents"]) for p in r.parts] == [(["a", "b"], 9), (["c"], 3)]
    assert 0 <= r.under_bound <= r.under_weighted
    # queue c is served only by its own three agents
    assert set(r.roster.loc[r.roster["queue"] == "c", "agent_id"]) <= {"A03", "A07", "A11"}
    again = solve_roster(req, team, st, time_limit=3, seed=0)
    assert again.roster.equals(r.roster)


@pytest.mark.slow
def test_big_queue_groups_are_split_by_team():
    st = shift_settings(SETTINGS, "test")
    req = synthetic_requirements({q: (480, 1200, 2.0) for q in "abc"}, start=START, seed=1)
    team = agents()
    r = solve_roster(req, team, st, time_limit=3, seed=0, max_agents=4)
    assert check_roster(r.roster, team, st, START, 7) == []
    assert r.decomposition.startswith("by queue group and team")
    assert [(p["queues"], p["team"], p["agents"]) for p in r.parts] == [
        (["a", "b"], "T0", 6), (["a", "b"], "T1", 3), (["c"], None, 3)]
    assert 0 <= r.under_bound <= r.under_weighted
    # the summary's under-staffing is the roster's own, recounted from the frame
    assert abs(r.under_hours - r.coverage.loc[r.coverage["open"], "under"].sum() * 0.25) < 1e-6


@pytest.mark.slow
def test_wfm_roster_prints_the_parts(tmp_path, capsys):
    import yaml

    from planning.cli import main
    from scheduling.roster.synthetic import agents_frame

    req = synthetic_requirements({q: (480, 1200, 2.0) for q in "abc"}, start=START, seed=1)
    req.to_csv(tmp_path / "req.csv", index=False)
    agents_frame(agents()).to_csv(tmp_path / "agents.csv", index=False)
    (tmp_path / "shifts.yaml").write_text(yaml.safe_dump(SETTINGS))
    code = main(["roster", str(tmp_path / "req.csv"), "--agents", str(tmp_path / "agents.csv"),
                 "--shifts", str(tmp_path / "shifts.yaml"), "--time-limit", "2",
                 "-o", str(tmp_path / "roster.csv")])
    assert code == 0
    out = capsys.readouterr().out
    assert "by queue group" in out
    assert "part: queues a+b: 9 agents" in out and "part: queues c: 3 agents" in out
