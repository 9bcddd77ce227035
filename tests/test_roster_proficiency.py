"""Agents at a proficiency below 1 in a queue: the roster, its coverage and the projection
count them at that share; at 1 the roster is exactly the one without proficiencies; bad
proficiencies are refused naming file, row and column (library, CLI, app)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from capacity_helpers import agent as _agent
from capacity_helpers import requirements as _requirements
from capacity_helpers import settings as _settings
from capacity_helpers import shifts as _shifts

from planning.capacity import recommended_team
from planning.cli import main
from planning.team import read_agents_file
from scheduling.capacity import CrossSkillLever, Levers, OutsourcerLever, goal_seek
from scheduling.projection import project
from scheduling.roster.checker import check_roster
from scheduling.roster.coverage import roster_coverage
from scheduling.roster.errors import RosterInputError
from scheduling.roster.inputs import agents_from_frame, proficiency_table
from scheduling.roster.solve import build_problem, solve_roster
from scheduling.roster.synthetic import synthetic_requirements
from scheduling.roster.templates import shift_settings

DAY = "2026-10-19"
ONE_SHIFT = shift_settings({
    "queues": {"q": {"open": "08:00", "close": "16:00"}},
    "templates": {"day": {"earliest_start": "08:00", "latest_start": "08:00",
                          "lengths": ["8:00"]}},
}, "test")
ONE_NEEDED = pd.DataFrame({"queue": "q", "staff": 1.0, "interval_start": pd.date_range(
    f"{DAY} 08:00", periods=8, freq="h")})


def _team(rows: list[tuple[str, str]], queues: str = "q") -> list:
    return agents_from_frame(pd.DataFrame([
        {"agent_id": a, "name": a, "queues": queues, "min_hours_week": "0",
         "max_hours_week": "40", "max_days_week": "5", "unavailable": "", "proficiency": p}
        for a, p in rows]))


@pytest.mark.parametrize(("rows", "working", "scheduled", "under"), [
    ([("B", "q=0.5")], {"B"}, 0.5, 0.5),                       # half an agent: half short
    ([("B", "q=0.5"), ("C", "q=0.5")], {"B", "C"}, 1.0, 0.0),  # two halves make one
    ([("A", ""), ("B", "q=0.5"), ("C", "q=0.5")], {"A"}, 1.0, 0.0),  # one full: fewer hours
    ([("B", ""), ("C", "")], {"B"}, 1.0, 0.0),                 # at 1 one of them is enough
])
def test_two_agents_at_half_cover_what_one_full_agent_covers(rows, working, scheduled, under):
    team = _team(rows)
    result = solve_roster(ONE_NEEDED, team, ONE_SHIFT, time_limit=2, seed=1)
    assert set(result.roster["agent_id"]) == working
    assert check_roster(result.roster, team, ONE_SHIFT, DAY, 1) == []
    cov = result.coverage
    assert cov["scheduled"].tolist() == pytest.approx([scheduled] * 8)
    assert cov["under"].tolist() == pytest.approx([under] * 8)
    assert (result.under_weighted > 0) == (under > 0)
    # the coverage read back from the roster frame alone says the same
    again = roster_coverage(result.roster, ONE_NEEDED, "staff", {
        (a.agent_id, q): v for a in team for q, v in a.proficiency})
    pd.testing.assert_frame_equal(again, cov.drop(columns="open"))


def test_all_at_one_is_exactly_the_roster_without_proficiencies():
    st = shift_settings({
        "queues": {"q": {"open": "08:00", "close": "22:00"},
                   "r": {"open": "08:00", "close": "22:00"}},
        "templates": {"day": {"earliest_start": "08:00", "latest_start": "14:00",
                              "start_step": 60, "lengths": ["8:00"],
                              "breaks": [{"length": 30, "window": ["3:00", "5:00"]}]}},
    }, "test")
    req = synthetic_requirements({"q": (480, 1320, 3.0), "r": (480, 1320, 2.0)}, start=DAY,
                                 seed=1)
    rows = [(f"A{i}", "") for i in range(4)]
    plain = _team(rows, "q;r")
    ones = _team([(a, "q=1;r=1.0") for a, _ in rows], "q;r")
    assert all(a.proficiency == () for a in ones)
    built, built_ones = (build_problem(req, t, st) for t in (plain, ones))
    assert built_ones.problem.cover_scale == 1
    assert built_ones.problem.cells == built.problem.cells
    assert built_ones.problem.agents == built.problem.agents
    one = solve_roster(req, plain, st, time_limit=0.5, seed=3)
    two = solve_roster(req, ones, st, time_limit=0.5, seed=3)
    pd.testing.assert_frame_equal(one.roster, two.roster)
    pd.testing.assert_frame_equal(one.coverage, two.coverage)
    assert (one.under_weighted, one.under_bound) == (two.under_weighted, two.under_bound)
    # one agent below 1: the others keep their options' keys, the scale is 100
    mixed = build_problem(req, _team([("A0", "q=0.7"), *rows[1:]], "q;r"), st).problem
    assert mixed.cover_scale == 100
    assert [c.requirement for c in mixed.cells] == [100 * c.requirement
                                                    for c in built.problem.cells]
    assert mixed.agents[1].options == [[o.__class__(**{**o.__dict__, "weight": 100})
                                        for o in day] for day in built.problem.agents[1].options]
    keys = {o.key: o.weight for day in mixed.agents[0].options for o in day}
    assert {w for k, w in keys.items() if k.split(":")[-1].startswith("q@")} == {70}
    assert {w for k, w in keys.items() if k.endswith(":r")} == {100}


@pytest.mark.parametrize(("value", "says"), [
    ("q=1.5", "q='1.5' is not a number above 0 and at most 1"),
    ("q=0", "q='0' is not a number above 0 and at most 1"),
    ("q=high", "q='high' is not a number above 0 and at most 1"),
    ("r=0.5", "'r' is not one of the agent's queues"),
    ("0.5", "'0.5' is not 'queue=share'"),
    ("q=0.5;q=0.6", "'q' is given twice"),
])
def test_bad_proficiency_is_refused_naming_row_and_column(tmp_path: Path, capsys, value, says):
    with pytest.raises(RosterInputError) as err:
        _team([("A1", "q=1"), ("A2", value)])
    assert "agents row 3 (A2), column proficiency: " + says in str(err.value)
    # the command line: the file, row and column, exit 2, no traceback
    text = ("agent_id,name,queues,min_hours_week,max_hours_week,max_days_week,unavailable,"
            f"proficiency\nA1,Ann,q,0,40,5,,\nA2,Bo,q,0,40,5,,{value}\n")
    agents = tmp_path / "agents.csv"
    agents.write_text(text)
    req = tmp_path / "req.csv"
    ONE_NEEDED.to_csv(req, index=False)
    shifts = tmp_path / "shifts.yaml"
    shifts.write_text("queues: {q: {open: '08:00', close: '16:00'}}\ntemplates: {day: "
                      "{earliest_start: '08:00', latest_start: '08:00', lengths: ['8:00']}}\n")
    assert main(["roster", str(req), "--agents", str(agents), "--shifts", str(shifts),
                 "--time-limit", "1", "-o", str(tmp_path / "roster.csv")]) == 2
    out = capsys.readouterr().err
    assert f"{agents} row 3 (A2), column proficiency: {says}" in out
    assert "Traceback" not in out
    # the app's agent list upload
    with pytest.raises(ValueError, match=r"team\.csv row 3 \(A2\), column proficiency"):
        read_agents_file(text.encode(), "team.csv", ["q"])


def test_projection_counts_agents_at_their_proficiency():
    settings = _settings()
    forecast = _requirements({"voice": 4, "chat": 4})[["queue", "interval_start", "contacts",
                                                       "aht_seconds"]]
    roster = pd.DataFrame([{"agent_id": f"A{i}", "date": "2026-11-11", "shift": "day",
                            "start": "2026-11-11 08:00", "end": "2026-11-11 16:00",
                            "queue": "voice", "breaks": ""} for i in range(2)])
    full = project(roster, forecast, settings)
    part = project(roster, forecast, settings, proficiency={"A1": {"voice": 0.5}})
    day = full["queue"].eq("voice") & full["contacts"].gt(0)
    assert full.loc[day, "scheduled"].to_numpy() == pytest.approx(
        part.loc[day, "scheduled"].to_numpy() / 0.75)  # 2 agents -> 1.5
    assert (part.loc[day, "service_level"] < full.loc[day, "service_level"] - 0.01).all()
    sim_full, sim_part = (project(roster, forecast, settings, simulate=True, seed=1,
                                  replications=3, proficiency=p)
                          for p in (None, {"A0": {"voice": 0.5}, "A1": {"voice": 0.5}}))
    assert (sim_part.loc[day, "occupancy"].mean()
            > sim_full.loc[day, "occupancy"].mean() + 0.05)  # slower hands are busier
    with pytest.raises(ValueError, match="proficiency of agent A1 in queue voice"):
        project(roster, forecast, settings, proficiency={"A1": {"voice": 1.5}})


def test_recommended_cross_skill_at_0_7_rosters_and_projects_below_1():
    """The capacity case where training the chat agent for voice is cheapest: the
    recommended team's agents.csv carries the cross-skill's proficiency, and the same team
    rostered and projected with it at 0.7 reaches a lower voice service level than at 1."""
    templates = {"day": {"earliest_start": "08:00", "latest_start": "12:00",
                         "start_step": 240, "lengths": ["4:00"]}}
    team = [_agent(1, hours=4), _agent(3, ("chat",), hours=4)]
    table = pd.DataFrame([{"agent_id": a.agent_id, "name": a.name, "queues": ";".join(a.queues),
                           "min_hours_week": "0", "max_hours_week": "4", "max_days_week": "5",
                           "unavailable": ""} for a in team])
    req = _requirements({"voice": 1})
    shifts = _shifts(templates)

    def levers(share: float) -> Levers:
        return Levers(cross_skill=[CrossSkillLever("chat", "voice", 100.0, 1, share)],
                      outsourcer=[OutsourcerLever("voice", 2, 100.0)])

    plan = goal_seek(req, team, shifts, levers(1.0), _settings(), time_limit=20,
                     exact_need=False, trim=False)
    assert list(plan.cross_skilled.values()) == [1]
    voice_sl = {}
    for share in (1.0, 0.7):
        agents = recommended_team(table, plan, levers(share), ["day"])
        assert agents.loc[agents["agent_id"] == "A3", "queues"].item() == "chat;voice"
        written = agents["proficiency"].tolist() if "proficiency" in agents else ["", ""]
        assert written == (["", "voice=0.7"] if share < 1 else ["", ""])
        rostered = agents_from_frame(agents, "recommended team")
        result = solve_roster(req, rostered, shifts, time_limit=2, seed=0)
        assert set(result.roster["agent_id"]) == {"A1", "A3"}
        proj = project(result.roster, req, _settings(),
                       proficiency=proficiency_table(rostered))
        voice = proj[proj["queue"].eq("voice") & proj["contacts"].gt(0)]
        voice_sl[share] = (voice["service_level"] * voice["contacts"]).sum() / \
            voice["contacts"].sum()
        under = result.coverage.loc[result.coverage["queue"].eq("voice"), "under"].sum()
        assert (under > 0) == (share < 1)
    assert voice_sl[0.7] < voice_sl[1.0] - 0.01


def test_goal_seek_counts_todays_agents_at_their_proficiency():
    """Voice needs one staff 08:00-16:00 and has one 8-hour agent: at 1 nothing to buy;
    at 0.5 (agents.csv `proficiency`) the outsourcer covers the other half, 4 h x 20."""
    req = _requirements({"voice": 1})
    levers = Levers(outsourcer=[OutsourcerLever("voice", 2, 20.0)])
    costs = []
    for share in ("", "voice=0.5"):
        team = agents_from_frame(pd.DataFrame([
            {"agent_id": "A1", "name": "A1", "queues": "voice", "min_hours_week": "0",
             "max_hours_week": "8", "max_days_week": "5", "unavailable": "",
             "proficiency": share}]))
        plan = goal_seek(req, team, _shifts(), levers, _settings(), time_limit=20,
                         exact_need=False, trim=False)
        assert plan.reasons.empty
        costs.append(plan.cost)
    assert costs == pytest.approx([0.0, 80.0])
