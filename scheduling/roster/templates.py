"""Shift templates, queue opening hours, rule numbers and weights, read from a YAML file.

```yaml
queues:                       # opening hours per queue; shifts never serve a closed queue
  order_hotline: {open: "09:00", close: "21:00", priority: 3}
templates:
  early:
    earliest_start: "07:00"   # first start time
    latest_start: "10:00"     # last start time
    start_step: 30            # minutes between possible starts (15 or 30)
    lengths: ["8:30"]         # allowed lengths, "H:MM" or minutes (breaks included)
    days: [mon, tue, wed, thu, fri, sat, sun]   # days the template is offered (default all)
    late: false               # optional; default: ends after rules.late_shift_end_after
    breaks:                   # in order; window = earliest and latest start after shift start
      - {name: break, length: 15, window: ["1:30", "2:30"], paid: true}
      - {name: lunch, length: 30, window: ["3:30", "5:00"], paid: false}
rules:                        # every key optional; defaults in RuleSettings
  min_rest_hours: 11
weights: {under: 1000, over: 20, paid: 5, preference: 3, fairness: 1}
```
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from scheduling.roster.errors import RosterInputError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BreakRule:
    """A break or lunch: its length and when it may start, in minutes after shift start."""

    name: str
    length: int
    earliest: int
    latest: int
    paid: bool = True


@dataclass(frozen=True)
class ShiftTemplate:
    name: str
    earliest_start: int
    latest_start: int
    start_step: int
    lengths: tuple[int, ...]
    days: frozenset[int] = frozenset(range(7))
    breaks: tuple[BreakRule, ...] = ()
    late: bool | None = None

    def starts(self) -> range:
        return range(self.earliest_start, self.latest_start + 1, self.start_step)

    def paid_minutes(self, length: int) -> int:
        return length - sum(b.length for b in self.breaks if not b.paid)


@dataclass(frozen=True)
class QueueHours:
    """When a queue is staffed (minutes from midnight; close may be 1440) and its priority."""

    queue: str
    open: int
    close: int
    priority: int = 1
    days: frozenset[int] = frozenset(range(7))


@dataclass(frozen=True)
class RuleSettings:
    """The numbers of the hard rules (None switches a rule off) and soft-rule switches."""

    min_rest_hours: float = 11.0
    max_consecutive_days: int | None = 6
    min_consecutive_days_off: int = 2
    days_off_per_week: int | None = 2
    max_working_weekends: int | None = None
    late_shift_end_after: str = "21:00"
    max_late_shifts_per_week: int | None = 3
    fairness: bool = True
    preferred_day_off_weight: int = 2
    preferred_start_weight: int = 1


@dataclass(frozen=True)
class ShiftSettings:
    templates: tuple[ShiftTemplate, ...]
    queues: dict[str, QueueHours]
    rules: RuleSettings = field(default_factory=RuleSettings)
    weights: dict[str, int] = field(default_factory=dict)


def parse_clock(value: Any, where: str) -> int:
    """'HH:MM' (or minutes as a number) -> minutes from 0 to 1440; '24:00' is allowed."""
    if isinstance(value, bool):
        raise RosterInputError(f"{where}: expected a time 'HH:MM' or minutes, got {value!r}")
    if isinstance(value, int | float):
        if not (math.isfinite(value) and 0 <= value <= 1440 and value == int(value)):
            raise RosterInputError(f"{where}: {value!r} is not a whole number of minutes "
                                   "from 0 to 1440")
        return int(value)
    text = str(value).strip()
    try:
        hours, minutes = text.split(":")
        total = int(hours) * 60 + int(minutes)
    except ValueError:
        raise RosterInputError(f"{where}: expected a time 'HH:MM', got {value!r}") from None
    if not (0 <= int(minutes) < 60 and 0 <= int(hours)) or total > 1440:
        raise RosterInputError(f"{where}: {value!r} is not a valid time (00:00 to 24:00)")
    return total


def parse_days(value: Any, where: str) -> frozenset[int]:
    if value is None:
        return frozenset(range(7))
    items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    out = set()
    for item in items:
        key = str(item).strip().lower()[:3]
        if key not in WEEKDAYS:
            raise RosterInputError(f"{where}: unknown weekday {item!r}; use mon..sun")
        out.add(WEEKDAYS.index(key))
    return frozenset(out)


TOP_KEYS = ("queues", "templates", "rules", "weights")
TEMPLATE_KEYS = ("earliest_start", "latest_start", "start_step", "lengths", "days", "late",
                 "breaks")
BREAK_KEYS = ("name", "length", "window", "paid")
QUEUE_KEYS = ("open", "close", "priority", "days")
WEIGHT_KEYS = ("under", "over", "paid", "preference", "fairness")
MAX_WEIGHT = 1_000_000
"""Largest weight or priority accepted (the objective stays well inside 64-bit integers)."""


def check_keys(raw: dict, known: tuple[str, ...], where: str) -> None:
    """Refuse keys that are not in `known`, naming the first and listing the known ones
    (a typo such as `rulez:` would otherwise leave the planner's settings unread)."""
    unknown = [str(k) for k in raw if str(k) not in known]
    if unknown:
        raise RosterInputError(f"{where}: unknown key {unknown[0]!r}; known keys: "
                               f"{', '.join(known)}")


def whole_number(value: Any, where: str, low: int, high: int) -> int:
    """An integer from `low` to `high` (a YAML int, or a float or text holding one)."""
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(value)
        if not number.is_integer():
            raise ValueError
    except (TypeError, ValueError):
        raise RosterInputError(f"{where}: {value!r} is not a whole number") from None
    if not low <= number <= high:
        raise RosterInputError(f"{where}: {value!r} is not between {low} and {high}")
    return int(number)


def _template(name: str, raw: dict, where: str) -> ShiftTemplate:
    if not isinstance(raw, dict):
        raise RosterInputError(f"{where}: expected a mapping of template fields")
    check_keys(raw, TEMPLATE_KEYS, where)
    for key in ("earliest_start", "latest_start", "lengths"):
        if key not in raw:
            raise RosterInputError(f"{where}: missing field '{key}'")
    lengths_raw = raw["lengths"] if isinstance(raw["lengths"], list) else [raw["lengths"]]
    lengths = tuple(parse_clock(v, f"{where}.lengths") for v in lengths_raw)
    if not lengths or min(lengths) <= 0:
        raise RosterInputError(f"{where}.lengths: every shift length must be above 0")
    step = whole_number(raw.get("start_step", 30), where + ".start_step", 1, 1440)
    if 1440 % step:
        raise RosterInputError(f"{where}.start_step: {step} must divide a day (15, 30, 60)")
    breaks = []
    if not isinstance(raw.get("breaks") or [], list):
        raise RosterInputError(f"{where}.breaks: expected a list of breaks")
    for i, b in enumerate(raw.get("breaks") or []):
        bw = f"{where}.breaks[{i}]"
        if isinstance(b, dict):
            check_keys(b, BREAK_KEYS, bw)
        try:
            lo, hi = (parse_clock(v, bw + ".window") for v in b["window"])
            breaks.append(BreakRule(str(b.get("name", f"break{i + 1}")),
                                    parse_clock(b["length"], bw + ".length"), lo, hi,
                                    bool(b.get("paid", True))))
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, RosterInputError):
                raise
            raise RosterInputError(f"{bw}: needs length and window [earliest, latest]") from None
    for prev, nxt in zip(breaks, breaks[1:], strict=False):
        if prev.latest + prev.length > nxt.earliest:
            raise RosterInputError(f"{where}: break windows of '{prev.name}' and '{nxt.name}' "
                                   "overlap; the later must start after the earlier can end")
    for length in lengths:
        if breaks and breaks[-1].latest + breaks[-1].length > length:
            raise RosterInputError(f"{where}: break '{breaks[-1].name}' can end after a "
                                   f"{length}-minute shift")
    tpl = ShiftTemplate(name, parse_clock(raw["earliest_start"], where + ".earliest_start"),
                        parse_clock(raw["latest_start"], where + ".latest_start"), step,
                        lengths, parse_days(raw.get("days"), where + ".days"), tuple(breaks),
                        raw.get("late"))
    if tpl.latest_start < tpl.earliest_start:
        raise RosterInputError(f"{where}: latest_start is before earliest_start")
    return tpl


