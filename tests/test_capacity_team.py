"""The recommended team's temps bound to the plan's shifts (planning.capacity_team): a
real goal-seek, the team read back by the roster's own reader."""

from __future__ import annotations

import pandas as pd
import yaml
from capacity_helpers import requirements as _requirements
from capacity_helpers import settings as _settings

from planning.capacity_team import bind_temps, plan_profile, plan_shifts
from planning.roster_step import roster_step, team_from_table
from planning.steps import parse_shifts
from scheduling.capacity import Levers, TempLever, goal_seek

SHIFTS = {"queues": {"voice": {"open": "08:00", "close": "20:00"},
                     "chat": {"open": "08:00", "close": "20:00"}},
          "templates": {"four": {"earliest_start": "08:00", "latest_start": "16:00",
                                 "start_step": 60, "lengths": ["4:00"]}},
          "rules": {"days_off_per_week": None}}


def test_temps_carry_the_plans_starts_queues_and_days() -> None:
    """Voice needs 3 staff 08:00-12:00 and chat 2 staff 14:00-18:00: the temps are
    bound to those starts and queues, and the roster's reader accepts the team."""
    req = _requirements({}, hours=range(0), extra={
        **{("voice", h): 3 for h in range(8, 12)}, **{("chat", h): 2 for h in range(14, 18)}})
    text = yaml.safe_dump(SHIFTS)
    levers = Levers(temps=[TempLever("four", ("voice", "chat"), 10.0, 10, 40.0, 5,
                                     prefix="TX")])
    plan = goal_seek(req, [], parse_shifts(text), levers, _settings(), time_limit=20,
                     exact_need=False, trim=False)
    assert plan.temp_shifts["count"].sum() == 5
    team, bound_text = bind_temps(pd.DataFrame(columns=["agent_id"]), 0, plan, levers, text)
    assert len(team) == 5
    shifts = parse_shifts(bound_text)
    by_name = {t.name: t for t in shifts.templates}
    seen = sorted((row.queues, row.shifts) for row in team.itertuples())
    assert seen == [("chat", "four_1400")] * 2 + [("voice", "four_0800")] * 3
    start = by_name["four_1400"]
    assert list(start.starts()) == [14 * 60] and list(start.lengths) == [240]
    agents = team_from_table(team, source="recommended team")
    assert all(a.shifts == (row.shifts,) for a, row in zip(agents, team.itertuples(),
                                                          strict=True))
    profile = plan_profile(req, plan)
    at = profile.set_index(["queue", "interval_start"])["staff"]
    assert at[("voice", pd.Timestamp("2026-11-11 09:00"))] == 3
    assert at[("chat", pd.Timestamp("2026-11-11 15:30"))] == 2
    assert at[("chat", pd.Timestamp("2026-11-11 09:00"))] == 0
    # the check roster's start: the temps' shifts under the templates they are bound to
    start = plan_shifts(plan, levers, bound=True)
    assert sorted(start["shift"]) == ["four_0800"] * 3 + ["four_1400"] * 2
    assert sorted(plan_shifts(plan, levers, bound=False)["shift"]) == ["four"] * 5
    outcome = roster_step(req, agents, shifts, time_limit=1, start_shifts=start)
    assert outcome.violations.empty
    assert outcome.summary.decomposition.startswith("5 of 5 given shifts")
    assert sorted(outcome.roster["shift"]) == sorted(start["shift"])
