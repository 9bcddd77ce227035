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

import copy
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from forecasting.history import load_history
from planning.contract import PlanInputs
from planning.defaults import agents_table, check_queue_settings, read_queue_settings
from planning.sample import SAMPLE_DIR, sample_file
from planning.settings import ROSTER_TIME_LIMIT
from planning.steps import model_names, parse_shifts
from planning.workspace import Workspace

StepProgress = Callable[[str, float], None]

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


class _TextDates(yaml.SafeLoader):
    """yaml.safe_load, leaving dates as text so a bad date is reported with its field."""


_TextDates.yaml_implicit_resolvers = {
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
        raw = yaml.load(text, Loader=_TextDates)  # noqa: S506 - a SafeLoader subclass
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


# the base plan -----------------------------------------------------------------------

@dataclass
class BaseInputs:
    """What a scenario starts from, with a hash of each input."""

    history: pd.DataFrame
    queue_settings: pd.DataFrame
    agents: pd.DataFrame
    shifts_text: str
    events: pd.DataFrame | None
    hashes: dict[str, dict[str, str]]
    base_plan_id: int | None = None


def _sha_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha_frame(frame: pd.DataFrame) -> str:
    buffer = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(buffer, index=False)
    return _sha_bytes(buffer.getvalue())


def load_base(scenario: Scenario, ws: Workspace | None = None) -> BaseInputs:
    """The base plan's history, queue settings, agents, shift templates and events.

    Files named in `base` are read relative to the scenario file; a `plan` is taken
    from the workspace; anything not named comes from the bundled sample.
    """
    base = scenario.base
    hashes: dict[str, dict[str, str]] = {}
    plan_frames: dict[str, pd.DataFrame | None] = {}
    shifts_text = ""
    base_plan_id = None
    if "plan" in base:
        if ws is None:
            raise ScenarioError(f"{scenario.source}: base.plan: a saved plan needs the "
                                "workspace; run the scenario with a workspace")
        info = ws.find_plan(base["plan"])
        if info is None:
            names = ws.list_plans()["name"].tolist()
            raise ScenarioError(f"{scenario.source}: base.plan: no plan called "
                                f"{base['plan']!r} in workspace {ws.folder}; saved plans: "
                                f"{names}")
        base_plan_id = info.plan_id
        shifts_text = PlanInputs.from_dict(info.inputs).shifts_yaml or ""
        for kind in ("history", "queue_settings", "agents", "events"):
            plan_frames[kind] = ws.load_frame(info.plan_id, kind)

    def path_of(key: str, default: str) -> Path | None:
        if key in base:
            path = Path(base[key])
            path = path if path.is_absolute() else scenario.folder / path
            if not path.is_file():
                raise ScenarioError(f"{scenario.source}: base.{key}: no such file {path}")
            return path
        if "plan" in base:
            return None
        return sample_file(default)

    def from_plan(kind: str, key: str) -> pd.DataFrame:
        frame = plan_frames.get(kind)
        if frame is None:
            raise ScenarioError(f"{scenario.source}: base.plan: plan {base['plan']!r} has no "
                                f"{kind}; name a file in base.{key}")
        hashes[key] = {"source": f"plan {base['plan']}:{kind}", "sha256": _sha_frame(frame)}
        return frame

    def file_hash(key: str, path: Path) -> None:
        hashes[key] = {"source": str(path), "sha256": _sha_bytes(path.read_bytes())}

    path = path_of("history", "history.csv")
    if path is None:
        history = from_plan("history", "history")
    else:
        file_hash("history", path)
        history = load_history(path)
    path = path_of("queues", "queues.csv")
    if path is None:
        queue_settings = from_plan("queue_settings", "queues")
    else:
        file_hash("queues", path)
        queue_settings = read_queue_settings(path)
    path = path_of("agents", "agents.csv")
    if path is None:
        agents = from_plan("agents", "agents")
    else:
        file_hash("agents", path)
        agents = agents_table(path)
    path = path_of("shifts", "shifts.yaml")
    if path is None:
        if not shifts_text:
            raise ScenarioError(f"{scenario.source}: base.plan: plan {base['plan']!r} has no "
                                "shift templates; name a file in base.shifts")
        hashes["shifts"] = {"source": f"plan {base['plan']}:shifts_yaml",
                            "sha256": _sha_bytes(shifts_text.encode("utf-8"))}
    else:
        file_hash("shifts", path)
        shifts_text = path.read_text(encoding="utf-8")
    events = None
    if "events" in base or "plan" not in base:
        path = path_of("events", "events.csv")
        file_hash("events", path)
        from forecasting.events import read_events

        events = read_events(path)
    elif plan_frames.get("events") is not None:
        events = from_plan("events", "events")
    return BaseInputs(history, queue_settings, agents, shifts_text, events, hashes,
                      base_plan_id)


# applying the changes ----------------------------------------------------------------

def _queues_named(names: tuple[str, ...] | list[str], known: list[str], channels: dict[str, str],
                  at: str, source: str) -> list[str]:
    """Queue names, or channel names standing for all queues of that channel."""
    out: list[str] = []
    for name in names:
        if name in known:
            out.append(name)
        elif name in CHANNELS and any(c == name for c in channels.values()):
            out.extend(q for q in known if channels.get(q) == name)
        elif name == "all":
            out.extend(known)
        else:
            raise ScenarioError(f"{source}: {at}: unknown queue {name!r}; the plan has queues "
                                f"{known} (or a channel: {sorted(set(channels.values()))})")
    return list(dict.fromkeys(out))


def check_against_base(scenario: Scenario, queue_settings: pd.DataFrame,
                       start: pd.Timestamp) -> None:
    """Refuse, before any work, queue names the plan lacks and dates outside the horizon."""
    known = queue_settings["queue"].astype(str).tolist()
    channels = dict(zip(known, queue_settings["channel"].astype(str), strict=True))
    for change in [*scenario.volume, *scenario.aht]:
        _queues_named(change.queues, known, channels, f"{change.where}.queues", scenario.source)
    for key in scenario.deflection:
        _queues_named([key], known, channels, f"deflection.{key}", scenario.source)
    end = start + pd.Timedelta(days=scenario.days - 1)
    for change in [*scenario.volume, *scenario.aht]:
        outside = [d for d in change.dates if d < start or d > end]
        if outside:
            raise ScenarioError(f"{scenario.source}: {change.where}.dates: "
                                f"{outside[0].date()} is outside the horizon "
                                f"{start.date()}..{end.date()}; change `horizon` or the dates")


def apply_queue_changes(scenario: Scenario, queue_settings: pd.DataFrame) -> pd.DataFrame:
    """Queue settings with the scenario's service targets and shrinkage."""
    out = queue_settings.copy()
    known = out["queue"].astype(str).tolist()
    channels = dict(zip(known, out["channel"].astype(str), strict=True))
    for key, targets in scenario.targets.items():
        for queue in _queues_named([key], known, channels, f"targets.{key}", scenario.source):
            row = out["queue"].astype(str) == queue
            for col, value in targets.items():
                out[col] = out[col].astype(float)
                out.loc[row, col] = value
    for key, share in scenario.shrinkage.items():
        for queue in _queues_named([key], known, channels, f"shrinkage.{key}",
                                   scenario.source):
            out["shrinkage"] = out["shrinkage"].astype(float)
            out.loc[out["queue"].astype(str) == queue, "shrinkage"] = share
    return check_queue_settings(out)


def _event_days(scenario: Scenario, change: VolumeChange, calendar: Any,
                start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    days = calendar.days(start - pd.Timedelta(days=60), end + pd.Timedelta(days=60))

    def norm(name: str) -> str:
        return str(name).lower().replace("_", "").replace(" ", "").replace("-", "")

    named = days[days["event"].map(norm) == norm(change.event)]
    if named.empty:
        known = sorted(set(days.loc[(days["date"] >= start) & (days["date"] <= end), "event"]))
        raise ScenarioError(f"{scenario.source}: {change.where}.event: no event "
                            f"{change.event!r} in the calendar near the horizon "
                            f"{start.date()}..{end.date()}; events in the horizon: {known}")
    if not change.window:
        named = named[named["core"]]
    inside = named[(named["date"] >= start) & (named["date"] <= end)]
    if inside.empty:
        listed = ", ".join(str(d.date()) for d in named["date"])
        raise ScenarioError(f"{scenario.source}: {change.where}.event: {change.event!r} "
                            f"falls on {listed}, outside the horizon "
                            f"{start.date()}..{end.date()}; move `horizon`")
    return list(inside["date"])


def apply_volume_and_aht(scenario: Scenario, forecast: pd.DataFrame, plain: pd.DataFrame | None,
                         calendar: Any, queue_settings: pd.DataFrame) -> pd.DataFrame:
    """The forecast with the scenario's uplifts, deflection and AHT changes.

    `plain` is the forecast without shopping or planner events (needed only for
    number uplifts). Order: uplift, then deflection, then AHT.
    """
    out = forecast.copy()
    for col in ("contacts", "contacts_lo", "contacts_hi", "aht_seconds"):
        if col in out.columns:
            out[col] = out[col].astype(float)
    known = queue_settings["queue"].astype(str).tolist()
    channels = dict(zip(known, queue_settings["channel"].astype(str), strict=True))
    day = out["interval_start"].dt.normalize()
    start, end = day.min(), day.max()
    queue = out["queue"].astype(str)
    missing = sorted(set(known) - set(queue))
    if missing:
        raise ScenarioError(f"{scenario.source}: the forecast has no contacts for queue(s) "
                            f"{missing} of the queue settings; check the history")
    for change in scenario.volume:
        queues = _queues_named(change.queues, known, channels, f"{change.where}.queues",
                               scenario.source) if change.queues else known
        if change.event is not None:
            days = _event_days(scenario, change, calendar, start, end)
        else:
            days = list(change.dates)
            outside = [d for d in days if d < start or d > end]
            if outside:
                raise ScenarioError(f"{scenario.source}: {change.where}.dates: "
                                    f"{outside[0].date()} is outside the horizon "
                                    f"{start.date()}..{end.date()}")
        if change.uplift is None:
            continue  # the forecast already carries the learnt uplift
        mask = day.isin(days) & queue.isin(queues)
        if plain is None:
            raise ScenarioError(f"{scenario.source}: {change.where}: no plain forecast")
        key = ["queue", "interval_start"]
        ordinary = out[key].merge(plain, on=key, how="left")
        for col in ("contacts", "contacts_lo", "contacts_hi"):
            if col in out.columns:
                out.loc[mask, col] = ordinary.loc[mask, col].to_numpy() * change.uplift
    for key, share in scenario.deflection.items():
        for q in _queues_named([key], known, channels, f"deflection.{key}", scenario.source):
            mask = queue == q
            for col in ("contacts", "contacts_lo", "contacts_hi"):
                if col in out.columns:
                    out.loc[mask, col] = out.loc[mask, col] * (1.0 - share)
    for change in scenario.aht:
        queues = _queues_named(change.queues, known, channels, f"{change.where}.queues",
                               scenario.source) if change.queues else known
        mask = queue.isin(queues)
        if change.dates:
            mask &= day.isin(list(change.dates))
        out.loc[mask, "aht_seconds"] = out.loc[mask, "aht_seconds"] * change.change
    return out


def apply_shift_changes(scenario: Scenario, shifts_text: str) -> str:
    """The base shift templates with the scenario's templates, rules, queue hours and
    weights merged in (`null` removes a template); validated by the roster library."""
    if not scenario.shifts:
        parse_shifts(shifts_text)
        return shifts_text
    data = yaml.safe_load(shifts_text) or {}
    data = copy.deepcopy(data)
    for section, changes in scenario.shifts.items():
        merged = dict(data.get(section) or {})
        for key, value in changes.items():
            if value is None:
                if key not in merged:
                    raise ScenarioError(f"{scenario.source}: shifts.{section}.{key}: cannot "
                                        f"remove it, the base has only {sorted(merged)}")
                merged.pop(key)
            else:
                merged[key] = value
        data[section] = merged
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    try:
        parse_shifts(text)
    except ValueError as exc:
        raise ScenarioError(f"{scenario.source}: shifts: {exc}") from None
    return text


def apply_agent_changes(scenario: Scenario, agents: pd.DataFrame, queue_settings: pd.DataFrame,
                        shifts_text: str) -> pd.DataFrame:
    """The team with agents removed, temporary agents added and overtime allowed."""
    out = agents.copy()
    ids = out["agent_id"].astype(str)
    unknown = [a for a in scenario.remove_agents if a not in set(ids)]
    if unknown:
        raise ScenarioError(f"{scenario.source}: agents.remove: unknown agent {unknown[0]!r}; "
                            f"the team has {len(ids)} agents ({', '.join(ids.head(5))}, ...)")
    if scenario.remove_count > len(out):
        raise ScenarioError(f"{scenario.source}: agents.remove.count: {scenario.remove_count} "
                            f"is more than the {len(out)} agents of the team")
    keep = ~ids.isin(scenario.remove_agents)
    out = out[keep]
    if scenario.remove_count:
        out = out.iloc[: len(out) - scenario.remove_count]
    known = queue_settings["queue"].astype(str).tolist()
    channels = dict(zip(known, queue_settings["channel"].astype(str), strict=True))
    templates = set((yaml.safe_load(shifts_text) or {}).get("templates") or {})
    rows = []
    taken = set(out["agent_id"].astype(str))
    for group in scenario.add_agents:
        queues = _queues_named(group.queues, known, channels, f"{group.where}.queues",
                               scenario.source)
        bad = [s for s in group.shifts if s not in templates]
        if bad:
            raise ScenarioError(f"{scenario.source}: {group.where}.shifts: unknown shift "
                                f"template {bad[0]!r}; templates: {sorted(templates)} (add it "
                                "under shifts.templates)")
        for i in range(1, group.count + 1):
            agent_id = f"{group.prefix}{i:03d}"
            if agent_id in taken:
                raise ScenarioError(f"{scenario.source}: {group.where}.prefix: agent id "
                                    f"{agent_id} is already in the team; pick another prefix")
            taken.add(agent_id)
            rows.append({"agent_id": agent_id, "name": f"{group.name} {i}",
                         "queues": ";".join(queues),
                         "min_hours_week": f"{group.min_hours_week:g}",
                         "max_hours_week": f"{group.max_hours_week:g}",
                         "max_days_week": str(group.max_days_week),
                         "unavailable": group.unavailable, "shifts": ";".join(group.shifts)})
    if rows:
        out = pd.concat([out, pd.DataFrame(rows)], ignore_index=True)
    out = out.fillna("").astype(str).reset_index(drop=True)
    if scenario.extra_hours_week or scenario.extra_days_week:
        hours = pd.to_numeric(out["max_hours_week"], errors="coerce") + scenario.extra_hours_week
        days = (pd.to_numeric(out["max_days_week"], errors="coerce")
                + scenario.extra_days_week).clip(upper=7)
        out["max_hours_week"] = hours.map(lambda v: f"{v:g}")
        out["max_days_week"] = days.map(lambda v: f"{int(v)}")
    if out.empty:
        raise ScenarioError(f"{scenario.source}: agents: the scenario leaves no agents to "
                            "roster; remove fewer or add some under agents.add")
    return out


# scenarios built with forms ------------------------------------------------------------

@dataclass
class ScenarioForm:
    """What the dashboard's scenario form asks, as plain values (percentages as %).

    `scenario_text` writes it as scenario YAML on top of a starting scenario's text, so
    the form and the YAML are two views of the same scenario. Empty fields change
    nothing. `uplift_on` is an event name (uplift relative to an ordinary day on the
    event's days) or a date `YYYY-MM-DD`; queues are a queue, a channel or "all".
    """

    name: str
    description: str = ""
    horizon_start: str = ""
    horizon_days: int = 0
    uplift_percent: float = 0.0
    uplift_queue: str = "all"
    uplift_on: str = ""
    aht_percent: float = 0.0
    aht_queue: str = "all"
    deflection_percent: float = 0.0
    deflection_queue: str = "chat"
    target_queue: str = ""
    target_service_level_percent: float | None = None
    target_seconds: float | None = None
    shrinkage_percent: float | None = None
    shrinkage_queue: str = "all"
    temps: int = 0
    temp_template: str = ""
    temp_queues: tuple[str, ...] = ()
    temp_max_hours_week: float = 36.0
    overtime_hours_week: float = 0.0
    remove_agents: int = 0
    open_queue: str = ""
    open_from: str = ""
    open_until: str = ""
    roster_time_limit: float | None = None


def scenario_text(form: ScenarioForm, start_text: str | None = None) -> str:
    """Scenario YAML for `form`, on top of `start_text` (a scenario file's text: its base,
    horizon and changes are kept; the form's changes are added after them)."""
    data: dict[str, Any] = {}
    if start_text:
        loaded = yaml.load(start_text, Loader=_TextDates)  # noqa: S506 - a SafeLoader subclass
        data = dict(loaded) if isinstance(loaded, dict) else {}
    data["name"] = form.name.strip() or str(data.get("name") or "My scenario")
    if form.description.strip():
        data["description"] = form.description.strip()
    if form.roster_time_limit:
        data["roster_time_limit"] = float(form.roster_time_limit)
    if form.horizon_start or form.horizon_days:
        horizon = dict(data.get("horizon") or {})
        if form.horizon_start:
            horizon["start"] = form.horizon_start
        if form.horizon_days:
            horizon["days"] = int(form.horizon_days)
        data["horizon"] = horizon

    def queues(name: str) -> list[str]:
        return [] if not name or name == "all" else [name]

    if form.uplift_percent and form.uplift_on:
        change: dict[str, Any] = {"uplift": round(1 + form.uplift_percent / 100, 6)}
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", form.uplift_on.strip()):
            change["dates"] = [form.uplift_on.strip()]
        else:
            change["event"] = form.uplift_on.strip()
        if queues(form.uplift_queue):
            change["queues"] = queues(form.uplift_queue)
        data["volume"] = [*(data.get("volume") or []), change]
    if form.aht_percent:
        aht: dict[str, Any] = {"change": round(1 + form.aht_percent / 100, 6)}
        if queues(form.aht_queue):
            aht["queues"] = queues(form.aht_queue)
        data["aht"] = [*(data.get("aht") or []), aht]
    if form.deflection_percent:
        data["deflection"] = {**(data.get("deflection") or {}),
                              form.deflection_queue or "chat": form.deflection_percent / 100}
    if form.target_queue and (form.target_service_level_percent or form.target_seconds):
        target: dict[str, float] = {}
        if form.target_service_level_percent:
            target["service_level"] = form.target_service_level_percent / 100
        if form.target_seconds:
            target["target_seconds"] = float(form.target_seconds)
        data["targets"] = {**(data.get("targets") or {}), form.target_queue: target}
    if form.shrinkage_percent is not None:
        data["shrinkage"] = {**(data.get("shrinkage") or {}),
                             form.shrinkage_queue or "all": form.shrinkage_percent / 100}
    agents = dict(data.get("agents") or {})
    if form.temps > 0:
        group: dict[str, Any] = {"count": int(form.temps), "prefix": _free_prefix(agents),
                                 "name": "Temp",
                                 "queues": list(form.temp_queues) or ["chat"],
                                 "min_hours_week": 0,
                                 "max_hours_week": float(form.temp_max_hours_week),
                                 "max_days_week": 6}
        if form.temp_template:
            group["shifts"] = [form.temp_template]
        agents["add"] = [*(agents.get("add") or []), group]
    if form.remove_agents > 0:
        agents["remove"] = {"count": int(form.remove_agents)}
    if agents:
        data["agents"] = agents
    if form.overtime_hours_week:
        data["overtime"] = {**(data.get("overtime") or {}),
                            "extra_hours_week": float(form.overtime_hours_week)}
    if form.open_queue and form.open_from and form.open_until:
        shifts = dict(data.get("shifts") or {})
        opening = dict(shifts.get("queues") or {})
        opening[form.open_queue] = {**(opening.get(form.open_queue) or {}),
                                    "open": form.open_from, "close": form.open_until}
        shifts["queues"] = opening
        data["shifts"] = shifts
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _free_prefix(agents: dict[str, Any]) -> str:
    taken = {str(g.get("prefix", "T")) for g in agents.get("add") or [] if isinstance(g, dict)}
    for prefix in ("T", "X", "Y", "Z", "W"):
        if prefix not in taken:
            return prefix
    return f"T{len(taken)}"
