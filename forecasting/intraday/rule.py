"""The learnt rule of one queue (`IntradayRule`), its tuning constants and the
arithmetic it is made of: capped actuals, the morning's ratios, events and the
regression's design rows."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

STRENGTHS = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.5, 5.0, math.inf)
HALFLIVES = (None, 3.0, 1.5)
BASELINE_WEEKS = 4
FIT_DAYS = 70
DEFAULT_STRENGTH = 0.5
EVENT_HOURS = 2.0
EVENT_THRESHOLD = 3.0
EVENT_MIN_CONTACTS = 30.0
RECENT_HOURS = (0.5, 2.0)
TAUS = (1.0, 2.0, 4.0)
RIDGES = (0.0, 0.01, 0.1, 1.0)
MAX_LOG_FACTOR = math.log(3.0)
EVENT_THRESHOLDS = (EVENT_THRESHOLD, 4.0, 6.0, math.inf)
EVENT_PRIOR_DAYS = 5.0


@dataclass(frozen=True)
class IntradayRule:
    """How one queue's morning deviation carries to the rest of the day and next days."""

    queue: str
    strength: float = DEFAULT_STRENGTH
    halflife_hours: float | None = None
    carry: float = 0.0
    event_sd: float = math.inf
    days: int = 0
    wape_forecast: float = math.nan
    wape_reforecast: float = math.nan
    coef: tuple[float, ...] | None = None  # the learnt regression (see `design_rows`)
    tau_hours: float = 2.0
    event_threshold: float = EVENT_THRESHOLD  # robust sds beyond which an event is called
    opening_threshold: float = EVENT_THRESHOLD  # the same for the day's first hours
    event_follow: float = 1.0  # share of an event's log ratio the rest of the day keeps

    def threshold(self, opening: bool) -> float:
        """The event threshold for a window with (False) or without (True, the day's
        first hours) a morning before it."""
        return self.opening_threshold if opening else self.event_threshold

    def weight(self, share: float) -> float:
        """Weight given to the morning's ratio when `share` of the day has been seen."""
        if not math.isfinite(self.strength) or share <= 0:
            return 0.0
        return share / (share + self.strength)


def _capped(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Actuals with each interval capped near the median interval ratio, so that one
    noisy interval cannot swing the day."""
    busy = expected > 0
    med = float(np.median(actual[busy] / expected[busy])) if busy.any() else 1.0
    cap = max(2.0 * med, 1.5) * expected + 3.0 * np.sqrt(expected) + 2.0
    return np.minimum(actual, cap)


def morning_ratio(actual: np.ndarray, expected: np.ndarray, ages_hours: np.ndarray,
             day_total: float, halflife: float | None) -> tuple[float, float]:
    """(raw ratio, weighted elapsed share) of a morning's finished intervals."""
    if day_total <= 0 or expected.sum() <= 0:
        return 1.0, 0.0
    a = _capped(actual, expected)
    w = np.ones_like(expected) if halflife is None else 0.5 ** (ages_hours / halflife)
    f = float((w * expected).sum())
    if f <= 0:
        return 1.0, 0.0
    return float((w * a).sum()) / f, f / day_total


def event_ratio(actual: np.ndarray, expected: np.ndarray, per_hour: float,
                 steady: bool = True) -> float | None:
    """The ratio of the last `EVENT_HOURS` of finished intervals (capped), or None when
    they expect too few contacts to tell or, with `steady`, when the deviation does not
    hold through both halves of the window (each at least half of it, on the same
    side: a surge or an outage lasts, a spike does not) or is no break from the
    morning before the window (a day running high all along is the regression's)."""
    n = max(1, int(round(EVENT_HOURS * per_hour)))
    a, f = _capped(actual[-n:], expected[-n:]), expected[-n:]
    if f.sum() < EVENT_MIN_CONTACTS:
        return None
    ratio = float(a.sum() / f.sum())
    if steady and n >= 2:
        k = n // 2
        halves = [float(a[:k].sum() / f[:k].sum()) if f[:k].sum() > 0 else 1.0,
                  float(a[k:].sum() / f[k:].sum()) if f[k:].sum() > 0 else 1.0]
        if any((h - 1.0) * np.sign(ratio - 1.0) < 0.5 * abs(ratio - 1.0) for h in halves):
            return None
        a0, f0 = _capped(actual[:-n], expected[:-n]), expected[:-n]
        before = float(a0.sum() / f0.sum()) if f0.sum() >= EVENT_MIN_CONTACTS else 1.0
        if abs(ratio - before) < 0.5 * abs(ratio - 1.0):
            return None
    return ratio


def opens_day(expected: np.ndarray, per_hour: float) -> bool:
    """Whether the last `EVENT_HOURS` come too early in the day to be a break from a
    morning: fewer open intervals before them than in them, or too few contacts
    expected there. Such a deviation tells the day's level as much as an event, and
    the history says separately how far it lasts."""
    n = max(1, int(round(EVENT_HOURS * per_hour)))
    before = expected[:-n]
    return int((before > 0).sum()) < n or float(before.sum()) < EVENT_MIN_CONTACTS


def is_event(recent: float | None, sd: float, threshold: float = EVENT_THRESHOLD) -> bool:
    return (recent is not None and math.isfinite(sd) and math.isfinite(threshold)
            and abs(recent - 1.0) > threshold * sd)


def _log_ratio(actual: np.ndarray, expected: np.ndarray) -> float:
    return math.log((float(actual.sum()) + 1.0) / (float(expected.sum()) + 1.0))


def morning_features(actual: np.ndarray, expected: np.ndarray, per_hour: float) -> np.ndarray:
    """The morning's log actual-to-forecast ratios (capped actuals): the whole morning,
    then each of the `RECENT_HOURS` windows before now."""
    a = _capped(actual, expected) if len(actual) else actual
    out = [_log_ratio(a, expected)]
    for hours in RECENT_HOURS:
        n = max(1, int(round(hours * per_hour)))
        out.append(_log_ratio(a[-n:], expected[-n:]))
    return np.array(out)


def design_rows(features: np.ndarray, ahead_hours: np.ndarray, tau: float) -> np.ndarray:
    """One row per later interval: the morning's log ratio, and each recent window's
    split into a part that fades with the hours ahead, exp(-h / tau), and the rest:
    the last half hour tells the next hour more than the evening."""
    fade = np.exp(-np.asarray(ahead_hours, float) / tau)
    cols = [np.full(len(fade), features[0])]
    for x in features[1:]:
        cols += [x * fade, x * (1.0 - fade)]
    return np.column_stack(cols)


def log_factor(design: np.ndarray, coef: np.ndarray) -> np.ndarray:
    return np.clip(design @ coef, -MAX_LOG_FACTOR, MAX_LOG_FACTOR)
