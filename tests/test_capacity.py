"""Goal-seek for a peak week (scheduling.capacity): hand-checkable cases, real solves."""

from __future__ import annotations

import pytest
from capacity_helpers import agent as _agent
from capacity_helpers import requirements as _requirements
from capacity_helpers import settings as _settings
from capacity_helpers import shifts as _shifts

from scheduling.capacity import (
    LEVER_COLUMNS,
    REASON_COLUMNS,
    CapacityInputError,
    CrossSkillLever,
    Levers,
    OutsourcerLever,
    OvertimeLever,
    TempLever,
    goal_seek,
)

AS_GIVEN = {"exact_need": False, "trim": False}  # cover the hand-built `staff` exactly


def test_temps_fill_the_gap_at_the_least_cost() -> None:
    """3 staff all day on voice, one agent today: two 8-hour temps at 10 an hour."""
    levers = Levers(temps=[TempLever("day", ("voice",), 10.0, 5)])
    plan = goal_seek(_requirements({"voice": 3}), [_agent(1)], _shifts(), levers, _settings(),
                     time_limit=20, **AS_GIVEN)
    assert plan.temps == {"day": 2}
    assert plan.cost == pytest.approx(160.0)
    assert plan.bound <= plan.objective + 1e-6
    assert plan.gap <= 0.01
    assert plan.reasons.empty
    assert list(plan.levers.columns) == list(LEVER_COLUMNS)
    shifts = plan.levers[plan.levers["lever"] == "temp shifts"]
    assert shifts["hours"].sum() == pytest.approx(16.0)
    day = plan.daily[plan.daily["queue"] == "voice"].iloc[0]
    assert day["shortfall_staff_hours"] == 0
    assert day["service_level_planned"] >= 0.8


def test_unreachable_target_gives_the_reachable_part_and_reasons() -> None:
    """Temps capped at one: one staff short all day; a closed hour before opening."""
    levers = Levers(temps=[TempLever("day", ("voice",), 10.0, 1)])
    req = _requirements({"voice": 3}, extra={("voice", 7): 2})
    plan = goal_seek(req, [_agent(1)], _shifts(), levers, _settings(), time_limit=20, **AS_GIVEN)
    assert plan.temps == {"day": 1}
    assert list(plan.reasons.columns) == list(REASON_COLUMNS)
    reasons = plan.reasons.groupby("reason").size().to_dict()
    assert reasons == {"queue closed": 2, "lever at its cap": 16}
    assert plan.levers["count"].sum() > 0  # never an empty answer


def test_opening_hours_and_a_night_template() -> None:
    """Chat needs 2 staff 00:00-04:00; opening from midnight with a 4-hour night template
    covers it, with the hourly cost of the template's temps."""
    templates = {"day": {"earliest_start": "08:00", "latest_start": "08:00",
                         "lengths": ["8:00"]},
                 "night": {"earliest_start": "00:00", "latest_start": "00:00",
                           "lengths": ["4:00"], "days": ["wed"]}}
    req = _requirements({}, extra={("chat", h): 2 for h in range(4)})
    shut = goal_seek(req, [_agent(1)], _shifts(templates),
                     Levers(temps=[TempLever("night", ("chat",), 20.0, 5)]), _settings(),
                     time_limit=20, **AS_GIVEN)
    assert set(shut.reasons["reason"]) == {"queue closed"}
    levers = Levers(temps=[TempLever("night", ("chat",), 20.0, 5)],
                    opening={"chat": (0, 1440)})
    plan = goal_seek(req, [_agent(1)], _shifts(templates), levers, _settings(),
                     time_limit=20, **AS_GIVEN)
    assert plan.reasons.empty
    assert plan.temps == {"night": 2}
    assert plan.cost == pytest.approx(2 * 4 * 20.0)
    opening = plan.levers[plan.levers["lever"] == "opening hours"]
    assert opening[["queue", "date", "count", "hours"]].values.tolist() == [
        ["chat", "2026-11-11", 2, 8.0]]


