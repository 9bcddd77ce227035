"""Rolling-origin backtests and accuracy metrics (pure functions over frames).

`cross_validate` refits each model on history before each cutoff and forecasts
the following days; its frame has one row per model, queue, cutoff and
interval with the actual and forecast contacts. `score` turns it into WAPE per
model and queue, with event days reported apart from normal days.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

import numpy as np
import pandas as pd

from forecasting.calendar import Calendar, special_day_table
from forecasting.models import make_model
from forecasting.models.base import ModelError


def wape(actual: Iterable[float], forecast: Iterable[float]) -> float:
    """Weighted absolute percentage error: sum |actual - forecast| / sum actual."""
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    total = a.sum()
    if total <= 0:
        return float("nan")
    return float(np.abs(a - f).sum() / total)


def coverage(actual: Iterable[float], lo: Iterable[float], hi: Iterable[float]) -> float:
    """Share of actuals inside [lo, hi]."""
    a = np.asarray(actual, dtype=float)
    return float(((a >= np.asarray(lo)) & (a <= np.asarray(hi))).mean()) if len(a) else np.nan


METRICS: dict[str, Callable[..., float]] = {"wape": wape}


def rolling_cutoffs(history: pd.DataFrame, days: int, folds: int) -> list[pd.Timestamp]:
    """Cutoffs (first forecast day) stepping back `days` at a time from the end of history,
    oldest first: the last `folds` windows of `days` days are each forecast once."""
    end = pd.Timestamp(history["interval_start"].max()).normalize() + pd.Timedelta(days=1)
    return [end - pd.Timedelta(days=days * k) for k in range(folds, 0, -1)]


Mapper = Callable[[Callable, Sequence], Iterable]
"""`mapper(fn, items)`: `fn` over `items`, results in order (the built-in `map` will do);
the caller's way of running independent tasks elsewhere, e.g. on a cluster."""


def map_queues(fn: Callable, items: Sequence, n_jobs: int = 1,
               progress: Callable[[float], None] | None = None,
               mapper: Mapper | None = None) -> list:
    """`fn` over `items` in order: through `mapper` when given (which then reports
    progress itself), else in `n_jobs` worker processes when n_jobs > 1."""
    if mapper is not None:
        return list(mapper(fn, items))
    results: list = [None] * len(items)
    if n_jobs <= 1 or len(items) <= 1:
        for i, item in enumerate(items):
            results[i] = fn(item)
            if progress:
                progress((i + 1) / len(items))
        return results
    # fork where the platform has it: no `if __name__ == "__main__"` needed in callers
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=get_context(method)) as pool:
        futures = {pool.submit(fn, item): i for i, item in enumerate(items)}
        from concurrent.futures import as_completed

        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done / len(items))
    return results


def _cv_one_queue(task: tuple) -> tuple[pd.DataFrame, list[str]]:
    queue_history, model_names, windows, calendar, minutes, level, model_notes = task
    rows, notes = [], []
    queue = str(queue_history["queue"].iloc[0])
    for cutoff, days in windows:
        train = queue_history[queue_history["interval_start"] < cutoff]
        end = cutoff + pd.Timedelta(days=days)
        actual = queue_history[(queue_history["interval_start"] >= cutoff)
                               & (queue_history["interval_start"] < end)]
        if actual.empty:
            continue
        for name in model_names:
            started = time.perf_counter()
            try:
                model = make_model(name).fit(train, calendar, minutes=minutes)
                pred = model.predict(cutoff, days, level=level)
            except ModelError as exc:
                notes.append(f"{name}, cutoff {cutoff.date()}: {exc}")
                continue
            seconds = time.perf_counter() - started
            if model_notes:
                notes.extend(f"{name}, cutoff {cutoff.date()}: {n}" for n in model.notes_)
            merged = actual[["interval_start", "contacts"]].merge(
                pred[["interval_start", "contacts", "contacts_lo", "contacts_hi"]],
                on="interval_start", how="left", suffixes=("", "_forecast"))
            merged = merged.rename(columns={"contacts_forecast": "forecast"})
            merged[["forecast", "contacts_lo", "contacts_hi"]] = merged[
                ["forecast", "contacts_lo", "contacts_hi"]].fillna(0.0)
            merged.insert(0, "cutoff", cutoff)
            merged.insert(0, "queue", queue)
            merged.insert(0, "model", name)
            merged["fit_seconds"] = seconds
            rows.append(merged)
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return frame, notes


