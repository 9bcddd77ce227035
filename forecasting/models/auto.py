"""`auto`: pick the forecast per queue by a rolling-origin backtest on the queue's own
history, among single models and equal-weight combinations of them, never keeping one
that loses to the four-week mean there."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from forecasting.calendar import Calendar
from forecasting.models.base import Model, ModelError, fit_band
from forecasting.models.combine import BAND_NOTE, EVENT_MODEL, Combination, special_days

AUTO_CANDIDATES = ("seasonal_naive", "four_week_mean", "recent_weeks", "profile")
YARDSTICK = "four_week_mean"
# not averaged with others: seasonal naive is one noisy week
SINGLE_ONLY = ("seasonal_naive",)
MIN_FOLDS = 2
PROPHET_MIN_DAYS = 365


class AutoModel(Model):
    """Backtest each candidate on up to the last `folds` weeks of history (one week ahead
    each, refitted before each), score every candidate and every equal-weight
    combination of two or more of them by pooled interval-level WAPE, and keep the
    lowest among those that are no worse than the four-week mean (the planner's
    spreadsheet average), which is always an option. On special days of the horizon
    (events, holidays, days off, the days after a long break) every forecast but the
    yardsticks' takes the `profile` model's, which learns them from past occurrences.

    The 80% band comes from the kept forecast's own backtest errors (variance
    a * mean + b * mean**2 fitted to them). With fewer than two weeks to backtest
    (under about five weeks of history), the daily-profile model is used and a note
    says so. Prophet is a candidate only when named and with a year of history.
    """

    name = "auto"

    def __init__(self, candidates: tuple[str, ...] = AUTO_CANDIDATES, folds: int = 6,
                 days: int = 7) -> None:
        self.candidates = candidates
        self.folds = folds
        self.days = days

    def options(self, names: list[str]) -> list[tuple[str, ...]]:
        """Single candidates, then combinations of 2+ candidates that may be averaged."""
        out = [(n,) for n in names]
        pool = [n for n in names if n not in SINGLE_ONLY]
        for k in range(2, len(pool) + 1):
            out.extend(combinations(pool, k))
        return out

    def fit(self, history: pd.DataFrame, calendar: Calendar | None = None,
            minutes: int | None = None) -> AutoModel:
        from forecasting.backtest import rolling_cutoffs
        from forecasting.history import interval_minutes
        from forecasting.models import make_model

        minutes = minutes or interval_minutes(history)
        queue = str(history["queue"].iloc[0]) if "queue" in history.columns else "queue"
        days_of_history = history["interval_start"].dt.normalize().nunique()
        span = (history["interval_start"].max() - history["interval_start"].min()).days
        names = [c for c in self.candidates if c != "prophet" or span >= PROPHET_MIN_DAYS]
        if YARDSTICK not in names:
            names.insert(0, YARDSTICK)
        self.notes_: list[str] = []
        self.scores_: dict[str, float] = {}
        folds = min(self.folds, (days_of_history - 21) // 7)
        forecasts: dict[str, list[np.ndarray]] = {}
        actuals: list[np.ndarray] = []
        specials: list[np.ndarray] = []
        if folds >= MIN_FOLDS:
            cutoffs = rolling_cutoffs(history, self.days, folds)
            for cutoff in cutoffs:
                train = history[history["interval_start"] < cutoff]
                test = history[(history["interval_start"] >= cutoff)
                               & (history["interval_start"]
                                  < cutoff + pd.Timedelta(days=self.days))]
                if test.empty:
                    continue
                fold: dict[str, np.ndarray] = {}
                for name in names:
                    try:
                        candidate = make_model(name)
                        candidate.band_weeks = 0  # scoring needs the point forecast only
                        pred = candidate.fit(train, calendar, minutes=minutes).predict(
                            cutoff, self.days)
                    except ModelError:
                        continue
                    fold[name] = test[["interval_start"]].merge(
                        pred[["interval_start", "contacts"]], on="interval_start",
                        how="left")["contacts"].fillna(0.0).to_numpy()
                if YARDSTICK not in fold:
                    continue
                for name in names:
                    forecasts.setdefault(name, []).append(fold.get(name))
                actuals.append(test["contacts"].to_numpy(dtype=float))
                day = pd.DatetimeIndex(test["interval_start"]).normalize()
                dates = pd.DatetimeIndex(day.unique())
                flag = dict(zip(dates, special_days(calendar, dates), strict=True))
                specials.append(np.array([flag[d] for d in day], dtype=bool))
        chosen: tuple[str, ...] = ("profile",)
        band = None
        if actuals:
            actual = np.concatenate(actuals)
            special = np.concatenate(specials)
            usable = [n for n in names if all(f is not None for f in forecasts[n])]
            joined = {n: np.concatenate(forecasts[n]) for n in usable}
            event = joined.get(EVENT_MODEL) if calendar is not None else None
            scored: dict[tuple[str, ...], tuple[float, np.ndarray]] = {}
            for option in self.options(usable):
                mean = np.mean([joined[n] for n in option], axis=0)
                if event is not None and option not in ((YARDSTICK,), ("seasonal_naive",)):
                    mean = np.where(special, event, mean)
                scored[option] = (float(np.abs(actual - mean).sum()
                                        / max(actual.sum(), 1e-12)), mean)
            self.scores_ = {"+".join(k): v[0] for k, v in scored.items()}
            limit = scored[(YARDSTICK,)][0]
            allowed = {k: v for k, v in scored.items() if v[0] <= limit}
            chosen = min(allowed, key=lambda k: (allowed[k][0], len(k)))
            band = fit_band(allowed[chosen][1], actual)
            ranking = ", ".join(f"{k} {v:.1%}" for k, v in sorted(
                self.scores_.items(), key=lambda kv: kv[1])[:5])
            lost = sorted(k for k, v in self.scores_.items() if v > limit)
            self.notes_.append(
                f"queue {queue}: auto chose {'+'.join(chosen)} (WAPE over the last "
                f"{len(actuals)} weeks, best first: {ranking}"
                + (f"; not kept, worse than the four-week mean: {', '.join(lost)}"
                   if lost else "") + ")")
        else:
            self.notes_.append(f"queue {queue}: {days_of_history} day(s) of history is too "
                               f"little to backtest models; auto uses profile")
        try:
            model = self._fit_chosen(chosen, history, calendar, minutes, band)
        except ModelError as exc:
            if chosen == ("seasonal_naive",):
                raise
            self.notes_.append(f"queue {queue}: {exc}; falling back to seasonal_naive")
            chosen = ("seasonal_naive",)
            model = make_model("seasonal_naive").fit(history, calendar, minutes=minutes)
        self.chosen_ = model
        self.chosen_name_ = "+".join(chosen)
        self.band_ = band
        self.grid_ = model.grid_
        self.own_notes_ = self.notes_
        self.notes_ = [*self.own_notes_, *model.notes_]
        return self

    def _fit_chosen(self, chosen: tuple[str, ...], history: pd.DataFrame,
                    calendar: Calendar | None, minutes: int,
                    band: tuple[float, float] | None) -> Model:
        from forecasting.models import make_model

        yardstick = chosen in ((YARDSTICK,), ("seasonal_naive",))
        if len(chosen) == 1 and (yardstick or calendar is None or chosen[0] == EVENT_MODEL):
            model = make_model(chosen[0])
            if band is not None:
                model.band_weeks = 0  # the band comes from auto's backtest
            model.fit(history, calendar, minutes=minutes)
            if band is not None:
                model.band_ = band
                model.notes_ = [n for n in model.notes_ if BAND_NOTE not in n]
            return model
        members = chosen if EVENT_MODEL in chosen or calendar is None else (
            *chosen, EVENT_MODEL)
        combo = Combination(members, band=band)
        try:
            combo.fit(history, calendar, minutes=minutes)
        except ModelError:
            if members == chosen:
                raise
            combo = Combination(chosen, band=band).fit(history, calendar, minutes=minutes)
        # profile may be there for the special days only: the mean is over the chosen
        combo.members = chosen
        return combo

    def predict(self, start: str | pd.Timestamp, days: int, level: float = 80) -> pd.DataFrame:
        if not hasattr(self, "chosen_"):
            raise ModelError("auto: call fit before predict")
        out = self.chosen_.predict(start, days, level)
        self.notes_ = [*self.own_notes_, *self.chosen_.notes_]
        return out
