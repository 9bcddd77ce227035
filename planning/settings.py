"""What a plan's steps are run with, and the roster time limits.

`PlanSettings` is saved with each plan (as the `settings` entry of its inputs) so
every result can be reproduced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

ROSTER_TIME_LIMIT = 25.0
"""Seconds of solver time a roster gets unless the caller says otherwise: plans,
scenarios and `planning.roster_step.roster_step`. Documented exceptions: the bundled
sample (`SAMPLE_ROSTER_TIME_LIMIT`, it opens the app on first start) and `wfm roster`
(`COMMAND_ROSTER_TIME_LIMIT`, in the README)."""
SAMPLE_ROSTER_TIME_LIMIT = 20.0
COMMAND_ROSTER_TIME_LIMIT = 60.0


@dataclass
class PlanSettings:
    """What a plan's steps are run with; saved with the plan so it can be reproduced."""

    forecast_start: str | None = None  # first forecast day; default the day after the history
    forecast_days: int = 7
    model: str = "auto"
    backtest_days: int = 7
    backtest_folds: int = 2
    roster_time_limit: float = ROSTER_TIME_LIMIT
    seed: int = 0
    country: str | None = "CN"  # public holidays for the forecast; None for none
    country_reason: str = ""  # why: "chosen", or what the guess from the data saw
    shopping: bool = True  # Double 11, 618 and 12.12 with their windows
    # holidays and shopping events the history shows no effect of get none
    # (`forecasting.calendar_fit.quiet_events`); on for plans made from an upload
    calendar_from_history: bool = False
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    pseudonymise_agents: bool = False  # agent names stored as keyed pseudonyms

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> PlanSettings:
        """Settings as saved; unknown keys are ignored, missing ones take the default."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain JSON values, as saved with the plan."""
        return asdict(self)
