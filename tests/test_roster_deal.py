"""A roster started from anonymous shifts (a capacity plan's, checked by building it):
the shifts are dealt out within the rules, the engine never does worse than them, and
the same inputs give the same roster."""

from __future__ import annotations

import pandas as pd
from capacity_helpers import agent as _agent
from capacity_helpers import requirements as _requirements
from capacity_helpers import settings as _settings
from capacity_helpers import shifts as _shifts
from roster_helpers import START, TWO_QUEUES

from planning.capacity import recommended_team
from planning.roster_step import roster_step, team_from_table
from planning.steps import projection_step
from scheduling.capacity import Levers, TempLever, goal_seek
from scheduling.roster.checker import check_roster
from scheduling.roster.construct import agent_cover
from scheduling.roster.deal import deal_shifts
from scheduling.roster.objective import weighted_under
from scheduling.roster.solve import build_problem, shift_keys, solve_roster
from scheduling.roster.synthetic import (
    synthetic_agents,
    synthetic_requirements,
)
from scheduling.roster.templates import shift_settings

SETTINGS = TWO_QUEUES
MIX = [(("sales",), 0.5), (("service",), 0.3), (("sales", "service"), 0.2)]


def _week() -> tuple[pd.DataFrame, list, object, pd.DataFrame]:
    """A week for 14 agents and a plan of it with the agents' names taken off."""
    req = synthetic_requirements({"sales": (480, 1320, 5.0), "service": (480, 1320, 4.0)},
                                 start=START, seed=5)
    team = synthetic_agents(14, MIX, seed=5)
    st = shift_settings(SETTINGS, "test")
    planned = solve_roster(req, team, st, time_limit=1, seed=0).roster
    shifts = planned.assign(agent_id=[f"P{i:03d}" for i in range(len(planned))])
    return req, team, st, shifts


def test_plan_shifts_are_dealt_within_the_rules_and_only_improved() -> None:
    req, team, st, shifts = _week()
    build = build_problem(req, team, st)
    wanted = shift_keys(build, shifts)
    assert sum(wanted.values()) == len(shifts)
    dealt = deal_shifts(build.problem, wanted)
    assert dealt.planned == len(shifts)
    assert dealt.dealt == len(shifts)  # the engine's own roster can always be dealt back
    cover = [0] * len(build.problem.cells)
    for a, week in enumerate(dealt.weeks):
        assert week is not None
        for c, v in agent_cover(build.problem, a, week).items():
            cover[c] += v
    start_under = weighted_under(build.problem, cover)

    first = solve_roster(req, team, st, time_limit=1, seed=0, start_shifts=shifts)
    assert first.decomposition.startswith(f"{len(shifts)} of {len(shifts)} given shifts")
    assert not check_roster(first.roster, team, st, start=START, days=7)
    assert first.under_weighted * build.problem.cover_scale <= start_under + 1e-9
    again = solve_roster(req, team, st, time_limit=1, seed=0, start_shifts=shifts)
    pd.testing.assert_frame_equal(first.roster, again.roster)


def test_shifts_no_agent_may_work_are_left_out_of_the_start() -> None:
    req, team, st, shifts = _week()
    build = build_problem(req, team, st)
    wanted = shift_keys(build, shifts)
    day0 = [k for k in wanted if k[0] == 0]
    extra = {**wanted, day0[0]: wanted[day0[0]] + len(team)}  # more than people that day
    dealt = deal_shifts(build.problem, extra)
    assert dealt.planned == len(shifts) + len(team)
    assert dealt.dealt <= len(shifts)


def test_check_roster_of_a_small_plan_meets_what_the_plan_meets() -> None:
    """One day, voice and chat, one agent today and temps: the plan's shifts rostered
    and projected reach the target wherever the plan's projection does."""
    settings = _settings()
    req = _requirements({"voice": 3, "chat": 2})
    shifts = _shifts({"day": {"earliest_start": "08:00", "latest_start": "12:00",
                              "start_step": 60, "lengths": ["4:00", "8:00"]}})
    levers = Levers(temps=[TempLever("day", ("voice", "chat"), 10.0, 10)])
    today = [_agent(1, ("voice", "chat"))]
    plan = goal_seek(req, today, shifts, levers, settings, time_limit=20)
    agents = pd.DataFrame([{"agent_id": "A1", "name": "Agent 1", "queues": "voice;chat",
                            "min_hours_week": "0", "max_hours_week": "40",
                            "max_days_week": "5", "unavailable": "", "shifts": "day"}])
    team = team_from_table(recommended_team(agents, plan, levers, ["day"]))
    assert len(team) > 1
    outcome = roster_step(req, team, shifts, time_limit=1, start_shifts=plan.roster)
    assert outcome.violations.empty
    assert outcome.summary.decomposition.startswith(f"{len(plan.roster)} of "
                                                    f"{len(plan.roster)} given shifts")
    projection = projection_step(outcome.roster, req, settings)
    met = projection.assign(ok=~projection["below_target"].astype(bool))
    planned = plan.projection.assign(ok=~plan.projection["below_target"].astype(bool))
    key = ["queue", "interval_start"]
    both = planned[key + ["ok"]].merge(met[key + ["ok"]], on=key, suffixes=("_plan", "_check"))
    assert both["ok_plan"].sum() > 0
    assert not (both["ok_plan"] & ~both["ok_check"]).any()
