"""The plan's steps over frames: forecast, backtest, requirements, projection.

Each step is one function that calls the library doing the work (`forecasting`,
`scheduling`) and takes an optional progress callback (`progress(fraction)`, 0-1).
The roster step is `planning.roster_step.roster_step`; running the steps for a saved
plan is `planning.plans.run_plan`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import yaml

from forecasting.backtest import Mapper, cross_validate, score
from forecasting.calendar import Calendar
from forecasting.calendar_fit import guess_country, quiet_events
from forecasting.forecaster import forecast
from forecasting.models import MODELS
from planning.settings import PlanSettings
from scheduling.projection import below_target, project, rollup
from scheduling.roster import ShiftSettings, shift_settings
from scheduling.staffing import requirements

Progress = Callable[[float], None]

# Quick models whose backtest accuracy the Forecast page shows.
BACKTEST_MODELS = ("seasonal_naive", "weekday_mean", "profile")


def model_names() -> list[str]:
    """The forecasting models a planner can pick (`auto` first)."""
    return ["auto", *(name for name in MODELS if name != "auto")]


# forecast -----------------------------------------------------------------

def forecast_start(history: pd.DataFrame, settings: PlanSettings) -> pd.Timestamp:
    """The first forecast day: as set, else the day after the history's last interval."""
    if settings.forecast_start:
        return pd.Timestamp(settings.forecast_start).normalize()
    return (history["interval_start"].max() + pd.Timedelta(days=1)).normalize()


def calendar_for(settings: PlanSettings, events: pd.DataFrame | None,
                 history: pd.DataFrame | None = None) -> Calendar:
    """The forecasting calendar: public holidays of the plan's country, shopping events
    and the planner's own events. With `settings.calendar_from_history` and a history,
    the holidays and shopping events the history shows no effect of get none."""
    calendar = Calendar(country=settings.country or None, shopping=settings.shopping,
                        events=events)
    if settings.calendar_from_history and history is not None and len(history):
        quiet = quiet_events(history, calendar)
        if quiet:
            calendar = Calendar(country=settings.country or None, shopping=settings.shopping,
                                events=events, exclude=quiet)
    return calendar


def guess_calendar(history: pd.DataFrame, timezone: str | None = None
                   ) -> tuple[str | None, str]:
    """The holiday country an uploaded history suggests (None: none) and why; the
    import profile's time zone, when it names one, decides first."""
    guess = guess_country(history, timezone=timezone)
    return guess.country, guess.reason


def forecast_step(history: pd.DataFrame, settings: PlanSettings,
                  events: pd.DataFrame | None = None,
                  progress: Progress | None = None,
                  mapper: Mapper | None = None) -> pd.DataFrame:
    """The interval forecast for `settings.forecast_days` days, adjustments applied;
    `mapper` (a cluster's, see `planning.cluster`) fits the queues."""
    result = forecast(history, start=forecast_start(history, settings),
                      days=settings.forecast_days, model=settings.model,
                      calendar=calendar_for(settings, events, history), progress=progress,
                      mapper=mapper)
    return apply_adjustments(result.forecast, settings.adjustments)


def backtest_step(history: pd.DataFrame, settings: PlanSettings,
                  events: pd.DataFrame | None = None,
                  progress: Progress | None = None,
                  mapper: Mapper | None = None) -> pd.DataFrame:
    """Each quick model's rolling-origin WAPE per queue (one row per model and queue).

    Columns: model, queue, day_type, wape, coverage, intervals, fit_seconds.
    """
    calendar = calendar_for(settings, events, history)
    cv, _notes = cross_validate(history, list(BACKTEST_MODELS), days=settings.backtest_days,
                                folds=settings.backtest_folds, calendar=calendar,
                                progress=progress, mapper=mapper)
    return score(cv, calendar, by_day_type=False)


