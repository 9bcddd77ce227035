"""The one roster step: used by plans, scenarios and `wfm roster`.

One default time limit (`planning.settings.ROSTER_TIME_LIMIT`), one retry policy (on
`RosterTimeoutError` the limit doubles, at most `ROSTER_RETRIES` times) and a typed
outcome: the roster, its coverage, the independent checker's hard-rule violations
and a `RosterSummary`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from planning.contract import RosterSummary
from planning.settings import ROSTER_TIME_LIMIT
from scheduling.frames import VIOLATION_COLUMNS, interval_starts, row_label
from scheduling.roster import (
    Agent,
    RosterResult,
    RosterTimeoutError,
    ShiftSettings,
    agents_from_frame,
    check_roster,
    solve_roster,
)
from scheduling.roster.inputs import proficiency_table
from scheduling.staffing import MAX_CONTACTS_PER_INTERVAL, check_interval_length

ROSTER_RETRIES = 2
"""How many times a solve that found no roster in time is repeated with twice the limit."""
MIN_TIME_LIMIT = 0.5
MAX_TIME_LIMIT = 24 * 3600.0
"""Roster time limits accepted, in seconds: at least half a second (as scenarios allow), at
most a day."""


class RosterStepError(ValueError):
    """A roster request the planner can fix: names the option, file, row or column."""


def check_time_limit(value: object, option: str = "--time-limit") -> float:
    """The time limit in seconds as a float; refuses (naming `option`) anything that is not
    a finite number between `MIN_TIME_LIMIT` and `MAX_TIME_LIMIT`."""
    try:
        limit = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise RosterStepError(f"{option}: {value!r} is not a number of seconds") from None
    if not (math.isfinite(limit) and MIN_TIME_LIMIT <= limit <= MAX_TIME_LIMIT):
        raise RosterStepError(f"{option} must be between {MIN_TIME_LIMIT:g} and "
                              f"{MAX_TIME_LIMIT:g} seconds, got {value}")
    return limit


def check_requirements(requirements: pd.DataFrame, cover: str = "staff",
                       source: str = "requirements") -> None:
    """Refuse requirements the roster would misread, naming `source`, the row and column:
    a missing column, a `cover` value that is not a finite number in 0..100,000, or an
    interval start off the frame's 15/30/60-minute grid."""
    missing = [c for c in ("queue", "interval_start", cover) if c not in requirements.columns]
    if missing:
        raise RosterStepError(f"{source}: missing column(s) {missing} (the roster covers "
                              f"the {cover!r} column)")
    frame = requirements.loc[:, ["queue", "interval_start", cover]].copy()
    frame["queue"] = frame["queue"].astype(str)
    try:
        frame["interval_start"] = interval_starts(frame, source)
    except ValueError as exc:
        raise RosterStepError(str(exc)) from None
    values = pd.to_numeric(frame[cover], errors="coerce").astype(float)
    bad = ~(np.isfinite(values) & (values >= 0) & (values <= MAX_CONTACTS_PER_INTERVAL))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raw = requirements[cover].iloc[i]
        shown = raw.item() if isinstance(raw, np.generic) else raw
        raise RosterStepError(f"{row_label(frame, i, source)}, column {cover}: must be a "
                              f"number from 0 to {MAX_CONTACTS_PER_INTERVAL:,}, got {shown!r}")
    if frame["queue"].duplicated().any():  # the interval length can be told
        check_interval_length(frame, None, source)


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


def check_sites(agents: Sequence[Agent], queue_settings: pd.DataFrame | None,
                source: str = "agents") -> None:
    """With sites in both the team and the queue settings, each agent serves only queues
    of its own site (so every site stays an independent roster part); errors name the
    agent, the queue and both sites."""
    if queue_settings is None or "site" not in queue_settings.columns:
        return
    site_of = dict(zip(queue_settings["queue"].astype(str),
                       queue_settings["site"].astype(str), strict=True))
    for agent in agents:
        if not agent.site:
            continue
        for queue in agent.queues:
            if queue in site_of and site_of[queue] != agent.site:
                raise RosterStepError(
                    f"{source}: agent {agent.agent_id} of site {agent.site!r} serves queue "
                    f"{queue!r}, which the queue settings put in site {site_of[queue]!r}")


def team_from_table(agents: pd.DataFrame, source: str = "agents table") -> list[Agent]:
    """The roster library's agents from an agents table as the planner edits it
    (empty cells as empty text); errors name `source`, the row and the column."""
    return agents_from_frame(agents.fillna("").astype(str), source=source)


def team_proficiency(agents: pd.DataFrame | None, source: str = "agents table"
                     ) -> dict[str, dict[str, float]] | None:
    """agent_id -> queue -> proficiency below 1 of an agents table with a `proficiency`
    column (None without one), what the projection counts each agent at."""
    if agents is None or "proficiency" not in agents.columns:
        return None
    return proficiency_table(team_from_table(agents, source=source))


def roster_step(requirements: pd.DataFrame, team: Sequence[Agent], shifts: ShiftSettings, *,
                time_limit: float = ROSTER_TIME_LIMIT, seed: int = 0,
                deterministic: bool = True, workers: int = 2, cover: str = "staff",
                progress: Callable[[float], None] | None = None,
                mapper: Callable[[Callable, list], list] | None = None,
                start: pd.DataFrame | None = None, bound_search: bool = True,
                start_shifts: pd.DataFrame | None = None, bound: bool = True
                ) -> RosterOutcome:
    """The best weekly roster within the time limit, its coverage, the hard-rule check
    of an independent checker, and the gap to the solver's lower bound.

    `deterministic=True` counts CP-SAT's deterministic time, so the same inputs and
    seed give the same roster (scenarios, `wfm roster`); False stops on wall-clock
    time (the planner waits in front of the screen). When no roster is found within
    the limit the solve is repeated with twice the time, at most `ROSTER_RETRIES`
    times; then the `RosterTimeoutError` is raised. Other errors (rules that cannot
    all hold, bad inputs) are raised at once. `mapper` (a cluster's, see
    `planning.cluster`) solves the independent queue groups (sites) side by side.
    `start` is a roster to start from (see `scheduling.roster.solve_roster`), e.g. the
    base plan's for a scenario; `start_shifts` shifts without agents to deal out as
    the start (a capacity plan's). `bound_search=False`: see `solve_roster`;
    `bound=False` computes no lower bound at all (`bound_share=None` of `solve_roster`),
    for a roster whose bound is not read.
    """
    team = list(team)
    limit = check_time_limit(time_limit, "roster_time_limit")
    check_requirements(requirements, cover)
    for attempt in range(ROSTER_RETRIES + 1):
        try:
            result = solve_roster(requirements, team, shifts, time_limit=limit, seed=seed,
                                  workers=workers, cover=cover, deterministic=deterministic,
                                  progress=progress, mapper=mapper, start=start,
                                  bound_search=bound_search, start_shifts=start_shifts,
                                  **({} if bound else {"bound_share": None}))
            break
        except RosterTimeoutError:
            if attempt == ROSTER_RETRIES:
                raise
            limit *= 2
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
