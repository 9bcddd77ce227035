"""Capacity plans: read a capacity scenario, goal-seek the levers, check by building it.

A capacity scenario is a scenario file (`planning.scenarios`) with a `capacity:`
section, or a small file naming a scenario with `scenario:` and adding the section.
Volume, AHT, deflection, targets and the base team come from the scenario as given;
the section lists the levers the planner allows, their limits and costs:

```yaml
name: Double 11 - least-cost levers
scenario: ../scenarios/double11_base.yaml   # or the scenario's own keys here
capacity:
  target: interval              # interval (every interval a lever can reach), day or week
                                # (each queue's day or week as a whole)
  time_limit: 90                # seconds for the goal-seek model
  roster_time_limit: 30         # seconds (deterministic) for the check roster
  run_out_days: 1               # plan a day past the horizon (email deadlines), not reported
  integer_team: true            # false: today's agents' shifts fractional in the goal-seek
                                # (a much smaller MIP; the roster check makes them whole)
  bind_temps: false             # true: each temp works the plan's days, start, queue
  trim_by_building: true        # cut each lever by a tenth and re-roster until a cut
                                # misses (planning.capacity_check)
  email: backlog                # cleared by its deadline, the check roster given the
                                # plan's email profile; or requirement (each interval's)
  templates:                    # new shift templates (the shifts.yaml format)
    night_4h: {earliest_start: "00:00", latest_start: "00:00", lengths: ["4:00"],
               days: [wed]}
  opening_hours:                # hours a queue may open when closing is a choice
    presales_chat: {open: "00:00", close: "24:00"}
  temps:                        # per shift template
    - {template: night_4h, queues: [presales_chat], hourly_cost: 60, max_count: 100,
       max_hours_week: 8, max_days_week: 2, fee: 0}
  overtime: {max_hours_week: 8, max_hours_day: 2, hourly_cost: 40, premium: 1.5}
  cross_skill:
    - {from: order_hotline, to: presales_chat, cost_per_person: 300, proficiency: 0.8,
       max_people: 20}
  outsourcer:
    - {queue: email, max_agents: 10, hourly_cost: 70}
```

`run_capacity` forecasts and staffs the horizon with the scenario's changes
(`planning.steps`), goal-seeks (`scheduling.capacity.goal_seek`), then builds the
recommended team (today's agents with overtime and cross-skills, plus the temps),
rosters it and projects it (`planning.capacity_check.check_by_building`), so the
report shows planned and rostered service level side by side, and trims the team
by building (`trim_by_building`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from planning.capacity_check import check_by_building, trim_by_building
from planning.capacity_result import CapacityResult, CapacitySpec, daily_frame
from planning.capacity_team import bind_temps, overtime_members
from planning.roster_step import team_from_table
from planning.scenario_base import load_base
from planning.scenario_changes import (
    apply_agent_changes,
    apply_queue_changes,
    apply_shift_changes,
    apply_volume_and_aht,
    check_against_base,
)
from planning.scenario_run import scenario_settings
from planning.scenarios import (
    Scenario,
    ScenarioError,
    parse_scenario,
)
from planning.settings import PlanSettings
from planning.steps import (
    calendar_for,
    forecast_step,
    parse_shifts,
    requirements_step,
)
from scheduling.capacity import (
    TARGET_MODES,
    CapacityPlan,
    CrossSkillLever,
    Levers,
    OutsourcerLever,
    OvertimeLever,
    TempLever,
    check_levers,
    goal_seek,
    hour_step,
    overtime_allowance,
)
from scheduling.roster.templates import parse_clock

StepProgress = Callable[[str, float], None]
CAPACITY_KEYS = ("target", "time_limit", "roster_time_limit", "templates", "opening_hours",
                 "temps", "overtime", "cross_skill", "outsourcer", "check", "run_out_days",
                 "integer_team", "bind_temps", "email", "trim_by_building")
TEMP_KEYS = ("template", "queues", "hourly_cost", "max_count", "max_hours_week",
             "max_days_week", "fee", "prefix")


# reading ---------------------------------------------------------------------------

def read_capacity(path: str | Path) -> CapacitySpec:
    """Read and validate a capacity scenario file; errors name the file and field."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such capacity scenario file")
    return parse_capacity(path.read_text(encoding="utf-8"), source=str(path),
                          folder=path.parent)


