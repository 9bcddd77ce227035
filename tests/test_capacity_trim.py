"""The trim pass (scheduling.capacity.trim): overtime the projection shows is not needed
goes, overtime it needs stays, and a dear temp goes before the last overtime shift,
whose hours are partly contract time; the overtime left is given to the recommended
team in steps a shift can use. Real solves and the real projection."""

from __future__ import annotations

import pandas as pd
import pytest
from capacity_helpers import agent as _agent
from capacity_helpers import requirements as _requirements
from capacity_helpers import settings as _settings
from capacity_helpers import shifts as _shifts

from planning.capacity import recommended_team
from scheduling.capacity import (
    CapacityPlan,
    Levers,
    OvertimeLever,
    TempLever,
    goal_seek,
    hour_step,
    overtime_allowance,
)

PART_TIME = {"day": {"earliest_start": "08:00", "latest_start": "08:00",
                     "lengths": ["4:00", "8:00"]}}
OVERTIME = OvertimeLever(8, 8, 10.0, 1.5)  # 15 an hour


def _plan(staff: int, calls_for: int, trim: bool, temps: list[TempLever] | None = None
          ) -> CapacityPlan:
    """Three 4-hour agents; voice open 08:00-16:00 asks for `staff` (as given, not
    judged) while its calls are those of `calls_for` staff: two agents on line meet
    the target at 1, three are needed at 2."""
    req = _requirements({"voice": staff})
    req["contacts"] = req["contacts"] / staff * calls_for
    team = [_agent(i, hours=4) for i in range(3)]
    levers = Levers(temps=temps or [], overtime=OVERTIME)
    return goal_seek(req, team, _shifts(PART_TIME), levers, _settings(), time_limit=20,
                     exact_need=False, trim=trim)


def _below(plan: CapacityPlan) -> int:
    busy = plan.projection["contacts"] > 0
    return int(plan.projection.loc[busy, "below_target"].sum())


def _overtime(plan: CapacityPlan) -> float:
    return float(sum(plan.overtime_hours.values()))


def test_overtime_the_projection_does_not_need_is_trimmed() -> None:
    """Covering 3 staff as asked, all three work 8 hours: 12 h overtime. Two meet the
    target, so one 8-hour shift goes: 4 h overtime left, and the target still holds."""
    full, trimmed = _plan(3, 1, trim=False), _plan(3, 1, trim=True)
    assert _overtime(full) == pytest.approx(12.0)
    assert _overtime(trimmed) == pytest.approx(4.0)
    assert trimmed.cost == pytest.approx(4.0 * 15.0)
    assert _below(trimmed) == 0
    rows = trimmed.levers[trimmed.levers["lever"] == "overtime"]
    assert rows["hours"].sum() == pytest.approx(4.0)  # levers.csv agrees with the plan
    assert rows["cost"].sum() == pytest.approx(trimmed.cost)
    assert len(trimmed.roster) == 2
    assert (pd.to_datetime(trimmed.roster["end"]) - pd.to_datetime(trimmed.roster["start"])
            == pd.Timedelta(hours=8)).all()


def test_overtime_the_target_needs_stays() -> None:
    """With the calls of 3 staff every overtime hour is needed: nothing goes."""
    trimmed = _plan(3, 2, trim=True)
    assert _overtime(trimmed) == pytest.approx(12.0)
    assert trimmed.cost == pytest.approx(12.0 * 15.0)
    assert _below(trimmed) == 0
    assert len(trimmed.roster) == 3


def test_a_temp_goes_before_the_last_overtime_shift() -> None:
    """4 staff asked, 2 needed: the MIP keeps a temp (12 an hour) and 12 h overtime.
    The first 8-hour overtime shift saves 15 an hour and goes; the next would save 4 h
    of overtime on 8 paid hours (7.50 an hour), so the temp (12) goes first, and then
    no more can: 4 h overtime is left and no temp."""
    temps = [TempLever("day", ("voice",), 12.0, 1)]
    full, trimmed = _plan(4, 1, trim=False, temps=temps), _plan(4, 1, trim=True, temps=temps)
    assert full.temps == {"day": 1} and _overtime(full) == pytest.approx(12.0)
    assert trimmed.temps == {"day": 0}
    assert _overtime(trimmed) == pytest.approx(4.0)
    assert trimmed.cost == pytest.approx(60.0)
    assert _below(trimmed) == 0


@pytest.mark.parametrize("hours, people, step, cap, expected", [
    (6.0, 5, 2.0, 8.0, [2.0, 2.0, 2.0, 0.0, 0.0]),  # 4- and 6-hour shifts: 2 h steps
    (7.0, 2, 2.0, 8.0, [4.0, 4.0]),                  # rounded up to whole steps
    (50.0, 2, 2.0, 8.0, [8.0, 8.0]),                 # never above the lever's cap
    (3.0, 2, 10.0, 8.0, [8.0, 8.0]),                 # a step above the cap: the cap
    (0.0, 2, 2.0, 8.0, [0.0, 0.0]),
])
def test_overtime_is_given_in_steps_a_shift_can_use(hours: float, people: int, step: float,
                                                    cap: float, expected: list[float]) -> None:
    assert overtime_allowance(hours, people, step, cap) == expected


