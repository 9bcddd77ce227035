"""Long-range hiring plan (scheduling.hiring): hand-checkable optima, real MIP solves."""

from __future__ import annotations

import pandas as pd
import pytest

from scheduling.hiring import (
    HIRING_COLUMNS,
    WEEKLY_COLUMNS,
    HiringInputError,
    HiringPolicy,
    plan_hiring,
    productivity,
    weekly_requirements,
)


def _weekly(values: list[float]) -> pd.DataFrame:
    starts = pd.date_range("2026-10-19", periods=len(values), freq="7D")
    return pd.DataFrame({"week_start": starts, "required_fte": values})


def _policy(**changes: object) -> HiringPolicy:
    base = dict(headcount=10, attrition_per_week=0.0, lead_time_weeks=2, training_weeks=1,
                ramp=(0.5, 1.0), class_min=1, class_max=10, cost_per_hire=100.0,
                cost_per_fte_week=10.0)
    base.update(changes)
    return HiringPolicy(**base)


def test_a_step_up_is_hired_as_late_as_the_ramp_allows() -> None:
    """10 FTE today, 14 needed from week 6 of 10. A hire gives 0 in its first week
    (training), 0.5 in the second, 1.0 from the third: 4 hires starting in week 4 cost
    4 x 100 + 10 x (10 x 10 + 4 x 6) = 1,640. Starting later needs more people;
    earlier pays more FTE-weeks."""
    plan = plan_hiring(_weekly([10] * 6 + [14] * 4), _policy())
    assert list(plan.hiring.columns) == list(HIRING_COLUMNS)
    assert list(plan.weekly.columns) == list(WEEKLY_COLUMNS)
    assert plan.hiring[["week", "hires"]].values.tolist() == [[4, 4]]
    assert plan.cost == pytest.approx(1640.0)
    assert plan.shortfall_fte_weeks == 0
    assert plan.weekly["available_fte"].iloc[6] == pytest.approx(14.0)
    assert plan.hiring["productive_from"].iloc[0] == "2026-11-23"  # week 5


def test_class_minimum_and_temps() -> None:
    """A class of at least 6: the MIP hires 6 (not 4). With temps at 15 a week, four
    temps for 4 weeks (240) beat a class (6 x 100 + 6 x 10 x 6 = 960)."""
    plan = plan_hiring(_weekly([10] * 6 + [14] * 4), _policy(class_min=6))
    assert plan.hiring["hires"].tolist() == [6]
    plan = plan_hiring(_weekly([10] * 6 + [14] * 4), _policy(temp_cost_per_week=15.0),
                       temps_available=4)
    assert plan.hiring.empty
    assert plan.weekly["temps"].sum() == pytest.approx(16.0)
    assert plan.cost == pytest.approx(10 * 10 * 10 + 16 * 15.0)


def test_attrition_is_replaced_and_the_lead_time_leaves_a_shortfall() -> None:
    """With 10% attrition a week and a 2-week lead time, weeks 0-2 cannot be helped."""
    plan = plan_hiring(_weekly([10] * 8), _policy(attrition_per_week=0.1))
    assert plan.shortfall_fte_weeks > 0
    short = plan.weekly[plan.weekly["shortfall_fte"] > 0]["week"].tolist()
    assert short[0] == 1 and max(short) <= 3
    assert plan.weekly["hires_starting"].iloc[:2].sum() == 0


@pytest.mark.parametrize("changes, field", [
    ({"class_min": 12}, "class_size.min"),
    ({"ramp": (0.5, 0.8)}, "ramp"),
    ({"cost_per_hire": -1.0}, "cost_per_hire"),
    ({"attrition_per_week": 1.5}, "attrition_per_week"),
])
def test_bad_policies_are_refused(changes: dict, field: str) -> None:
    with pytest.raises(HiringInputError, match=field):
        plan_hiring(_weekly([10] * 4), _policy(**changes))


def test_productivity_and_weekly_requirements() -> None:
    policy = _policy(training_weeks=2, ramp=(0.5, 0.75, 1.0))
    assert [productivity(policy, a) for a in range(6)] == [0, 0, 0.5, 0.75, 1.0, 1.0]
    req = pd.DataFrame({"interval_start": pd.date_range("2026-10-19", periods=4 * 24 * 7,
                                                        freq="15min"), "staff": 2})
    weekly = weekly_requirements(req, fte_hours=40)
    assert weekly["required_fte"].tolist() == [pytest.approx(2 * 24 * 7 / 40)]
