"""The levers a planner allows in a capacity plan, their limits and costs, and the
check that refuses levers that cannot be planned with (naming the field)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

TARGET_MODES = ("interval", "day", "week")
"""Where the service-level target must hold: every interval a lever can reach, or
each queue's day or week as a whole (contact-weighted)."""


class CapacityInputError(ValueError):
    """Levers that cannot be planned with; the message names the lever and field."""


@dataclass(frozen=True)
class TempLever:
    """Temporary or agency staff on one shift template."""

    template: str
    queues: tuple[str, ...]
    hourly_cost: float
    max_count: int
    max_hours_week: float = 40.0
    max_days_week: int = 5
    fee: float = 0.0
    prefix: str = "T"


@dataclass(frozen=True)
class OvertimeLever:
    """Paid hours above today's agents' contracts."""

    max_hours_week: float
    max_hours_day: float
    hourly_cost: float
    premium: float = 1.5

    @property
    def rate(self) -> float:
        return self.hourly_cost * self.premium


@dataclass(frozen=True)
class CrossSkillLever:
    """Agents who answer `from_queue` trained to answer `to_queue` too."""

    from_queue: str
    to_queue: str
    cost_per_person: float
    max_people: int
    proficiency: float = 1.0


@dataclass(frozen=True)
class OutsourcerLever:
    """An outsourcer's agents on line per interval on one queue."""

    queue: str
    max_agents: float
    hourly_cost: float


@dataclass
class Levers:
    """Every lever the planner allows (an empty list or None: not allowed)."""

    temps: list[TempLever] = field(default_factory=list)
    overtime: OvertimeLever | None = None
    cross_skill: list[CrossSkillLever] = field(default_factory=list)
    outsourcer: list[OutsourcerLever] = field(default_factory=list)
    opening: dict[str, tuple[int, int]] = field(default_factory=dict)  # queue -> (open, close)




def check_levers(levers: Levers, queues: Sequence[str], templates: Sequence[str],
                 source: str = "capacity") -> None:
    """Refuse negative costs, unknown templates or queues and impossible limits,
    naming `source` and the field."""
    known_q, known_t = set(queues), set(templates)

    def bad(where: str, msg: str) -> CapacityInputError:
        return CapacityInputError(f"{source}: {where}: {msg}")

    def cost(value: float, where: str) -> None:
        if not (isinstance(value, int | float) and math.isfinite(value)) or value < 0:
            raise bad(where, f"{value!r} is not a cost >= 0")

    for i, t in enumerate(levers.temps):
        at = f"temps[{i}]"
        if t.template not in known_t:
            raise bad(f"{at}.template", f"unknown shift template {t.template!r}; templates: "
                      f"{sorted(known_t)} (add new ones under capacity.templates)")
        for q in t.queues:
            if q not in known_q:
                raise bad(f"{at}.queues", f"unknown queue {q!r}; queues: {sorted(known_q)}")
        if not t.queues:
            raise bad(f"{at}.queues", "missing: the queues the temps answer")
        cost(t.hourly_cost, f"{at}.hourly_cost")
        cost(t.fee, f"{at}.fee")
        if t.max_count < 0:
            raise bad(f"{at}.max_count", f"{t.max_count} is negative")
        if t.max_hours_week <= 0 or not 1 <= t.max_days_week <= 7:
            raise bad(f"{at}.max_hours_week", "expected hours > 0 and max_days_week 1..7")
    if levers.overtime is not None:
        o = levers.overtime
        cost(o.hourly_cost, "overtime.hourly_cost")
        if o.premium < 0 or not math.isfinite(o.premium):
            raise bad("overtime.premium", f"{o.premium!r} is not a multiplier >= 0")
        if o.max_hours_week < 0 or o.max_hours_day < 0:
            raise bad("overtime.max_hours_week", "overtime limits must be >= 0")
    for i, c in enumerate(levers.cross_skill):
        at = f"cross_skill[{i}]"
        for name, q in (("from", c.from_queue), ("to", c.to_queue)):
            if q not in known_q:
                raise bad(f"{at}.{name}", f"unknown queue {q!r}; queues: {sorted(known_q)}")
        cost(c.cost_per_person, f"{at}.cost_per_person")
        if not 0 < c.proficiency <= 1:
            raise bad(f"{at}.proficiency", f"{c.proficiency!r}; expected above 0, at most 1")
        if c.max_people < 0:
            raise bad(f"{at}.max_people", f"{c.max_people} is negative")
    for i, u in enumerate(levers.outsourcer):
        at = f"outsourcer[{i}]"
        if u.queue not in known_q:
            raise bad(f"{at}.queue", f"unknown queue {u.queue!r}; queues: {sorted(known_q)}")
        cost(u.hourly_cost, f"{at}.hourly_cost")
        if u.max_agents < 0:
            raise bad(f"{at}.max_agents", f"{u.max_agents} is negative")
    for q, (lo, hi) in levers.opening.items():
        if q not in known_q:
            raise bad(f"opening_hours.{q}", f"unknown queue {q!r}; queues: {sorted(known_q)}")
        if not 0 <= lo < hi <= 1440:
            raise bad(f"opening_hours.{q}", "expected open before close, within 00:00-24:00")

