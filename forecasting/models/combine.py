"""Forecast combinations: the equal-weight mean of a few fitted models.

On real contact-centre series the mean of two or three sound forecasts is often
better than any one of them (their errors are partly independent). `auto` scores
the combinations of its candidates in its backtest and may keep one; a
`Combination` is also usable by name (`combination`, default members
`recent_weeks` and `profile`).

Special days (event and holiday windows, days off, the days after a long break)
are taken from `profile` alone when it is a member and a calendar is given: it is
the model that learns event uplifts and holiday closures from past occurrences.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasting.calendar import Calendar, break_table, window_keys
from forecasting.models.base import Model, ModelError
from forecasting.models.day_kinds import after_day_off

EVENT_MODEL = "profile"
BAND_NOTE = "errors; band assumes count noise only"


def special_days(calendar: Calendar | None, dates: pd.DatetimeIndex) -> np.ndarray:
    """Boolean per day: in an event or holiday window, a day off, a make-up working day,
    one of the two working days after a long break or the working day after a single
    day off."""
    dates = pd.DatetimeIndex(dates).normalize()
    if calendar is None or not len(dates):
        return np.zeros(len(dates), dtype=bool)
    table = break_table(calendar, dates)
    span = pd.date_range(dates.min() - pd.Timedelta(days=1), dates.max(), freq="D")
    after_off = after_day_off(break_table(calendar, span))[np.searchsorted(span, dates)]
    out = (table["day_off"].to_numpy(dtype=bool) | table["makeup"].to_numpy(dtype=bool)
           | (table["after_break"].to_numpy() > 0) | after_off)
    return out | np.array([bool(w) for w in window_keys(calendar, dates)], dtype=bool)


def combine_frames(frames: Sequence[pd.DataFrame], special: np.ndarray | None = None,
                   event_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean of the members' forecast frames (same interval_start rows); on rows where
    `special` is true, the `event_frame` (the event model's forecast) instead."""
    out = frames[0].copy()
    for col in ("contacts", "contacts_lo", "contacts_hi"):
        out[col] = np.mean([f[col].to_numpy() for f in frames], axis=0)
    if special is not None and event_frame is not None and special.any():
        for col in ("contacts", "contacts_lo", "contacts_hi"):
            out.loc[special, col] = event_frame.loc[special, col].to_numpy()
    return out


class Combination(Model):
    """Equal-weight mean of `members` (model names), each fitted on the same history;
    the band is the mean of the members' bands unless `band` (a, b: variance
    a * mean + b * mean**2, as `fit_band`) is given, as `auto` does from its backtest.
    With a calendar, special days take `profile`'s forecast when it is among the fitted
    models; `auto` fits it alongside and then narrows `members` to what it chose, so
    that `profile` serves the special days only."""

    name = "combination"

    def __init__(self, members: Sequence[str] = ("recent_weeks", "profile"),
                 band: tuple[float, float] | None = None) -> None:
        self.members = tuple(members)
        self.band = band

    def fit(self, history: pd.DataFrame, calendar: Calendar | None = None,
            minutes: int | None = None) -> Combination:
        from forecasting.models import make_model

        if not self.members:
            raise ModelError("combination: no member models given")
        self.models_: dict[str, Model] = {}
        for name in self.members:
            model = make_model(name)
            if self.band is not None:
                model.band_weeks = 0  # the band is given: members' own bands are not used
            self.models_[name] = model.fit(history, calendar, minutes=minutes)
            if self.band is not None:
                model.notes_ = [n for n in model.notes_ if BAND_NOTE not in n]
        self.event_model_ = None
        if calendar is not None and EVENT_MODEL in self.models_:
            self.event_model_ = self.models_[EVENT_MODEL]
        self.calendar_ = calendar
        first = self.models_[self.members[0]]
        self.grid_ = first.grid_
        self.notes_ = [n for m in self.models_.values() for n in m.notes_]
        self.notes_ = list(dict.fromkeys(self.notes_))
        return self

    def predict(self, start: str | pd.Timestamp, days: int, level: float = 80) -> pd.DataFrame:
        from scipy.stats import norm

        if not hasattr(self, "models_"):
            raise ModelError("combination: call fit before predict")
        frames = {n: m.predict(start, days, level) for n, m in self.models_.items()}
        special = None
        event_frame = None
        if self.event_model_ is not None and self.members != (EVENT_MODEL,):
            special = np.repeat(special_days(self.calendar_, pd.date_range(
                pd.Timestamp(start).normalize(), periods=int(days), freq="D")),
                self.grid_.per_day)
            event_frame = frames[EVENT_MODEL]
        out = combine_frames([frames[n] for n in self.members], special, event_frame)
        if self.band is not None:
            a, b = self.band
            mean = out["contacts"].to_numpy()
            sd = np.sqrt(np.clip(a * mean + b * mean * mean, 0.0, None))
            z = float(norm.ppf(0.5 + level / 200))
            out["contacts_lo"] = np.where(mean > 0, np.clip(mean - z * sd, 0.0, None), 0.0)
            out["contacts_hi"] = np.where(mean > 0, mean + z * sd, 0.0)
        self.notes_ = list(dict.fromkeys(n for m in self.models_.values() for n in m.notes_))
        return out
