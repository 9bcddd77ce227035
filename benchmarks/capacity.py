"""How good and how fast are the capacity plans?

On the sample's Double 11 week (data/sample/capacity/double11_capacity.yaml):
(a) the plan's cost against its lower bound (the LP relaxation over the floor of each
    interval's need, `scheduling.capacity.targets.interval_need`, with a rounding cut
    where staff comes in whole shifts, and email's backlog at its service-level share;
    with --mode day or week, each queue-period's target with every interval's service
    level under its concave envelope, `scheduling.capacity.levels`);
(b) minimality: each lever of the answer (a temp lever's people, overtime's agents
    given an allowance) cut by 10%, the people it needs least (as trim by building
    cuts, `planning.capacity_check.cut_people`), all at once and with --each one lever
    at a time; the cut team rostered again by the real engine from the answer's roster
    (with --from-plan: from the plan's shifts dealt out to it, as the check starts) and
    projected: does it miss the target somewhere (an interval or queue-day below target
    that the answer's roster has on target)? Trim by building (`wfm capacity`) already
    tried these cuts on the answer: its log is printed first;
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
  ... --from-plan                   ((b) re-rostered from the plan's shifts dealt out)
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

from planning.capacity import read_capacity, run_capacity  # noqa: E402
from planning.capacity_check import (  # noqa: E402
    OVERTIME,
    check_by_building,
    cut_people,
    cut_team,
    lever_people,
    misses,
    recheck,
)
from planning.capacity_result import CapacityResult, targets_met  # noqa: E402
from planning.hiring import read_long_range, run_long_range  # noqa: E402
from scheduling.capacity import Levers, goal_seek  # noqa: E402

SAMPLE = ROOT / "data" / "sample" / "capacity"
WEEK_BUDGET = 120.0
YEAR_BUDGET = 30.0


def cut_levers(result: CapacityResult, levers: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """The recommended team with each of `levers` cut by a tenth of its people, as trim by
    building cuts one (`planning.capacity_check.cut_people`), and the people cut."""
    agents, gone = result.agents, []
    for lever in levers:
        people = cut_people(result, lever)
        agents = cut_team(replace(result, agents=agents), lever, people)
        gone += people
    return agents, gone


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


def rerostered(result: CapacityResult, agents: pd.DataFrame, bound: bool = True,
               start: bool = True) -> CapacityResult:
    """`agents` rostered by the real engine and projected; `bound`: against the plan's
    staff per queue and interval (as the recommended team is checked), else against
    the requirement; `start`: from the plan's shifts dealt out to `agents` (as the
    recommended team is checked), else from scratch."""
    spec = replace(result.spec, bind_temps=result.spec.bind_temps and bound)
    clone = check_by_building(replace(result, spec=spec, agents=agents, cuts=[]),
                              start=start)
    clone.daily = clone.daily[clone.daily["date"].isin(set(result.daily["date"]))]
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
    parser.add_argument("--from-plan", action="store_true",
                        help="(b) re-rostered from the plan's shifts dealt out, not the "
                             "answer's roster")
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
          f"{len(lever_people(result, OVERTIME))} agents; temps {sum(plan.temps.values())}")
    print(f"  goal-seek {plan.seconds:.1f} s (load {os.getloadavg()[0]:.1f}); "
          + "; ".join("{} {} of {} {}".format(name, *targets_met(result.daily, column,
                                                                 spec.target))
                      for name, column in (("planned", "service_level_planned"),
                                           ("rostered", "service_level_rostered"))))
    below = int(result.projection["below_target"].sum())
    low = targets_met(result.daily, "service_level_rostered", spec.target)
    print(f"  rostered plan: {below} interval(s) below target; on target {low[0]} of "
          f"{low[1]} {low[2]}")
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
    print("\n(b) trim by building (wfm capacity): cuts tried on the recommended team")
    for c in result.cuts:
        print(f"  {c.lever}: {c.before} -> {c.before - len(c.people)} "
              + (f"({'people' if c.lever != OVERTIME else 'agents on contract hours'}) "
                 "kept: misses nowhere" if c.kept else f"misses: {c.missed}"))
    print("\n(b) minimality: the answer's levers cut by 10% (the people it needs least) "
          "and re-rostered" + (" from the plan's shifts dealt out" if args.from_plan
                               else " from its roster"))
    levers = [lv for lv in [t.prefix for t in spec.levers.temps] + [OVERTIME]
              if lever_people(result, lv)]
    cases = [None] + (levers if args.each else [])
    if args.only:
        cases = [None if c == "all" else c for c in args.only]
    for lever in cases:
        agents, gone = cut_levers(result, levers if lever is None else [lever])
        try:
            cut = (rerostered(result, agents) if args.from_plan
                   else recheck(result, agents, gone))
        except Exception as exc:  # noqa: BLE001 - report and go on with the next case
            print(f"  {lever or 'all levers'}: the roster failed ({type(exc).__name__}: {exc})")
            continue
        missed = misses(cut, result)
        people = len(lever_people(result, lever)) if lever else None
        print(f"  {lever or 'all levers'}: {len(gone)} cut"
              + (f" of {people}" if people else "") + f"; misses the target somewhere: "
              f"{bool(missed)}" + (f" ({missed})" if missed else ""))

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
