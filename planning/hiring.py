"""Long-range hiring plans: read a plan file, solve `scheduling.hiring.plan_hiring`.

```yaml
name: 12 months to Double 11 2027
requirements: weekly_requirements.csv   # week_start, required_fte (relative to this file)
start: 2026-10-19                       # first week planned (default: the file's first)
weeks: 52                               # at most 52
headcount: 150                          # FTE employed today, fully productive
attrition_per_week: 0.004               # share leaving each week
lead_time_weeks: 3                      # weeks from today before the first class can start
training_weeks: 3                       # weeks in class, no productivity
ramp: [0.5, 0.75, 1.0]                  # productivity in the weeks after training; ends at 1
class_size: {min: 8, max: 30}
max_classes: 12                         # optional
cost_per_hire: 4000
cost_per_fte_week: 1000
temps:
  cost_per_week: 1300
  available: 10                         # FTE of temps any week
  weeks:                                # more in some weeks
    - {from: 2026-11-02, to: 2026-11-15, available: 60}
time_limit: 30
```

The sample's `weekly_requirements.csv` is made by `sample_weekly_requirements`: the
interval requirements (`scheduling.staffing.requirements`, the sample's queue
settings) of the sample history's last 52 weeks, moved one year on (364 days, so
weekdays stay) and scaled by a growth factor, summed per week over 40 paid hours per
FTE. The history's own Double 11, 618 and Spring Festival weeks thus give the peaks.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from planning.steps import requirements_step
from scheduling.hiring import (
    WEEKLY_REQUIREMENT_COLUMNS,
    HiringInputError,
    HiringPlan,
    HiringPolicy,
    check_policy,
    plan_hiring,
    weekly_requirements,
)

PLAN_KEYS = ("name", "description", "requirements", "start", "weeks", "headcount",
             "attrition_per_week", "lead_time_weeks", "training_weeks", "ramp", "class_size",
             "max_classes", "cost_per_hire", "cost_per_fte_week", "temps", "time_limit")
MAX_WEEKS = 52


@dataclass
class LongRangeSpec:
    """A parsed long-range plan."""

    name: str
    weekly: pd.DataFrame
    policy: HiringPolicy
    temps_available: pd.Series
    time_limit: float = 30.0
    source: str = "long-range plan"


@dataclass
class LongRangeResult:
    """The plan's hiring classes and weeks, with a summary for the console."""

    spec: LongRangeSpec
    plan: HiringPlan
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def hiring(self) -> pd.DataFrame:
        return self.plan.hiring

    @property
    def weekly(self) -> pd.DataFrame:
        return self.plan.weekly