def test_cheapest_lever_wins_overtime_cross_skill_outsourcer() -> None:
    """Voice needs one staff 08:00-16:00 and has a 4-hour agent. Letting them work 8
    hours (4 h overtime at 10 x 1.5 = 60) beats an outsourcer (4 h x 20 = 80) and
    cross-skilling the idle chat agent (100)."""
    templates = {"day": {"earliest_start": "08:00", "latest_start": "08:00",
                         "lengths": ["4:00", "8:00"]}}
    req = _requirements({"voice": 1})
    team = [_agent(1, hours=4), _agent(3, ("chat",), hours=4)]
    levers = Levers(overtime=OvertimeLever(8, 8, 10.0, 1.5),
                    cross_skill=[CrossSkillLever("chat", "voice", 100.0, 1)],
                    outsourcer=[OutsourcerLever("voice", 2, 20.0)])
    plan = goal_seek(req, team, _shifts(templates), levers, _settings(), time_limit=20, **AS_GIVEN)
    assert plan.reasons.empty
    assert plan.cost == pytest.approx(60.0)
    assert set(plan.levers["lever"]) == {"overtime"}
    levers.overtime = None
    plan = goal_seek(req, team, _shifts(templates), levers, _settings(), time_limit=20, **AS_GIVEN)
    assert plan.cost == pytest.approx(80.0)
    assert set(plan.levers["lever"]) == {"outsourcer"}


@pytest.mark.parametrize("levers, field", [
    (Levers(temps=[TempLever("day", ("voice",), -1.0, 5)]), "temps[0].hourly_cost"),
    (Levers(temps=[TempLever("nope", ("voice",), 1.0, 5)]), "temps[0].template"),
    (Levers(temps=[TempLever("day", ("sales",), 1.0, 5)]), "temps[0].queues"),
    (Levers(cross_skill=[CrossSkillLever("voice", "chat", 1.0, 1, 1.5)]),
     "cross_skill[0].proficiency"),
    (Levers(outsourcer=[OutsourcerLever("voice", 1, -3.0)]), "outsourcer[0].hourly_cost"),
])
def test_bad_levers_are_refused_naming_the_field(levers: Levers, field: str) -> None:
    with pytest.raises(CapacityInputError, match=field.replace("[", r"\[").replace("]", r"\]")):
        goal_seek(_requirements({"voice": 1}), [_agent(1)], _shifts(), levers, _settings())


def test_cross_skilling_when_it_is_cheapest() -> None:
    """As above without overtime and with a dear outsourcer: train the chat agent (100)."""
    templates = {"day": {"earliest_start": "08:00", "latest_start": "12:00",
                         "start_step": 240, "lengths": ["4:00"]}}
    team = [_agent(1, hours=4), _agent(3, ("chat",), hours=4)]
    levers = Levers(cross_skill=[CrossSkillLever("chat", "voice", 100.0, 1)],
                    outsourcer=[OutsourcerLever("voice", 2, 100.0)])
    plan = goal_seek(_requirements({"voice": 1}), team, _shifts(templates), levers,
                     _settings(), time_limit=20, **AS_GIVEN)
    assert plan.reasons.empty
    assert plan.cost == pytest.approx(100.0)
    assert list(plan.cross_skilled.values()) == [1]


def test_fractional_team_gives_the_same_temps_here() -> None:
    """With today's agents placed fractionally the temps stay whole and, on this case,
    the answer is the same."""
    levers = Levers(temps=[TempLever("day", ("voice",), 10.0, 5)])
    plan = goal_seek(_requirements({"voice": 3}), [_agent(1), _agent(2, ("chat",))],
                     _shifts(), levers, _settings(), time_limit=20, integer_team=False, **AS_GIVEN)
    assert plan.temps == {"day": 2}
    assert plan.cost == pytest.approx(160.0)
