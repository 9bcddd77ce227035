"""Long-range hiring plan: weekly classes of new hires over up to 52 weeks.

The textbook multi-period manpower model (H. P. Williams, *Model Building in
Mathematical Programming*, "Manpower planning"), for a contact centre: the people
employed in a week are last week's times (1 - attrition) plus the class that
starts that week; a class starts no earlier than the hiring lead time, is trained
for `training_weeks` without productivity, then ramps (`ramp`, e.g. 0.5, 0.75,
1.0) to full productivity. Productive FTE plus temps (up to what is available each
week) must cover the weekly FTE requirement; what cannot be covered is a shortfall
at a penalty and reported. Classes are empty or between `class_min` and
`class_max` people. Cost: per hire, per FTE-week employed (trainees included) and
per temp-week. Solved as a MIP with OR-Tools (SCIP), with its LP relaxation as the
lower bound. Pure functions of frames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from ortools.linear_solver import pywraplp

HIRING_COLUMNS = ("class_start", "week", "hires", "productive_from", "fully_productive_from",
                  "cost")
"""One row per hiring class: the week it starts (date and index), people, and when
they first count (after training) and count in full (after the ramp)."""
WEEKLY_COLUMNS = ("week_start", "week", "required_fte", "headcount", "productive_fte",
                  "temps", "available_fte", "shortfall_fte", "hires_starting", "cost")
"""One row per week of the long-range plan: FTE required against available."""
WEEKLY_REQUIREMENT_COLUMNS = ("week_start", "required_fte")
"""The long-range requirement: FTE needed per week (weeks start on Monday)."""
SHORT_PENALTY = 1_000_000.0


class HiringInputError(ValueError):
    """A long-range plan that cannot be solved as given; names the field."""


@dataclass(frozen=True)
class HiringPolicy:
    """The rules and costs of hiring (weeks are the plan's weeks)."""

    headcount: float
    attrition_per_week: float
    lead_time_weeks: int
    training_weeks: int
    ramp: tuple[float, ...]
    class_min: int
    class_max: int
    cost_per_hire: float
    cost_per_fte_week: float
    temp_cost_per_week: float = 0.0
    max_classes: int | None = None


@dataclass
class HiringPlan:
    """The plan: `hiring` (HIRING_COLUMNS), `weekly` (WEEKLY_COLUMNS), total cost, the
    LP bound and gap, solver status and seconds."""

    hiring: pd.DataFrame
    weekly: pd.DataFrame
    cost: float
    bound: float
    gap: float
    status: str
    shortfall_fte_weeks: float


def check_policy(policy: HiringPolicy, source: str = "long-range plan") -> None:
    """Refuse a policy that cannot be planned with, naming `source` and the field."""
    def bad(where: str, msg: str) -> HiringInputError:
        return HiringInputError(f"{source}: {where}: {msg}")

    for name in ("cost_per_hire", "cost_per_fte_week", "temp_cost_per_week", "headcount"):
        value = getattr(policy, name)
        if not math.isfinite(value) or value < 0:
            raise bad(name, f"{value!r} is negative; expected a number >= 0")
    if not 0 <= policy.attrition_per_week < 1:
        raise bad("attrition_per_week", f"{policy.attrition_per_week!r}; expected a share "
                  "from 0 to below 1, e.g. 0.004 (about 20% a year)")
    if policy.lead_time_weeks < 0 or policy.training_weeks < 0:
        raise bad("lead_time_weeks", "lead time and training weeks must be >= 0")
    if policy.class_min < 0 or policy.class_max < 1:
        raise bad("class_size", "expected min >= 0 and max >= 1")
    if policy.class_min > policy.class_max:
        raise bad("class_size.min", f"{policy.class_min} is above class_size.max "
                  f"{policy.class_max}")
    if not policy.ramp or abs(policy.ramp[-1] - 1.0) > 1e-9:
        raise bad("ramp", f"{list(policy.ramp)} must end at 1.0 (100% productive)")
    if any(not 0 <= r <= 1 for r in policy.ramp) or any(
            b < a for a, b in zip(policy.ramp, policy.ramp[1:], strict=False)):
        raise bad("ramp", f"{list(policy.ramp)}: expected shares from 0 to 1, not falling")


def productivity(policy: HiringPolicy, age: int) -> float:
    """Share of an FTE a hire gives `age` weeks after the class starts."""
    if age < policy.training_weeks:
        return 0.0
    k = age - policy.training_weeks
    return policy.ramp[k] if k < len(policy.ramp) else 1.0


def weekly_requirements(requirements: pd.DataFrame, fte_hours: float = 40.0,
                        column: str = "staff") -> pd.DataFrame:
    """Weekly FTE required from an interval requirements frame: staff-hours per week
    (weeks from Monday) over `fte_hours` paid hours per FTE."""
    frame = requirements[["interval_start", column]].copy()
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    stamps = np.sort(frame["interval_start"].unique())
    steps = np.diff(stamps)
    hours = (pd.Timedelta(steps[steps > np.timedelta64(0)].min()) / pd.Timedelta(hours=1)
             if len(steps) else 1.0)
    day = frame["interval_start"].dt.normalize()
    frame["week_start"] = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    out = frame.groupby("week_start")[column].sum().mul(hours / fte_hours)
    return out.rename("required_fte").reset_index()[list(WEEKLY_REQUIREMENT_COLUMNS)]


def plan_hiring(weekly: pd.DataFrame, policy: HiringPolicy,
                temps_available: pd.Series | float = 0.0, *, time_limit: float = 30.0,
                relative_gap: float = 1e-4) -> HiringPlan:
    """The least-cost hiring classes and temps covering the weekly FTE requirement.

    `weekly` has `WEEKLY_REQUIREMENT_COLUMNS` (one row per week, in order);
    `temps_available` the most temps (FTE) per week, a number or a series aligned with
    `weekly`. Weeks the requirement cannot be met (before a class could be productive)
    keep a shortfall, reported per week.
    """
    check_policy(policy)
    req = weekly["required_fte"].to_numpy(float)
    weeks = len(req)
    if weeks == 0:
        raise HiringInputError("long-range plan: no weeks to plan")
    temps_cap = (np.full(weeks, float(temps_available))
                 if np.isscalar(temps_available) else np.asarray(temps_available, float))
    keep = (1.0 - policy.attrition_per_week) ** np.arange(weeks)
    mip = pywraplp.Solver.CreateSolver("SCIP")
    lp = pywraplp.Solver.CreateSolver("GLOP")
    results = []
    for solver, integer in ((lp, False), (mip, True)):
        inf = solver.infinity()
        hires, opened = {}, {}
        for s in range(policy.lead_time_weeks, weeks):
            if integer:
                hires[s] = solver.IntVar(0, policy.class_max, f"h{s}")
                opened[s] = solver.BoolVar(f"o{s}")
            else:
                hires[s] = solver.NumVar(0, policy.class_max, f"h{s}")
                opened[s] = solver.NumVar(0, 1, f"o{s}")
            solver.Add(hires[s] <= policy.class_max * opened[s])
            solver.Add(hires[s] >= policy.class_min * opened[s])
        if policy.max_classes is not None and opened:
            solver.Add(sum(opened.values()) <= policy.max_classes)
        temps = [solver.NumVar(0, max(temps_cap[t], 0.0), f"temp{t}") for t in range(weeks)]
        short = [solver.NumVar(0, inf, f"short{t}") for t in range(weeks)]
        cost = 0
        for t in range(weeks):
            productive = sum(hires[s] * keep[t - s] * productivity(policy, t - s)
                             for s in hires if s <= t)
            solver.Add(policy.headcount * keep[t] + productive + temps[t] + short[t] >= req[t])
            headcount = sum(hires[s] * keep[t - s] for s in hires if s <= t)
            cost += policy.cost_per_fte_week * headcount
            cost += policy.temp_cost_per_week * temps[t] + SHORT_PENALTY * short[t]
        cost += policy.cost_per_hire * sum(hires.values())
        solver.Minimize(cost)
        solver.SetTimeLimit(int(time_limit * 1000))
        if integer:
            params = pywraplp.MPSolverParameters()
            params.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, relative_gap)
            status = solver.Solve(params)
        else:
            status = solver.Solve()
        results.append((solver, status, hires, temps, short))
    lp_solver, lp_status, *_ = results[0]
    solver, status, hires, temps, short = results[1]
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        raise HiringInputError(f"long-range plan: no plan found within {time_limit:g} s")
    base_cost = policy.cost_per_fte_week * policy.headcount * keep.sum()
    bound = lp_solver.Objective().Value() if lp_status == pywraplp.Solver.OPTIMAL else 0.0
    bound = max(bound, solver.Objective().BestBound())
    total = solver.Objective().Value()
    h = np.zeros(weeks)
    for s, v in hires.items():
        h[s] = round(v.solution_value())
    tmp = np.array([v.solution_value() for v in temps])
    sh = np.array([v.solution_value() for v in short])
    starts = pd.to_datetime(weekly["week_start"]).reset_index(drop=True)
    rows = []
    for s in np.flatnonzero(h > 0):
        first = next((a for a in range(weeks) if productivity(policy, a) > 0), 0)
        full = policy.training_weeks + len(policy.ramp) - 1
        rows.append({"class_start": starts[s].date().isoformat(), "week": int(s),
                     "hires": int(h[s]),
                     "productive_from": (starts[s] + pd.Timedelta(weeks=first)).date()
                     .isoformat(),
                     "fully_productive_from": (starts[s] + pd.Timedelta(weeks=full)).date()
                     .isoformat(),
                     "cost": float(h[s] * policy.cost_per_hire)})
    hiring = pd.DataFrame(rows, columns=list(HIRING_COLUMNS))
    weekly_rows = []
    for t in range(weeks):
        head = policy.headcount * keep[t] + sum(h[s] * keep[t - s] for s in range(t + 1))
        prod = policy.headcount * keep[t] + sum(h[s] * keep[t - s] * productivity(policy, t - s)
                                                for s in range(t + 1))
        weekly_rows.append({
            "week_start": starts[t].date().isoformat(), "week": t, "required_fte": req[t],
            "headcount": head, "productive_fte": prod, "temps": tmp[t],
            "available_fte": prod + tmp[t], "shortfall_fte": sh[t] if sh[t] > 1e-6 else 0.0,
            "hires_starting": int(h[t]),
            "cost": policy.cost_per_fte_week * head + policy.temp_cost_per_week * tmp[t]
            + policy.cost_per_hire * h[t]})
    weekly_out = pd.DataFrame(weekly_rows, columns=list(WEEKLY_COLUMNS))
    penalty = SHORT_PENALTY * float(sh.sum())
    cost = total - penalty + base_cost
    gap = (total - bound) / total if total > 1e-9 else 0.0
    status_text = "optimal" if status == pywraplp.Solver.OPTIMAL else "feasible"
    return HiringPlan(hiring, weekly_out, float(cost), float(bound - penalty + base_cost),
                      float(max(gap, 0.0)), status_text, float(sh.sum()))
