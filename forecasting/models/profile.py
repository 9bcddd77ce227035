"""Daily total x intraday profile: forecast each day's volume, then spread it over the
day with that weekday's profile learnt from recent weeks (how planners think)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import spsolve

from forecasting.calendar import (
    SEASONAL_HOLIDAYS,
    break_table,
    closed_days,
    special_day_table,
    window_keys,
)
from forecasting.models.base import (
    Model,
    QueueGrid,
    RefitBandMixin,
    close_slots,
    shape_weight,
    weekday_of,
)
from forecasting.models.day_kinds import (
    after_day_off,
    break_flags,
    dates_text,
    day_classes,
    day_noise,
    flag_unusual_days,
)

LN2 = np.log(2.0)
BREAK_FLAGS = ("day_off", "after_break_1", "after_break_2", "makeup")
# learnt with them: the first open day after a holiday on which this queue was closed
# (a bank shut on the day off takes the calls the next day; a queue open through the
# holiday does not)
SHARED_FLAGS = (*BREAK_FLAGS, "after_closure")
# a day with under 2% of its usual volume counts as closed (a trickle of stray contacts)
CLOSED_SHARE = 0.02
# ridge penalties of the special-day regression, in "days at zero effect": an event's
# own day (one past occurrence is all the sample has) is barely shrunk; an ordinary
# holiday's own deviation from the effects all holidays share counts as one more day
# at the shared effect (partial pooling); the shared effects themselves are backed by
# many days, so their small penalty only keeps the solve stable
EVENT_RIDGE = 0.01
HOLIDAY_RIDGE = 1.0
SHARED_RIDGE = 0.1



class DailyProfile(RefitBandMixin, Model):
    """Daily totals from a robust level x weekday factor (x event uplift), spread with
    that weekday's intraday profile.

    - Weekday factors: mean polish of log daily totals over the last `weekday_weeks`.
    - Day effects: the first working day after a closed one, the first three and last
      two working days of the month and four-day parts of the month (pay days, bills),
      learnt by ridge regression against the local level; kept where larger than
      their standard error, so a queue without such effects gets none.
    - Level: exponentially weighted mean (half-life `halflife_days`) of the adjusted
      log totals, plus a damped trend fitted over the last `level_weeks`.
    - Profile: exponentially weighted (half-life `profile_halflife_weeks`) shares over
      the last `profile_weeks` same weekdays, shrunk towards the all-week profile (by
      `shrink` days, and with `noise_shrink` no less than the empirical-Bayes weight
      says: a weekday, event day or day off keeps its own shape only as far as it
      stands out of the sampling noise of the contacts behind it).
    - Event days, outages and other unusual days are left out of all three; event
      uplifts and event-day profiles are learnt per event and day offset from past
      occurrences.
    """

    name = "profile"
    uses_calendar = True

    # profile_weeks 26 and half-life 8 weeks (were 12 and 6): with the noise-driven
    # shrinkage the longer window is steadier at no cost in bias; measured better on
    # the US bank (5.02 -> 4.98%), the emergency department (30.90 -> 30.83%) and the
    # sample (16.23 -> 16.12%), the same window as recent_weeks' profile
    # level_weeks, halflife_days and ridge: the best of a small grid (half-life 14/21/28
    # days, ridge 0.3/1, 8/12 weeks) on the US bank calls' 12 one-week origins *before*
    # its last 8 weeks (5.40% vs 5.64% WAPE there); neutral on the sample queues
    # weekday factors by mean polish over 26 weeks (were medians over 8): the 8-week
    # medians carry the day totals' noise; measured on the emergency department 60.8 ->
    # 66% of the gap, the US bank thinned to small queues 40 -> 45%, the sample 16.12 ->
    # 16.07% with more event days within 15%; the full US bank 27.0 -> 26.5% (its
    # weekday pattern drifts a little; an empirical-Bayes mix of 8 and 26 weeks did
    # worse on all four)
    # damping 0.95 (was 0.9): the level is an exponentially weighted mean centred about
    # 40 days back, and 0.9 let the trend carry it at most 9 days forward; measured on
    # the US bank 26.4 -> 28.9% of the gap, the emergency department 66.4 -> 66.8%, the
    # thinned bank 45.1 -> 45.2% (and on 20 earlier weekly origins of the bank 27.6 ->
    # 28.6%); 0.97 or carrying the trend all the way to the origin did worse
    def __init__(self, level_weeks: int = 12, halflife_days: float = 28.0,
                 profile_weeks: int = 26, profile_halflife_weeks: float = 8.0,
                 shrink: float = 1.0, trend: bool = True, damping: float = 0.95,
                 day_effects: bool = True, ridge: float = 0.3,
                 weekday_weeks: int = 26, smooth_events: bool = True,
                 noise_shrink: bool = True) -> None:
        self.level_weeks = level_weeks
        self.halflife_days = halflife_days
        self.profile_weeks = profile_weeks
        self.profile_halflife_weeks = profile_halflife_weeks
        self.shrink = shrink
        self.trend = trend
        self.damping = damping
        self.day_effects = day_effects
        self.ridge = ridge
        self.weekday_weeks = weekday_weeks
        self.smooth_events = smooth_events
        self.noise_shrink = noise_shrink

    def _fit_point(self, grid: QueueGrid) -> None:
        totals = grid.totals
        wd = grid.weekday
        table = break_table(self.calendar_, grid.dates)
        self.flags_ = break_flags(table)
        # the first day after a single known day off on which the queue was shut: like
        # the days after a long break, left out of the normal pattern
        self.flags_["after_day_off"] = (after_day_off(table)
                                        & self._history_classes(grid)["after_closed_day"])
        is_event = np.array([e is not None for e in grid.event], dtype=bool)
        is_event |= np.any(list(self.flags_.values()), axis=0)
        candidate = grid.present & ~is_event & (totals > 0) & self.open_weekdays_[wd]
        unusual = flag_unusual_days(grid, candidate)
        normal = candidate & ~unusual
        if normal.sum() < 5:
            normal = candidate
        self.unusual_dates_ = grid.dates[unusual]
        self.normal_ = normal
        t = (grid.dates - grid.last_date).days.to_numpy().astype(float)
        logs = np.log(np.where(totals > 0, totals, 1.0))

        window = normal & (t > -7 * self.level_weeks)
        if window.sum() < 10:
            window = normal
        wwindow = normal & (t > -7 * self.weekday_weeks)
        if wwindow.sum() < 10:
            wwindow = normal
        self.weekday_effect_ = self._weekday_effects(logs, wd, t, wwindow)
        z = logs - self._weekday_term(wd, self.flags_["makeup"])
        self.day_effect_ = {}
        if self.day_effects:
            classes = self._history_classes(grid)
            classes["after_closed_day"] &= ~(self.flags_["after_break_1"]
                                             | self.flags_["after_break_2"]
                                             | self.flags_["after_day_off"])
            self.day_effect_ = self._learn_day_effects(z, normal, classes)
            z = z - self._apply_day_effects(classes)
        weights = np.where(normal, np.exp(LN2 * t / self.halflife_days), 0.0)
        level = float((weights * z).sum() / weights.sum())
        slope = 0.0
        if self.trend and window.sum() >= 15:
            ww = weights * window
            tm = (ww * t).sum() / ww.sum()
            var = (ww * (t - tm) ** 2).sum()
            if var > 0:
                slope = float((ww * (t - tm) * (z - (ww * z).sum() / ww.sum())).sum() / var)
        self.level_, self.slope_ = level, slope
        self.level_time_ = float((weights * t).sum() / weights.sum())
        self.profile_ = self._profiles(grid, normal, t)
        self._fit_events(grid, z, normal, t)

    def _weekday_term(self, wd: np.ndarray, makeup: np.ndarray) -> np.ndarray:
        """Weekday effect per day; a make-up working day (a weekend day worked in exchange
        for a day off) counts as an average open Monday-Friday."""
        term = self.weekday_effect_[wd]
        work = self.open_weekdays_[:5]
        if makeup.any() and work.any():
            term = np.where(makeup, self.weekday_effect_[:5][work].mean(), term)
        return term

    def _history_classes(self, grid: QueueGrid) -> dict[str, np.ndarray]:
        open_days = grid.present & (grid.totals > 0)
        return day_classes(grid.dates, open_days, self.open_weekdays_)

    def _learn_day_effects(self, z: np.ndarray, normal: np.ndarray,
                           classes: dict[str, np.ndarray]) -> dict[str, float]:
        """Log effect of the day's place (after a closed day, first/last working days of
        the month) against the local level; kept only where clearly non-zero."""
        rows = np.flatnonzero(normal)
        if len(rows) < 20:
            return {}
        local = np.full(len(z), np.nan)
        for d in rows:
            near = rows[np.abs(rows - d) <= 10]
            local[d] = np.median(z[near])
        names = [n for n, member in classes.items() if (member & normal).sum() >= 3]
        if len(rows) < 90:
            names = [n for n in names if not n.startswith("month_part")]
        if not names:
            return {}
        x = np.column_stack([classes[n][rows] for n in names]).astype(float)
        r = z[rows] - local[rows]
        sigma2 = float(np.var(r))
        # ridge: each effect shrunk as if backed by `ridge` extra days at zero
        coef = np.linalg.solve(x.T @ x + self.ridge * np.eye(len(names)), x.T @ r)
        se = np.sqrt(sigma2 / np.maximum(x.sum(axis=0), 1))
        return {n: float(c) for n, c, e in zip(names, coef, se, strict=True) if abs(c) > e}

    def _apply_day_effects(self, classes: dict[str, np.ndarray]) -> np.ndarray:
        n = len(next(iter(classes.values()))) if classes else 0
        total = np.zeros(n)
        for name, effect in self.day_effect_.items():
            total += np.where(classes[name], effect, 0.0)
        return total

    def _weekday_effects(self, logs: np.ndarray, wd: np.ndarray, t: np.ndarray,
                         window: np.ndarray) -> np.ndarray:
        """Mean polish of the log totals of the normal days in `window`: each week's level
        and each weekday's effect solved in turn (unusual days are already left out, so
        means, which use every day fully, are safe where medians waste half of them)."""
        week = np.floor((t[window]) / 7).astype(int)
        x, w = logs[window], wd[window]
        effect = np.zeros(7)
        week_eff = np.zeros(week.max() - week.min() + 1) if len(week) else np.zeros(1)
        base = week.min() if len(week) else 0
        for _ in range(5):
            resid = x - effect[w]
            for k in np.unique(week):
                week_eff[k - base] = resid[week == k].mean()
            resid = x - week_eff[week - base]
            for d in np.unique(w):
                effect[d] = resid[w == d].mean()
        seen = np.isin(np.arange(7), w)
        effect[seen] -= effect[seen].mean()
        return effect

    def _profiles(self, grid: QueueGrid, normal: np.ndarray, t: np.ndarray) -> np.ndarray:
        totals = grid.totals
        recent = normal & (t > -7 * self.profile_weeks)
        if recent.sum() < 3:
            recent = normal
        shares = np.zeros_like(grid.contacts)
        shares[recent] = grid.contacts[recent] / totals[recent, None]
        weights = np.where(recent, np.exp(LN2 * t / (7 * self.profile_halflife_weeks)), 0.0)
        pooled = (weights[:, None] * shares).sum(axis=0) / max(weights.sum(), 1e-12)
        profile = np.tile(pooled, (7, 1))
        wd = grid.weekday
        for d in range(7):
            wsel = np.where(wd == d, weights, 0.0)
            total_w = wsel.sum()
            if total_w <= 0:
                continue
            own = (wsel[:, None] * shares).sum(axis=0) / total_w
            n_eff = total_w ** 2 / (wsel ** 2).sum()
            keep = n_eff / (n_eff + self.shrink)
            if self.noise_shrink:
                # no more weight than the weekday's difference from the pooled profile
                # stands out of its sampling noise (small queues, hourly counts)
                contacts = n_eff * float((wsel * totals).sum() / total_w)
                keep = min(keep, shape_weight(own, pooled, contacts))
            profile[d] = keep * own + (1 - keep) * pooled
        profile = profile / profile.sum(axis=1, keepdims=True).clip(1e-12)
        return close_slots(profile, grid, np.flatnonzero(recent))

    def _fit_events(self, grid: QueueGrid, z: np.ndarray, normal: np.ndarray,
                    t: np.ndarray) -> None:
        """Special-day effects as log ratios to the usual level, by one ridge regression
        over every special day of history: each (event, day offset) has its own effect,
        and the effects every holiday shares (the day off, the first and second working
        day after a long break, a make-up working day) are learnt across all holidays.
        An event day that was a working day last year and is a day off this year gets
        its own effect plus the shared day-off effect; a holiday never seen before gets
        the shared effects alone. Closed days are counted apart (a day closed in most
        past occurrences is forecast closed; a day off of a holiday never seen is
        forecast closed when most past days off on open weekdays were closed)."""
        self.uplift_: dict[tuple[str, int], float] = {}
        self.event_profile_: dict[tuple[str, int], tuple[np.ndarray, int, float]] = {}
        self.event_day_off_: dict[tuple[str, int], bool] = {}
        self.event_closed_: set[tuple[str, int]] = set()
        self.learnt_events_: set[str] = set()
        self.shared_effect_: dict[str, float] = {}
        self.day_off_closed_ = False
        self.day_off_profile_: tuple[np.ndarray, int, float] | None = None
        if self.calendar_ is None:
            return
        flags = dict(self.flags_)
        wd = grid.weekday
        windows = window_keys(self.calendar_, grid.dates)
        primary = [(e, int(o)) if e is not None else None
                   for e, o in zip(grid.event, grid.offset, strict=True)]
        special = np.array([bool(w) for w in windows]) | np.any(list(flags.values()), axis=0)
        flags["after_closure"] = self._history_classes(grid)["after_closed_day"] & special
        rows = np.flatnonzero(special & (self.open_weekdays_[wd] | flags["makeup"]))
        normal_rows = np.flatnonzero(normal)
        if not len(rows) or not len(normal_rows):
            return
        totals = grid.totals
        term = self._weekday_term(wd, flags["makeup"])
        closed_n: dict[tuple[str, int], int] = {}
        open_n: dict[tuple[str, int], int] = {}
        ridge: dict[tuple[str, int], float] = {}
        day_off_closed: list[bool] = []
        fit_rows: list[tuple[int, list[tuple[str, int]], float]] = []
        shapes: dict[tuple[str, int], list[np.ndarray]] = {}
        volume: dict[tuple[str, int], float] = {}
        day_off_of: dict[tuple[str, int], list[bool]] = {}
        off_shapes: list[np.ndarray] = []
        off_volume = 0.0
        for d in rows:
            near = normal_rows[np.abs(normal_rows - d) <= 28]
            if len(near) < 3:
                near = normal_rows[np.argsort(np.abs(normal_rows - d))[:10]]
            usual = float(np.median(z[near]))
            keys = []
            for event, offset, kind in windows[d]:
                keys.append((event, offset))
                ordinary = kind == "holiday" and event not in SEASONAL_HOLIDAYS
                ridge[(event, offset)] = HOLIDAY_RIDGE if ordinary else EVENT_RIDGE
            closed = (not grid.present[d]
                      or totals[d] <= CLOSED_SHARE * np.exp(usual + term[d]))
            if flags["day_off"][d] and self.open_weekdays_[wd[d]]:
                day_off_closed.append(bool(closed))
            for key in keys:
                counts = closed_n if closed else open_n
                counts[key] = counts.get(key, 0) + 1
            if closed:
                continue
            fit_rows.append((d, keys, z[d] - usual))
            share = grid.contacts[d] / totals[d]
            if primary[d] is not None:
                shapes.setdefault(primary[d], []).append(share)
                volume[primary[d]] = volume.get(primary[d], 0.0) + float(totals[d])
                day_off_of.setdefault(primary[d], []).append(bool(flags["day_off"][d]))
            if flags["day_off"][d]:
                off_shapes.append(share)
                off_volume += float(totals[d])
        for key, n in closed_n.items():
            if n > open_n.get(key, 0):
                self.event_closed_.add(key)
                self.learnt_events_.add(key[0])
        self.day_off_closed_ = len(day_off_closed) >= 2 and float(np.mean(day_off_closed)) > 0.5
        if len(off_shapes) >= 2:
            self.day_off_profile_ = (np.mean(off_shapes, axis=0), len(off_shapes), off_volume)
        for key, values in shapes.items():
            self.event_profile_[key] = (np.mean(values, axis=0), len(values), volume[key])
            self.event_day_off_[key] = bool(np.mean(day_off_of[key]) >= 0.5)
        if not fit_rows:
            return
        idx = np.array([d for d, _, _ in fit_rows])
        shared = [f for f in SHARED_FLAGS if flags[f][idx].any()]
        keys = sorted({k for _, ks, _ in fit_rows for k in ks if k not in self.event_closed_})
        col = {k: len(shared) + i for i, k in enumerate(keys)}
        cells_r, cells_c = [], []
        for j, f in enumerate(shared):
            hit = np.flatnonzero(flags[f][idx])
            cells_r.extend(hit)
            cells_c.extend([j] * len(hit))
        for i, (_, ks, _) in enumerate(fit_rows):
            for key in ks:
                if key in col:
                    cells_r.append(i)
                    cells_c.append(col[key])
        # sparse: each key has a handful of days, and a dense solve of a few hundred
        # columns is slow under threaded BLAS on a busy machine
        x = sparse.csr_matrix((np.ones(len(cells_r)), (cells_r, cells_c)),
                              shape=(len(fit_rows), len(shared) + len(keys)))
        penalty = np.array([SHARED_RIDGE] * len(shared) + [ridge[k] for k in keys])
        y = np.array([r for _, _, r in fit_rows])
        beta = np.atleast_1d(spsolve((x.T @ x + sparse.diags(penalty)).tocsc(), x.T @ y))
        self.shared_effect_ = {f: float(beta[j]) for j, f in enumerate(shared)}
        for key in keys:
            self.uplift_[key] = float(beta[col[key]])
            self.learnt_events_.add(key[0])
        if self.smooth_events:
            seasons = [k for k in keys if ridge[k] == EVENT_RIDGE]
            self._smooth_event_effects(seasons, open_n, day_noise(z, normal))

    def _smooth_event_effects(self, keys: list[tuple[str, int]], seen: dict[tuple[str, int], int],
                              noise: float) -> None:
        """Shrink each event day's effect towards the mean of its neighbouring days'
        (the day before and after in the same event), by how far apart they are
        compared with the noise of one day's estimate: empirical Bayes with a prior that
        is either smooth (most days: spread estimated from the event's own days) or a
        real jump (day 0 of Double 11, a pre-sale opening: wide, 1 in log units), in the
        ratio 4:1. Noise-sized wiggles of a single past occurrence are mostly removed;
        jumps far beyond the noise are kept."""
        by_event: dict[str, dict[int, float]] = {}
        for event, offset in keys:
            by_event.setdefault(event, {})[offset] = self.uplift_[(event, offset)]
        for event, effects in by_event.items():
            if len(effects) < 3:
                continue
            gaps, noise2, means = {}, {}, {}
            for offset, value in effects.items():
                near = [effects[o] for o in (offset - 1, offset + 1) if o in effects]
                if not near:
                    continue
                own = noise / seen.get((event, offset), 1)
                near_var = np.mean([noise / seen.get((event, o), 1)
                                    for o in (offset - 1, offset + 1) if o in effects])
                means[offset] = float(np.mean(near))
                gaps[offset] = value - means[offset]
                noise2[offset] = own + near_var / len(near)
            if len(gaps) < 3:
                continue
            gap = np.array(list(gaps.values()))
            typical = float(np.median(list(noise2.values())))
            smooth_var = max(float(np.median(gap ** 2)) / 0.455 - typical, 0.0)
            for offset, d in gaps.items():
                s2 = noise2[offset]
                weights, shrunk = [], []
                for prior, var in ((0.8, smooth_var), (0.2, 1.0)):
                    total = var + s2
                    weights.append(prior * np.exp(-0.5 * d * d / total) / np.sqrt(total))
                    shrunk.append(var / total * d)
                w = np.array(weights) / max(sum(weights), 1e-300)
                self.uplift_[(event, offset)] = means[offset] + float(w @ np.array(shrunk))

    def _fit(self, grid: QueueGrid) -> None:
        super()._fit(grid)
        if len(self.unusual_dates_):
            self.notes_.append(
                f"queue {grid.queue}: {len(self.unusual_dates_)} unusual day(s) (outage or "
                f"spike) left out of the normal pattern: {dates_text(self.unusual_dates_)}")
        n_event = sum(1 for e in grid.event if e is not None)
        if n_event:
            self.notes_.append(
                f"queue {grid.queue}: {n_event} event/holiday day(s) in history kept out of "
                f"the normal pattern; uplifts learnt for {len(self.learnt_events_)} event(s)")

    def _predict_point(self, dates: pd.DatetimeIndex) -> tuple[np.ndarray, None]:
        wd = weekday_of(dates)
        h = (dates - self.grid_.last_date).days.to_numpy().astype(float)
        trend = 0.0
        if self.slope_:
            steps = h - self.level_time_
            damped = (1 - self.damping ** steps) / (1 - self.damping) * self.damping
            trend = self.slope_ * damped
        flags = break_flags(break_table(self.calendar_, dates))
        windows = window_keys(self.calendar_, dates) if self.calendar_ is not None else None
        log_total = self.level_ + trend + self._weekday_term(wd, flags["makeup"])
        closed = self._closed_days(dates, flags, windows)
        flags["after_closure"] = np.zeros(len(dates), dtype=bool)
        if self.day_effect_ or "after_closure" in self.shared_effect_:
            hist = self.grid_
            all_dates = pd.date_range(hist.dates[0], dates[-1], freq="D")
            is_open = self.open_weekdays_[all_dates.day_of_week.to_numpy()].copy()
            is_open[: len(hist.dates)] = hist.present & (hist.totals > 0)
            pos = np.searchsorted(all_dates, dates)
            is_open[pos] &= ~closed
            classes = day_classes(all_dates, is_open, self.open_weekdays_)
            effects = self._apply_day_effects(classes)[pos]
            after_closed = classes["after_closed_day"][pos]
            if self.calendar_ is not None:
                in_window = np.array([bool(w) for w in windows])
                flags["after_closure"] = after_closed & (
                    in_window | np.any([flags[f] for f in BREAK_FLAGS], axis=0)
                    | self._after_day_off(dates))
            if "after_closed_day" in self.day_effect_:
                after = (flags["after_break_1"] | flags["after_break_2"]
                         | flags["after_closure"])
                effects = effects - np.where(
                    classes["after_closed_day"][pos] & after,
                    self.day_effect_["after_closed_day"], 0.0)
            log_total = log_total + effects
        profile = self.profile_[wd].copy()
        self.horizon_events_ = set()
        self.pooled_holidays_ = set()
        if self.calendar_ is not None:
            special = special_day_table(self.calendar_, dates)
            for i, (event, offset) in enumerate(zip(special["event"], special["offset"],
                                                    strict=True)):
                effect = sum(self.shared_effect_.get(f, 0.0) for f in SHARED_FLAGS
                             if flags[f][i])
                key = (event, int(offset)) if event is not None else None
                day_off = bool(flags["day_off"][i])
                for name, off, kind in windows[i]:
                    self.horizon_events_.add(name)
                    if (name, off) in self.uplift_:
                        effect += self.uplift_[(name, off)]
                    elif (name, off) not in self.event_closed_ and kind == "holiday":
                        self.pooled_holidays_.add(name)
                shape = None
                if key in self.event_profile_ and self.event_day_off_[key] == day_off:
                    shape = self.event_profile_[key]
                if shape is None and day_off and self.day_off_profile_ is not None:
                    shape = self.day_off_profile_
                if shape is not None:
                    weight = shape[1] / (shape[1] + 0.5)
                    if self.noise_shrink:
                        weight = min(weight, shape_weight(shape[0], profile[i], shape[2]))
                    profile[i] = weight * shape[0] + (1 - weight) * profile[i]
                log_total[i] += effect
        totals = np.exp(log_total)
        totals[closed] = 0.0
        return totals[:, None] * profile, None

    def _after_day_off(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """`after_day_off` for `dates` (which need not be consecutive)."""
        span = pd.date_range(dates[0] - pd.Timedelta(days=1), dates[-1], freq="D")
        flags = after_day_off(break_table(self.calendar_, span))
        return flags[np.searchsorted(span, dates)]

    def _closed_days(self, dates: pd.DatetimeIndex, flags: dict[str, np.ndarray],
                     windows: list | None) -> np.ndarray:
        """Days of the horizon the calendar says are closed, that this queue closed on in
        most past occurrences, or that are days off of a holiday it has never seen when
        most of its past days off were closed."""
        closed = closed_days(self.calendar_, dates)
        if self.calendar_ is None:
            return closed
        open_weekday = self.open_weekdays_[weekday_of(dates)]
        for i, keys in enumerate(windows):
            pairs = [(event, offset) for event, offset, _ in keys]
            if any(k in self.event_closed_ for k in pairs):
                closed[i] = True
            elif (not any(k in self.uplift_ for k in pairs) and self.day_off_closed_
                  and flags["day_off"][i] and open_weekday[i]):
                closed[i] = True
        return closed

    def predict(self, start: str | pd.Timestamp, days: int, level: float = 80) -> pd.DataFrame:
        out = super().predict(start, days, level)
        pooled = sorted(getattr(self, "pooled_holidays_", set()))
        if pooled:
            shared = getattr(self, "shared_effect_", {})
            parts = ["day off: closed" if self.day_off_closed_ else
                     f"day off: {np.exp(shared.get('day_off', 0.0)):.0%} of a normal day"]
            if "after_break_1" in shared:
                parts.append(f"first working day after: "
                             f"{np.exp(shared['after_break_1']):.0%} of a normal day")
            self.notes_.append(
                f"queue {self.grid_.queue}: no past occurrence of {', '.join(pooled)} in "
                f"history; its days take the effects this queue's past holidays share "
                f"({'; '.join(parts)})")
        unknown = sorted(getattr(self, "horizon_events_", set())
                         - getattr(self, "learnt_events_", set())
                         - set(pooled))
        if unknown:
            self.notes_.append(
                f"queue {self.grid_.queue}: no past occurrence in history of "
                f"{', '.join(unknown)}; those days are forecast as normal days")
        return out
