"""How good and how fast are the capacity plans?

On the sample's Double 11 week (data/sample/capacity/double11_capacity.yaml):
(a) the plan's cost against its lower bound (the LP relaxation over the floor of each
    interval's need, `scheduling.capacity.targets.interval_need`, with a rounding cut
    where staff comes in whole shifts, and email's backlog at its service-level share;
    with --mode day or week, each queue-period's target with every interval's service
    level under its concave envelope, `scheduling.capacity.levels`);
(b) minimality: the temp counts and overtime allowances cut by 10% (all at once, and
    with --each one lever at a time; overtime as a tenth of the agents given an
    allowance back on their contract hours), the cut team rostered by the real engine and
    projected (with --bind: temps bound to the plan's days, starts and queues, the
    engine given the plan's staff per queue and interval; with email as a backlog, the
    engine is given the plan's email profile, email first): does it
    miss the target somewhere (a queue-day below target, or more intervals below
    target than the full plan's roster)?
(c) a planner's rule of thumb: temps = shortfall agent-hours of today's team / shift
    length (6 h), as 6-hour temps on both chat queues and email, each working 5 days,
    rostered by the same engine (which places them where it helps, so the rule is
    treated generously): cost and service level of each;
(d) wall time of the goal-seek for the week (budget 120 s) and of the 52-week hiring
    plan (budget 30 s).
Prints ratios. Times depend on the machine's load: say how loaded it was.

Usage:
  nice -n 10 .venv/bin/python benchmarks/capacity.py            (a, b all at once, c, d)
  nice -n 10 .venv/bin/python benchmarks/capacity.py --each     (b per lever as well)
  ... --email backlog|requirement   (how the goal-seek plans email; default the file's)
  ... --bind                        (temps bound to the plan's days, starts and queues)
  ... --mode day|week --time-limit S  (target mode and goal-seek seconds; default the file's)
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planning.capacity import (  # noqa: E402
    CapacityResult,
    check_by_building,
    read_capacity,
    run_capacity,
    targets_met,
)
from planning.hiring import read_long_range, run_long_range  # noqa: E402
from scheduling.capacity import Levers, goal_seek  # noqa: E402

SAMPLE = ROOT / "data" / "sample" / "capacity"
WEEK_BUDGET = 120.0
YEAR_BUDGET = 30.0


def misses(result: CapacityResult, full_below: int | None = None) -> tuple[bool, str]:
    """Whether the rostered plan misses the target somewhere, and how."""
    daily = result.daily
    low = daily[daily["service_level_rostered"] < daily["target_service_level"] - 1e-9]
    below = int(result.projection["below_target"].sum())
    parts = [f"{len(low)} queue-day(s) below target", f"{below} interval(s) below target"]
    worse = full_below is not None and below > full_below
    return bool(len(low)) or worse, ", ".join(parts)


def evenly(ids: list[str], share: float) -> list[str]:
    """`share` of `ids` (rounded up), evenly spaced: as many long as short weeks."""
    cut = math.ceil(len(ids) * share)
    step = len(ids) / cut if cut else 0
    return [ids[int(k * step)] for k in range(cut)]


def cut_team(result: CapacityResult, share: float = 0.1, lever: str | None = None
             ) -> pd.DataFrame:
    """The recommended team with temps (per template prefix) and overtime cut by `share`;
    `lever` a temp prefix or "overtime" cuts that one alone. Like temps, overtime is cut
    in whole people: `share` of the agents given an overtime allowance (rounded up,
    evenly spaced) are back on their contract hours (a tenth of every allowance, a
    fraction of an hour, would not change which shifts fit: the sample's part-time
    shifts are 4 or 6 hours)."""
    agents = result.agents.copy()
    base = result.spec.levers
    keep = []
    for t in base.temps:
        mine = agents["shifts"].str.split(";").map(
            lambda names, t=t: all(n == t.template or n.startswith(t.template + "_")
                                   for n in names))
        ids = agents["agent_id"][agents["agent_id"].str.startswith(t.prefix) & mine].tolist()
        if lever in (None, t.prefix):
            keep += evenly(ids, share)
    agents = agents[~agents["agent_id"].isin(keep)].reset_index(drop=True)
    if lever in (None, "overtime"):
        back = evenly(overtime_agents(result), share)
        contract = dict(zip(result.team["agent_id"].astype(str),
                            result.team["max_hours_week"].astype(str), strict=True))
        rows = agents["agent_id"].isin(back)
        agents.loc[rows, "max_hours_week"] = agents.loc[rows, "agent_id"].map(contract)
    return agents


def overtime_agents(result: CapacityResult) -> list[str]:
    """Today's agents the recommended team gives hours above their contract."""
    contract = dict(zip(result.team["agent_id"].astype(str),
                        pd.to_numeric(result.team["max_hours_week"]), strict=True))
    hours = pd.to_numeric(result.agents["max_hours_week"])
    mine = result.agents["agent_id"].map(contract)
    return result.agents["agent_id"][hours > mine + 1e-9].tolist()


