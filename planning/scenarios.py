"""Scenarios: a named set of changes to a base plan, read from a YAML file.

A scenario says what is different from the base plan (the bundled sample, other
files, or a plan saved in the workspace): volume uplift on dates or an event, AHT
change, contacts deflected by a chatbot or self-service, service targets,
shrinkage, agents added (temporary staff with their own shift templates) or
removed, overtime, shift templates. Running one re-uses the planning pipeline
(forecast -> requirements -> roster -> projection) and saves the result in the
workspace with the YAML text and the hashes of its inputs, so it can be re-run
and checked later (`reproduce_scenario`).

```yaml
name: Double 11 with a chatbot         # required; the saved plan is "Scenario: <name>"
description: 30% of chat answered by the bot
base:                                   # optional; default: the bundled sample
  history: ../history.csv               # paths relative to this file
  queues: ../queues.csv
  agents: ../agents.csv
  shifts: ../shifts.yaml
  events: ../events.csv
  # plan: "Sample: next week"           # or a plan saved in the workspace
horizon: {start: 2026-11-11, days: 1}   # default: the week after the history
model: profile                          # forecasting model (default profile)
roster_time_limit: 25                   # seconds of (deterministic) solver time
seed: 0
volume:                                 # uplift on days: a multiplier or "learnt"
  - {event: double11, uplift: learnt}   # the uplift the forecaster learnt (default)
  - {dates: [2026-11-11], queues: [order_hotline], uplift: 1.2}
aht:                                    # AHT multiplier per queue (all queues if none named)
  - {queues: [order_hotline], change: 1.1}
deflection: {chat: 0.3}                 # share of contacts deflected, per queue or channel
targets:                                # service targets per queue
  order_hotline: {service_level: 0.8, target_seconds: 20}
shrinkage: {all: 0.3}                   # per queue, or `all`
agents:
  add:                                  # temporary staff
    - {count: 20, prefix: T, queues: [presales_chat], shifts: [temp_6h],
       min_hours_week: 6, max_hours_week: 36, max_days_week: 6}
  remove: [A001, A002]                  # agent ids, or {count: 5} (the last five)
overtime: {extra_hours_week: 4, extra_days_week: 0}
shifts:                                 # merged into the base shift templates
  templates:
    temp_6h: {earliest_start: "08:00", latest_start: "16:00", lengths: ["6:00"]}
  rules: {max_late_shifts_per_week: 4}
```

A number uplift is relative to an ordinary day: the forecast as if no shopping
or planner event fell on those days (public holidays stay). `learnt` keeps the
forecaster's own uplift from past occurrences of the event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from planning.sample import SAMPLE_DIR
from planning.settings import ROSTER_TIME_LIMIT
from planning.steps import model_names

SCENARIO_STEPS = ("forecast", "requirements", "roster", "projection")
PLAN_PREFIX = "Scenario: "
TOP_KEYS = ("name", "description", "base", "horizon", "model", "roster_time_limit", "seed",
            "country", "shopping", "volume", "aht", "deflection", "targets", "shrinkage",
            "agents", "overtime", "shifts")
BASE_KEYS = ("history", "queues", "agents", "shifts", "events", "plan")
TARGET_KEYS = ("service_level", "target_seconds", "asa_seconds", "max_occupancy")
ADD_KEYS = ("count", "prefix", "name", "queues", "shifts", "min_hours_week", "max_hours_week",
            "max_days_week", "unavailable")
CHANNELS = ("chat", "voice", "email")


class TextDatesLoader(yaml.SafeLoader):
    """yaml.safe_load, leaving dates as text so a bad date is reported with its field."""


TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class ScenarioError(ValueError):
    """A scenario that cannot be run; the message names the file, the field and what was
    expected."""


# the scenario file -------------------------------------------------------------------

@dataclass(frozen=True)
class VolumeChange:
    """Contacts on some days (dates or an event's days) times `uplift`, or learnt."""

    uplift: float | None  # None: the uplift the forecaster learnt
    dates: tuple[pd.Timestamp, ...] = ()
    event: str | None = None
    window: bool = False  # with an event: its build-up and tail days too
    queues: tuple[str, ...] = ()
    where: str = "volume"


@dataclass(frozen=True)
class AhtChange:
    change: float
    queues: tuple[str, ...] = ()
    dates: tuple[pd.Timestamp, ...] = ()
    where: str = "aht"


@dataclass(frozen=True)
class AddedAgents:
    count: int
    prefix: str
    name: str
    queues: tuple[str, ...]
    shifts: tuple[str, ...]
    min_hours_week: float
    max_hours_week: float
    max_days_week: int
    unavailable: str = ""
    where: str = "agents.add"


@dataclass
class Scenario:
    """A parsed, validated scenario file (`parse_scenario`)."""

    name: str
    text: str
    source: str = "scenario"
    folder: Path = SAMPLE_DIR
    description: str = ""
    base: dict[str, Any] = field(default_factory=dict)
    start: pd.Timestamp | None = None
    days: int = 7
    model: str = "profile"
    roster_time_limit: float = ROSTER_TIME_LIMIT
    seed: int = 0
    country: str | None = "CN"
    shopping: bool = True
    volume: list[VolumeChange] = field(default_factory=list)
    aht: list[AhtChange] = field(default_factory=list)
    deflection: dict[str, float] = field(default_factory=dict)
    targets: dict[str, dict[str, float]] = field(default_factory=dict)
    shrinkage: dict[str, float] = field(default_factory=dict)
    add_agents: list[AddedAgents] = field(default_factory=list)
    remove_agents: tuple[str, ...] = ()
    remove_count: int = 0
    extra_hours_week: float = 0.0
    extra_days_week: int = 0
    shifts: dict[str, Any] = field(default_factory=dict)

    @property
    def plan_name(self) -> str:
        return PLAN_PREFIX + self.name


def read_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file (paths in it are relative to the file)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such scenario file")
    return parse_scenario(path.read_text(encoding="utf-8"), source=str(path),
                          folder=path.parent)


def parse_scenario(text: str, source: str = "scenario", folder: str | Path | None = None
                   ) -> Scenario:
    """Validate scenario YAML text; raises ScenarioError naming the field at fault.

    Checks what the file alone can tell (types, ranges, unknown keys); queue, agent,
    template and event names are checked against the base plan when it runs.
    """
    try:
        raw = yaml.load(text, Loader=TextDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: expected a mapping with at least `name`, "
                            f"got {type(raw).__name__}")
    where = _Where(source)
    where.unknown(raw, TOP_KEYS, "")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise where.error("name", "every scenario needs a name (text)")
    sc = Scenario(name=name.strip(), text=text, source=source,
                  folder=Path(folder) if folder is not None else SAMPLE_DIR,
                  description=str(raw.get("description") or ""))
    base = raw.get("base") or {}
    if not isinstance(base, dict):
        raise where.error("base", "expected a mapping of file paths or `plan`")
    where.unknown(base, BASE_KEYS, "base")
    for key, value in base.items():
        if not isinstance(value, str) or not value.strip():
            raise where.error(f"base.{key}", f"expected a file path or plan name, got {value!r}")
    sc.base = dict(base)
    horizon = raw.get("horizon") or {}
    if not isinstance(horizon, dict):
        raise where.error("horizon", "expected {start: YYYY-MM-DD, days: N}")
    where.unknown(horizon, ("start", "days"), "horizon")
    if horizon.get("start") is not None:
        sc.start = where.date(horizon["start"], "horizon.start")
    sc.days = where.integer(horizon.get("days", 7), "horizon.days", low=1, high=62)
    sc.model = str(raw.get("model", "profile"))
    models = model_names()
    if len(models) > 1 and sc.model not in models:
        raise where.error("model", f"unknown model {sc.model!r}; choose one of {models}")
    sc.roster_time_limit = where.number(raw.get("roster_time_limit", ROSTER_TIME_LIMIT),
                                        "roster_time_limit", low=0.5, high=3600)
    sc.seed = where.integer(raw.get("seed", 0), "seed", low=0)
    country = raw.get("country", "CN")
    sc.country = None if country in (None, "", "none") else str(country)
    sc.shopping = where.boolean(raw.get("shopping", True), "shopping")
    sc.volume = [_volume(item, f"volume[{i}]", where)
                 for i, item in enumerate(where.items(raw.get("volume"), "volume"))]
    sc.aht = [_aht(item, f"aht[{i}]", where)
              for i, item in enumerate(where.items(raw.get("aht"), "aht"))]
    for key, value in where.mapping(raw.get("deflection"), "deflection").items():
        share = where.number(value, f"deflection.{key}", low=0.0)
        if share >= 1:
            raise where.error(f"deflection.{key}", f"{value} would deflect every contact; "
                              "expected a share from 0 to below 1, e.g. 0.3 for 30%")
        sc.deflection[str(key)] = share
    for queue, spec in where.mapping(raw.get("targets"), "targets").items():
        if not isinstance(spec, dict) or not spec:
            raise where.error(f"targets.{queue}", f"expected a mapping of {list(TARGET_KEYS)}")
        where.unknown(spec, TARGET_KEYS, f"targets.{queue}")
        checked = {}
        for key, value in spec.items():
            f = f"targets.{queue}.{key}"
            if key in ("service_level", "max_occupancy"):
                checked[key] = where.number(value, f, low=0.01, high=1.0)
            else:
                checked[key] = where.number(value, f, low=0.0, exclusive_low=True)
        sc.targets[str(queue)] = checked
    for key, value in where.mapping(raw.get("shrinkage"), "shrinkage").items():
        share = where.number(value, f"shrinkage.{key}", low=0.0)
        if share >= 1:
            raise where.error(f"shrinkage.{key}", f"{value} leaves nobody on line; expected a "
                              "share from 0 to below 1, e.g. 0.3")
        sc.shrinkage[str(key)] = share
    agents = where.mapping(raw.get("agents"), "agents")
    where.unknown(agents, ("add", "remove"), "agents")
    sc.add_agents = [_added(item, f"agents.add[{i}]", where)
                     for i, item in enumerate(where.items(agents.get("add"), "agents.add"))]
    prefixes = [a.prefix for a in sc.add_agents]
    if len(set(prefixes)) < len(prefixes):
        raise where.error("agents.add", f"two groups use the same prefix {prefixes}; give "
                          "each group its own `prefix` so agent ids stay unique")
    remove = agents.get("remove")
    if isinstance(remove, dict):
        where.unknown(remove, ("count",), "agents.remove")
        sc.remove_count = where.integer(remove.get("count"), "agents.remove.count", low=1)
    elif remove is not None:
        sc.remove_agents = tuple(str(v) for v in where.items(remove, "agents.remove"))
    overtime = where.mapping(raw.get("overtime"), "overtime")
    where.unknown(overtime, ("extra_hours_week", "extra_days_week"), "overtime")
    sc.extra_hours_week = where.number(overtime.get("extra_hours_week", 0),
                                       "overtime.extra_hours_week", low=0.0, high=40.0)
    sc.extra_days_week = where.integer(overtime.get("extra_days_week", 0),
                                       "overtime.extra_days_week", low=0, high=6)
    shifts = where.mapping(raw.get("shifts"), "shifts")
    where.unknown(shifts, ("templates", "rules", "queues", "weights"), "shifts")
    for key, value in shifts.items():
        if not isinstance(value, dict):
            raise where.error(f"shifts.{key}", "expected a mapping merged into the base "
                              "shift templates")
    sc.shifts = shifts
    return sc


class _Where:
    """Builds messages that name the file and field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, field_: str, what: str) -> ScenarioError:
        return ScenarioError(f"{self.source}: {field_}: {what}")

    def unknown(self, raw: dict, known: tuple[str, ...], field_: str) -> None:
        bad = [str(k) for k in raw if k not in known]
        if bad:
            at = f"{field_}." if field_ else ""
            raise self.error(at + bad[0], f"unknown field; expected one of {list(known)}")

    def number(self, value: Any, field_: str, low: float | None = None,
               high: float | None = None, exclusive_low: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = float(str(value).strip().rstrip("%")) / (
                    100.0 if str(value).strip().endswith("%") else 1.0)
            except ValueError:
                raise self.error(field_, f"expected a number, got {value!r}") from None
        value = float(value)
        if not np.isfinite(value):
            raise self.error(field_, f"expected a finite number, got {value}")
        if low is not None and (value < low or (exclusive_low and value <= low)):
            sign = "above" if exclusive_low else "at least"
            raise self.error(field_, f"{value:g} is out of range; expected {sign} {low:g}")
        if high is not None and value > high:
            raise self.error(field_, f"{value:g} is out of range; expected at most {high:g}")
        return value

    def integer(self, value: Any, field_: str, low: int | None = None,
                high: int | None = None) -> int:
        number = self.number(value, field_, low, high)
        if number != int(number):
            raise self.error(field_, f"expected a whole number, got {value!r}")
        return int(number)

    def boolean(self, value: Any, field_: str) -> bool:
        if not isinstance(value, bool):
            raise self.error(field_, f"expected true or false, got {value!r}")
        return value

    def date(self, value: Any, field_: str) -> pd.Timestamp:
        try:
            stamp = pd.Timestamp(str(value))
        except (ValueError, TypeError):
            raise self.error(field_, f"expected a date YYYY-MM-DD, got {value!r}") from None
        if stamp is pd.NaT or stamp != stamp.normalize():
            raise self.error(field_, f"expected a date YYYY-MM-DD, got {value!r}")
        return stamp

    def items(self, value: Any, field_: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(field_, f"expected a list, got {type(value).__name__}")
        return value

    def mapping(self, value: Any, field_: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(field_, f"expected a mapping, got {type(value).__name__}")
        return value

    def names(self, value: Any, field_: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        return tuple(str(v) for v in self.items(value, field_))

    def dates(self, raw: dict, field_: str) -> tuple[pd.Timestamp, ...]:
        if "dates" in raw and ("start" in raw or "end" in raw):
            raise self.error(field_, "give either `dates` or `start`/`end`, not both")
        if "start" in raw or "end" in raw:
            if "start" not in raw or "end" not in raw:
                raise self.error(field_, "`start` and `end` go together (dates, inclusive)")
            start = self.date(raw["start"], f"{field_}.start")
            end = self.date(raw["end"], f"{field_}.end")
            if end < start:
                raise self.error(f"{field_}.end", f"{end.date()} is before start "
                                 f"{start.date()}")
            return tuple(pd.date_range(start, end, freq="D"))
        days = raw.get("dates")
        if isinstance(days, (str, int)) or hasattr(days, "year"):
            days = [days]
        return tuple(self.date(d, f"{field_}.dates[{i}]")
                     for i, d in enumerate(self.items(days, f"{field_}.dates")))


def _volume(raw: Any, at: str, where: _Where) -> VolumeChange:
    if not isinstance(raw, dict):
        raise where.error(at, "expected a mapping such as {event: double11, uplift: learnt}")
    where.unknown(raw, ("event", "dates", "start", "end", "uplift", "queues", "window"), at)
    dates = where.dates(raw, at)
    event = raw.get("event")
    if event is not None and dates:
        raise where.error(at, "give either `event` or dates, not both")
    if event is None and not dates:
        raise where.error(at, "say which days: `event: NAME` or `dates: [YYYY-MM-DD, ...]`")
    uplift_raw = raw.get("uplift", "learnt")
    if str(uplift_raw).strip().lower() == "learnt":
        if event is None:
            raise where.error(f"{at}.uplift", "`learnt` needs an `event` whose past "
                              "occurrences the forecaster learnt from; for dates give a "
                              "multiplier such as 1.5")
        uplift = None
    else:
        uplift = where.number(uplift_raw, f"{at}.uplift")
        if uplift < 0:
            raise where.error(f"{at}.uplift", f"{uplift:g} would make negative volume; "
                              "expected a multiplier of 0 or more (1.5 = 50% more contacts) "
                              "or `learnt`")
    return VolumeChange(uplift, dates, None if event is None else str(event),
                        where.boolean(raw.get("window", False), f"{at}.window"),
                        where.names(raw.get("queues"), f"{at}.queues"), at)


def _aht(raw: Any, at: str, where: _Where) -> AhtChange:
    if not isinstance(raw, dict):
        raise where.error(at, "expected a mapping such as {queues: [email], change: 1.1}")
    where.unknown(raw, ("change", "queues", "dates", "start", "end"), at)
    if "change" not in raw:
        raise where.error(at, "missing `change` (an AHT multiplier, e.g. 1.1 for 10% longer)")
    change = where.number(raw["change"], f"{at}.change", low=0.0, exclusive_low=True)
    return AhtChange(change, where.names(raw.get("queues"), f"{at}.queues"),
                     where.dates(raw, at), at)


def _added(raw: Any, at: str, where: _Where) -> AddedAgents:
    if not isinstance(raw, dict):
        raise where.error(at, "expected a mapping such as {count: 20, queues: [...], "
                          "shifts: [temp_6h]}")
    where.unknown(raw, ADD_KEYS, at)
    if "count" not in raw:
        raise where.error(f"{at}.count", "missing: how many agents to add")
    count = where.integer(raw["count"], f"{at}.count", low=1, high=5000)
    prefix = str(raw.get("prefix", "T")).strip()
    if not prefix:
        raise where.error(f"{at}.prefix", "must not be empty")
    queues = where.names(raw.get("queues"), f"{at}.queues")
    if not queues:
        raise where.error(f"{at}.queues", "missing: the queues the added agents answer")
    low = where.number(raw.get("min_hours_week", 0), f"{at}.min_hours_week", low=0, high=80)
    high = where.number(raw.get("max_hours_week", 40), f"{at}.max_hours_week", low=1, high=80)
    if high < low:
        raise where.error(f"{at}.max_hours_week", f"{high:g} is below min_hours_week {low:g}")
    return AddedAgents(count, prefix, str(raw.get("name", "Temp")), queues,
                       where.names(raw.get("shifts"), f"{at}.shifts"), low, high,
                       where.integer(raw.get("max_days_week", 5), f"{at}.max_days_week",
                                     low=1, high=7),
                       ";".join(where.names(raw.get("unavailable"), f"{at}.unavailable")), at)