def cross_validate(history: pd.DataFrame, models: Sequence[str], days: int = 7,
                   folds: int = 8, calendar: Calendar | None = None,
                   windows: Sequence[tuple[pd.Timestamp, int]] | None = None,
                   level: float = 80, n_jobs: int = 1, minutes: int | None = None,
                   progress: Callable[[float], None] | None = None,
                   model_notes: bool = False, mapper: Mapper | None = None,
                   ) -> tuple[pd.DataFrame, list[str]]:
    """Rolling-origin backtest of each model on each queue.

    Returns (frame, notes): frame columns model, queue, cutoff, interval_start,
    contacts (actual), forecast, contacts_lo, contacts_hi, fit_seconds; notes
    say which model could not be fitted where (and, with `model_notes`, what each
    fitted model noted, e.g. what `auto` chose). `windows` overrides the cutoffs with
    explicit (first day, days) pairs. `mapper` runs the per-queue work (see `map_queues`).
    """
    from forecasting.history import interval_minutes

    for name in models:
        make_model(name)
    minutes = minutes or interval_minutes(history)
    if windows is None:
        windows = [(c, days) for c in rolling_cutoffs(history, days, folds)]
    tasks = [(frame, list(models), list(windows), calendar, minutes, level, model_notes)
             for _, frame in history.groupby("queue", sort=True, observed=True)]
    results = map_queues(_cv_one_queue, tasks, n_jobs=n_jobs, progress=progress,
                         mapper=mapper)
    frames = [f for f, _ in results if not f.empty]
    notes = [n for _, ns in results for n in ns]
    if not frames:
        raise ModelError("backtest: no model could be fitted on any queue and cutoff; "
                         "the history is too short for the folds asked for")
    return pd.concat(frames, ignore_index=True), notes


def label_days(cv: pd.DataFrame, calendar: Calendar | None) -> pd.DataFrame:
    """Add `day_type`: the event name on special days, else 'normal'."""
    out = cv.copy()
    dates = out["interval_start"].dt.normalize()
    if calendar is None:
        out["day_type"] = "normal"
        return out
    unique = pd.DatetimeIndex(dates.unique()).sort_values()
    table = special_day_table(calendar, unique)
    names = dict(zip(table["date"], table["event"].fillna("normal"), strict=True))
    out["day_type"] = dates.map(names).fillna("normal")
    return out


