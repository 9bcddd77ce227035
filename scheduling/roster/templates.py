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
    """'HH:MM' (or minutes as a number) -> minutes; '24:00' is allowed."""
    if isinstance(value, bool):
        raise RosterInputError(f"{where}: expected a time 'HH:MM' or minutes, got {value!r}")
    if isinstance(value, int | float):
        return int(value)
    text = str(value).strip()
    try:
        hours, minutes = text.split(":")
        total = int(hours) * 60 + int(minutes)
    except ValueError:
        raise RosterInputError(f"{where}: expected a time 'HH:MM', got {value!r}") from None
    if int(minutes) >= 60 or total < 0:
        raise RosterInputError(f"{where}: {value!r} is not a valid time")
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


def _template(name: str, raw: dict, where: str) -> ShiftTemplate:
    if not isinstance(raw, dict):
        raise RosterInputError(f"{where}: expected a mapping of template fields")
    for key in ("earliest_start", "latest_start", "lengths"):
        if key not in raw:
            raise RosterInputError(f"{where}: missing field '{key}'")
    lengths_raw = raw["lengths"] if isinstance(raw["lengths"], list) else [raw["lengths"]]
    lengths = tuple(parse_clock(v, f"{where}.lengths") for v in lengths_raw)
    step = int(raw.get("start_step", 30))
    if step <= 0 or 1440 % step:
        raise RosterInputError(f"{where}.start_step: {step} must divide a day (15, 30, 60)")
    breaks = []
    for i, b in enumerate(raw.get("breaks") or []):
        bw = f"{where}.breaks[{i}]"
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


def shift_settings(raw: dict, source: str = "shifts") -> ShiftSettings:
    """Validate a parsed YAML mapping into ShiftSettings."""
    if not isinstance(raw, dict):
        raise RosterInputError(f"{source}: expected a mapping with 'queues' and 'templates'")
    if not raw.get("templates"):
        raise RosterInputError(f"{source}: no 'templates' given")
    if not raw.get("queues"):
        raise RosterInputError(f"{source}: no 'queues' (opening hours) given")
    templates = tuple(_template(str(n), t, f"{source}: templates.{n}")
                      for n, t in raw["templates"].items())
    queues = {}
    for q, spec in raw["queues"].items():
        w = f"{source}: queues.{q}"
        if not isinstance(spec, dict) or "open" not in spec or "close" not in spec:
            raise RosterInputError(f"{w}: needs 'open' and 'close' times")
        hours = QueueHours(str(q), parse_clock(spec["open"], w + ".open"),
                           parse_clock(spec["close"], w + ".close"),
                           int(spec.get("priority", 1)), parse_days(spec.get("days"), w))
        if hours.close <= hours.open:
            raise RosterInputError(f"{w}: close must be after open")
        queues[str(q)] = hours
    known = {f.name for f in fields(RuleSettings)}
    rules_raw = raw.get("rules") or {}
    unknown = set(rules_raw) - known
    if unknown:
        raise RosterInputError(f"{source}: unknown rules {sorted(unknown)}; known: {sorted(known)}")
    weights = {str(k): int(v) for k, v in (raw.get("weights") or {}).items()}
    bad = set(weights) - {"under", "over", "paid", "preference", "fairness"}
    if bad:
        raise RosterInputError(f"{source}: unknown weights {sorted(bad)}")
    return ShiftSettings(templates, queues, RuleSettings(**rules_raw), weights)


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