def apply_adjustments(forecast: pd.DataFrame, adjustments: list[dict[str, Any]]) -> pd.DataFrame:
    """Scale the forecast by a percentage over a day or interval range, per queue or all.

    Each adjustment is `{"start": ..., "end": ..., "percent": 10, "queue": None}`:
    contacts and the band in [start, end) grow by `percent` (negative shrinks).
    Applied in order, so two adjustments of the same range compound.
    """
    out = forecast.copy()
    for adj in adjustments:
        start, end = pd.Timestamp(adj["start"]), pd.Timestamp(adj["end"])
        percent = float(adj["percent"])
        if end <= start:
            raise ValueError(f"forecast adjustment: end {end} is not after start {start}")
        if percent <= -100:
            raise ValueError(f"forecast adjustment: {percent}% would leave no contacts; "
                             "expected more than -100%")
        mask = (out["interval_start"] >= start) & (out["interval_start"] < end)
        queue = adj.get("queue")
        if queue:
            if queue not in set(out["queue"]):
                raise ValueError(f"forecast adjustment: unknown queue {queue!r}; the forecast "
                                 f"has {sorted(set(out['queue']))}")
            mask &= out["queue"] == queue
        factor = 1.0 + percent / 100.0
        for col in ("contacts", "contacts_lo", "contacts_hi"):
            if col in out.columns:
                out[col] = out[col].astype(float).where(~mask, out[col] * factor)
    return out


def special_days(settings: PlanSettings, events: pd.DataFrame | None, first: pd.Timestamp,
                 last: pd.Timestamp, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Holidays, shopping events and the planner's events touching [first, last], in the
    events-file shape (name, start, end, days_before, days_after) for marking charts
    (those the history shows no effect of left out, as the forecast leaves them)."""
    occ = calendar_for(settings, events, history).occurrences(first, last)
    return pd.DataFrame({"name": occ["event"], "start": occ["first"], "end": occ["last"],
                         "days_before": occ["days_before"], "days_after": occ["days_after"]})


# requirements -------------------------------------------------------------

def requirements_step(forecast: pd.DataFrame, queue_settings: pd.DataFrame,
                      progress: Progress | None = None,
                      notes: list[str] | None = None) -> pd.DataFrame:
    """Agents on line and staff after shrinkage per queue and interval.

    With a `notes` list, what the staffing assumed is added to it (intervals missing
    inside a day of the forecast, which get no staff) for the planner to see.
    """
    return requirements(forecast, queue_settings, progress=progress, notes=notes)


# roster inputs ------------------------------------------------------------

def parse_shifts(text: str) -> ShiftSettings:
    """Shift templates from YAML text, validated by the roster library."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"shift templates: not valid YAML: {exc}") from exc
    return shift_settings(data, source="shift templates")


# projection ---------------------------------------------------------------

def projection_step(roster: pd.DataFrame, forecast: pd.DataFrame, queue_settings: pd.DataFrame,
                    progress: Progress | None = None,
                    proficiency: dict[str, dict[str, float]] | None = None) -> pd.DataFrame:
    """Projected service level, ASA, wait percentiles and abandonment per queue and
    interval; `proficiency` (agent_id -> queue -> share below 1, from the agents file)
    counts those agents at their share."""
    return project(roster, forecast, queue_settings, progress=progress,
                   proficiency=proficiency)


def below_target_flags(projection: pd.DataFrame,
                       queue_settings: pd.DataFrame | None) -> pd.Series:
    """The intervals a saved projection flags as below target (its `below_target`
    column, set by `scheduling.projection.project`); for a projection without the
    column, the flags computed again from the queue settings (none without them)."""
    if "below_target" in projection.columns:
        return projection["below_target"].fillna(False).astype(bool)
    if queue_settings is None:
        return pd.Series(False, index=projection.index)
    return below_target(projection, queue_settings)


def projection_rollup(projection: pd.DataFrame, flags: pd.Series,
                      period: str = "week") -> pd.DataFrame:
    """Per queue (and all queues) and day or week: contacts, service level and abandonment
    weighted by contacts, ASA by contacts answered, intervals below target."""
    frame = projection.assign(below_target=flags.astype(bool))
    if "contacts" not in frame.columns:
        frame["contacts"] = frame["required"]
    return rollup(frame, period=period, all_queues=True)