def parse_capacity(text: str, source: str = "capacity", folder: str | Path | None = None
                   ) -> CapacitySpec:
    """Validate capacity scenario text (the scenario's keys plus `capacity:`)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: expected a mapping with `name` and `capacity`")
    section = raw.pop("capacity", None)
    if not isinstance(section, dict):
        raise ScenarioError(f"{source}: capacity: missing; expected a mapping of levers "
                            "(temps, overtime, cross_skill, outsourcer, opening_hours)")
    folder = Path(folder) if folder is not None else Path(".")
    ref = raw.pop("scenario", None)
    if ref is not None:
        extra = sorted(set(raw) - {"name", "description"})
        if extra:
            raise ScenarioError(f"{source}: {extra[0]}: with `scenario:` only name and "
                                "description may sit beside `capacity`")
        ref_path = Path(str(ref))
        ref_path = ref_path if ref_path.is_absolute() else folder / ref_path
        if not ref_path.is_file():
            raise ScenarioError(f"{source}: scenario: no such scenario file {ref_path}")
        base = yaml.safe_load(ref_path.read_text(encoding="utf-8")) or {}
        base.update({k: v for k, v in raw.items() if k in ("name", "description")})
        scenario = parse_scenario(yaml.safe_dump(base, sort_keys=False, allow_unicode=True),
                                  source=str(ref_path), folder=ref_path.parent)
    else:
        scenario = parse_scenario(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True),
                                  source=source, folder=folder)
    return _section(section, scenario, source)


def _error(source: str, where: str, msg: str) -> ScenarioError:
    return ScenarioError(f"{source}: capacity.{where}: {msg}")


def _number(raw: dict, key: str, where: str, source: str, default: float | None = None,
            low: float = 0.0) -> float:
    value = raw.get(key, default)
    if value is None:
        raise _error(source, f"{where}.{key}", "missing")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value):
        raise _error(source, f"{where}.{key}", f"expected a number, got {value!r}")
    if value < low:
        what = "cost" if "cost" in key or key == "fee" else "value"
        raise _error(source, f"{where}.{key}", f"{value!r} is negative; expected a {what} "
                     f">= {low:g}")
    return float(value)


def _unknown(raw: dict, keys: tuple[str, ...], where: str, source: str) -> None:
    bad = sorted(set(raw) - set(keys))
    if bad:
        raise _error(source, f"{where}.{bad[0]}" if where else bad[0],
                     f"unknown key; expected one of {list(keys)}")


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _section(raw: dict, scenario: Scenario, source: str) -> CapacitySpec:
    _unknown(raw, CAPACITY_KEYS, "", source)
    target = str(raw.get("target", "interval"))
    if target not in TARGET_MODES:
        raise _error(source, "target", f"{target!r}; expected one of {list(TARGET_MODES)} "
                     "(every interval, each queue-day or each queue-week)")
    spec = CapacitySpec(scenario, Levers(), target=target, source=source,
                        time_limit=_number(raw, "time_limit", "", source, 90.0, 1.0),
                        roster_time_limit=_number(raw, "roster_time_limit", "", source, 30.0,
                                                  0.5),
                        check=bool(raw.get("check", True)),
                        run_out_days=int(_number(raw, "run_out_days", "", source, 0)),
                        integer_team=bool(raw.get("integer_team", True)),
                        bind_temps=bool(raw.get("bind_temps", False)),
                        trim_by_building=bool(raw.get("trim_by_building", True)),
                        email=str(raw.get("email", "backlog")))
    if spec.email not in ("backlog", "requirement"):
        raise _error(source, "email", f"{spec.email!r}; expected backlog (cleared by its "
                     "deadline) or requirement (each interval's staff)")
    templates = raw.get("templates") or {}
    if not isinstance(templates, dict):
        raise _error(source, "templates", "expected a mapping of shift templates")
    spec.templates = templates
    for q, hours in (raw.get("opening_hours") or {}).items():
        if not isinstance(hours, dict) or "open" not in hours or "close" not in hours:
            raise _error(source, f"opening_hours.{q}", "expected {open: HH:MM, close: HH:MM}")
        try:
            lo = parse_clock(hours["open"], "open")
            hi = parse_clock(hours["close"], "close")
        except ValueError as exc:
            raise _error(source, f"opening_hours.{q}", str(exc)) from None
        spec.levers.opening[str(q)] = (lo, hi)
    for i, t in enumerate(raw.get("temps") or []):
        at = f"temps[{i}]"
        if not isinstance(t, dict):
            raise _error(source, at, "expected a mapping such as {template: temp_6h, ...}")
        _unknown(t, TEMP_KEYS, at, source)
        if "template" not in t:
            raise _error(source, f"{at}.template", "missing: the shift template the temps work")
        spec.levers.temps.append(TempLever(
            str(t["template"]), _names(t.get("queues")),
            _number(t, "hourly_cost", at, source), int(_number(t, "max_count", at, source)),
            _number(t, "max_hours_week", at, source, 40.0, 1.0),
            int(_number(t, "max_days_week", at, source, 5, 1)),
            _number(t, "fee", at, source, 0.0), str(t.get("prefix", f"T{i + 1}"))))
    ot = raw.get("overtime")
    if ot is not None:
        if not isinstance(ot, dict):
            raise _error(source, "overtime", "expected {max_hours_week, max_hours_day, "
                         "hourly_cost, premium}")
        _unknown(ot, ("max_hours_week", "max_hours_day", "hourly_cost", "premium"),
                 "overtime", source)
        spec.levers.overtime = OvertimeLever(
            _number(ot, "max_hours_week", "overtime", source),
            _number(ot, "max_hours_day", "overtime", source, 24.0),
            _number(ot, "hourly_cost", "overtime", source),
            _number(ot, "premium", "overtime", source, 1.5))
    for i, c in enumerate(raw.get("cross_skill") or []):
        at = f"cross_skill[{i}]"
        if not isinstance(c, dict):
            raise _error(source, at, "expected {from, to, cost_per_person, max_people}")
        _unknown(c, ("from", "to", "cost_per_person", "max_people", "proficiency"), at, source)
        for key in ("from", "to"):
            if key not in c:
                raise _error(source, f"{at}.{key}", "missing: a queue name")
        prof = _number(c, "proficiency", at, source, 1.0)
        if not 0 < prof <= 1:
            raise _error(source, f"{at}.proficiency", f"{prof:g}; expected above 0, at most 1")
        spec.levers.cross_skill.append(CrossSkillLever(
            str(c["from"]), str(c["to"]), _number(c, "cost_per_person", at, source),
            int(_number(c, "max_people", at, source)), prof))
    for i, u in enumerate(raw.get("outsourcer") or []):
        at = f"outsourcer[{i}]"
        if not isinstance(u, dict):
            raise _error(source, at, "expected {queue, max_agents, hourly_cost}")
        _unknown(u, ("queue", "max_agents", "hourly_cost"), at, source)
        if "queue" not in u:
            raise _error(source, f"{at}.queue", "missing: a queue name")
        spec.levers.outsourcer.append(OutsourcerLever(
            str(u["queue"]), _number(u, "max_agents", at, source),
            _number(u, "hourly_cost", at, source)))
    return spec


# running ---------------------------------------------------------------------------

def capacity_shifts_text(shifts_text: str, spec: CapacitySpec,
                         opened: dict[str, tuple[int, int]] | None = None) -> str:
    """The shift templates with the capacity section's templates added and the
    queues opened (`opened`: queue -> (open, close) minutes)."""
    data = yaml.safe_load(shifts_text) or {}
    templates = dict(data.get("templates") or {})
    for name, value in spec.templates.items():
        templates[str(name)] = value
    data["templates"] = templates
    queues = {k: dict(v) for k, v in (data.get("queues") or {}).items()}
    for q, (lo, hi) in (opened or {}).items():
        if q in queues:
            queues[q]["open"] = f"{lo // 60:02d}:{lo % 60:02d}"
            queues[q]["close"] = f"{hi // 60:02d}:{hi % 60:02d}"
    data["queues"] = queues
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    try:
        parse_shifts(text)
    except ValueError as exc:
        raise ScenarioError(f"{spec.source}: capacity.templates: {exc}") from None
    return text


def recommended_team(agents: pd.DataFrame, plan: CapacityPlan, levers: Levers,
                     template_names: list[str]) -> pd.DataFrame:
    """Today's agents with their overtime and new skills, plus the temps, as an agents
    table ready for `wfm roster`."""
    out = agents.fillna("").astype(str).copy()
    ids = out["agent_id"].tolist()
    base_names = list(template_names)
    empty = out["shifts"] == "" if "shifts" in out.columns else pd.Series(True, index=out.index)
    if "shifts" not in out.columns:
        out["shifts"] = ""
    out.loc[empty, "shifts"] = ";".join(base_names)  # the capacity templates are the temps'
    by_group = {g.key: g for g in plan.groups}
    cap = levers.overtime.max_hours_week if levers.overtime is not None else 0.0
    members_of = overtime_members(plan)
    for key, hours in plan.overtime_hours.items():
        g, members = by_group[key.partition("c")[0]], members_of[key]
        extra = dict(zip(members, overtime_allowance(hours, len(members),
                                                     hour_step(g, plan.shifts), cap),
                         strict=True))
        rows = out["agent_id"].isin([a for a, h in extra.items() if h > 0])
        out.loc[rows, "max_hours_week"] = (
            pd.to_numeric(out.loc[rows, "max_hours_week"])
            + out.loc[rows, "agent_id"].map(extra)).map(lambda v: f"{v:g}")
    taken: dict[str, int] = {}
    share = {(c.from_queue, c.to_queue): c.proficiency for c in levers.cross_skill}
    for (gkey, from_queue, to), n in plan.cross_skilled.items():
        first = taken.get(gkey, 0)
        members = list(by_group[gkey].agent_ids)[first:first + n]
        taken[gkey] = first + n
        rows = out["agent_id"].isin(members)
        out.loc[rows, "queues"] = out.loc[rows, "queues"] + f";{to}"
        if share.get((from_queue, to), 1.0) < 1:  # the roster counts them at that share
            if "proficiency" not in out.columns:
                out["proficiency"] = ""
            out.loc[rows, "proficiency"] = [
                f"{old};{to}={share[(from_queue, to)]:g}".lstrip(";")
                for old in out.loc[rows, "proficiency"]]
    rows = []
    for i, t in enumerate(levers.temps):
        n = int(round(_temp_count(plan, i, levers)))
        for k in range(1, n + 1):
            agent_id = f"{t.prefix}{k:03d}"
            while agent_id in ids:
                agent_id = f"{t.prefix}x{k:03d}"
            ids.append(agent_id)
            rows.append({"agent_id": agent_id, "name": f"Temp {t.template} {k}",
                         "queues": ";".join(t.queues), "min_hours_week": "0",
                         "max_hours_week": f"{t.max_hours_week:g}",
                         "max_days_week": str(t.max_days_week), "unavailable": "",
                         "shifts": t.template, "team": f"{t.prefix}{(k - 1) // 60}"})
    if rows:
        out = pd.concat([out, pd.DataFrame(rows)], ignore_index=True)
    return out.fillna("").astype(str)


def _temp_count(plan: CapacityPlan, i: int, levers: Levers) -> int:
    rows = plan.levers[(plan.levers["lever"] == "temps")
                       & (plan.levers["template"] == levers.temps[i].template)
                       & (plan.levers["queue"] == ";".join(levers.temps[i].queues))]
    return int(rows["count"].sum())


def run_capacity(spec: CapacitySpec, progress: StepProgress | None = None,
                 mapper: Callable[[Callable, list], list] | None = None) -> CapacityResult:
    """Forecast and staff the scenario, goal-seek the levers, and (unless
    `spec.check` is off) roster and project the recommended team. `mapper` (a
    cluster's, see `planning.cluster`) runs the per-queue forecasts and roster parts."""
    report = progress or (lambda step, fraction: None)
    scenario = spec.scenario
    if spec.run_out_days:
        scenario = replace(scenario, days=scenario.days + spec.run_out_days)
    base = load_base(scenario)
    queue_settings = apply_queue_changes(scenario, base.queue_settings)
    shifts_text = capacity_shifts_text(apply_shift_changes(scenario, base.shifts_text), spec)
    shifts = parse_shifts(shifts_text)
    queues = queue_settings["queue"].astype(str).tolist()
    try:
        check_levers(spec.levers, queues, [t.name for t in shifts.templates], spec.source)
    except ValueError as exc:
        raise ScenarioError(str(exc).replace(f"{spec.source}: ", f"{spec.source}: capacity.",
                                             1)) from None
    agents = apply_agent_changes(scenario, base.agents, queue_settings, shifts_text)
    settings = scenario_settings(scenario, base.history)
    check_against_base(scenario, queue_settings, pd.Timestamp(settings.forecast_start))

    report("forecast", 0.0)
    forecast = forecast_step(base.history, settings, base.events,
                             progress=lambda f: report("forecast", 0.7 * f), mapper=mapper)
    forecast = forecast[forecast["queue"].astype(str).isin(queues)].reset_index(drop=True)
    plain = None
    if any(v.uplift is not None for v in scenario.volume):
        ordinary = PlanSettings(**{**settings.to_dict(), "shopping": False})
        plain = forecast_step(base.history, ordinary, None, mapper=mapper)
    forecast = apply_volume_and_aht(scenario, forecast, plain,
                                    calendar_for(settings, base.events), queue_settings)
    report("forecast", 1.0)
    requirements = requirements_step(forecast, queue_settings,
                                     progress=lambda f: report("requirements", f))
    report("goal-seek", 0.0)
    team = team_from_table(agents, source="scenario agents")
    plan = goal_seek(requirements, team, shifts, spec.levers, queue_settings,
                     time_limit=spec.time_limit, integer_team=spec.integer_team,
                     target=spec.target, email_backlog=spec.email == "backlog",
                     target_days=spec.scenario.days if spec.run_out_days else None,
                     progress=lambda f: report("goal-seek", f))
    report("goal-seek", 1.0)
    opened = {}
    for row in plan.levers[plan.levers["lever"] == "opening hours"].itertuples():
        opened[row.queue] = spec.levers.opening[row.queue]
    rec_text = capacity_shifts_text(shifts_text, spec, opened)
    rec_agents = recommended_team(agents, plan, spec.levers,
                                  [t.name for t in shifts.templates
                                   if t.name not in spec.templates])
    if spec.bind_temps:
        rec_agents, rec_text = bind_temps(rec_agents, len(agents), plan, spec.levers,
                                          rec_text)
    result = CapacityResult(spec, plan, forecast, requirements, queue_settings, rec_agents,
                            rec_text, daily_frame(plan, None, queue_settings), team=agents)
    last = pd.Timestamp(settings.forecast_start) + pd.Timedelta(days=spec.scenario.days)

    def reported() -> None:  # run-out days are planned, not reported
        result.daily = result.daily[pd.to_datetime(result.daily["date"]) < last].reset_index(
            drop=True)

    if spec.check:
        check_by_building(result, progress=lambda f: report("roster", f), mapper=mapper)
        reported()  # the trim judges the reported days
        if spec.trim_by_building:
            result.cuts = trim_by_building(result, progress=lambda f: report("trim", f),
                                           mapper=mapper)
    reported()
    return result