def score(cv: pd.DataFrame, calendar: Calendar | None = None,
          by_day_type: bool = True) -> pd.DataFrame:
    """WAPE, band coverage and mean fit time per model and queue (and day type).

    Columns: model, queue, day_type ('all', 'normal' or an event name), wape,
    coverage, intervals, fit_seconds.
    """
    cv = label_days(cv, calendar)
    fit = (cv.drop_duplicates(["model", "queue", "cutoff"])
             .groupby(["model", "queue"], observed=True)["fit_seconds"].mean())

    def summarise(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        return frame.groupby(keys, observed=True).apply(
            lambda g: pd.Series({
                "wape": wape(g["contacts"], g["forecast"]),
                "coverage": coverage(g["contacts"], g["contacts_lo"], g["contacts_hi"]),
                "intervals": len(g),
            }), include_groups=False).reset_index()

    parts = [summarise(cv, ["model", "queue"]).assign(day_type="all")]
    if by_day_type and (cv["day_type"] != "normal").any():
        parts.append(summarise(cv, ["model", "queue", "day_type"]))
    out = pd.concat(parts, ignore_index=True)
    out["fit_seconds"] = [fit.get((m, q), np.nan) for m, q in zip(out["model"], out["queue"],
                                                                    strict=True)]
    out["intervals"] = out["intervals"].astype(int)
    return out[["model", "queue", "day_type", "wape", "coverage", "intervals", "fit_seconds"]]


def daily_totals(cv: pd.DataFrame, calendar: Calendar | None = None) -> pd.DataFrame:
    """Actual and forecast totals per model, queue and day, with the day type and the
    relative error of the day's total (forecast / actual - 1)."""
    cv = label_days(cv, calendar)
    cv = cv.assign(date=cv["interval_start"].dt.normalize())
    out = cv.groupby(["model", "queue", "date", "day_type"], as_index=False, observed=True)[
        ["contacts", "forecast"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["error"] = np.where(out["contacts"] > 0, out["forecast"] / out["contacts"] - 1,
                                np.nan)
    return out


def event_day_summary(days: pd.DataFrame, tolerance: float = 0.15) -> pd.DataFrame:
    """Per model and event (`day_type`) from `daily_totals` rows: days, mean |error| of the
    daily totals, the share of days within `tolerance`, the worst day (date, queue and
    error), the error of the season's total, and the share a perfect forecast would
    reach against Poisson noise alone (`poisson_within`)."""
    rows = []
    for (model, event), g in days.groupby(["model", "day_type"], sort=True):
        g = g[g["error"].notna()]
        if g.empty:
            continue
        worst = g.loc[g["error"].abs().idxmax()]
        rows.append({
            "model": model, "event": event, "days": len(g),
            "mean_abs_error": float(g["error"].abs().mean()),
            "within": float((g["error"].abs() <= tolerance).mean()),
            "worst_date": pd.Timestamp(worst["date"]).date().isoformat(),
            "worst_queue": worst["queue"], "worst_error": float(worst["error"]),
            "season_total_error": float(g["forecast"].sum() / g["contacts"].sum() - 1),
            "poisson_within": poisson_within(g["contacts"], tolerance),
        })
    return pd.DataFrame(rows, columns=["model", "event", "days", "mean_abs_error", "within",
                                       "worst_date", "worst_queue", "worst_error",
                                       "season_total_error", "poisson_within"])


def poisson_within(actual: Iterable[float], tolerance: float = 0.15) -> float:
    """Share of days whose total a perfect forecast of the mean would still put within
    `tolerance` of the actual, from Poisson noise alone at each day's actual volume: the
    ceiling of `event_day_summary`'s `within` (day-to-day over-dispersion lowers it)."""
    from scipy.stats import poisson

    mu = np.asarray(actual, dtype=float)
    mu = mu[mu > 0]
    if not len(mu):
        return float("nan")
    # the error mu / X - 1 is within tolerance when X is in [mu / (1 + t), mu / (1 - t)]
    hi = poisson.cdf(np.floor(mu / (1 - tolerance)), mu)
    lo = poisson.cdf(np.ceil(mu / (1 + tolerance)) - 1, mu)
    return float(np.mean(hi - lo))


def event_windows(history: pd.DataFrame, calendar: Calendar, events: Sequence[str],
                  min_history_days: int = 300) -> list[tuple[pd.Timestamp, int, str]]:
    """(cutoff, days, event) for each past occurrence of `events` inside history that has
    at least `min_history_days` of history before it (so an earlier occurrence exists):
    the cutoff is the first day of its build-up and the window runs to the end of its tail."""
    first = pd.Timestamp(history["interval_start"].min()).normalize()
    last = pd.Timestamp(history["interval_start"].max()).normalize()
    occ = calendar.occurrences(first, last)
    out = []
    for rec in occ.itertuples(index=False):
        if rec.event not in events:
            continue
        start = rec.first - pd.Timedelta(days=int(rec.days_before))
        end = rec.last + pd.Timedelta(days=int(rec.days_after))
        if start - first < pd.Timedelta(days=min_history_days) or end > last:
            continue
        out.append((start, int((end - start).days) + 1, rec.event))
    return out
