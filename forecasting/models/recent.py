"""`recent_weeks`: the planner's average of recent weeks, made robust.

Each day's total is the recent weeks' level times the weekday's factor, both from
recent normal days (unusual, event and holiday days left out), spread over the day
with an intraday profile learnt from a longer window and shrunk towards the
all-week profile as far as the data say the weekdays really differ (empirical
Bayes). On real
series the daily total moves with the recent weeks while the intraday shape is stable
for months; estimating the shape from many days takes most of the sampling noise out
of the interval forecast, which is what the four-week mean pays for on small queues.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.calendar import break_table
from forecasting.models.base import (
    Model,
    QueueGrid,
    RefitBandMixin,
    close_slots,
    shape_weight,
    weekday_of,
)
from forecasting.models.day_kinds import flag_unusual_days


def normal_days(grid: QueueGrid, open_weekdays: np.ndarray, calendar) -> np.ndarray:
    """Days to learn the usual pattern from: with data and contacts, on an open weekday,
    not an event or holiday day (nor a day off or the days after a long break), and not
    an outage or spike."""
    special = np.array([e is not None for e in grid.event], dtype=bool)
    if calendar is not None:
        table = break_table(calendar, grid.dates)
        special |= (table["day_off"].to_numpy(dtype=bool)
                    | table["makeup"].to_numpy(dtype=bool)
                    | (table["after_break"].to_numpy() > 0))
    candidate = grid.present & ~special & (grid.totals > 0) & open_weekdays[grid.weekday]
    normal = candidate & ~flag_unusual_days(grid, candidate)
    return normal if normal.sum() >= 5 else candidate


def shrunk_profiles(grid: QueueGrid, rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Intraday shares per weekday (7 x intervals) from the days `rows` with `weights`,
    each weekday's own shares shrunk towards the pooled shares by the empirical-Bayes
    weight of `shape_weight` (how far the weekday differs beyond its sampling noise)."""
    per_day = grid.per_day
    if not len(rows):
        return np.full((7, per_day), 1.0 / per_day)
    counts = grid.contacts[rows]
    w = weights[:, None]
    pooled = (w * counts).sum(axis=0)
    pooled = pooled / max(pooled.sum(), 1e-12)
    out = np.tile(pooled, (7, 1))
    wd = grid.weekday[rows]
    for d in range(7):
        sel = wd == d
        if not sel.any():
            continue
        c = (w[sel] * counts[sel]).sum(axis=0)
        total = c.sum()
        if total <= 0:
            continue
        own = c / total
        # effective number of days, and of contacts, behind the weighted shares
        n_days = weights[sel].sum() ** 2 / (weights[sel] ** 2).sum()
        keep = shape_weight(own, pooled, n_days * grid.totals[rows][sel].mean())
        out[d] = keep * own + (1 - keep) * pooled
    out = out / out.sum(axis=1, keepdims=True).clip(1e-12)
    return close_slots(out, grid, rows)


class RecentWeeks(RefitBandMixin, Model):
    """Day total = recent level x weekday factor: factors from the normal days of the
    last `weeks` weeks, level the exponentially weighted mean (half-life
    `halflife_weeks`) of all those days with their weekday factor taken out (with
    `pooled_level=False`, each weekday's own weighted mean instead); intraday profile
    from the normal days of the last `profile_weeks` weeks (half-life
    `profile_halflife_weeks`), per weekday shrunk towards the all-week profile
    (empirical Bayes)."""

    name = "recent_weeks"
    uses_calendar = True

    # weeks 26 (was 8): weekday factors from half a year are steadier, the level still
    # follows the last weeks (half-life 2 weeks); measured better on the US bank
    # (6.14 -> 6.08%), the emergency department (65.3 -> 66.9% of the gap), the thinned
    # bank (27.0 -> 28.6%) and the sample (19.31 -> 19.19%)

    def __init__(self, weeks: int = 26, halflife_weeks: float = 2.0,
                 profile_weeks: int = 26, profile_halflife_weeks: float = 8.0,
                 pooled_level: bool = True) -> None:
        self.weeks = weeks
        self.pooled_level = pooled_level
        self.halflife_weeks = halflife_weeks
        self.profile_weeks = profile_weeks
        self.profile_halflife_weeks = profile_halflife_weeks

    def _fit_point(self, grid: QueueGrid) -> None:
        normal = normal_days(grid, self.open_weekdays_, self.calendar_)
        age = (grid.last_date - grid.dates).days.to_numpy() / 7.0
        if self.pooled_level:
            self.day_total_ = self._pooled_totals(grid, normal, age)
        else:
            self.day_total_ = self._weekday_totals(grid, normal, age)
        rows = np.flatnonzero(normal & (age < self.profile_weeks))
        if len(rows) < 7:
            rows = np.flatnonzero(normal)
        weights = 0.5 ** (age[rows] / self.profile_halflife_weeks)
        self.profile_ = shrunk_profiles(grid, rows, weights)

    def _weekday_totals(self, grid: QueueGrid, normal: np.ndarray,
                        age: np.ndarray) -> np.ndarray:
        """Each weekday's total: weighted mean of its own recent normal days."""
        out = np.zeros(7)
        for d in range(7):
            if not self.open_weekdays_[d]:
                continue
            same = normal & (grid.weekday == d)
            rows = np.flatnonzero(same & (age < self.weeks))
            if len(rows) < 2:
                rows = np.flatnonzero(same)[-2:]
            if not len(rows):
                continue
            w = 0.5 ** (age[rows] / self.halflife_weeks)
            out[d] = float((w * grid.totals[rows]).sum() / w.sum())
        return out

    def _pooled_totals(self, grid: QueueGrid, normal: np.ndarray,
                       age: np.ndarray) -> np.ndarray:
        """Level x weekday factor: the factors from the last `weeks` weeks (each week's
        days relative to that week's mean, in logs), the level a weighted mean over all
        normal days with the weekday taken out, so each day's total rests on every
        recent day rather than on its own weekday's few."""
        rows = np.flatnonzero(normal & (age < self.weeks))
        if len(rows) < 7:
            rows = np.flatnonzero(normal)[-7 * self.weeks:]
        if not len(rows):
            return np.zeros(7)
        logs = np.log(grid.totals[rows])
        wd = grid.weekday[rows]
        week = np.floor(age[rows]).astype(int)
        factor = np.zeros(7)
        for _ in range(3):
            resid = logs - factor[wd]
            week_mean = {k: resid[week == k].mean() for k in np.unique(week)}
            base = logs - np.array([week_mean[k] for k in week])
            for d in np.unique(wd):
                factor[d] = base[wd == d].mean()
        seen = np.isin(np.arange(7), wd)
        factor[seen] -= factor[seen].mean()
        w = 0.5 ** (age[rows] / self.halflife_weeks)
        level = float((w * (logs - factor[wd])).sum() / w.sum())
        out = np.where(seen & self.open_weekdays_, np.exp(level + factor), 0.0)
        # a weekday open but without normal days in the window keeps its own mean
        missing = self.open_weekdays_ & ~seen
        if missing.any():
            out[missing] = self._weekday_totals(grid, normal, age)[missing]
        return out

    def _predict_point(self, dates: pd.DatetimeIndex) -> tuple[np.ndarray, None]:
        wd = weekday_of(dates)
        return self.day_total_[wd][:, None] * self.profile_[wd], None
