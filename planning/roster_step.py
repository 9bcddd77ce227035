"""The one roster step: used by plans, scenarios and `wfm roster`.

One default time limit (`planning.settings.ROSTER_TIME_LIMIT`), one retry policy (on
`RosterTimeoutError` the limit doubles, at most `ROSTER_RETRIES` times) and a typed
outcome: the roster, its coverage, the independent checker's hard-rule violations
and a `RosterSummary`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import pandas as pd

from planning.contract import RosterSummary
from planning.settings import ROSTER_TIME_LIMIT
from scheduling.frames import VIOLATION_COLUMNS
from scheduling.roster import (
    Agent,
    RosterResult,
    RosterTimeoutError,
    ShiftSettings,
    agents_from_frame,
    check_roster,
    solve_roster,
)

ROSTER_RETRIES = 2
"""How many times a solve that found no roster in time is repeated with twice the limit."""


@dataclass
class RosterOutcome:
    """A solved roster and what the planner needs to judge it.

    `violations` has the columns `scheduling.frames.VIOLATION_COLUMNS` (empty when the
    independent checker finds none); `parts` says how a large roster was split (one
    dict per model: queues, team, agents, status, seconds).
    """

    roster: pd.DataFrame
    coverage: pd.DataFrame
    violations: pd.DataFrame
    summary: RosterSummary
    interval_minutes: int = 30
    parts: list[dict] = field(default_factory=list)


def team_from_table(agents: pd.DataFrame, source: str = "agents table") -> list[Agent]:
    """The roster library's agents from an agents table as the planner edits it
    (empty cells as empty text); errors name `source`, the row and the column."""
    return agents_from_frame(agents.fillna("").astype(str), source=source)


def roster_step(requirements: pd.DataFrame, team: Sequence[Agent], shifts: ShiftSettings, *,
                time_limit: float = ROSTER_TIME_LIMIT, seed: int = 0,
                deterministic: bool = True, workers: int = 2, cover: str = "staff",
                progress: Callable[[float], None] | None = None) -> RosterOutcome:
    """The best weekly roster within the time limit, its coverage, the hard-rule check
    of an independent checker, and the gap to the solver's lower bound.

    `deterministic=True` counts CP-SAT's deterministic time, so the same inputs and
    seed give the same roster (scenarios, `wfm roster`); False stops on wall-clock
    time (the planner waits in front of the screen). When no roster is found within
    the limit the solve is repeated with twice the time, at most `ROSTER_RETRIES`
    times; then the `RosterTimeoutError` is raised. Other errors (rules that cannot
    all hold, bad inputs) are raised at once.
    """
    team = list(team)
    limit = float(time_limit)
    for attempt in range(ROSTER_RETRIES + 1):
        try:
            result = solve_roster(requirements, team, shifts, time_limit=limit, seed=seed,
                                  workers=workers, cover=cover, deterministic=deterministic,
                                  progress=progress)
            break
        except RosterTimeoutError:
            if attempt == ROSTER_RETRIES:
                raise
            limit *= 2
        except ArithmeticError:
            # The roster library's column generation can get no round done when a
            # wall-clock budget is eaten by a busy machine, and then fails on its infinite
            # bound (OverflowError in scheduling/roster). Solve again without the
            # re-rostering stage that runs it: a roster, if a less polished one.
            result = solve_roster(requirements, team, shifts, time_limit=limit, seed=seed,
                                  workers=workers, cover=cover, deterministic=deterministic,
                                  progress=progress, lns_share=0.0)
            break
    return RosterOutcome(result.roster, result.coverage,
                         _violations(result, requirements, team, shifts),
                         _summary(result, limit), result.interval_minutes, list(result.parts))


def _violations(result: RosterResult, requirements: pd.DataFrame, team: list[Agent],
                shifts: ShiftSettings) -> pd.DataFrame:
    starts = pd.to_datetime(requirements["interval_start"])
    days = max(1, starts.dt.normalize().nunique())
    found = check_roster(result.roster, team, shifts, start=starts.min(), days=days)
    if not found:
        return pd.DataFrame(columns=list(VIOLATION_COLUMNS))
    return pd.DataFrame([asdict(v) for v in found], columns=list(VIOLATION_COLUMNS))


def _summary(result: RosterResult, time_limit: float) -> RosterSummary:
    return RosterSummary(
        status=str(result.status), under_hours=float(result.under_hours),
        over_hours=float(result.over_hours), paid_hours=float(result.paid_hours),
        under_weighted=float(result.under_weighted), under_bound=float(result.under_bound),
        gap=float(result.gap), seconds=float(result.seconds),
        decomposition=str(result.decomposition), time_limit=float(time_limit))
