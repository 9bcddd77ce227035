"""Baselines: weekly seasonal naive and the mean of the same weekday over recent weeks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.models.base import Model, QueueGrid, RefitBandMixin, weekday_of


class SeasonalNaive(RefitBandMixin, Model):
    """Each interval as it was on the latest same weekday in history (one week back when
    that day exists, further back across missing days)."""

    name = "seasonal_naive"
    min_days = 1

    def _fit_point(self, grid: QueueGrid) -> None:
        self.last_same_day_ = {}
        for w in range(7):
            rows = np.flatnonzero(grid.present & (grid.weekday == w))
            if len(rows):
                self.last_same_day_[w] = grid.contacts[rows[-1]].copy()

    def _predict_point(self, dates: pd.DatetimeIndex) -> tuple[np.ndarray, None]:
        per_day = self.grid_.per_day
        mean = np.zeros((len(dates), per_day))
        for i, w in enumerate(weekday_of(dates)):
            if w in self.last_same_day_:
                mean[i] = self.last_same_day_[w]
        return mean, None


class WeekdayMean(RefitBandMixin, Model):
    """Each interval as the mean of the same weekday over the last `weeks` weeks present."""

    name = "weekday_mean"
    min_days = 1

    def __init__(self, weeks: int = 4) -> None:
        self.weeks = weeks

    def _fit_point(self, grid: QueueGrid) -> None:
        self.means_ = {}
        for w in range(7):
            rows = np.flatnonzero(grid.present & (grid.weekday == w))[-self.weeks:]
            if len(rows):
                self.means_[w] = grid.contacts[rows].mean(axis=0)

    def _predict_point(self, dates: pd.DatetimeIndex) -> tuple[np.ndarray, None]:
        mean = np.zeros((len(dates), self.grid_.per_day))
        for i, w in enumerate(weekday_of(dates)):
            if w in self.means_:
                mean[i] = self.means_[w]
        return mean, None


class FourWeekMean(WeekdayMean):
    """The planner's yardstick: each interval as the mean of the same weekday and interval
    over the last four weeks (`weekday_mean` with four weeks). `auto` never keeps a model
    that loses to it in its own backtest."""

    name = "four_week_mean"

    def __init__(self) -> None:
        super().__init__(weeks=4)
