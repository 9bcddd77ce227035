"""`daily_ets`: a state-space model of the daily totals times a shrunk intraday profile.

The day's total is forecast by additive Holt-Winters (exponential smoothing with a
damped trend and a weekday season) on the log totals of the queue's open days, the
smoothing weights fitted by maximum likelihood to this queue's own history; the
intraday profile is `recent_weeks`' (each weekday's shares shrunk towards the
all-week shares as far as the contacts behind them say the weekday really differs).
Special and unusual days are replaced, before smoothing, by the same weekday's value
of the week before so that one holiday or outage does not move the level.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from forecasting.models.base import Model, ModelError, QueueGrid, RefitBandMixin, weekday_of
from forecasting.models.recent import normal_days, shrunk_profiles

MIN_OPEN_DAYS = 28


class DailyETS(RefitBandMixin, Model):
    """Daily total from damped-trend Holt-Winters on the log totals of the last
    `history_weeks` weeks of open days (season: the open weekdays), spread with the
    intraday profile of the normal days of the last `profile_weeks` weeks (half-life
    `profile_halflife_weeks`), per weekday shrunk towards the all-week profile."""

    name = "daily_ets"
    uses_calendar = True
    min_days = MIN_OPEN_DAYS

    def __init__(self, history_weeks: int = 52, profile_weeks: int = 26,
                 profile_halflife_weeks: float = 8.0, damped: bool = True,
                 max_level_weight: float = 0.1) -> None:
        self.max_level_weight = max_level_weight
        self.history_weeks = history_weeks
        self.profile_weeks = profile_weeks
        self.profile_halflife_weeks = profile_halflife_weeks
        self.damped = damped

    def _fit_point(self, grid: QueueGrid) -> None:
        normal = normal_days(grid, self.open_weekdays_, self.calendar_)
        age = (grid.last_date - grid.dates).days.to_numpy() / 7.0
        rows = np.flatnonzero(normal & (age < self.profile_weeks))
        if len(rows) < 7:
            rows = np.flatnonzero(normal)
        self.profile_ = shrunk_profiles(grid, rows,
                                        0.5 ** (age[rows] / self.profile_halflife_weeks))
        self._fit_totals(grid, normal, age)

    def _fit_totals(self, grid: QueueGrid, normal: np.ndarray, age: np.ndarray) -> None:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        open_day = self.open_weekdays_[grid.weekday] & (age < self.history_weeks)
        idx = np.flatnonzero(open_day)
        if len(idx) < MIN_OPEN_DAYS or normal[idx].sum() < MIN_OPEN_DAYS // 2:
            raise ModelError(f"queue {grid.queue}: {self.name} needs at least "
                             f"{MIN_OPEN_DAYS} open days of history")
        logs = np.where(normal, np.log(np.where(grid.totals > 0, grid.totals, 1.0)), np.nan)
        series = pd.Series(logs[idx])
        season = int(self.open_weekdays_.sum())
        # a day that is not normal takes its weekday's value of the week before (or after)
        for _ in range(4):
            series = series.fillna(series.shift(season))
        series = series.fillna(series.shift(-season)).fillna(series.mean())
        self.days_ = grid.dates[idx]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = ExponentialSmoothing(series.to_numpy(), trend="add",
                                       damped_trend=self.damped,
                                       seasonal="add" if season > 1 else None,
                                       seasonal_periods=season if season > 1 else None,
                                       initialization_method="estimated",
                                       bounds={"smoothing_level":
                                               (0.0, self.max_level_weight)}).fit()
        self.ets_ = fit
        self.season_ = season

    def _predict_point(self, dates: pd.DatetimeIndex) -> tuple[np.ndarray, None]:
        wd = weekday_of(dates)
        open_day = self.open_weekdays_[wd]
        span = pd.date_range(self.grid_.last_date + pd.Timedelta(days=1), dates[-1], freq="D")
        steps = np.cumsum(self.open_weekdays_[weekday_of(span)])
        step_of = dict(zip(span, steps, strict=True))
        horizon = int(steps[-1]) if len(steps) else 0
        path = np.exp(self.ets_.forecast(max(horizon, 1)))
        totals = np.array([path[step_of[d] - 1] if o and d in step_of and step_of[d] > 0
                           else 0.0 for d, o in zip(dates, open_day, strict=True)])
        return totals[:, None] * self.profile_[wd], None
