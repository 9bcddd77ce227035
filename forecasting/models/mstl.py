"""statsmodels MSTL over the daily and weekly cycles of the interval series."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from statsmodels.tsa.seasonal import MSTL

from forecasting.models.base import Model, QueueGrid, RefitBandMixin, weekday_of
from forecasting.models.day_kinds import flag_unusual_days


class MSTLModel(RefitBandMixin, Model):
    """MSTL decomposition (daily and weekly seasonal + trend) of the last `weeks` weeks.

    Missing, outage and event days are replaced by the mean of the same weekday
    before decomposing. The forecast repeats the last week of the seasonal
    components on the trend's mean over the last week (flat unless `damping` > 0
    extends the week-on-week slope, damped). Closed hours (no contacts
    on that weekday and interval in the window) stay at zero.
    """

    name = "mstl"
    min_days = 21
    band_weeks = 1

    def __init__(self, weeks: int = 8, damping: float = 0.0) -> None:
        self.weeks = weeks
        self.damping = damping

    def _fit_point(self, grid: QueueGrid) -> None:
        n_days = min(len(grid.dates), 7 * self.weeks)
        rows = np.arange(len(grid.dates) - n_days, len(grid.dates))
        wd = grid.weekday[rows]
        is_event = np.array([e is not None for e in grid.event], dtype=bool)
        ok = grid.present & ~is_event
        ok &= ~flag_unusual_days(grid, ok)
        values = grid.contacts[rows].copy()
        good = ok[rows]
        self.open_ = np.zeros((7, grid.per_day), dtype=bool)
        for w in range(7):
            same = good & (wd == w)
            fill = values[same].mean(axis=0) if same.any() else np.zeros(grid.per_day)
            values[(wd == w) & ~good] = fill
            self.open_[w] = values[wd == w].sum(axis=0) > 0
        series = values.ravel()
        periods = [grid.per_day, 7 * grid.per_day]
        if n_days < 14:
            periods = periods[:1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = MSTL(series, periods=periods).fit()
        seasonal = np.asarray(result.seasonal).reshape(len(series), -1).sum(axis=1)
        trend = np.asarray(result.trend)
        per_week = 7 * grid.per_day
        last_week = seasonal[-per_week:] if len(seasonal) >= per_week else np.resize(
            seasonal, per_week)
        self.season_ = last_week.reshape(7, grid.per_day)
        self.season_days_ = weekday_of(grid.dates[rows[-7:]]) if n_days >= 7 else np.arange(7)
        day_trend = trend.reshape(n_days, grid.per_day).mean(axis=1)
        # the trend's last days are the least certain (end effects): level on the last
        # week's mean, slope from week to week
        self.trend_level_ = float(day_trend[-7:].mean())
        self.trend_slope_ = (float((day_trend[-7:].mean() - day_trend[-14:-7].mean()) / 7)
                             if n_days >= 14 else 0.0)

    def _predict_point(self, dates: pd.DatetimeIndex) -> tuple[np.ndarray, None]:
        wd = weekday_of(dates)
        h = (dates - self.grid_.last_date).days.to_numpy().astype(float)
        damped = self.damping * (1 - self.damping ** h) / (1 - self.damping)
        level = self.trend_level_ + self.trend_slope_ * damped
        lookup = {int(w): i for i, w in enumerate(self.season_days_)}
        season = np.array([self.season_[lookup.get(int(w), 0)] for w in wd])
        mean = level[:, None] + season
        mean = np.where(self.open_[wd], np.clip(mean, 0.0, None), 0.0)
        return mean, None
