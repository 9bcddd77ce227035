"""`goal_seek`: the least-cost levers for a peak week or event season, from the
requirement to the report (see `scheduling.capacity` for the model)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

import scheduling.capacity.answer as answer
import scheduling.capacity.report as report
from scheduling.capacity.backlog import backlog_queues
from scheduling.capacity.columns import opened_shifts, shift_columns, team_groups
from scheduling.capacity.levels import lp_plan, period_bound
from scheduling.capacity.levers import TARGET_MODES, CapacityInputError, Levers, check_levers
from scheduling.capacity.model import Horizon, build_model, solve_model
from scheduling.capacity.overtime import read_overtime
from scheduling.capacity.plan import CapacityPlan
from scheduling.capacity.targets import interval_need
from scheduling.capacity.trim import trim_plan
from scheduling.frames import interval_minutes
from scheduling.projection import project
from scheduling.roster.inputs import Agent
from scheduling.roster.templates import ShiftSettings


def horizon_of(requirements: pd.DataFrame, cover: str = "staff") -> Horizon:
    """The requirement frame as the model reads it (sorted by queue and interval)."""
    req = requirements[["queue", "interval_start", cover, "contacts", "aht_seconds"]].copy()
    req["queue"] = req["queue"].astype(str)
    req["interval_start"] = pd.to_datetime(req["interval_start"])
    req = req.sort_values(["queue", "interval_start"], ignore_index=True)
    length = interval_minutes(req, default=60)
    origin = req["interval_start"].min().normalize()
    days = int((req["interval_start"].max().normalize() - origin).days) + 1
    dates = [origin + pd.Timedelta(days=d) for d in range(days)]
    weeks = [list(range(w, min(w + 7, days))) for w in range(0, days, 7)]
    minute = ((req["interval_start"] - origin) / pd.Timedelta(minutes=1)).to_numpy(int)
    return Horizon(req, req[cover].to_numpy(float), minute, dates, weeks, length)


def with_interval_need(horizon: Horizon, queue_settings: pd.DataFrame,
                       email_backlog: bool = False) -> Horizon:
    """The horizon with the least staff that meets each interval's target as the need
    (and what still misses it as the LP bound's floor): `targets.interval_need`; email
    as a backlog (`backlog`) unless `email_backlog` is off (then its requirement)."""
    need, floor = interval_need(horizon.req, horizon.need, queue_settings, horizon.length)
    backlog = (backlog_queues(horizon.req, queue_settings, horizon.length)
               if email_backlog else [])
    return replace(horizon, need=need, floor=floor, backlog=backlog)

# the share of `time_limit` the interval MIP gets for a day or week target: the rest
# is the period LP's bound and plan and their trims
PERIOD_MIP_SHARE = 0.25
# for a day or week target, the bound, the plans and the trims stop this many times
# `time_limit` after the goal-seek starts (the interval mode's MIP alone takes it all)
PERIOD_DEADLINE = 1.2


def goal_seek(requirements: pd.DataFrame, agents: Sequence[Agent], shifts: ShiftSettings,
              levers: Levers, queue_settings: pd.DataFrame, *, time_limit: float = 60.0,
              relative_gap: float = 0.01, cover: str = "staff", integer_team: bool = True,
              target: str = "interval", exact_need: bool = True, trim: bool = True,
              email_backlog: bool = False, target_days: int | None = None,
              progress: Callable[[float], None] | None = None) -> CapacityPlan:
    """The least-cost levers that meet each queue's requirement in every interval a
    lever can reach, with the reachable part and reasons for the rest.

    `requirements` is `scheduling.staffing.requirements` over the horizon (one week or
    an event season; weekly limits hold per 7 days from the first), `agents` today's
    team, `shifts` today's templates plus any the levers name, `queue_settings` the
    targets (for the projection of the plan). `integer_team=False` lets today's
    agents' shifts be fractional (temps, cross-skills and their shifts stay whole):
    a smaller MIP, whose team placement the roster check then makes whole. `target`
    (`TARGET_MODES`) is where the service level must reach the queue's target: every
    interval, or each queue-day or queue-week as a whole (`targets`). `exact_need`
    covers the least fractional staff that meets each interval's target
    (`targets.interval_need`) instead of the `cover` column as given. `trim` drops
    temp and overtime shifts the projection shows are not needed (`trim.trim_plan`);
    for the day and week modes also from the period LP's own plan (`levels.lp_plan`),
    keeping the cheaper; in those modes the period LP, its plan and the trims stop
    `PERIOD_DEADLINE` x `time_limit` after the call starts.
    `email_backlog` plans email as a backlog cleared by its deadline (`backlog`);
    off, email covers its per-interval requirement `staff` (with `exact_need`).
    The lower bound on cost is the LP relaxation's: every interval's need for the
    interval mode, for the day and week modes each queue-period's target over the
    first `target_days` days (all when None; `levels.period_bound`).
    Raises CapacityInputError for levers that name unknown queues or templates or
    carry negative costs.
    """
    report_ = progress or (lambda _f: None)
    t0 = time.perf_counter()
    deadline = time.monotonic() + time_limit * PERIOD_DEADLINE if target != "interval" \
        else None
    horizon = horizon_of(requirements, cover)
    if exact_need:
        horizon = with_interval_need(horizon, queue_settings, email_backlog)
    queues = sorted(set(horizon.req["queue"]))
    check_levers(levers, queues, [t.name for t in shifts.templates])
    if target not in TARGET_MODES:
        raise CapacityInputError(f"capacity: target: {target!r}; expected one of "
                                 f"{list(TARGET_MODES)}")
    opened = opened_shifts(shifts, levers)
    columns = shift_columns(opened, horizon.dates, queues)
    groups = team_groups(agents, horizon.dates, [t.name for t in shifts.templates],
                         shifts.rules.days_off_per_week)
    report_(0.05)
    model = build_model(horizon, columns, groups, levers, shifts, opened, integer_team)
    report_(0.3)
    mip_limit = time_limit if target == "interval" else time_limit * PERIOD_MIP_SHARE
    solution = solve_model(model, horizon, time_limit=mip_limit, relative_gap=relative_gap,
                           report=report_)
    report_(0.75)
    period_lp = (period_bound(model, horizon, queue_settings, target, target_days, deadline)
                 if target != "interval" else solution.bound)
    if trim:
        trimmed = []
        if target != "interval" and not math.isnan(period_lp):  # from the period LP first
            # every day of a week plan at its target: the trim takes a week's days first
            built = lp_plan(model, solution, horizon, levers, queue_settings, "day",
                            target_days, deadline=deadline)
            if built is not None:
                trimmed.append(trim_plan(built, horizon, levers, queue_settings, groups,
                                         target, deadline))
        trimmed.append(trim_plan(solution, horizon, levers, queue_settings, groups, target,
                                 deadline))
        solution = min(trimmed, key=lambda s: answer.lever_cost(s, horizon, levers, shifts))
    else:
        solution = read_overtime(solution, horizon, groups)
    report_(0.85)

    planned_staff = answer.cover(solution, horizon)
    planned = horizon.req[["queue", "interval_start"]].assign(
        required=horizon.need, planned=planned_staff, shortfall=solution.short)
    planned.attrs["interval_hours"] = horizon.hours
    lever_frame, temps, overtime, cross = answer.lever_rows(solution, horizon, levers, groups,
                                                            shifts)
    cost = answer.lever_cost(solution, horizon, levers, shifts)
    total = cost + answer.penalty(solution, horizon)
    bound = gap = float("nan")  # the period LP not solved: no bound
    if not math.isnan(period_lp):
        bound = min(period_lp, total)
        gap = max((total - bound) / total if total > 1e-9 else 0.0, 0.0)
    reasons = report.reasons(planned, horizon, opened, columns, groups, levers)
    roster = report.plan_roster(solution, horizon)
    forecast = horizon.req[["queue", "interval_start", "contacts", "aht_seconds"]]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        projection = project(roster, forecast, queue_settings,
                             interval_minutes=horizon.length,
                             proficiency=roster.attrs.get("proficiency"))
    report_(0.95)
    daily = report.daily(planned, projection, solution, horizon, levers, queue_settings)
    return CapacityPlan(lever_frame, daily, reasons, planned, roster, projection, temps,
                        overtime, cross, opened, float(cost), float(total), float(bound),
                        float(gap), solution.status, time.perf_counter() - t0,
                        groups, answer.temp_shift_rows(solution, horizon))
