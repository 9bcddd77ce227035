"""What a capacity goal-seek answers: the frames it fills and the plan itself."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from scheduling.capacity.columns import Group
from scheduling.roster.templates import ShiftSettings

LEVER_COLUMNS = ("lever", "queue", "template", "date", "count", "hours", "cost")
"""The capacity levers frame of DESIGN.md: one row per lever, queue, template and day
(`count` people or shifts, `hours` paid or agent-hours, `cost` in the plan's money)."""
REASON_COLUMNS = ("queue", "interval_start", "required", "planned", "shortfall", "reason")
"""Intervals the plan leaves short of the requirement, and why."""
CAPACITY_DAILY_COLUMNS = ("queue", "date", "contacts", "required_staff_hours",
                          "planned_staff_hours", "shortfall_staff_hours", "intervals_short",
                          "target_service_level", "service_level_planned", "cost")
"""Per queue and day: what the plan gives and the service level projected from it."""

REASONS = ("queue closed", "no template starts then", "no eligible agents", "lever at its cap")


@dataclass
class CapacityPlan:
    """The least-cost plan and how good it is.

    `levers` has `LEVER_COLUMNS`; `daily` `CAPACITY_DAILY_COLUMNS`; `reasons`
    `REASON_COLUMNS`; `planned` per queue and interval: `required`, `planned` (staff
    from the plan) and `shortfall`; `roster` is the plan laid out as a roster (one row
    per planned shift, ids `P...`), `projection` its projection. `cost` is what the
    levers cost; `bound` the LP relaxation's lower bound on cost plus shortfall
    penalty, `objective` the same for the plan, `gap` = (objective - bound) / objective
    (both NaN for the day and week target modes: the LP bounds plans that meet every
    interval, and a day's target can be met for less).
    """

    levers: pd.DataFrame
    daily: pd.DataFrame
    reasons: pd.DataFrame
    planned: pd.DataFrame
    roster: pd.DataFrame
    projection: pd.DataFrame
    temps: dict[str, int]
    overtime_hours: dict[str, float]
    cross_skilled: dict[tuple[str, str, str], int]
    shifts: ShiftSettings
    cost: float
    objective: float
    bound: float
    gap: float
    status: str
    seconds: float
    groups: list[Group] = field(default_factory=list)
    temp_shifts: pd.DataFrame = field(default_factory=pd.DataFrame)  # TEMP_SHIFT_COLUMNS

    @property
    def shortfall_hours(self) -> float:
        return float(self.reasons["shortfall"].sum()) * self._hours

    @property
    def _hours(self) -> float:
        return float(self.planned.attrs.get("interval_hours", 0.25))

