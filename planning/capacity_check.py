"""Checked by building: the recommended team rostered by the real engine and projected
(`check_by_building`), then trimmed by building (`trim_by_building`).

The goal-seek prices a temp lever by the hour (and a fee, often none), so among plans
of about one cost it barely tells 36 temps from 32, and it stops at its time limit
with a gap of a few per cent. The roster engine, moving today's agents' days, starts
and breaks, can often fill the hole a few people fewer leave. So after the check each
lever is cut by a share of its people (`CUT_SHARE`, rounded up): a temp lever's people
with the fewest rostered hours leave the team; for overtime, the agents given an
allowance whose rostered weeks go least above their contract are back on their
contract hours. The team is rostered again from the checked roster without them
(the weeks that still fit are the start; the engine re-plans the rest) and
projected. A cut that leaves no interval or queue-day below target that was on
target before is kept, and the lever cut again; the first cut that misses ends the
lever. Overtime goes first, all of it at once (a few hours at a premium, on people
who are there anyway), then a tenth at a time if that misses; then the temp levers,
the smallest first (one not needed at all goes before the others are judged).
Passes repeat while a cut is kept after another lever's last miss (that miss was
judged on a larger team), so on the team that comes out, each lever's next cut was
tried on that very team and missed: the minimality `benchmarks/capacity.py` (b)
measures. `max_trials` caps the re-rosters.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from planning.capacity_result import CapacityResult, Cut, daily_frame, targets_reached
from planning.capacity_team import (
    email_first,
    email_profile,
    even_priorities,
    overtime_members,
    plan_profile,
    plan_shifts,
)
from planning.roster_step import roster_step, team_from_table
from planning.steps import parse_shifts, projection_step
from scheduling.roster.inputs import proficiency_table

CUT_SHARE = 0.1
"""The share of a lever's people one cut takes (rounded up)."""
MAX_TRIALS = 12
"""Re-rosters `trim_by_building` makes at most."""
OVERTIME = "overtime"


def check_by_building(result: CapacityResult,
                      progress: Callable[[float], None] | None = None,
                      mapper: Callable[[Callable, list], list] | None = None,
                      start: bool = True, roster: pd.DataFrame | None = None,
                      bound: bool = True) -> CapacityResult:
    """Roster the recommended team with the real roster engine and project it; fills
    `roster`, `projection`, `outcome` and the rostered columns of `daily`. The engine
    starts from the plan's own shifts dealt out to the team (`start_shifts` of
    `roster_step`; `start=False`: from scratch, for a team that is not the plan's) on
    deterministic time, so the check of a plan is repeatable and never worse than the
    plan as the engine judges a roster. `roster`: start from this roster instead (the
    weeks of it that still fit the team: a checked team with a few people cut);
    `bound=False` spares the engine its lower bound on under-staffing (a trial roster:
    the bound is not read)."""
    plan = result.plan
    outsourced = plan.roster[plan.roster["shift"] == "outsourcer"]
    req = result.requirements.copy()
    if result.spec.bind_temps:
        req = plan_profile(req, plan)
    elif result.spec.email == "backlog":
        req = email_profile(req, plan, result.queue_settings)
    if not outsourced.empty:
        counts = outsourced.groupby(["queue", "start"]).size()
        key = pd.MultiIndex.from_frame(req[["queue", "interval_start"]])
        less = counts.reindex(key).fillna(0).to_numpy() / (
            1 - result.queue_settings.set_index("queue")["shrinkage"].reindex(
                req["queue"]).to_numpy(float))
        req["staff"] = (req["staff"] - less).clip(lower=0).round().astype(int)
    text = result.shifts_text
    if result.spec.bind_temps:
        text = even_priorities(text)
    elif result.spec.email == "backlog":
        text = email_first(text, result.queue_settings)
    shifts = parse_shifts(text)
    team = team_from_table(result.agents, source="recommended team")
    # the plan's own shifts dealt out to the team are the roster's start, which the
    # engine only improves: the check is as good as the plan or better as it judges
    outcome = roster_step(req, team, shifts, time_limit=result.spec.roster_time_limit,
                          seed=result.spec.scenario.seed, deterministic=True,
                          progress=progress, mapper=mapper, start=roster, bound=bound,
                          start_shifts=plan_shifts(plan, result.spec.levers,
                                                   result.spec.bind_temps)
                          if start and roster is None else None)
    roster = outcome.roster
    if not outsourced.empty:
        roster = pd.concat([roster, outsourced], ignore_index=True)
    projection = projection_step(roster, result.forecast, result.queue_settings,
                                 proficiency=proficiency_table(team))
    result.roster, result.projection, result.outcome = outcome.roster, projection, outcome
    result.daily = daily_frame(plan, projection, result.queue_settings)
    return result


def contract_hours(result: CapacityResult) -> pd.Series:
    """Today's agents' contract hours a week (`max_hours_week` as the scenario has it,
    text), by agent id."""
    team = result.team
    return pd.Series(team["max_hours_week"].astype(str).to_numpy(),
                     index=team["agent_id"].astype(str))