def plan_cut(result: CapacityResult, share: float = 0.1, lever: str | None = None
             ) -> tuple[int, int]:
    """The plan itself (its shifts as a roster, no re-rostering) with every temp
    lever's shifts (or `lever`'s, a temp prefix) cut by `share` in each start and day,
    projected: (shifts cut, intervals below target in the reported days)."""
    from scheduling.projection import project

    roster = result.plan.roster
    drop = []
    for t in result.spec.levers.temps:
        if lever not in (None, t.prefix):
            continue
        mine = roster[(roster["shift"] == t.template) & roster["queue"].isin(t.queues)]
        for _, rows in mine.groupby(["date", "start", "queue"]):
            drop += rows.index[:math.ceil(len(rows) * share - 1e-9)].tolist()
    forecast = result.requirements[["queue", "interval_start", "contacts", "aht_seconds"]]
    projection = project(roster.drop(index=drop), forecast, result.queue_settings)
    days = set(result.daily["date"])
    shown = projection["interval_start"].dt.date.astype(str).isin(days)
    return len(drop), int(projection.loc[shown, "below_target"].sum())


def reach(result: CapacityResult, lever: str | None) -> pd.Series:
    """Per row of the projection: whether the plan puts a shift of the temp lever
    (`lever` a prefix; None: any temp lever) on that queue and interval."""
    roster = result.plan.roster
    spans = []
    for t in result.spec.levers.temps:
        if lever in (None, t.prefix):
            mine = roster[(roster["shift"] == t.template) & roster["queue"].isin(t.queues)]
            spans.append(mine[["queue", "start", "end"]])
    spans = pd.concat(spans, ignore_index=True).drop_duplicates()
    proj = result.projection
    hit = pd.Series(False, index=proj.index)
    for row in spans.itertuples(index=False):
        hit |= ((proj["queue"] == row.queue) & (proj["interval_start"] >= row.start)
                & (proj["interval_start"] < row.end))
    return hit


def below_in_reach(checked: CapacityResult, full: CapacityResult, lever: str | None) -> int:
    """Intervals below target in the lever's reach (as the full plan places it)."""
    key = ["queue", "interval_start"]
    mask = full.projection[key][reach(full, lever)]
    rows = checked.projection.merge(mask, on=key)
    return int(rows["below_target"].sum())


def rerostered(result: CapacityResult, agents: pd.DataFrame, bound: bool = True,
               start: bool = True) -> CapacityResult:
    """`agents` rostered by the real engine and projected; `bound`: against the plan's
    staff per queue and interval (as the recommended team is checked), else against
    the requirement; `start`: from the plan's shifts dealt out to `agents` (as the
    recommended team is checked), else from scratch."""
    spec = replace(result.spec, bind_temps=result.spec.bind_temps and bound)
    clone = CapacityResult(spec, result.plan, result.forecast, result.requirements,
                           result.queue_settings, agents, result.shifts_text, result.daily,
                           team=result.team)
    check_by_building(clone, start=start)
    first = result.daily["date"].min()
    last = result.daily["date"].max()
    clone.daily = clone.daily[(clone.daily["date"] >= first) & (clone.daily["date"] <= last)]
    return clone


def temp_cost(result: CapacityResult) -> float:
    """Paid hours of temps in the rostered plan times their hourly cost, plus overtime."""
    rates = {t.prefix: t.hourly_cost for t in result.spec.levers.temps}
    cost = 0.0
    roster = result.roster
    hours = (pd.to_datetime(roster["end"]) - pd.to_datetime(roster["start"])
             ) / pd.Timedelta(hours=1)
    for prefix, rate in sorted(rates.items(), key=lambda kv: -len(kv[0])):
        mine = roster["agent_id"].str.startswith(prefix)
        cost += float(hours[mine].sum()) * rate
        hours = hours[~mine]
        roster = roster[~mine]
    return cost