def read_long_range(path: str | Path) -> LongRangeSpec:
    """Read and validate a long-range plan file; errors name the file and field."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such long-range plan file")
    return parse_long_range(path.read_text(encoding="utf-8"), source=str(path),
                            folder=path.parent)


def _bad(source: str, where: str, msg: str) -> HiringInputError:
    return HiringInputError(f"{source}: {where}: {msg}")


def _num(raw: dict, key: str, source: str, default: float | None = None) -> float:
    value = raw.get(key, default)
    if value is None:
        raise _bad(source, key, "missing")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value):
        raise _bad(source, key, f"expected a number, got {value!r}")
    if value < 0:
        raise _bad(source, key, f"{value!r} is negative; expected a number >= 0")
    return float(value)


def parse_long_range(text: str, source: str = "long-range plan",
                     folder: str | Path | None = None) -> LongRangeSpec:
    """Validate long-range plan text; relative paths are read from `folder`."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise HiringInputError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise HiringInputError(f"{source}: expected a mapping with `requirements`, "
                               "`headcount` and the hiring rules")
    unknown = sorted(set(raw) - set(PLAN_KEYS))
    if unknown:
        raise _bad(source, unknown[0], f"unknown key; expected one of {list(PLAN_KEYS)}")
    folder = Path(folder) if folder is not None else Path(".")
    if "requirements" not in raw:
        raise _bad(source, "requirements", "missing: a CSV of week_start, required_fte")
    req_path = Path(str(raw["requirements"]))
    req_path = req_path if req_path.is_absolute() else folder / req_path
    if not req_path.is_file():
        raise _bad(source, "requirements", f"no such file {req_path}")
    weekly = pd.read_csv(req_path, comment="#")
    missing = [c for c in WEEKLY_REQUIREMENT_COLUMNS if c not in weekly.columns]
    if missing:
        raise _bad(source, "requirements", f"{req_path} lacks columns {missing}")
    weekly["week_start"] = pd.to_datetime(weekly["week_start"], errors="coerce")
    weekly["required_fte"] = pd.to_numeric(weekly["required_fte"], errors="coerce")
    if weekly[list(WEEKLY_REQUIREMENT_COLUMNS)].isna().any().any() or (
            weekly["required_fte"] < 0).any():
        raise _bad(source, "requirements", f"{req_path}: every row needs a date and an FTE "
                   ">= 0")
    weekly = weekly.sort_values("week_start", ignore_index=True)
    if raw.get("start") is not None:
        start = pd.Timestamp(str(raw["start"]))
        weekly = weekly[weekly["week_start"] >= start].reset_index(drop=True)
    weeks = int(_num(raw, "weeks", source, min(len(weekly), MAX_WEEKS)))
    if not 1 <= weeks <= MAX_WEEKS:
        raise _bad(source, "weeks", f"{weeks}; expected 1 to {MAX_WEEKS}")
    if len(weekly) < weeks:
        raise _bad(source, "weeks", f"{weeks} weeks asked, {req_path} has {len(weekly)} "
                   "from the start")
    weekly = weekly.iloc[:weeks].reset_index(drop=True)
    size = raw.get("class_size") or {}
    if not isinstance(size, dict):
        raise _bad(source, "class_size", "expected {min: N, max: N}")
    ramp_raw = raw.get("ramp", [1.0])
    if not isinstance(ramp_raw, list) or not ramp_raw:
        raise _bad(source, "ramp", "expected a list of shares ending at 1.0, e.g. [0.5, 1.0]")
    try:
        ramp = tuple(float(r) for r in ramp_raw)
    except (TypeError, ValueError):
        raise _bad(source, "ramp", f"{ramp_raw!r} is not a list of numbers") from None
    temps = raw.get("temps") or {}
    if not isinstance(temps, dict):
        raise _bad(source, "temps", "expected {cost_per_week, available, weeks}")
    available = pd.Series(_num(temps, "available", source, 0.0), index=weekly.index)
    for i, item in enumerate(temps.get("weeks") or []):
        at = f"temps.weeks[{i}]"
        try:
            lo, hi = pd.Timestamp(str(item["from"])), pd.Timestamp(str(item["to"]))
        except (KeyError, TypeError, ValueError):
            raise _bad(source, at, "expected {from: date, to: date, available: N}") from None
        n = _num(item, "available", source)
        inside = (weekly["week_start"] + pd.Timedelta(days=6) >= lo) & (
            weekly["week_start"] <= hi)
        available[inside] = n
    policy = HiringPolicy(
        headcount=_num(raw, "headcount", source),
        attrition_per_week=_num(raw, "attrition_per_week", source, 0.0),
        lead_time_weeks=int(_num(raw, "lead_time_weeks", source, 0)),
        training_weeks=int(_num(raw, "training_weeks", source, 0)), ramp=ramp,
        class_min=int(_num(size, "min", source, 1)), class_max=int(_num(size, "max", source)),
        cost_per_hire=_num(raw, "cost_per_hire", source),
        cost_per_fte_week=_num(raw, "cost_per_fte_week", source),
        temp_cost_per_week=_num(temps, "cost_per_week", source, 0.0),
        max_classes=None if raw.get("max_classes") is None
        else int(_num(raw, "max_classes", source)))
    check_policy(policy, source)
    return LongRangeSpec(str(raw.get("name") or Path(source).stem), weekly, policy, available,
                         _num(raw, "time_limit", source, 30.0), source)


def run_long_range(spec: LongRangeSpec, progress: Callable[[float], None] | None = None
                   ) -> LongRangeResult:
    """Solve the plan; the summary holds the totals the console shows."""
    report = progress or (lambda _f: None)
    report(0.1)
    plan = plan_hiring(spec.weekly, spec.policy, spec.temps_available.to_numpy(),
                       time_limit=spec.time_limit)
    report(1.0)
    weekly = plan.weekly
    summary = {
        "plan": spec.name, "weeks": len(weekly), "classes": len(plan.hiring),
        "hires": int(plan.hiring["hires"].sum()),
        "temp_fte_weeks": round(float(weekly["temps"].sum()), 1),
        "cost": round(plan.cost), "lower_bound": round(plan.bound),
        "gap": f"{plan.gap:.2%}", "status": plan.status,
        "shortfall_fte_weeks": round(plan.shortfall_fte_weeks, 1),
        "peak_week": str(weekly.loc[weekly["required_fte"].idxmax(), "week_start"]),
        "peak_required_fte": round(float(weekly["required_fte"].max()), 1)}
    return LongRangeResult(spec, plan, summary)


def sample_weekly_requirements(history: pd.DataFrame, queue_settings: pd.DataFrame,
                               growth: float = 1.05, weeks: int = MAX_WEEKS,
                               fte_hours: float = 40.0) -> pd.DataFrame:
    """Weekly FTE required for the year after the history: the requirements of its
    last `weeks` whole weeks moved on by 364 days and scaled by `growth`."""
    frame = history[["queue", "interval_start", "contacts", "aht_seconds"]].copy()
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    last = frame["interval_start"].max().normalize()
    end = last - pd.Timedelta(days=int(last.day_of_week) - 6) if last.day_of_week == 6 \
        else last - pd.Timedelta(days=int(last.day_of_week) + 1)
    first = end - pd.Timedelta(days=7 * weeks - 1)
    frame = frame[(frame["interval_start"] >= first)
                  & (frame["interval_start"] < end + pd.Timedelta(days=1))]
    frame = frame[frame["queue"].isin(queue_settings["queue"])]
    frame["contacts"] = frame["contacts"].astype(float) * growth
    frame["interval_start"] = frame["interval_start"] + pd.Timedelta(days=364)
    req = requirements_step(frame.reset_index(drop=True), queue_settings)
    return weekly_requirements(req, fte_hours=fte_hours)