RULE_BOUNDS: dict[str, tuple[float, float]] = {
    "min_rest_hours": (0, 48), "max_consecutive_days": (1, 7),
    "min_consecutive_days_off": (0, 7), "days_off_per_week": (0, 7),
    "max_working_weekends": (0, 5), "max_late_shifts_per_week": (0, 7),
    "preferred_day_off_weight": (0, MAX_WEIGHT), "preferred_start_weight": (0, MAX_WEIGHT),
}
"""The range each numeric rule accepts (None still switches the optional ones off)."""
OPTIONAL_RULES = ("max_consecutive_days", "days_off_per_week", "max_working_weekends",
                  "max_late_shifts_per_week")


def _rules(raw: Any, source: str) -> RuleSettings:
    if raw is None:
        return RuleSettings()
    if not isinstance(raw, dict):
        raise RosterInputError(f"{source}: rules: expected a mapping of rule: value")
    known = tuple(f.name for f in fields(RuleSettings))
    check_keys(raw, known, f"{source}: rules")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{source}: rules.{key}"
        if key in RULE_BOUNDS:
            if value is None:
                if key not in OPTIONAL_RULES:
                    raise RosterInputError(f"{where}: needs a number (only "
                                           f"{', '.join(OPTIONAL_RULES)} may be null)")
                values[key] = None
                continue
            low, high = RULE_BOUNDS[key]
            if key == "min_rest_hours":
                try:
                    number = float(value)
                except (TypeError, ValueError):
                    raise RosterInputError(f"{where}: {value!r} is not a number of hours"
                                           ) from None
                if isinstance(value, bool) or not (math.isfinite(number)
                                                   and low <= number <= high):
                    raise RosterInputError(f"{where}: {value!r} is not between {low:g} and "
                                           f"{high:g} hours")
                values[key] = number
            else:
                values[key] = whole_number(value, where, int(low), int(high))
        elif key == "fairness":
            if not isinstance(value, bool):
                raise RosterInputError(f"{where}: {value!r} is not true or false")
            values[key] = value
        elif key == "late_shift_end_after":
            parse_clock(value, where)
            values[key] = str(value)
    return RuleSettings(**values)


