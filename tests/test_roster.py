"""End-to-end rosters: seeded feasibility on the sample team, determinism, infeasibility
naming, input errors and the `wfm roster` command. Every roster goes through the checker."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planning.cli import main
from scheduling.frames import ROSTER_COLUMNS
from scheduling.roster.checker import check_roster
from scheduling.roster.coverage import roster_coverage
from scheduling.roster.errors import RosterInfeasibleError, RosterInputError
from scheduling.roster.inputs import Agent, read_agents
from scheduling.roster.solve import solve_roster
from scheduling.roster.synthetic import synthetic_requirements
from scheduling.roster.templates import read_shifts, shift_settings

START = "2026-10-19"
SAMPLE_QUEUES = {"presales_chat": (480, 1440, 12.0), "aftersales_chat": (480, 1440, 9.0),
                 "order_hotline": (540, 1260, 9.0), "email": (480, 1200, 3.0)}


@pytest.fixture(scope="module")
def sample(sample_dir: Path):
    agents = read_agents(sample_dir / "agents.csv")
    shifts = read_shifts(sample_dir / "shifts.yaml")
    req = synthetic_requirements(SAMPLE_QUEUES, start=START, seed=3)
    return req, agents, shifts


@pytest.fixture(scope="module")
def sample_result(sample):
    # about 55 s on the 2-core machine: every test that uses it is marked slow
    req, agents, shifts = sample
    return solve_roster(req, agents, shifts, time_limit=8, seed=7)


@pytest.mark.slow
def test_sample_team_gets_a_feasible_roster(sample, sample_result):
    req, agents, shifts = sample
    r = sample_result
    assert list(r.roster.columns) == list(ROSTER_COLUMNS)
    assert check_roster(r.roster, agents, shifts, START, 7) == []
    assert r.status in {"feasible", "optimal"}
    # full-timers work their contract: five 8-hour paid days
    full = {a.agent_id for a in agents if a.shifts == ("full_time",)}
    days = r.roster[r.roster["agent_id"].isin(full)].groupby("agent_id").size()
    assert (days == 5).all() and len(days) == len(full)
    # the bound never exceeds the roster's own shortfall (the days before the week no
    # longer leave Monday short: the sample's previous-week days off rotate)
    assert 0 <= r.under_bound <= r.under_weighted + 1e-6
    assert 0 <= r.gap < 1
    assert r.decomposition.startswith("agent by agent") and r.parts == []
    # a real roster covers most of the need
    need = r.coverage["required"].sum()
    assert r.coverage["under"].sum() < 0.2 * need


@pytest.mark.slow
def test_coverage_matches_the_roster_frame(sample, sample_result):
    req, _, _ = sample
    again = roster_coverage(sample_result.roster, req, "staff")
    pd.testing.assert_frame_equal(again, sample_result.coverage.drop(columns="open"))
    one = sample_result.roster.iloc[0]
    assert one["breaks"].count(";") == (2 if one["shift"] == "full_time" else 0)


@pytest.mark.slow
def test_same_seed_same_roster():
    st = shift_settings({
        "queues": {"q": {"open": "08:00", "close": "22:00"}},
        "templates": {"day": {"earliest_start": "08:00", "latest_start": "14:00",
                              "start_step": 60, "lengths": ["8:00"],
                              "breaks": [{"length": 30, "window": ["3:00", "5:00"]}]}},
    }, "test")
    req = synthetic_requirements({"q": (480, 1320, 4.0)}, start=START, seed=1)
    agents = [Agent(f"A{i}", f"A{i}", ("q",), 32, 40, 5) for i in range(5)]
    one = solve_roster(req, agents, st, time_limit=1, seed=3)
    two = solve_roster(req, agents, st, time_limit=1, seed=3)
    pd.testing.assert_frame_equal(one.roster, two.roster)
    assert check_roster(one.roster, agents, st, START, 7) == []


@pytest.mark.slow
def test_conflicting_rules_name_the_agent_and_rules(sample):
    req, agents, shifts = sample
    bad = Agent("X1", "Stuck", ("presales_chat",), 40, 40, 5,
                unavailable=("mon", "tue", "wed"))
    with pytest.raises(RosterInfeasibleError) as err:
        solve_roster(req, agents[:5] + [bad], shifts, time_limit=3)
    assert list(err.value.conflicts) == ["X1"]
    assert set(err.value.conflicts["X1"]) >= {"contract_hours", "unavailable_days_off"}
    assert "X1" in str(err.value)


def test_bad_inputs_say_where(sample, tmp_path):
    req, agents, shifts = sample
    with pytest.raises(RosterInputError, match="queues \\['chat'\\]"):
        solve_roster(req.replace({"queue": {"email": "chat"}}), agents, shifts,
                     time_limit=1)
    with pytest.raises(RosterInputError, match="missing columns \\['staff'\\]"):
        solve_roster(req.drop(columns="staff"), agents, shifts, time_limit=1)
    csv = tmp_path / "agents.csv"
    csv.write_text("agent_id,name,queues,min_hours_week,max_hours_week,max_days_week,"
                   "unavailable\nA1,Ann,presales_chat,40,30,5,\n")
    with pytest.raises(RosterInputError, match="row 2 \\(A1\\)"):
        read_agents(csv)
    yml = tmp_path / "shifts.yaml"
    yml.write_text("queues: {q: {open: '08:00', close: '20:00'}}\n"
                   "templates: {t: {earliest_start: '8am', latest_start: '09:00', "
                   "lengths: [480]}}\n")
    with pytest.raises(RosterInputError, match="templates.t.earliest_start"):
        read_shifts(yml)


@pytest.mark.slow
def test_wfm_roster_command(tmp_path, capsys, sample_dir):
    req = synthetic_requirements({"presales_chat": (480, 1440, 3.0)}, start=START, seed=2)
    req_path = tmp_path / "requirements.csv"
    req.to_csv(req_path, index=False)
    agents = pd.read_csv(sample_dir / "agents.csv", dtype=str, keep_default_na=False)
    agents = agents[agents["queues"] == "presales_chat"].head(10)
    agents_path = tmp_path / "agents.csv"
    agents.to_csv(agents_path, index=False)
    out = tmp_path / "roster.csv"
    code = main(["roster", str(req_path), "--agents", str(agents_path), "--shifts",
                 str(sample_dir / "shifts.yaml"), "--time-limit", "3", "-o", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "presales_chat" in text and "lower bound" in text
    roster = pd.read_csv(out)
    assert list(roster.columns) == list(ROSTER_COLUMNS) and len(roster) > 0
    assert check_roster(roster, read_agents(agents_path), read_shifts(
        sample_dir / "shifts.yaml"), START, 7) == []
    assert main(["roster", str(req_path), "--time-limit", "1", "-o", str(out)]) == 2
