"""`auto`: pick the model per queue by a rolling-origin backtest on the queue's own history."""

from __future__ import annotations

import pandas as pd

from forecasting.calendar import Calendar
from forecasting.models.base import Model, ModelError

AUTO_CANDIDATES = ("seasonal_naive", "weekday_mean", "profile", "prophet")
PROPHET_MIN_DAYS = 365


class AutoModel(Model):
    """Backtest each candidate on the last `folds` weeks (one week ahead each), keep the
    lowest interval-level WAPE, refit it on all history.

    Prophet is a candidate only with at least a year of history (where its yearly
    seasonality and holiday effects can pay for its fit time), and is chosen only
    when it beats the best other candidate by `prophet_margin` (3%) of WAPE; it is
    scored last, newest fold first, and dropped at the first fold where it does not
    beat the best faster model by that margin (it could not be chosen anyway unless
    later folds made up for it, which is rare, and its fits are the slow part). With too little
    history for a backtest, the daily-profile model is used and a note says so.
    """

    name = "auto"

    def __init__(self, candidates: tuple[str, ...] = AUTO_CANDIDATES, folds: int = 3,
                 days: int = 7, prophet_margin: float = 0.03) -> None:
        self.candidates = candidates
        self.folds = folds
        self.days = days
        self.prophet_margin = prophet_margin

    def fit(self, history: pd.DataFrame, calendar: Calendar | None = None,
            minutes: int | None = None) -> AutoModel:
        from forecasting.backtest import rolling_cutoffs
        from forecasting.history import interval_minutes
        from forecasting.models import make_model

        minutes = minutes or interval_minutes(history)
        queue = str(history["queue"].iloc[0]) if "queue" in history.columns else "queue"
        days_of_history = history["interval_start"].dt.normalize().nunique()
        span = (history["interval_start"].max() - history["interval_start"].min()).days
        candidates = [c for c in self.candidates
                      if c != "prophet" or span >= PROPHET_MIN_DAYS]
        self.notes_: list[str] = []
        self.scores_: dict[str, float] = {}
        cutoffs = rolling_cutoffs(history, self.days, self.folds)
        if days_of_history >= 14 + 7 * self.folds:
            fold_errors: dict[str, dict[pd.Timestamp, tuple[float, float]]] = {}
            # Prophet last and on the newest fold first: it races the best other model
            # and stops as soon as one fold shows it will not win by the margin
            order = [c for c in candidates if c != "prophet"] + (
                ["prophet"] if "prophet" in candidates else [])
            for name in order:
                folds = list(reversed(cutoffs)) if name == "prophet" else cutoffs
                errors, actual_sum = 0.0, 0.0
                try:
                    for cutoff in folds:
                        train = history[history["interval_start"] < cutoff]
                        test = history[(history["interval_start"] >= cutoff)
                                       & (history["interval_start"]
                                          < cutoff + pd.Timedelta(days=self.days))]
                        candidate = make_model(name)
                        candidate.band_weeks = 0  # scoring needs the point forecast only
                        pred = candidate.fit(train, calendar, minutes=minutes).predict(
                            cutoff, self.days)
                        merged = test[["interval_start", "contacts"]].merge(
                            pred[["interval_start", "contacts"]], on="interval_start",
                            how="left", suffixes=("", "_f")).fillna({"contacts_f": 0.0})
                        fold_actual = float(merged["contacts"].sum())
                        fold_error = float((merged["contacts"] - merged["contacts_f"])
                                           .abs().sum())
                        fold_errors.setdefault(name, {})[cutoff] = (fold_error, fold_actual)
                        errors += fold_error
                        actual_sum += fold_actual
                        if name == "prophet" and self._prophet_loses(fold_errors, cutoff):
                            self.notes_.append(
                                f"queue {queue}: prophet left out after the week from "
                                f"{cutoff.date()} (not {self.prophet_margin:.0%} better "
                                "than the best faster model there)")
                            actual_sum = 0.0
                            break
                except ModelError:
                    continue
                if actual_sum > 0:
                    self.scores_[name] = errors / actual_sum
        why = ""
        if self.scores_:
            chosen = min(self.scores_, key=self.scores_.get)
            others = {k: v for k, v in self.scores_.items() if k != "prophet"}
            if chosen == "prophet" and others and (
                    self.scores_["prophet"] > (1 - self.prophet_margin) * min(others.values())):
                chosen = min(others, key=others.get)
                why = (f"; prophet is less than {self.prophet_margin:.0%} better, so the "
                       "faster model is kept")
            ranking = ", ".join(f"{k} {v:.1%}" for k, v in
                                sorted(self.scores_.items(), key=lambda kv: kv[1]))
            self.notes_.append(f"queue {queue}: auto chose {chosen} (WAPE over the last "
                               f"{self.folds} weeks: {ranking}){why}")
        else:
            chosen = "profile"
            self.notes_.append(f"queue {queue}: {days_of_history} day(s) of history is too "
                               f"little to backtest models; auto uses {chosen}")
        try:
            model = make_model(chosen).fit(history, calendar, minutes=minutes)
        except ModelError as exc:
            if chosen == "seasonal_naive":
                raise
            self.notes_.append(f"queue {queue}: {exc}; falling back to seasonal_naive")
            chosen = "seasonal_naive"
            model = make_model(chosen).fit(history, calendar, minutes=minutes)
        self.chosen_ = model
        self.chosen_name_ = chosen
        self.grid_ = model.grid_
        self.own_notes_ = self.notes_
        self.notes_ = [*self.own_notes_, *model.notes_]
        return self

    def _prophet_loses(self, fold_errors: dict, cutoff: pd.Timestamp) -> bool:
        """Whether Prophet's error on this fold is not `prophet_margin` below the best
        faster candidate's on the same fold."""
        others = [v[cutoff][0] for k, v in fold_errors.items()
                  if k != "prophet" and cutoff in v]
        if not others:
            return False
        return fold_errors["prophet"][cutoff][0] > (1 - self.prophet_margin) * min(others)

    def predict(self, start: str | pd.Timestamp, days: int, level: float = 80) -> pd.DataFrame:
        if not hasattr(self, "chosen_"):
            raise ModelError("auto: call fit before predict")
        out = self.chosen_.predict(start, days, level)
        self.notes_ = [*self.own_notes_, *self.chosen_.notes_]
        return out