def shift_settings(raw: dict, source: str = "shifts") -> ShiftSettings:
    """Validate a parsed YAML mapping into ShiftSettings; every error names `source` and
    the key (unknown keys are refused with the known ones listed)."""
    if not isinstance(raw, dict):
        raise RosterInputError(f"{source}: expected a mapping with 'queues' and 'templates'")
    check_keys(raw, TOP_KEYS, source)
    if not raw.get("templates"):
        raise RosterInputError(f"{source}: no 'templates' given")
    if not raw.get("queues"):
        raise RosterInputError(f"{source}: no 'queues' (opening hours) given")
    for key in ("templates", "queues"):
        if not isinstance(raw[key], dict):
            raise RosterInputError(f"{source}: {key}: expected a mapping of name: fields")
    templates = tuple(_template(str(n), t, f"{source}: templates.{n}")
                      for n, t in raw["templates"].items())
    queues = {}
    for q, spec in raw["queues"].items():
        w = f"{source}: queues.{q}"
        if not isinstance(spec, dict) or "open" not in spec or "close" not in spec:
            raise RosterInputError(f"{w}: needs 'open' and 'close' times")
        check_keys(spec, QUEUE_KEYS, w)
        hours = QueueHours(str(q), parse_clock(spec["open"], w + ".open"),
                           parse_clock(spec["close"], w + ".close"),
                           whole_number(spec.get("priority", 1), w + ".priority", 0,
                                        MAX_WEIGHT),
                           parse_days(spec.get("days"), w + ".days"))
        if hours.close <= hours.open:
            raise RosterInputError(f"{w}: close must be after open")
        queues[str(q)] = hours
    rules = _rules(raw.get("rules"), source)
    weights_raw = raw.get("weights") or {}
    if not isinstance(weights_raw, dict):
        raise RosterInputError(f"{source}: weights: expected a mapping of weight: number")
    check_keys(weights_raw, WEIGHT_KEYS, f"{source}: weights")
    weights = {str(k): whole_number(v, f"{source}: weights.{k}", 0, MAX_WEIGHT)
               for k, v in weights_raw.items()}
    return ShiftSettings(templates, queues, rules, weights)


def read_shifts(path: str | Path) -> ShiftSettings:
    """Read and validate a shifts YAML file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"shifts file not found: {path}")
    try:
        raw = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise RosterInputError(f"{path}: not valid YAML ({exc})") from None
    return shift_settings(raw, str(path))