def lever_people(result: CapacityResult, lever: str) -> list[str]:
    """The recommended team's people of `lever`: a temp lever's temps (its prefix and
    its template, or the template bound to a start), or for "overtime" today's agents
    given hours above their contract."""
    agents = result.agents
    ids = agents["agent_id"].astype(str)
    if lever == OVERTIME:
        contract = pd.to_numeric(contract_hours(result))
        hours = pd.to_numeric(agents["max_hours_week"])
        return ids[hours > ids.map(contract) + 1e-9].tolist()
    t = next(t for t in result.spec.levers.temps if t.prefix == lever)
    mine = agents["shifts"].astype(str).str.split(";").map(
        lambda names: all(n == t.template or n.startswith(t.template + "_") for n in names))
    return ids[ids.str.startswith(t.prefix) & mine].tolist()


def cut_people(result: CapacityResult, lever: str, share: float = CUT_SHARE) -> list[str]:
    """`share` of the lever's people (rounded up) the checked roster needs least: temps
    with the fewest rostered hours; overtime agents whose rostered hours go least above
    their contract (ties by agent id)."""
    people = lever_people(result, lever)
    roster = result.roster
    hours = ((pd.to_datetime(roster["end"]) - pd.to_datetime(roster["start"]))
             / pd.Timedelta(hours=1)).groupby(roster["agent_id"].astype(str)).sum()
    if lever == OVERTIME:
        contract = pd.to_numeric(contract_hours(result))
        need = {a: hours.get(a, 0.0) - contract[a] for a in people}
    else:
        need = {a: hours.get(a, 0.0) for a in people}
    return sorted(people, key=lambda a: (need[a], a))[:math.ceil(len(people) * share - 1e-9)]


def cut_team(result: CapacityResult, lever: str, people: list[str]) -> pd.DataFrame:
    """The recommended team with `people` of `lever` cut: temps out, overtime agents
    back on their contract hours."""
    agents = result.agents
    if lever != OVERTIME:
        return agents[~agents["agent_id"].isin(people)].reset_index(drop=True)
    agents = agents.copy()
    rows = agents["agent_id"].isin(people)
    agents.loc[rows, "max_hours_week"] = agents.loc[rows, "agent_id"].map(
        contract_hours(result))
    return agents


def recheck(result: CapacityResult, agents: pd.DataFrame, people: list[str],
            mapper: Callable[[Callable, list], list] | None = None) -> CapacityResult:
    """`agents` (the team with `people` cut) rostered again from the checked roster
    without `people`'s weeks, and projected."""
    trial = replace(result, agents=agents)
    start = result.roster[~result.roster["agent_id"].isin(people)]
    return check_by_building(trial, mapper=mapper, roster=start, bound=False)


def misses(trial: CapacityResult, before: CapacityResult) -> str:
    """Where `trial` misses the target that `before` met, in the target mode: queue-days
    (queue-weeks for `week`) below target now that were not, and for the `interval`
    mode intervals too (on the days `before` reports); "" when nowhere."""
    mode = before.spec.target
    shown = set(before.daily["date"])

    def low(result: CapacityResult) -> set:
        reached = targets_reached(result.daily[result.daily["date"].isin(shown)],
                                  "service_level_rostered", mode)
        return set(reached.index[~reached.to_numpy()])

    periods = len(low(trial) - low(before))
    unit = "queue-week(s)" if mode == "week" else "queue-day(s)"
    if mode != "interval":
        return f"{periods} {unit} newly below target" if periods else ""
    key = ["queue", "interval_start"]

    def below(projection: pd.DataFrame) -> pd.DataFrame:
        day = projection["interval_start"].dt.date.astype(str)
        return projection.loc[projection["below_target"] & day.isin(shown), key]

    new = below(trial.projection).merge(below(before.projection), on=key, how="left",
                                        indicator=True)
    intervals = int((new["_merge"] == "left_only").sum())
    parts = [f"{intervals} interval(s)"] * bool(intervals) + [f"{periods} {unit}"] * bool(periods)
    return " and ".join(parts) + " newly below target" if parts else ""