def test_the_recommended_team_can_work_the_plans_overtime() -> None:
    """The trimmed plan's 4 h of overtime go to one agent as a whole 4-hour step (its
    shifts are 4 or 8 hours): a tenth of an hour each would fit no shift."""
    plan = _plan(3, 1, trim=True)
    (group,) = plan.groups
    assert hour_step(group, plan.shifts) == 4.0
    agents = pd.DataFrame([{"agent_id": f"A{i}", "name": f"Agent {i}", "queues": "voice",
                            "min_hours_week": "0", "max_hours_week": "4",
                            "max_days_week": "5", "unavailable": "", "shifts": "day"}
                           for i in range(3)])
    team = recommended_team(agents, plan, Levers(overtime=OVERTIME), ["day"])
    assert sorted(team["max_hours_week"]) == ["4", "4", "8"]


def test_of_two_plans_of_one_cost_the_one_with_fewer_temps(monkeypatch) -> None:
    """Voice asks 1 agent 08:00-16:00 and nobody is on the team: one 8-hour temp or two
    4-hour temps cost the same. With no fee the plan hires the one."""
    req = _requirements({"voice": 1})
    templates = {"temp": {"earliest_start": "08:00", "latest_start": "12:00",
                          "start_step": 240, "lengths": ["4:00", "8:00"]}}
    lever = TempLever("temp", ("voice",), hourly_cost=10.0, max_count=4,
                      max_hours_week=40, max_days_week=5)
    plan = goal_seek(req, [], _shifts(templates), Levers(temps=[lever]), _settings(),
                     time_limit=20, exact_need=False, trim=False)
    assert plan.cost == pytest.approx(80.0)
    temps = plan.levers[plan.levers["lever"] == "temps"]
    assert int(temps.loc[temps["date"] == "", "count"].sum()) == 1
    assert len(plan.roster) == 1


def test_past_its_deadline_the_trim_cuts_nothing_more() -> None:
    """The day and week modes give the trim a deadline: past it the plan stays as it is
    (still a plan that meets the target wherever it did), before it the overtime goes."""
    import time

    from scheduling.capacity.columns import opened_shifts, shift_columns, team_groups
    from scheduling.capacity.model import build_model, solve_model
    from scheduling.capacity.search import horizon_of
    from scheduling.capacity.trim import trim_plan

    req = _requirements({"voice": 3})
    req["contacts"] = req["contacts"] / 3
    team = [_agent(i, hours=4) for i in range(3)]
    levers, shifts = Levers(overtime=OVERTIME), _shifts(PART_TIME)
    horizon = horizon_of(req)
    opened = opened_shifts(shifts, levers)
    groups = team_groups(team, horizon.dates, [t.name for t in shifts.templates], None)
    model = build_model(horizon, shift_columns(opened, horizon.dates, ["voice"]), groups,
                        levers, shifts, opened, True)
    solution = solve_model(model, horizon, time_limit=20, relative_gap=0.0,
                           report=lambda _f: None)
    late = trim_plan(solution, horizon, levers, _settings(), groups,
                     deadline=time.monotonic() - 1)
    assert (late.shifts == solution.shifts).all()
    assert sum(late.overtime.values()) == pytest.approx(12.0)
    on_time = trim_plan(solution, horizon, levers, _settings(), groups,
                        deadline=time.monotonic() + 600)
    assert on_time.shifts.sum() < solution.shifts.sum()
    assert sum(on_time.overtime.values()) == pytest.approx(4.0)


def test_overtime_is_priced_in_every_week_of_a_season() -> None:
    """Two busy days in each of two weeks: three agents with 8 contract hours a week
    cover half of the 48 staff-hours a week asks; the rest is overtime (15 an hour)
    or temps (12 an hour). Temps are cheaper in every week, so the plan hires them in
    both (2 x 24 h x 12); an overtime allowance shared by the weeks would have priced
    both weeks' overtime as one week's (180 a week) and chosen it."""
    first = _requirements({"voice": 3})
    req = pd.concat([first.assign(interval_start=first["interval_start"]
                                  + pd.Timedelta(days=d)) for d in (0, 1, 7, 8)],
                    ignore_index=True)
    team = [_agent(i, hours=8) for i in range(3)]
    levers = Levers(temps=[TempLever("day", ("voice",), 12.0, 10)], overtime=OVERTIME)
    plan = goal_seek(req, team, _shifts(PART_TIME), levers, _settings(), time_limit=20,
                     exact_need=False, trim=False)
    assert _overtime(plan) == pytest.approx(0.0)
    assert plan.cost == pytest.approx(2 * 24 * 12.0)
