"""The re-plan's levers and costs, its result and its input error."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


class ReplanInputError(ValueError):
    """A roster, agents or settings the re-plan cannot use; names agent and field."""


@dataclass(frozen=True)
class ReplanOptions:
    """The levers and their costs (costs in minutes of shallow shortfall)."""

    change_cost: float = 20.0          # each break move, move, overtime or VTO
    agent_cost: float = 40.0           # each agent whose day changes at all
    max_changed_share: float | None = 0.10  # of today's agents, at least one (None: no cap)
    overtime_cost: float = 1.0         # per minute a shift is extended or called in
    overtime_premium: float = 1.5      # x overtime_cost per minute above the weekly contract
    vto_saving: float = 0.3            # per paid minute given back as time off
    over_cost: float = 0.2             # per minute on line above the requirement
    max_overtime_minutes: int = 120    # a day's extension (labour rule: 2 h a day)
    extra_hours_week: float = 8.0      # paid overtime a week above max_hours_week (labour
    # rule: 8 h a week, about China's 36 h a month, the EU's 48-hour week on 40; 0: contract)
    longest_shift: int | None = None   # minutes on site a shift may reach (None: the
    # longest template plus max_overtime_minutes)
    overtime_step: int = 30
    max_vto_minutes: int = 240
    break_step: int = 15
    move_step: int = 60                # a move lasts whole blocks of this many minutes
    allow_breaks: bool = True
    allow_moves: bool = True
    allow_overtime: bool = True
    allow_vto: bool = True
    allow_call_in: bool = True
    allow_shift_moves: bool = True     # a shift not begun yet may start earlier or later
    max_shift_move: int = 180          # minutes, on the template's start grid
    call_in_cost: float = 100.0        # each agent called in on a day off, on top
    call_in_step: int = 60             # call-in shifts start on this grid of minutes
    vto_keeps_min_hours: bool = False  # True: no VTO under an agent's min_hours_week
    min_gain: float | None = 0.01      # rest-of-day SL or abandon rate (all queues) a
    # re-plan must better, or it is not proposed (None: no such test): a day running to
    # plan is left alone
    time_limit: float = 10.0           # solver seconds (deterministic: CP-SAT's deterministic
    # time, close to wall seconds on 2 cores, capped at twice as many wall seconds)
    deterministic: bool = True
    workers: int = 2
    seed: int = 0


@dataclass
class ReplanResult:
    """The changes, the roster after them, the rest-of-day projections and figures."""

    changes: pd.DataFrame
    roster: pd.DataFrame
    before: pd.DataFrame
    after: pd.DataFrame
    summary: pd.DataFrame
    agents_today: int
    agents_changed: int
    status: str
    notes: list[str] = field(default_factory=list)