def trim_by_building(result: CapacityResult, share: float = CUT_SHARE,
                     max_trials: int = MAX_TRIALS, levers: list[str] | None = None,
                     progress: Callable[[float], None] | None = None,
                     mapper: Callable[[Callable, list], list] | None = None) -> list[Cut]:
    """Cut each lever's people while the re-rostered team still meets every target the
    checked team met (see the module notes); `result` takes the team, roster,
    projection and daily of the last kept cut, and its plan the lever counts
    (`recount`). `levers`: these only (temp prefixes or "overtime"; default all).
    Returns the cuts tried, in order."""
    report = progress or (lambda _f: None)
    if levers is None:  # overtime, then the smallest levers: a lever cut whole goes early
        temps = sorted((t.prefix for t in result.spec.levers.temps),
                       key=lambda p: len(lever_people(result, p)))
        levers = [OVERTIME] + temps
    cuts: list[Cut] = []
    settled: dict[str, int] = {}  # lever -> cuts kept when its last cut missed
    shown = set(result.daily["date"])  # the days reported (not the run-out days)
    while len(cuts) < max_trials:
        open_ = [lv for lv in levers if settled.get(lv, -1) < sum(c.kept for c in cuts)
                 and lever_people(result, lv)]
        if not open_:
            break
        for lever in open_:
            whole = lever == OVERTIME and not any(c.lever == lever for c in cuts)
            while len(cuts) < max_trials:
                before = len(lever_people(result, lever))
                people = (lever_people(result, lever) if whole
                          else cut_people(result, lever, share))
                report(len(cuts) / max_trials)
                trial = recheck(result, cut_team(result, lever, people), people, mapper)
                cuts.append(Cut(lever, before, tuple(people), misses(trial, result)))
                if not cuts[-1].kept:
                    if whole:  # not all of it: a tenth at a time
                        whole = False
                        continue
                    settled[lever] = sum(c.kept for c in cuts)
                    break
                recount(result, lever, people)
                result.agents, result.roster = trial.agents, trial.roster
                result.projection, result.outcome = trial.projection, trial.outcome
                result.daily = trial.daily[trial.daily["date"].isin(shown)].reset_index(
                    drop=True)
                if len(people) >= before:
                    settled[lever] = sum(c.kept for c in cuts)
                    break
    report(1.0)
    return cuts


def cut_summary(result: CapacityResult) -> list[dict]:
    """Per lever trim by building tried, in order: its name (a temp lever's template and
    queues), people before and after, whether its last cut missed (so the lever is
    minimal: one more cut misses somewhere), where, and how many people that cut took."""
    names = {t.prefix: f"{t.template} ({', '.join(t.queues)})"
             for t in result.spec.levers.temps}
    out = []
    for lever in dict.fromkeys(c.lever for c in result.cuts):
        mine = [c for c in result.cuts if c.lever == lever]
        kept = sum(len(c.people) for c in mine if c.kept)
        out.append({"lever": names.get(lever, lever), "overtime": lever == OVERTIME,
                    "before": mine[0].before, "after": mine[0].before - kept,
                    "minimal": not mine[-1].kept, "missed": mine[-1].missed,
                    "last_cut": len(mine[-1].people)})
    return out


def recount(result: CapacityResult, lever: str, people: list[str]) -> None:
    """The plan's lever counts, hours and cost with `people` of `lever` cut from the
    recommended team (before `result.agents` drops them): a temp lever's count and
    fee; overtime hours of the agents' groups at the overtime rate. The plan's shifts
    (`levers` rows "temp shifts") stay the goal-seek's: the roster is the team's."""
    plan, levers = result.plan, result.spec.levers
    frame = plan.levers.copy()
    saved = 0.0
    if lever != OVERTIME:
        t = next(t for t in levers.temps if t.prefix == lever)
        row = ((frame["lever"] == "temps") & (frame["template"] == t.template)
               & (frame["queue"] == ";".join(t.queues)))
        frame.loc[row, "count"] = frame.loc[row, "count"] - len(people)
        frame.loc[row, "cost"] = frame.loc[row, "count"] * t.fee
        plan.temps[t.template] = plan.temps.get(t.template, 0) - len(people)
        saved = len(people) * t.fee
    else:
        contract = pd.to_numeric(contract_hours(result))
        hours = dict(zip(result.agents["agent_id"].astype(str),
                         pd.to_numeric(result.agents["max_hours_week"]), strict=True))
        rows = frame.index[frame["lever"] == OVERTIME].tolist()
        for k, (key, members) in enumerate(overtime_members(plan).items()):
            less = sum(hours[a] - contract[a] for a in people if a in members)
            old = plan.overtime_hours[key]
            plan.overtime_hours[key] = max(old - less, 0.0)  # allowances are whole steps
            frame.loc[rows[k], "hours"] = plan.overtime_hours[key]
            frame.loc[rows[k], "cost"] = plan.overtime_hours[key] * levers.overtime.rate
            saved += (old - plan.overtime_hours[key]) * levers.overtime.rate
    gone = (((frame["lever"] == "temps") & (frame["count"] <= 0))
            | ((frame["lever"] == OVERTIME) & (frame["hours"] <= 1e-9)))
    plan.levers = frame[~gone].reset_index(drop=True)
    plan.overtime_hours = {k: h for k, h in plan.overtime_hours.items() if h > 1e-9}
    plan.cost -= saved
    plan.objective -= saved
    if plan.objective > 1e-9 and not math.isnan(plan.gap):
        plan.bound = min(plan.bound, plan.objective)
        plan.gap = max((plan.objective - plan.bound) / plan.objective, 0.0)