def rule_of_thumb(result: CapacityResult) -> tuple[CapacityResult, float, int]:
    """Today's team's shortfall agent-hours / 6 h = temp shifts; temps = shifts / 5."""
    spec = result.spec
    team_only = goal_seek(result.requirements, _team(result), _shifts(result), Levers(),
                          result.queue_settings, time_limit=spec.time_limit,
                          exact_need=False, trim=False)  # the planner's `staff` column
    short_hours = float(team_only.planned["shortfall"].sum()
                        * team_only.planned.attrs["interval_hours"])
    shifts = short_hours / 6.0
    count = math.ceil(shifts / 5)
    base = result.team.copy()  # today's agents, no overtime or cross-skills
    rows = [{"agent_id": f"R{k:03d}", "name": f"Rule temp {k}",
             "queues": "presales_chat;aftersales_chat;email", "min_hours_week": "0",
             "max_hours_week": "30", "max_days_week": "5", "unavailable": "",
             "shifts": "temp_6h", "team": f"R{(k - 1) // 60}"} for k in range(1, count + 1)]
    agents = pd.concat([base, pd.DataFrame(rows)], ignore_index=True).fillna("")
    # its own team from scratch (not the plan's shifts), the requirement
    checked = rerostered(result, agents, bound=False, start=False)
    roster = checked.roster
    mine = roster["agent_id"].str.startswith("R")
    paid = ((pd.to_datetime(roster["end"]) - pd.to_datetime(roster["start"]))
            / pd.Timedelta(hours=1))[mine].sum()
    return checked, float(paid) * 45.0, count


def _team(result: CapacityResult) -> list:
    from planning.roster_step import team_from_table

    return team_from_table(result.team, source="today's team")


