"""What a capacity run holds: the parsed scenario (`CapacitySpec`), the answer and its
check (`CapacityResult`), and its per queue and day report (`DAILY_COLUMNS`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planning.roster_step import RosterOutcome
from planning.scenarios import Scenario
from scheduling.capacity import CapacityPlan, Levers
from scheduling.projection import rollup

DAILY_COLUMNS = ("queue", "date", "contacts", "target_service_level", "service_level_planned",
                 "service_level_rostered", "required_staff_hours", "planned_staff_hours",
                 "rostered_staff_hours", "shortfall_staff_hours", "intervals_short", "cost")
"""`daily.csv` of `wfm capacity`: planned and rostered service level side by side."""


@dataclass
class CapacitySpec:
    """A parsed capacity scenario."""

    scenario: Scenario
    levers: Levers
    templates: dict[str, Any] = field(default_factory=dict)
    target: str = "interval"
    time_limit: float = 90.0
    roster_time_limit: float = 30.0
    check: bool = True
    source: str = "capacity"
    run_out_days: int = 0  # days planned after the horizon, not reported (email deadlines)
    integer_team: bool = True  # False: today's agents' shifts fractional in the goal-seek
    bind_temps: bool = False  # temps carry the plan's days, starts and queues
    email: str = "backlog"  # email cleared by its deadline; or "requirement"
    trim_by_building: bool = True  # cut levers while the re-rostered team meets the targets


@dataclass
class CapacityResult:
    """The goal-seek answer, the recommended team and the check by building it."""

    spec: CapacitySpec
    plan: CapacityPlan
    forecast: pd.DataFrame
    requirements: pd.DataFrame
    queue_settings: pd.DataFrame
    agents: pd.DataFrame          # the recommended team
    shifts_text: str              # the recommended shift templates and opening hours
    daily: pd.DataFrame           # DAILY_COLUMNS
    roster: pd.DataFrame | None = None
    projection: pd.DataFrame | None = None
    outcome: RosterOutcome | None = None
    team: pd.DataFrame | None = None  # today's team as the scenario has it
    cuts: list[Cut] = field(default_factory=list)  # tried by trim by building, in order


@dataclass(frozen=True)
class Cut:
    """One cut trim by building tried (`planning.capacity_check.trim_by_building`): the
    lever (a temp lever's prefix, or "overtime"), its people before, the agents cut
    (temps out of the team; overtime agents back on their contract hours), and where
    the re-rostered team misses the target ("" when it misses nowhere: kept)."""

    lever: str
    before: int
    people: tuple[str, ...]
    missed: str

    @property
    def kept(self) -> bool:
        return not self.missed


def daily_frame(plan: CapacityPlan, projection: pd.DataFrame | None,
                queue_settings: pd.DataFrame) -> pd.DataFrame:
    """The plan's per queue and day figures (`DAILY_COLUMNS`), with the rostered service
    level and staff-hours from `projection` (NaN without one: not checked)."""
    out = plan.daily.copy()
    if projection is None:
        out["service_level_rostered"] = float("nan")
        out["rostered_staff_hours"] = float("nan")
    else:
        roll = rollup(projection, period="day")
        roll["date"] = roll["period_start"].dt.date.astype(str)
        hours = plan.planned.attrs.get("interval_hours", 0.25)
        shrink = queue_settings.set_index(queue_settings["queue"].astype(str))["shrinkage"]
        proj = projection.assign(
            date=projection["interval_start"].dt.date.astype(str),
            staff=projection["scheduled"] / (1 - projection["queue"].map(shrink).astype(float)))
        rostered = (proj.groupby(["queue", "date"])["staff"].sum() * hours).rename(
            "rostered_staff_hours")
        out = out.merge(roll[["queue", "date", "service_level"]].rename(
            columns={"service_level": "service_level_rostered"}), on=["queue", "date"],
            how="left")
        out = out.merge(rostered.reset_index(), on=["queue", "date"], how="left")
    return out[list(DAILY_COLUMNS)]


def targets_reached(daily: pd.DataFrame, column: str, mode: str) -> pd.Series:
    """Per queue-day (modes `interval` and `day`; index queue, date) or queue-week
    (`week`: Monday to Sunday, contact-weighted; index queue, week start): whether the
    service level in `column` reaches the target."""
    sl = daily[column].astype(float)
    goal = daily["target_service_level"].astype(float)
    if mode != "week":
        return pd.Series((sl >= goal - 1e-9).to_numpy(),
                         index=pd.MultiIndex.from_frame(daily[["queue", "date"]]))
    day = pd.to_datetime(daily["date"])
    frame = daily.assign(_week=day - pd.to_timedelta(day.dt.day_of_week, unit="D"),
                         _w=daily["contacts"].astype(float),
                         _sl=daily["contacts"].astype(float) * sl.fillna(1.0))
    weeks = frame.groupby(["queue", "_week"]).agg(w=("_w", "sum"), sl=("_sl", "sum"),
                                                  goal=("target_service_level", "first"))
    reached = weeks["sl"] / weeks["w"].where(weeks["w"] > 0) >= weeks["goal"] - 1e-9
    return reached | (weeks["w"] <= 0)


def targets_met(daily: pd.DataFrame, column: str, mode: str) -> tuple[int, int, str]:
    """(met, out of, unit) for the target mode: queue-days whose service level in
    `column` reaches the target (modes `interval` and `day`), or queue-weeks
    (Monday to Sunday, contact-weighted) for `week` (`targets_reached`)."""
    reached = targets_reached(daily, column, mode)
    return int(reached.sum()), len(reached), "queue-weeks" if mode == "week" else "queue-days"
