"""Intraday reforecast: the rest of today and the next days from what has arrived so far.

The learnt rule, per queue: each later interval's forecast is multiplied by
`exp(b . x)`, where `x` holds the morning's log actual-to-forecast ratios (the whole
morning; the last half hour and the last two hours, each split into a part that fades
with the hours ahead, `exp(-h / tau)`, and a part that does not). `b` is a weighted
least-squares regression of each later interval's log ratio on the same quantities
over the history's days cut at every hour, weighted by the forecast and shrunk
towards 0 (no correction): empirical Bayes in effect, the history says how far the
morning is to be believed, and the shrinkage and `tau` are chosen on the last third
of the days (no correction at all is one of the candidates). The next days get the
day's implied ratio carried at the history's day-to-day persistence,
`1 + carry**k x (ratio - 1)` on day k.

An event (a surge, an outage): when the last two hours run further from the forecast
than `event_threshold` robust standard deviations of the history's two-hour ratios
(`event_sd`), steadily through both hours and as a break from the morning before,
the rest of the day follows those two hours instead (without the history's
deviations to go by, `event_sd` is Poisson noise alone). The threshold is learnt too
(3, 4, 6 or never): where the history's steady bursts faded, following them costs
accuracy, and the lowest threshold that costs under 0.5% is kept.

Without enough history for the regression the older level rule is used: the morning's
ratio `r` shrunk by the elapsed share `s` of the day's forecast,
`1 + s / (s + strength) x (r - 1)` (`strength` backtested on the history); AHT follows
it. The history's stand-in for the week-ahead forecast is the median of the same
weekday over the weeks before (or `past_forecasts`, forecasts once made), and days
whose total is far off it (holidays a calendar knows) are left out of the fit. One
noisy interval cannot swing the day: each interval's actual is capped near the median
interval ratio before the ratios are taken.

Frames: actuals (`queue, interval_start, contacts`, optional `aht_seconds`, `answered`,
`abandoned`) in; the reforecast frame (`REFORECAST_COLUMNS`: the forecast columns,
so it feeds staffing and projection unchanged, plus `forecast_contacts`,
`actual_contacts`, `ratio`, `source`) out.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

ACTUALS_COLUMNS = ("queue", "interval_start", "contacts")
ACTUALS_OPTIONAL = ("aht_seconds", "answered", "abandoned")
REFORECAST_COLUMNS = (
    "queue", "interval_start", "contacts", "contacts_lo", "contacts_hi", "aht_seconds",
    "model", "forecast_contacts", "actual_contacts", "ratio", "source",
)
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


class IntradayInputError(ValueError):
    """Actuals, forecast or `now` that cannot be used; the message names the row (as a
    spreadsheet shows it: the header is row 1) and the column where there is one."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None,
                 source: str = "actuals"):
        where = ", ".join(p for p in (f"row {row}" if row is not None else "",
                                      f"column {column}" if column else "") if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.row = row
        self.column = column
        self.source = source  # which input: actuals, forecast, history or now


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
    coef: tuple[float, ...] | None = None  # the learnt regression (see `_design`)
    tau_hours: float = 2.0
    event_threshold: float = EVENT_THRESHOLD  # robust sds beyond which an event is called

    def weight(self, share: float) -> float:
        """Weight given to the morning's ratio when `share` of the day has been seen."""
        if not math.isfinite(self.strength) or share <= 0:
            return 0.0
        return share / (share + self.strength)


@dataclass
class Reforecast:
    """The reforecast frame, the per-queue figures behind it and what was assumed."""

    frame: pd.DataFrame
    summary: pd.DataFrame
    notes: list[str] = field(default_factory=list)


# validation ----------------------------------------------------------------------------

def _row(i: int) -> int:
    return int(i) + 2  # header is row 1


def parse_now(now: str | pd.Timestamp) -> pd.Timestamp:
    """`now` as a timestamp; refuses text that is not a date and time."""
    try:
        stamp = pd.Timestamp(now)
    except (ValueError, TypeError):
        raise IntradayInputError(f"now {now!r} is not a date and time 'YYYY-MM-DD HH:MM'",
                                 source="now") from None
    if stamp is pd.NaT:
        raise IntradayInputError(f"now {now!r} is not a date and time 'YYYY-MM-DD HH:MM'",
                                 source="now")
    return stamp


def forecast_interval_minutes(forecast: pd.DataFrame, source: str = "forecast") -> int:
    """The frame's interval length in minutes (the smallest step within a queue)."""
    frame = pd.DataFrame({"queue": forecast["queue"].astype(str),
                          "t": pd.to_datetime(forecast["interval_start"])})
    steps = frame.sort_values(["queue", "t"]).groupby("queue")["t"].diff().dropna()
    steps = steps[steps > pd.Timedelta(0)]
    if steps.empty:
        raise IntradayInputError("no queue has two intervals, so the interval length is "
                                 "unknown", source=source)
    return int(steps.min() / pd.Timedelta(minutes=1))


def check_forecast(forecast: pd.DataFrame) -> pd.DataFrame:
    """The forecast with typed columns; refuses missing columns or unreadable rows."""
    need = ("queue", "interval_start", "contacts", "aht_seconds")
    missing = [c for c in need if c not in forecast.columns]
    if missing:
        raise IntradayInputError(f"missing column(s) {missing}; expected {list(need)}",
                                 source="forecast")
    out = forecast.copy()
    out["queue"] = out["queue"].astype(str)
    stamps = pd.to_datetime(out["interval_start"], errors="coerce")
    if stamps.isna().any():
        i = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise IntradayInputError(f"{out['interval_start'].iloc[i]!r} is not a date and time",
                                 _row(i), "interval_start", source="forecast")
    out["interval_start"] = stamps
    for col in ("contacts", "aht_seconds", "contacts_lo", "contacts_hi"):
        if col not in out.columns:
            out[col] = out["contacts"] if col != "aht_seconds" else 0.0
        values = pd.to_numeric(out[col], errors="coerce")
        bad = ~(values >= 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise IntradayInputError(f"{out[col].iloc[i]!r} is not a number >= 0", _row(i), col,
                                     source="forecast")
        out[col] = values.astype(float)
    if "model" not in out.columns:
        out["model"] = "forecast"
    return out.sort_values(["queue", "interval_start"], ignore_index=True)


def check_actuals(actuals: pd.DataFrame, forecast: pd.DataFrame, now: pd.Timestamp,
                  interval_minutes: int) -> pd.DataFrame:
    """The actuals with typed columns, refusing what cannot be today's finished intervals
    of the forecast's queues: unknown queues, intervals not finished at `now` or not on
    `now`'s day, another interval length, duplicates, counts that are not numbers >= 0.
    Errors name the row (header = row 1) and column."""
    missing = [c for c in ACTUALS_COLUMNS if c not in actuals.columns]
    if missing:
        raise IntradayInputError(f"missing column(s) {missing}; the actuals need "
                                 f"{list(ACTUALS_COLUMNS)} and may have "
                                 f"{list(ACTUALS_OPTIONAL)}")
    out = actuals.copy().reset_index(drop=True)
    out["queue"] = out["queue"].astype(str).str.strip()
    known = set(forecast["queue"])
    unknown = ~out["queue"].isin(known)
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise IntradayInputError(f"unknown queue {out['queue'].iloc[i]!r}; the forecast has "
                                 f"{sorted(known)}", _row(i), "queue")
    stamps = pd.to_datetime(out["interval_start"], errors="coerce")
    if stamps.isna().any():
        i = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise IntradayInputError(f"{out['interval_start'].iloc[i]!r} is not a date and time "
                                 "'YYYY-MM-DD HH:MM'", _row(i), "interval_start")
    out["interval_start"] = stamps
    length = pd.Timedelta(minutes=interval_minutes)
    late = (stamps + length) > now
    if late.any():
        i = int(np.flatnonzero(late.to_numpy())[0])
        raise IntradayInputError(
            f"interval {stamps.iloc[i]:%Y-%m-%d %H:%M} is not over at now "
            f"({now:%Y-%m-%d %H:%M}); actuals are for finished intervals only",
            _row(i), "interval_start")
    other_day = stamps.dt.normalize() != now.normalize()
    if other_day.any():
        i = int(np.flatnonzero(other_day.to_numpy())[0])
        raise IntradayInputError(f"interval {stamps.iloc[i]:%Y-%m-%d %H:%M} is not on the "
                                 f"day of now ({now:%Y-%m-%d})", _row(i), "interval_start")
    minute = stamps.dt.hour * 60 + stamps.dt.minute
    off = (minute % interval_minutes != 0) | (stamps.dt.second != 0)
    if off.any():
        i = int(np.flatnonzero(off.to_numpy())[0])
        raise IntradayInputError(
            f"interval {stamps.iloc[i]:%H:%M} does not start on a {interval_minutes}-minute "
            f"boundary; the actuals must use the forecast's {interval_minutes}-minute "
            "intervals", _row(i), "interval_start")
    order = out.sort_values(["queue", "interval_start"], kind="stable")
    steps = order.groupby("queue")["interval_start"].diff()
    if len(order) >= 3 and order["queue"].duplicated().any():
        smallest = steps[steps > pd.Timedelta(0)].min()
        if pd.notna(smallest) and smallest != length:
            i = int(steps[steps == smallest].index[0])
            raise IntradayInputError(
                f"the actuals use {int(smallest / pd.Timedelta(minutes=1))}-minute intervals; "
                f"the forecast uses {interval_minutes}-minute intervals", _row(i),
                "interval_start")
    dup = out.duplicated(["queue", "interval_start"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise IntradayInputError(f"queue {out['queue'].iloc[i]} has interval "
                                 f"{stamps.iloc[i]:%H:%M} twice", _row(i), "interval_start")
    for col in ("contacts", *[c for c in ACTUALS_OPTIONAL if c in out.columns]):
        values = pd.to_numeric(out[col], errors="coerce")
        bad = ~(values >= 0) if col == "contacts" else (values < 0) | (
            values.isna() & out[col].notna())
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise IntradayInputError(f"{out[col].iloc[i]!r} is not a number >= 0",
                                     _row(i), col)
        out[col] = values.astype(float)
    return out


# the rule ------------------------------------------------------------------------------

def _capped(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Actuals with each interval capped near the median interval ratio, so that one
    noisy interval cannot swing the day."""
    busy = expected > 0
    med = float(np.median(actual[busy] / expected[busy])) if busy.any() else 1.0
    cap = max(2.0 * med, 1.5) * expected + 3.0 * np.sqrt(expected) + 2.0
    return np.minimum(actual, cap)


def _morning(actual: np.ndarray, expected: np.ndarray, ages_hours: np.ndarray,
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


def _event_ratio(actual: np.ndarray, expected: np.ndarray, per_hour: float,
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


def _event(recent: float | None, sd: float, threshold: float = EVENT_THRESHOLD) -> bool:
    return (recent is not None and math.isfinite(sd) and math.isfinite(threshold)
            and abs(recent - 1.0) > threshold * sd)


def _log_ratio(actual: np.ndarray, expected: np.ndarray) -> float:
    return math.log((float(actual.sum()) + 1.0) / (float(expected.sum()) + 1.0))


def _features(actual: np.ndarray, expected: np.ndarray, per_hour: float) -> np.ndarray:
    """The morning's log actual-to-forecast ratios (capped actuals): the whole morning,
    then each of the `RECENT_HOURS` windows before now."""
    a = _capped(actual, expected) if len(actual) else actual
    out = [_log_ratio(a, expected)]
    for hours in RECENT_HOURS:
        n = max(1, int(round(hours * per_hour)))
        out.append(_log_ratio(a[-n:], expected[-n:]))
    return np.array(out)


def _design(features: np.ndarray, ahead_hours: np.ndarray, tau: float) -> np.ndarray:
    """One row per later interval: the morning's log ratio, and each recent window's
    split into a part that fades with the hours ahead, exp(-h / tau), and the rest:
    the last half hour tells the next hour more than the evening."""
    fade = np.exp(-np.asarray(ahead_hours, float) / tau)
    cols = [np.full(len(fade), features[0])]
    for x in features[1:]:
        cols += [x * fade, x * (1.0 - fade)]
    return np.column_stack(cols)


def _log_factor(design: np.ndarray, coef: np.ndarray) -> np.ndarray:
    return np.clip(design @ coef, -MAX_LOG_FACTOR, MAX_LOG_FACTOR)


def _stack(cases: list, tau: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(design, log ratio, weight = forecast, actual) over the later intervals of cases."""
    busy = [(a[f > 0], f[f > 0], h[f > 0], x) for a, f, h, x in cases]
    busy = [c for c in busy if len(c[1])]
    if not busy:
        return np.zeros((0, 1 + 2 * len(RECENT_HOURS))), *(np.zeros(0),) * 3
    x = np.vstack([_design(feat, h, tau) for _a, _f, h, feat in busy])
    a = np.concatenate([c[0] for c in busy])
    f = np.concatenate([c[1] for c in busy])
    return x, np.log((a + 1.0) / (f + 1.0)), f, a


def _solve_weighted(x: np.ndarray, y: np.ndarray, w: np.ndarray, ridge: float) -> np.ndarray:
    """Weighted least squares shrunk towards 0 (no correction) by `ridge`, relative to
    the data's own scale."""
    xw = x * w[:, None]
    gram = x.T @ xw
    scale = float(np.trace(gram)) / max(1, gram.shape[0])
    return np.linalg.solve(gram + (ridge * scale + 1e-9) * np.eye(gram.shape[0]), xw.T @ y)


def _fit_regression(cases: list, days: np.ndarray, recent: list[float | None], sd: float
                    ) -> tuple[tuple[float, ...], float, float] | None:
    """Learn how the morning's log ratios predict each later interval's (module doc):
    the fade `tau` and the shrinkage `ridge` are chosen on the last third of the days
    with the rest as training; None when no choice beats leaving the forecast alone
    there. The chosen form is then refitted on all days. The event threshold is the
    lowest of `EVENT_THRESHOLDS` that costs less than 0.5% more error there than the
    best one: an override the history shows to misfire is switched off."""
    order = np.unique(days)
    if len(order) < 9:
        return None
    late = days >= order[len(order) * 2 // 3]
    train = [c for c, k in zip(cases, late, strict=True) if not k]
    test = [c for c, k in zip(cases, late, strict=True) if k]
    best = (math.inf, None, None)
    for tau in TAUS:
        x, y, w, _ = _stack(train, tau)
        xt, _yt, ft, at = _stack(test, tau)
        if not len(y) or not len(at):
            return None
        if best[1] is None:
            best = (float(np.abs(at - ft).sum()), None, None)
        for ridge in RIDGES:
            coef = _solve_weighted(x, y, w, ridge)
            err = float(np.abs(at - ft * np.exp(_log_factor(xt, coef))).sum())
            if err < best[0] - 1e-9:
                best = (err, tau, ridge)
    if best[1] is None:
        return None
    x, y, w, _ = _stack(train, best[1])
    coef = _solve_weighted(x, y, w, best[2])
    late_recent = [r for r, k in zip(recent, late, strict=True) if k]
    errors = {}
    for k in EVENT_THRESHOLDS:
        errors[k] = sum(float(np.abs(a - f * (recent_ratio if _event(recent_ratio, sd, k) else
                                               np.exp(_log_factor(_design(feat, h, best[1]),
                                                                  coef)))).sum())
                        for (a, f, h, feat), recent_ratio in zip(test, late_recent, strict=True))
    threshold = min(k for k in EVENT_THRESHOLDS if errors[k] <= 1.005 * min(errors.values()))
    x, y, w, _ = _stack(cases, best[1])
    return (tuple(float(c) for c in _solve_weighted(x, y, w, best[2])), float(best[1]),
            float(threshold))


def _day_matrix(history: pd.DataFrame, queue: str, minutes: int
                ) -> tuple[pd.DatetimeIndex, np.ndarray]:
    rows = history[history["queue"] == queue]
    slot = ((rows["interval_start"].dt.hour * 60 + rows["interval_start"].dt.minute)
            // minutes).to_numpy()
    day = rows["interval_start"].dt.normalize()
    days = pd.DatetimeIndex(sorted(day.unique()))
    days = pd.date_range(days.min(), days.max(), freq="D")
    m = np.full((len(days), 1440 // minutes), np.nan)
    m[days.get_indexer(day), slot] = rows["contacts"].to_numpy(float)
    seen = ~np.isnan(m).all(axis=1)  # a day with data has no contacts where it has no rows
    m[seen] = np.nan_to_num(m[seen], nan=0.0)
    return days, m


def _baseline(m: np.ndarray, weeks: int) -> np.ndarray:
    """Each day's 'week-ahead' forecast: the median of the same weekday over the `weeks`
    weeks before it (NaN where fewer than two of them are known); the median, so that
    one event day among them does not shift the weeks after it."""
    past = np.full((weeks, *m.shape), np.nan)
    for k in range(1, weeks + 1):
        if len(m) > 7 * k:
            past[k - 1, 7 * k:] = m[:-7 * k]
    known = (~np.isnan(past)).sum(axis=0)
    with warnings.catch_warnings():  # all-NaN slices (too few weeks) are expected
        warnings.simplefilter("ignore", RuntimeWarning)
        median = np.nanmedian(past, axis=0)
    return np.where(known >= 2, median, np.nan)


def _fit_queue(queue: str, m: np.ndarray, minutes: int, fit_days: int,
               weeks: int, base: np.ndarray | None = None) -> IntradayRule:
    if base is None:
        base = _baseline(m, weeks)
    ok = ~np.isnan(m).any(axis=1) & ~np.isnan(base).any(axis=1) & (np.nansum(base, axis=1) > 0)
    idx = np.flatnonzero(ok)
    if len(idx) < 7:
        return IntradayRule(queue=queue)
    carry = _carry(m, base, idx)
    idx = _usual_days(m, base, idx[-fit_days:])
    slots = m.shape[1]
    per_hour = 60 // minutes if minutes <= 60 else 1
    cuts = range(per_hour, slots, per_hour)
    ages = np.arange(slots)[::-1] * minutes / 60.0  # hours from a slot's end to the cut
    cases = []  # (actual rest, forecast rest, ratio per halflife, share per halflife)
    reg: list = []  # (actual rest, forecast rest, hours ahead, morning features)
    reg_days: list[int] = []
    raw: list[float | None] = []  # each cut's two-hour ratio, steady or not
    for d in idx:
        a, f = m[d], base[d]
        total = f.sum()
        for c in cuts:
            seen = f[:c].sum() / total
            if not 0.05 <= seen <= 0.9:
                continue
            ratios, shares = [], []
            for h in HALFLIVES:
                r, s = _morning(a[:c], f[:c], ages[slots - c:], total, h)
                ratios.append(r)
                shares.append(s)
            cases.append((a[c:], f[c:], ratios, shares, _event_ratio(a[:c], f[:c], per_hour)))
            raw.append(_event_ratio(a[:c], f[:c], per_hour, steady=False))
            reg.append((a[c:], f[c:], np.arange(slots - c) * minutes / 60.0,
                        _features(a[:c], f[:c], per_hour)))
            reg_days.append(d)
    if not cases:
        return IntradayRule(queue=queue, carry=carry)
    recent = np.array([r for r in raw if r is not None])
    sd = (1.4826 * float(np.median(np.abs(recent - np.median(recent))))
          if len(recent) >= 20 else math.inf)
    sd = sd if sd > 0 else math.inf
    best = (math.inf, math.inf, None)
    base_err = sum(float(np.abs(a - f).sum()) for a, f, *_ in cases)
    volume = sum(float(a.sum()) for a, *_ in cases) or 1.0
    for hi, h in enumerate(HALFLIVES):
        for lam in STRENGTHS:
            err = 0.0
            for a, f, ratios, shares, recent_ratio in cases:
                w = 0.0 if not math.isfinite(lam) else shares[hi] / (shares[hi] + lam)
                ratio = 1.0 + w * (ratios[hi] - 1.0)
                if _event(recent_ratio, sd):
                    ratio = recent_ratio
                err += float(np.abs(a - ratio * f).sum())
            if err < best[0] - 1e-9:
                best = (err, lam, h)
    learnt = _fit_regression(reg, np.array(reg_days), [c[4] for c in cases], sd)
    err, coef, tau, threshold = best[0], None, 2.0, EVENT_THRESHOLD
    if learnt is not None:
        coef, tau, threshold = learnt
        err = 0.0
        for (a, f, hours, feat), (*_, recent_ratio) in zip(reg, cases, strict=True):
            factor = (np.full(len(f), recent_ratio) if _event(recent_ratio, sd, threshold)
                      else np.exp(_log_factor(_design(feat, hours, tau), np.array(coef))))
            err += float(np.abs(a - factor * f).sum())
    return IntradayRule(queue=queue, strength=float(best[1]), halflife_hours=best[2],
                        carry=carry, event_sd=sd, days=len(idx), wape_forecast=base_err / volume,
                        wape_reforecast=err / volume, coef=coef, tau_hours=tau,
                        event_threshold=threshold)


def _usual_days(m: np.ndarray, base: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """The days whose total is within `EVENT_THRESHOLD` robust standard deviations of
    the stand-in's (log ratio): a holiday or a promotion the week-ahead forecast knows
    from its calendar would teach the rule to chase deviations it will not see."""
    if len(idx) < 14:
        return idx
    x = np.log((m[idx].sum(axis=1) + 1.0) / (base[idx].sum(axis=1) + 1.0))
    sd = 1.4826 * float(np.median(np.abs(x - np.median(x))))
    keep = np.abs(x - np.median(x)) <= EVENT_THRESHOLD * sd if sd > 0 else np.ones(len(x), bool)
    return idx[keep]


def _carry(m: np.ndarray, base: np.ndarray, idx: np.ndarray) -> float:
    """How much of a day's ratio carries to the next day: the least-squares slope of
    tomorrow's deviation on today's, kept within 0..1."""
    ratio = np.full(len(m), np.nan)
    ratio[idx] = m[idx].sum(axis=1) / base[idx].sum(axis=1)
    x, y = ratio[:-1] - 1.0, ratio[1:] - 1.0
    keep = ~np.isnan(x) & ~np.isnan(y)
    if keep.sum() < 5 or not np.any(x[keep]):
        return 0.0
    return float(np.clip((x[keep] * y[keep]).sum() / (x[keep] ** 2).sum(), 0.0, 1.0))


def fit_intraday(history: pd.DataFrame, *, queues: list[str] | None = None,
                 fit_days: int = FIT_DAYS, weeks: int = BASELINE_WEEKS,
                 past_forecasts: pd.DataFrame | None = None,
                 event_threshold: float | None = None) -> dict[str, IntradayRule]:
    """Learn each queue's reforecast rule from the interval history (see the module doc).

    Queues with fewer than seven usable past days (a day needs the same weekday in at
    least two of the `weeks` weeks before it) get the default rule (strength 0.5, no
    carry to later days); `IntradayRule.days` says how many days each rule was
    learnt from. `past_forecasts` (`queue, interval_start, contacts`: forecasts once made
    for days of the history, e.g. from a backtest) replaces the weekday-mean stand-in,
    so the rule learns the errors of the forecast it will correct. `event_threshold`
    fixes the event override at that many robust standard deviations (e.g. 3 when the
    planner knows today is an event day; `math.inf` switches it off) instead of learning
    it.
    """
    missing = [c for c in ("queue", "interval_start", "contacts") if c not in history.columns]
    if missing:
        raise IntradayInputError(f"missing column(s) {missing}", source="history")
    frame = history[["queue", "interval_start", "contacts"]].copy()
    frame["queue"] = frame["queue"].astype(str)
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    frame["contacts"] = pd.to_numeric(frame["contacts"], errors="coerce")
    frame = frame.dropna()
    if frame.empty:
        raise IntradayInputError("no rows with contacts", source="history")
    minutes = forecast_interval_minutes(frame, "history")
    rules = {}
    for queue in sorted(queues if queues is not None else frame["queue"].unique()):
        if not (frame["queue"] == queue).any():
            rules[queue] = IntradayRule(queue=queue)
            continue
        days, m = _day_matrix(frame, queue, minutes)
        base = None
        if past_forecasts is not None:
            past = past_forecasts[past_forecasts["queue"].astype(str) == queue]
            past = past.assign(interval_start=pd.to_datetime(past["interval_start"]))
            past = past[past["interval_start"].dt.normalize().isin(days)]
            base = np.full(m.shape, np.nan)
            slot = ((past["interval_start"].dt.hour * 60 + past["interval_start"].dt.minute)
                    // minutes).to_numpy()
            base[days.get_indexer(past["interval_start"].dt.normalize()), slot] = \
                past["contacts"].to_numpy(float)
            forecast_days = ~np.isnan(base).all(axis=1)
            base[forecast_days] = np.nan_to_num(base[forecast_days], nan=0.0)
        rules[queue] = _fit_queue(queue, m, minutes, fit_days, weeks, base)
        if event_threshold is not None:
            rules[queue] = replace(rules[queue], event_threshold=float(event_threshold))
    return rules


# reforecast ----------------------------------------------------------------------------

def reforecast(forecast: pd.DataFrame, actuals: pd.DataFrame, now: str | pd.Timestamp,
               rules: dict[str, IntradayRule] | None = None) -> Reforecast:
    """Reforecast the rest of `now`'s day and the next days of `forecast` from `actuals`.

    Intervals finished before `now` carry the actual contacts (`source` "actual")
    where there are actuals; later intervals today the forecast times the queue's
    shrunk ratio (`source` "reforecast"); the next days the forecast times the
    carried ratio. Days before `now`'s are left out. Raises IntradayInputError for
    actuals that do not fit (see `check_actuals`) or a `now` outside the forecast.
    """
    now = parse_now(now)
    fc = check_forecast(forecast)
    minutes = forecast_interval_minutes(fc)
    first = fc["interval_start"].min()
    last = fc["interval_start"].max() + pd.Timedelta(minutes=minutes)
    if not first <= now < last:
        raise IntradayInputError(
            f"now {now:%Y-%m-%d %H:%M} is outside the forecast, which covers "
            f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}", source="now")
    act = check_actuals(actuals, fc, now, minutes)
    rules = dict(rules or {})
    today = now.normalize()
    fc = fc[fc["interval_start"] >= today].reset_index(drop=True)
    key = ["queue", "interval_start"]
    merged = fc.merge(act.rename(columns={"contacts": "actual_contacts",
                                          "aht_seconds": "actual_aht"}),
                      on=key, how="left", validate="one_to_one")
    if "actual_aht" not in merged.columns:
        merged["actual_aht"] = np.nan
    merged["forecast_contacts"] = merged["contacts"]
    merged["ratio"] = 1.0
    merged["source"] = "forecast"
    notes, summary = [], []
    end_of = merged["interval_start"] + pd.Timedelta(minutes=minutes)
    for queue, rows in merged.groupby("queue", sort=True):
        rule = rules.get(queue) or IntradayRule(queue=queue)
        day = rows["interval_start"].dt.normalize()
        is_today = day == today
        done = is_today & (end_of[rows.index] <= now) & rows["actual_contacts"].notna()
        total = float(rows.loc[is_today, "contacts"].sum())
        a = rows.loc[done, "actual_contacts"].to_numpy(float)
        f = rows.loc[done, "contacts"].to_numpy(float)
        ages = ((now - end_of[rows.index][done]) / pd.Timedelta(hours=1)).to_numpy(float)
        raw, share = _morning(a, f, ages, total, rule.halflife_hours)
        if not done.any():
            notes.append(f"queue {queue}: no actuals today; forecast kept")
        weight = rule.weight(share)
        ratio = 1.0 + weight * (raw - 1.0)
        rest = (is_today & ~done).to_numpy()
        today_factor = np.full(int(rest.sum()), ratio)
        if rule.coef is not None and done.any():
            hours = ((rows.loc[rest, "interval_start"] - now) / pd.Timedelta(hours=1)).clip(
                lower=0.0).to_numpy(float)
            feat = _features(a, f, 60.0 / minutes)
            today_factor = np.exp(_log_factor(_design(feat, hours, rule.tau_hours),
                                              np.array(rule.coef)))
            fr = rows.loc[rest, "contacts"].to_numpy(float)
            ratio = float((fr * today_factor).sum() / fr.sum()) if fr.sum() > 0 else 1.0
        recent = _event_ratio(a, f, 60.0 / minutes)
        sd = rule.event_sd
        if not math.isfinite(sd):  # no history to tell the usual: Poisson noise alone
            n = max(1, int(round(EVENT_HOURS * 60.0 / minutes)))
            sd = 1.0 / math.sqrt(float(f[-n:].sum())) if f[-n:].sum() > 0 else math.inf
        event = _event(recent, sd, rule.event_threshold)
        if event:
            ratio = float(recent)
            today_factor = np.full(int(rest.sum()), ratio)
            notes.append(f"queue {queue}: the last {EVENT_HOURS:g} hours ran at "
                         f"{recent:.0%} of the forecast, beyond anything usual in the "
                         "history; the rest of the day follows them")
        aht_ratio = 1.0
        aht = rows.loc[done, "actual_aht"].to_numpy(float)
        fa = rows.loc[done, "aht_seconds"].to_numpy(float)
        usable = ~np.isnan(aht) & (a > 0) & (fa > 0)
        if usable.any():
            aht_raw = float((a[usable] * aht[usable]).sum() / (a[usable] * fa[usable]).sum())
            aht_ratio = 1.0 + rule.weight(share) * (aht_raw - 1.0)
        days_ahead = ((day - today) / pd.Timedelta(days=1)).astype(int)
        factor = np.where(days_ahead == 0, ratio, 1.0 + rule.carry ** days_ahead.clip(lower=1)
                          * (ratio - 1.0))
        factor[rest] = today_factor
        later = ~done.to_numpy()
        idx = rows.index[later]
        for col in ("contacts", "contacts_lo", "contacts_hi"):
            merged.loc[idx, col] = rows.loc[later, col].to_numpy() * factor[later]
        aht_factor = np.where(days_ahead == 0, aht_ratio, 1.0 + rule.carry ** days_ahead.clip(
            lower=1) * (aht_ratio - 1.0))
        merged.loc[idx, "aht_seconds"] = rows.loc[later, "aht_seconds"].to_numpy() \
            * aht_factor[later]
        merged.loc[idx, "ratio"] = factor[later]
        merged.loc[idx, "source"] = np.where(days_ahead[later] == 0, "reforecast",
                                             "reforecast_next_days")
        merged.loc[idx, "model"] = rows.loc[later, "model"].astype(str) + "+intraday"
        didx = rows.index[done.to_numpy()]
        merged.loc[didx, "contacts"] = merged.loc[didx, "actual_contacts"]
        merged.loc[didx, ["contacts_lo", "contacts_hi"]] = np.repeat(
            merged.loc[didx, ["actual_contacts"]].to_numpy(), 2, axis=1)
        has_aht = didx[merged.loc[didx, "actual_aht"].notna().to_numpy()]
        merged.loc[has_aht, "aht_seconds"] = merged.loc[has_aht, "actual_aht"]
        merged.loc[didx, "source"] = "actual"
        merged.loc[didx, "model"] = "actual"
        summary.append({"queue": queue, "actual_intervals": int(done.sum()),
                        "actual_so_far": float(a.sum()),
                        "forecast_so_far": float(f.sum()), "raw_ratio": raw,
                        "elapsed_share": share, "weight": weight, "ratio": ratio,
                        "aht_ratio": aht_ratio, "strength": rule.strength, "event": event,
                        "carry": rule.carry,
                        "rest_of_day_forecast": float(rows.loc[is_today & ~done,
                                                                "contacts"].sum()),
                        "rest_of_day_reforecast": float(merged.loc[
                            rows.index[(is_today & ~done).to_numpy()], "contacts"].sum())})
    frame = merged[list(REFORECAST_COLUMNS)].sort_values(key, ignore_index=True)
    return Reforecast(frame=frame, summary=pd.DataFrame(summary), notes=notes)