def _shifts(result: CapacityResult):
    from planning.steps import parse_shifts

    return parse_shifts(result.shifts_text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--each", action="store_true", help="minimality per lever too")
    parser.add_argument("--skip-rule", action="store_true", help="skip (c)")
    parser.add_argument("--email", choices=("backlog", "requirement"),
                        help="how the goal-seek plans email (default: the sample file's)")
    parser.add_argument("--bind", action="store_true",
                        help="temps bound to the plan's shifts in the check roster")
    parser.add_argument("--only", metavar="LEVER", action="append",
                        help="(b) for these cuts only: 'all', a temp prefix or 'overtime'")
    parser.add_argument("--mode", choices=("interval", "day", "week"),
                        help="the target mode (default: the sample file's)")
    parser.add_argument("--time-limit", type=float,
                        help="goal-seek seconds (default: the sample file's)")
    args = parser.parse_args()
    print(f"machine load before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    spec = read_capacity(SAMPLE / "double11_capacity.yaml")
    if args.email:
        spec = replace(spec, email=args.email)
    if args.bind:
        spec = replace(spec, bind_temps=True)
    if args.mode:
        spec = replace(spec, target=args.mode)
    if args.time_limit:
        spec = replace(spec, time_limit=args.time_limit)
    print(f"target mode: {spec.target}; email planned as: {spec.email}; temps bound to "
          f"the plan's shifts: {spec.bind_temps}")
    t0 = time.perf_counter()
    result = run_capacity(spec)
    total = time.perf_counter() - t0
    plan = result.plan
    print("\n(a) cost against the lower bound")
    print(f"  cost {plan.cost:,.0f}, lower bound {plan.bound:,.0f}, gap {plan.gap:.2%} "
          f"({plan.status}); ratio cost/bound {plan.cost / plan.bound:.3f}"
          f" -> {'within' if plan.gap <= 0.05 else 'OVER'} the 5% budget")
    ot_cost = plan.levers.loc[plan.levers["lever"] == "overtime", "cost"].sum()
    print(f"  overtime {sum(plan.overtime_hours.values()):,.1f} h ({ot_cost:,.0f}) for "
          f"{len(overtime_agents(result))} agents; temps {sum(plan.temps.values())}")
    print(f"  goal-seek {plan.seconds:.1f} s (load {os.getloadavg()[0]:.1f}); "
          + "; ".join("{} {} of {} {}".format(name, *targets_met(result.daily, column,
                                                                 spec.target))
                      for name, column in (("planned", "service_level_planned"),
                                           ("rostered", "service_level_rostered"))))
    full_miss, full_text = misses(result)
    full_below = int(result.projection["below_target"].sum())
    print(f"  rostered plan: {full_text}; meets every queue-day: {not full_miss}")
    shown = plan.projection["interval_start"].dt.date.astype(str).isin(set(result.daily["date"]))
    planned_below = int(plan.projection.loc[shown, "below_target"].sum())
    print(f"  planned (the plan as a roster, projected): {planned_below} interval(s) below "
          f"target; {len(plan.reasons)} interval(s) no lever can reach")

    print("\n(b) minimality of the plan: each temp lever's shifts cut by 10% (every start "
          "and day), projected as planned")
    for lever in [None] + [t.prefix for t in spec.levers.temps]:
        cut, below = plan_cut(result, 0.1, lever)
        if not cut:
            print(f"  {lever}: no shifts in the plan, nothing to cut")
            continue
        print(f"  {lever or 'all temp levers'}: {cut} shifts cut; {below} interval(s) below "
              f"target (full plan: {planned_below}); misses the target somewhere: "
              f"{below > planned_below}")
    print("\n(b) minimality: cut by 10% and re-rostered")
    cases = [None]
    if args.each:
        cases += [t.prefix for t in spec.levers.temps] + ["overtime"]
    if args.only:
        cases = [None if c == "all" else c for c in args.only]
    if not result.plan.overtime_hours:
        print("  (the plan uses no overtime: nothing to cut there)")
    for lever in cases:
        if lever == "overtime" and not result.plan.overtime_hours:
            continue
        if lever == "overtime":
            ids = overtime_agents(result)
            print(f"  overtime: {len(ids)} agents with an allowance; "
                  f"{math.ceil(len(ids) * 0.1)} back on their contract hours")
        if lever not in (None, "overtime") and not result.agents["agent_id"].str.startswith(
                lever).any():
            print(f"  {lever}: no temps in the recommended team, nothing to cut")
            continue
        try:
            cut = rerostered(result, cut_team(result, 0.1, lever))
        except Exception as exc:  # noqa: BLE001 - report and go on with the next case
            print(f"  {lever or 'all temps and overtime'}: the roster failed "
                  f"({type(exc).__name__}: {exc})")
            continue
        missed, text = misses(cut, full_below)
        if lever != "overtime":
            near, near_full = below_in_reach(cut, result, lever), below_in_reach(
                result, result, lever)
            text += (f"; in the reach of the cut lever's shifts {near} below target "
                     f"(full plan {near_full})")
            missed = missed or near > near_full
        print(f"  {lever or 'all temps and overtime'}: {len(cut.agents)} agents; {text}; "
              f"misses the target somewhere: {missed}")

    if not args.skip_rule:
        print("\n(c) against the rule of thumb (shortfall agent-hours / 6 h shifts)")
        rule, rule_cost, count = rule_of_thumb(result)
        ours = temp_cost(result)
        for name, res, cost in (("goal-seek", result, ours), ("rule of thumb", rule,
                                                               rule_cost)):
            d = res.daily
            sl = (d["service_level_rostered"] * d["contacts"]).sum() / d["contacts"].sum()
            met = int((d["service_level_rostered"] >= d["target_service_level"]).sum())
            print(f"  {name}: rostered temp cost {cost:,.0f}; contact-weighted service level "
                  f"{sl:.1%}; queue-days meeting the target {met}/{len(d)}; worst "
                  f"{d['service_level_rostered'].min():.1%}")
        print(f"  rule of thumb temps: {count}; cost ratio goal-seek/rule "
              f"{ours / rule_cost if rule_cost else float('nan'):.2f}")

    print("\n(d) wall time")
    print(f"  goal-seek for the week: {plan.seconds:.1f} s (budget {WEEK_BUDGET:.0f} s, ratio "
          f"{plan.seconds / WEEK_BUDGET:.2f}); with forecast, roster check and projection "
          f"{total:.0f} s")
    t0 = time.perf_counter()
    long_range = run_long_range(read_long_range(SAMPLE / "long_range.yaml"))
    year = time.perf_counter() - t0
    print(f"  52-week hiring plan: {year:.1f} s (budget {YEAR_BUDGET:.0f} s, ratio "
          f"{year / YEAR_BUDGET:.2f}); {long_range.summary['classes']} classes, "
          f"{long_range.summary['hires']} hires, gap {long_range.summary['gap']}")
    print(f"machine load after the run: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
