"""Forecast every queue of an interval history: the orchestrator over models and queues.

`forecast(history, start, days)` fits the chosen model (or `auto`) per queue, in
worker processes when asked, and returns the forecast frame with the notes that
say what was assumed. A queue that cannot be forecast with the chosen model
falls back to a simpler one (with a note); a queue that cannot be forecast at
all is skipped (with a note) while the other queues still get their forecast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.backtest import Mapper, map_queues
from forecasting.calendar import Calendar
from forecasting.frames import FORECAST_COLUMNS
from forecasting.history import check_history, interval_minutes
from forecasting.history.bounds import MAX_HISTORY_YEARS
from forecasting.models import MODELS, make_model
from forecasting.models.base import ModelError

FALLBACKS = ("profile", "seasonal_naive")


MAX_CONTACTS_PER_INTERVAL = 100_000
"""Most contacts one queue may have in one interval of a history (as in staffing)."""
MAX_AHT_SECONDS = 8 * 3600
"""Longest average handle time a history may hold: 8 hours."""


class ForecastError(ValueError):
    """No queue could be forecast, or the request itself is wrong."""


def check_history_values(history: pd.DataFrame, source: str = "history") -> None:
    """Refuse history values no forecast should learn from, naming `source`, the row
    (1-based data row, as the history reader counts) and the column: contacts missing,
    not finite, negative or above `MAX_CONTACTS_PER_INTERVAL`; a handle time not finite,
    negative or above `MAX_AHT_SECONDS`; dates spanning more than `MAX_HISTORY_YEARS`."""
    for col, most in (("contacts", MAX_CONTACTS_PER_INTERVAL),
                      ("aht_seconds", MAX_AHT_SECONDS)):
        if col not in history.columns:
            continue
        values = pd.to_numeric(history[col], errors="coerce").astype(float)
        allowed_missing = col == "aht_seconds"
        bad = (values.isna() & ~allowed_missing) | np.isinf(values) | (values < 0) \
            | (values > most)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            value = values.iloc[i]
            why = ("is empty or not a number; give 0 for an interval without contacts"
                   if np.isnan(value) else f"{value:g} is not a number from 0 to {most:,}")
            raise ForecastError(f"{source}: row {i + 1}, column {col}: {why}")
    if "interval_start" in history.columns:
        starts = pd.to_datetime(history["interval_start"], errors="coerce", format="mixed")
        stamps = starts.reset_index(drop=True).dropna()
        if len(stamps):
            i, j = int(stamps.idxmin()), int(stamps.idxmax())
            if stamps[j] - stamps[i] > pd.Timedelta(days=365.25 * MAX_HISTORY_YEARS):
                raise ForecastError(
                    f"{source}: the history runs from {starts.iloc[i]} (row {i + 1}) to "
                    f"{starts.iloc[j]} (row {j + 1}), more than {MAX_HISTORY_YEARS} years; "
                    "check those dates")


@dataclass
class ForecastResult:
    """The forecast frame, which model each queue got, and what was assumed."""

    forecast: pd.DataFrame
    models: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def _forecast_one_queue(task: tuple) -> tuple[str, pd.DataFrame | None, str, list[str], str]:
    queue_history, model_name, start, days, calendar, minutes, level = task
    queue = str(queue_history["queue"].iloc[0])
    notes: list[str] = []
    last = queue_history["interval_start"].max().normalize()
    if start <= last:
        return (queue, None, "", notes,
                f"queue {queue}: history runs to {last.date()}, so a forecast starting "
                f"{start.date()} would overlap it; start after {last.date()}")
    tried = [model_name, *[f for f in FALLBACKS if f != model_name]]
    for name in tried:
        try:
            model = make_model(name).fit(queue_history, calendar, minutes=minutes)
            frame = model.predict(start, days, level)
        except ModelError as exc:
            notes.append(f"{exc}; trying {tried[tried.index(name) + 1]}"
                         if name != tried[-1] else str(exc))
            continue
        chosen = getattr(model, "chosen_name_", name)
        notes.extend(model.notes_)
        frame.insert(0, "queue", queue)
        frame["model"] = chosen
        return queue, frame[list(FORECAST_COLUMNS)], chosen, notes, ""
    return queue, None, "", notes, f"queue {queue}: no model could be fitted ({notes[-1]})"


def forecast(history: pd.DataFrame, start: str | pd.Timestamp, days: int,
             model: str = "auto", calendar: Calendar | None = None, level: float = 80,
             n_jobs: int = 1, progress: Callable[[float], None] | None = None,
             mapper: Mapper | None = None) -> ForecastResult:
    """Forecast `days` days from `start` for every queue of `history`.

    `model` is a name from `forecasting.models.MODELS` ('auto' picks per queue by
    backtest). `calendar` supplies holidays and events (None: no special days).
    `n_jobs` > 1 fits queues in that many worker processes; `mapper(fn, tasks)`, when
    given, runs the per-queue fits instead (e.g. on a cluster; results in order).
    """
    if model not in MODELS:
        raise ForecastError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    if int(days) < 1:
        raise ForecastError(f"days must be at least 1, got {days}")
    if not 0 < level < 100:
        raise ForecastError(f"level must be between 0 and 100, got {level}")
    check_history_values(history)
    history = check_history(history)
    minutes = interval_minutes(history)
    start = pd.Timestamp(start).normalize()
    ends = history.groupby("queue", observed=True)["interval_start"].max().dt.normalize()
    if (ends >= start).all():
        raise ForecastError(f"forecast start {start.date()} is not after the end of the "
                            f"history ({ends.max().date()}); start on "
                            f"{(ends.max() + pd.Timedelta(days=1)).date()} or later")
    tasks = [(frame, model, start, int(days), calendar, minutes, level)
             for _, frame in history.groupby("queue", sort=True, observed=True)]
    results = map_queues(_forecast_one_queue, tasks, n_jobs=n_jobs, progress=progress,
                         mapper=mapper)
    out = ForecastResult(forecast=pd.DataFrame(columns=list(FORECAST_COLUMNS)))
    frames = []
    for queue, frame, chosen, notes, problem in results:
        out.notes.extend(notes)
        if frame is None:
            out.skipped[queue] = problem
            out.notes.append(f"skipped {problem}")
            continue
        out.models[queue] = chosen
        frames.append(frame)
    if not frames:
        raise ForecastError("no queue could be forecast: " + "; ".join(out.skipped.values()))
    out.forecast = pd.concat(frames, ignore_index=True)
    if calendar is not None:
        out.notes.insert(0, f"calendar: {calendar.describe()}")
    return out
