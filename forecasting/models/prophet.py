"""Prophet on daily totals with the calendar as holidays, spread with intraday profiles.

Prophet runs on one point per day (fast enough to fit per queue); each event
day offset is its own Prophet holiday, so "two days before Double 11" learns
its own effect. The intraday spread and AHT come from the daily-profile model.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from forecasting.calendar import special_day_table
from forecasting.models.base import Model, QueueGrid, weekday_of
from forecasting.models.profile import DailyProfile


def _quiet() -> None:
    """Silence cmdstanpy/prophet progress logging (they reset it on import)."""
    for name in ("cmdstanpy", "prophet", "prophet.plot"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        logger.setLevel(logging.ERROR)
        logger.propagate = False
        for handler in logger.handlers:
            handler.setLevel(logging.ERROR)


class ProphetModel(Model):
    """Prophet (multiplicative weekly and, with a year or more of history, yearly
    seasonality; calendar days as holidays) on daily totals x weekday profiles."""

    name = "prophet"
    min_days = 28
    uses_calendar = True

    def __init__(self, changepoint_prior_scale: float = 0.05, interval_width: float = 0.8,
                 ) -> None:
        self.changepoint_prior_scale = changepoint_prior_scale
        self.interval_width = interval_width

    def _fit(self, grid: QueueGrid) -> None:
        from prophet import Prophet

        _quiet()

        spread = DailyProfile(trend=False, day_effects=False)
        spread.open_weekdays_ = self.open_weekdays_
        spread.calendar_ = self.calendar_
        spread.grid_ = grid
        spread.notes_ = []
        spread._fit_point(grid)
        self.spread_ = spread
        totals = grid.totals
        keep = grid.present & (totals > 0) & self.open_weekdays_[grid.weekday]
        unusual = np.isin(grid.dates, spread.unusual_dates_)
        keep &= ~unusual
        daily = pd.DataFrame({"ds": grid.dates[keep], "y": totals[keep]})
        holidays = None
        if self.calendar_ is not None:
            far = grid.last_date + pd.Timedelta(days=400)
            days = self.calendar_.days(grid.dates[0], far)
            if len(days):
                holidays = pd.DataFrame({
                    "holiday": days["event"] + "@" + days["offset"].astype(str),
                    "ds": days["date"], "lower_window": 0, "upper_window": 0})
        span_days = (grid.last_date - grid.dates[0]).days
        model = Prophet(
            weekly_seasonality=True, daily_seasonality=False,
            yearly_seasonality=span_days >= 365, seasonality_mode="multiplicative",
            holidays=holidays, changepoint_prior_scale=self.changepoint_prior_scale,
            interval_width=self.interval_width, uncertainty_samples=200)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # prophet's own pandas deprecations
            model.fit(daily)
        self.prophet_ = model
        self.phi_ = 1.0  # interval counts around the day's spread: Poisson

    def _predict(self, dates: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        future = pd.DataFrame({"ds": dates})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = self.prophet_.predict(future)
        total = np.clip(out["yhat"].to_numpy(), 0.0, None)
        from scipy.stats import norm

        z = float(norm.ppf(0.5 + self.interval_width / 2))
        sd_total = (out["yhat_upper"].to_numpy() - out["yhat_lower"].to_numpy()) / (2 * z)
        wd = weekday_of(dates)
        profile = self.spread_.profile_[wd].copy()
        if self.calendar_ is not None:
            special = special_day_table(self.calendar_, dates)
            for i, (event, offset) in enumerate(zip(special["event"], special["offset"],
                                                    strict=True)):
                key = (event, int(offset))
                if event is not None and key in self.spread_.event_profile_:
                    shape, n = self.spread_.event_profile_[key]
                    weight = n / (n + 0.5)
                    profile[i] = weight * shape + (1 - weight) * profile[i]
                if event is not None and key in self.spread_.event_closed_:
                    total[i] = 0.0
        mean = total[:, None] * profile
        var = mean * self.phi_ + (sd_total[:, None] * profile) ** 2
        return mean, var
