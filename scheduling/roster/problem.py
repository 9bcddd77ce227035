"""The engine's view of a rostering problem, shared by the contact-centre and Curtois adapters.

A problem is a horizon of days, agents each with the shift options they may take on
each day and their own rule parameters, and coverage cells (a queue and a grid slot,
or a Curtois shift type and a day) with a requirement and under/over weights.
Times are minutes from the horizon start (day 0, 00:00).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BreakSlot:
    """One break of a shift option: where it may start and the cells it takes off line."""

    name: str
    positions: tuple[int, ...]
    cells: tuple[tuple[int, ...], ...]  # per position, the cells the break removes
    length: int = 0
    paid: bool = True


@dataclass(frozen=True)
class ShiftOption:
    """A concrete shift on one day: agents taking the same `key` are interchangeable
    (so options of the same shift differing in `weight` have different keys)."""

    key: str
    day: int
    shift: str
    start: int
    end: int
    paid_minutes: int
    late: bool = False
    queue: str | None = None
    cells: tuple[int, ...] = ()
    breaks: tuple[BreakSlot, ...] = ()
    weight: int = 1  # cover of one agent on it, in the problem's `cover_scale` units


@dataclass(frozen=True)
class Cell:
    """A coverage requirement: `requirement` people (in the problem's `cover_scale`
    units) on `name` during `slot`."""

    name: str
    slot: int
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class Period:
    """Days [first, last] over which contract limits hold (a week, or the horizon)."""

    first: int
    last: int
    min_minutes: int | None = None
    max_minutes: int | None = None
    max_days: int | None = None
    max_late: int | None = None


@dataclass(frozen=True)
class Request:
    """A soft wish: work (`on`) or not work (`off`) on `day`, a given shift or any."""

    day: int
    on: bool
    weight: int
    shift: str | None = None


@dataclass
class AgentSpec:
    """One agent: the options per day and the numbers of each rule for them."""

    agent_id: str
    options: list[list[ShiftOption]]
    periods: list[Period] = field(default_factory=list)
    max_consecutive_days: int | None = None
    min_consecutive_days: int = 1
    min_consecutive_days_off: int = 1
    max_working_weekends: int | None = None
    max_per_shift: dict[str, int] = field(default_factory=dict)
    days_off: frozenset[int] = frozenset()
    history: tuple[bool, ...] = ()  # worked on the days before day 0, oldest first
    last_end: int | None = None  # end of the last shift before the horizon (minutes, < 0 ok)
    requests: list[Request] = field(default_factory=list)
    option_penalty: dict[str, int] = field(default_factory=dict)  # option key -> cost
    team: str = ""  # large rosters may be solved team by team


@dataclass
class Problem:
    """Everything the CP-SAT model needs; built by an adapter, solved by `model`."""

    days: int
    weekdays: list[int]  # weekday (Monday 0) of each day
    agents: list[AgentSpec]
    cells: list[Cell]
    min_rest_minutes: int = 0
    forbidden_successions: frozenset[tuple[str, str]] = frozenset()
    weights: dict[str, int] = field(default_factory=dict)
    fairness: bool = False
    paid_minute_unit: int = 15
    # coverage is counted in 1/cover_scale of an agent (requirements, option weights,
    # under/over); above 1 when some agent serves a queue at a proficiency below 1
    cover_scale: int = 1
