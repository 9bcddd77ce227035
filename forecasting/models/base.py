"""What every forecasting model shares: the day-by-interval grid of one queue, the
interface (`fit` / `predict`), the prediction band and the AHT forecast."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import norm

from forecasting.calendar import Calendar, closed_days, special_day_table

MIN_DAYS = 7


class ModelError(ValueError):
    """A model cannot be fitted or used on this history; the message says why."""


@dataclass
class QueueGrid:
    """One queue's history as a day x interval matrix.

    `contacts[d, s]` is NaN on days with no rows at all (unknown: closed or
    missing); on days with rows, intervals without a row count as 0 contacts.
    """

    queue: str
    minutes: int
    dates: pd.DatetimeIndex
    contacts: np.ndarray
    aht: np.ndarray
    present: np.ndarray
    event: np.ndarray  # object: event name or None, per day
    offset: np.ndarray  # int: day offset from the event anchor
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.weekday = self.dates.day_of_week.to_numpy()
        self.totals = np.nansum(self.contacts, axis=1) if len(self.dates) else np.zeros(0)

    @property
    def per_day(self) -> int:
        return 1440 // self.minutes

    @property
    def last_date(self) -> pd.Timestamp:
        return self.dates[-1]


def build_grid(history: pd.DataFrame, minutes: int, calendar: Calendar | None,
               queue: str | None = None) -> QueueGrid:
    """Turn one queue's history rows into a QueueGrid (with its special days)."""
    if history.empty:
        raise ModelError(f"queue {queue!r}: no history rows")
    queue = queue if queue is not None else str(history["queue"].iloc[0])
    times = pd.DatetimeIndex(history["interval_start"])
    day = times.normalize()
    first, last = day.min(), day.max()
    dates = pd.date_range(first, last, freq="D")
    per_day = 1440 // minutes
    row = ((day - first).days).to_numpy()
    col = ((times - day).total_seconds() // (minutes * 60)).to_numpy().astype(int)
    contacts = np.full((len(dates), per_day), np.nan)
    aht = np.full((len(dates), per_day), np.nan)
    present = np.zeros(len(dates), dtype=bool)
    present[row] = True
    contacts[present] = 0.0
    contacts[row, col] = history["contacts"].to_numpy(dtype=float)
    aht[row, col] = history["aht_seconds"].to_numpy(dtype=float)
    special = special_day_table(calendar, dates)
    return QueueGrid(queue, minutes, dates, contacts, aht, present,
                     special["event"].to_numpy(dtype=object), special["offset"].to_numpy())


def open_weekdays(grid: QueueGrid, weeks: int = 8) -> np.ndarray:
    """Boolean per weekday (Mon=0): seen with contacts in the last `weeks` weeks."""
    recent = grid.dates > grid.last_date - pd.Timedelta(weeks=weeks)
    seen = np.zeros(7, dtype=bool)
    totals = grid.totals
    for w in range(7):
        sel = recent & grid.present & (grid.weekday == w)
        seen[w] = bool(sel.any() and totals[sel].sum() > 0)
    return seen


def open_slots(grid: QueueGrid, days: np.ndarray) -> np.ndarray:
    """Boolean per interval of the day: any contact on the given days (open hours)."""
    if not days.any():
        return np.ones(grid.per_day, dtype=bool)
    return np.nansum(grid.contacts[days], axis=0) > 0


def weekday_of(dates: pd.DatetimeIndex) -> np.ndarray:
    return pd.DatetimeIndex(dates).day_of_week.to_numpy()


class Model:
    """Base of all models: `fit(history, calendar)` then `predict(start, days, level)`.

    Subclasses implement `_fit(grid)` and `_predict(dates) -> (mean, variance)`,
    both day x interval arrays. `fit` sets attributes ending in `_`; `notes_`
    lists what the model assumed about this queue's history.
    """

    name = "model"
    min_days = MIN_DAYS
    uses_calendar = False

    def fit(self, history: pd.DataFrame, calendar: Calendar | None = None,
            minutes: int | None = None) -> Model:
        """Learn from one queue's interval history (columns interval_start, contacts,
        aht_seconds); returns self."""
        from forecasting.history import interval_minutes

        if history.empty:
            raise ModelError(f"{self.name}: empty history")
        queue = str(history["queue"].iloc[0]) if "queue" in history.columns else "queue"
        if "queue" not in history.columns:
            history = history.assign(queue=queue)
        if "aht_seconds" not in history.columns:
            history = history.assign(aht_seconds=np.nan)
        minutes = minutes or interval_minutes(history)
        grid = build_grid(history, minutes, calendar if self.uses_calendar else None, queue)
        n_present = int(grid.present.sum())
        if n_present < self.min_days:
            raise ModelError(
                f"queue {queue!r}: {n_present} day(s) of history; model {self.name} "
                f"needs at least {self.min_days}")
        self.grid_ = grid
        self.calendar_ = calendar if self.uses_calendar else None
        self.closed_calendar_ = calendar
        self.notes_: list[str] = []
        self.open_weekdays_ = open_weekdays(grid)
        absent = int(grid.present.sum()) * grid.per_day - len(history)
        if absent > 0:
            self.notes_.append(f"queue {queue}: {absent} interval(s) without a row on days "
                               "with data are counted as 0 contacts (closed or quiet)")
        closed = [pd.Timestamp(2024, 1, 1 + w).day_name() for w in range(7)
                  if not self.open_weekdays_[w]]
        if closed and len(closed) < 7:
            self.notes_.append(f"queue {queue}: no contacts on {', '.join(closed)} in the "
                               "last 8 weeks of history; taken as closed (forecast 0)")
        self._fit_aht(grid)
        if not self.open_weekdays_.any():
            self.notes_.append(f"queue {queue}: no contacts in the last 8 weeks of history; "
                               "forecast 0")
            return self
        self._fit(grid)
        return self

    def predict(self, start: str | pd.Timestamp, days: int, level: float = 80) -> pd.DataFrame:
        """Forecast `days` whole days from `start`: interval_start, contacts, contacts_lo,
        contacts_hi, aht_seconds (the band is the central `level` % prediction interval)."""
        if not hasattr(self, "grid_"):
            raise ModelError(f"{self.name}: call fit before predict")
        if not 0 < level < 100:
            raise ModelError(f"level must be between 0 and 100, got {level}")
        start = pd.Timestamp(start).normalize()
        if start <= self.grid_.last_date:
            raise ModelError(f"queue {self.grid_.queue}: forecast start {start.date()} is not "
                             f"after the end of history {self.grid_.last_date.date()}")
        dates = pd.date_range(start, periods=int(days), freq="D")
        if self.open_weekdays_.any():
            mean, var = self._predict(dates)
        else:
            mean = var = np.zeros((len(dates), self.grid_.per_day))
        shut = (~self.open_weekdays_[weekday_of(dates)]
                | closed_days(getattr(self, "closed_calendar_", None), dates))
        mean = np.where(shut[:, None], 0.0, np.clip(mean, 0.0, None))
        var = np.where(mean > 0, np.clip(var, 0.0, None), 0.0)
        z = float(norm.ppf(0.5 + level / 200))
        sd = np.sqrt(var)
        per_day = self.grid_.per_day
        index = (np.repeat(dates.to_numpy(), per_day)
                 + np.tile(np.arange(per_day) * np.timedelta64(self.grid_.minutes, "m"),
                           len(dates)))
        return pd.DataFrame({
            "interval_start": pd.DatetimeIndex(index),
            "contacts": mean.ravel(),
            "contacts_lo": np.clip(mean - z * sd, 0.0, None).ravel(),
            "contacts_hi": (mean + z * sd).ravel(),
            "aht_seconds": self._predict_aht(dates).ravel(),
        })

    def _fit(self, grid: QueueGrid) -> None:
        raise NotImplementedError

    def _predict(self, dates: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def _fit_aht(self, grid: QueueGrid, weeks: int = 8) -> None:
        """AHT per weekday and interval: contact-weighted mean over recent weeks."""
        recent = grid.present & (grid.dates > grid.last_date - pd.Timedelta(weeks=weeks))
        c = np.where(np.isfinite(grid.aht), np.nan_to_num(grid.contacts), 0.0)
        work = np.where(np.isfinite(grid.aht), grid.aht * c, 0.0)
        if c[grid.present].sum() <= 0:
            self.aht_ = None
            if np.isfinite(grid.aht).any():
                self.aht_ = np.full((7, grid.per_day), float(np.nanmean(grid.aht)))
            else:
                self.notes_.append(f"queue {grid.queue}: history has no aht_seconds; the "
                                   "forecast leaves aht_seconds empty")
            return
        overall = work[grid.present].sum() / c[grid.present].sum()
        slot_c, slot_w = c[recent].sum(axis=0), work[recent].sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            slot = np.where(slot_c > 0, slot_w / slot_c, overall)
        table = np.tile(slot, (7, 1))
        for w in range(7):
            sel = recent & (grid.weekday == w)
            wc, ww = c[sel].sum(axis=0), work[sel].sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                # shrink each weekday's cell towards the all-week value by 20 contacts
                table[w] = (ww + 20 * slot) / (wc + 20)
        self.aht_ = table

    def _predict_aht(self, dates: pd.DatetimeIndex) -> np.ndarray:
        if self.aht_ is None:
            return np.full((len(dates), self.grid_.per_day), np.nan)
        return self.aht_[weekday_of(dates)]


def interval_variance(grid: QueueGrid, expected: np.ndarray, observed: np.ndarray) -> float:
    """Overdispersion factor phi so that Var(contacts) ~ phi * mean at interval level,
    from observed vs expected intervals (phi >= 1)."""
    ok = np.isfinite(observed) & np.isfinite(expected) & (expected > 0)
    if ok.sum() < 10:
        return 1.0
    resid2 = (observed[ok] - expected[ok]) ** 2
    return float(max(1.0, resid2.sum() / expected[ok].sum()))


def fit_band(mean: np.ndarray, actual: np.ndarray) -> tuple[float, float]:
    """Fit Var(error) = a * mean + b * mean**2 (a, b >= 0) to forecast errors, so the band
    widens with volume like count noise (a) plus day-level uncertainty (b)."""
    from scipy.optimize import nnls

    ok = np.isfinite(mean) & np.isfinite(actual) & (mean > 0)
    if ok.sum() < 20:
        return 1.0, 0.01
    mu, err2 = mean[ok], (actual[ok] - mean[ok]) ** 2
    w = 1.0 / (mu + 1.0)
    coef, _ = nnls(np.column_stack([mu * w, mu * mu * w]), err2 * w)
    a, b = float(coef[0]), float(coef[1])
    if a + b * mu.mean() <= 0:
        a = 1.0
    return a, b


def shape_weight(own: np.ndarray, pooled: np.ndarray, contacts: float) -> float:
    """Empirical-Bayes weight of an intraday profile `own` (shares) against `pooled`:
    tau2 / (tau2 + s2), with s2 the multinomial sampling variance of shares learnt from
    `contacts` contacts and tau2 how far `own` is from `pooled` beyond that noise (0 when
    the difference is all noise, near 1 when it dwarfs the noise)."""
    s2 = float((own * (1 - own)).sum()) / max(float(contacts), 1.0)
    tau2 = max(float(((own - pooled) ** 2).sum()) - s2, 0.0)
    return tau2 / (tau2 + s2) if tau2 > 0 else 0.0


def close_slots(profile: np.ndarray, grid: QueueGrid, rows: np.ndarray) -> np.ndarray:
    """Weekday profiles (7 x intervals) with the intervals that had no contact on that
    weekday in the days `rows` set to zero and renormalised: shrinking a Saturday that
    opens 09:00-13:00 towards the all-week profile must not put calls in its closed
    hours."""
    out = profile.copy()
    for d in range(7):
        same = rows[grid.weekday[rows] == d]
        if not len(same):
            continue
        closed = np.nansum(grid.contacts[same], axis=0) <= 0
        if closed.all() or not closed.any():
            continue
        out[d, closed] = 0.0
        total = out[d].sum()
        if total > 0:
            out[d] /= total
    return out


def slice_grid(grid: QueueGrid, end: pd.Timestamp) -> QueueGrid:
    """The grid cut to days before `end` (for refits on earlier history)."""
    keep = grid.dates < end
    return QueueGrid(grid.queue, grid.minutes, grid.dates[keep], grid.contacts[keep],
                     grid.aht[keep], grid.present[keep], grid.event[keep], grid.offset[keep])


class RefitBandMixin:
    """Band from the model's own one-week-ahead errors over the last few weeks of history
    (cheap models only: refits `_fit` on history cut 1..`band_weeks` weeks earlier)."""

    band_weeks = 3

    def _fit_band(self, grid: QueueGrid) -> None:
        import copy

        means, actuals = [], []
        for k in range(1, self.band_weeks + 1):
            cut = grid.last_date - pd.Timedelta(days=7 * k - 1)
            sub = slice_grid(grid, cut)
            if sub.present.sum() < self.min_days + 7:
                break
            clone = copy.copy(self)
            clone.notes_ = []
            clone.grid_ = sub
            clone._fit_point(sub)
            dates = pd.date_range(cut, periods=7, freq="D")
            rows = np.flatnonzero(np.isin(grid.dates, dates))
            rows = rows[grid.present[rows]]
            if not len(rows):
                continue
            mean, _ = clone._predict_point(grid.dates[rows])
            means.append(mean.ravel())
            actuals.append(grid.contacts[rows].ravel())
        if means:
            self.band_ = fit_band(np.concatenate(means), np.concatenate(actuals))
        else:
            self.band_ = (1.0, 0.02)
            self.notes_.append(f"queue {grid.queue}: too little history to measure "
                               f"{self.name} errors; band assumes count noise only")

    def _fit(self, grid: QueueGrid) -> None:
        self._fit_point(grid)
        self._fit_band(grid)

    def _predict(self, dates: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        mean, _ = self._predict_point(dates)
        a, b = self.band_
        return mean, a * mean + b * mean * mean
