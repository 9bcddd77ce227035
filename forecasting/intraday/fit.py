"""`fit_intraday`: each queue's rule learnt from its interval history (the
regression, the level rule where history is short, the carry to the next days and
the event threshold)."""

from __future__ import annotations

import math
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd

from forecasting.intraday.inputs import IntradayInputError, forecast_interval_minutes
from forecasting.intraday.rule import (
    BASELINE_WEEKS,
    EVENT_PRIOR_DAYS,
    EVENT_THRESHOLD,
    EVENT_THRESHOLDS,
    FIT_DAYS,
    HALFLIVES,
    RECENT_HOURS,
    RIDGES,
    STRENGTHS,
    TAUS,
    IntradayRule,
    design_rows,
    event_ratio,
    is_event,
    log_factor,
    morning_features,
    morning_ratio,
    opens_day,
)


def _stack(cases: list, tau: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(design, log ratio, weight = forecast, actual) over the later intervals of cases."""
    busy = [(a[f > 0], f[f > 0], h[f > 0], x) for a, f, h, x in cases]
    busy = [c for c in busy if len(c[1])]
    if not busy:
        return np.zeros((0, 1 + 2 * len(RECENT_HOURS))), *(np.zeros(0),) * 3
    x = np.vstack([design_rows(feat, h, tau) for _a, _f, h, feat in busy])
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


def _fit_regression(cases: list, days: np.ndarray, recent: list[float | None], sd: float,
                    opening: list[bool]) -> tuple[tuple[float, ...], float, float, float] | None:
    """Learn how the morning's log ratios predict each later interval's (module doc):
    the fade `tau` and the shrinkage `ridge` are chosen on the last third of the days
    with the rest as training; None when no choice beats leaving the forecast alone
    there. The chosen form is then refitted on all days. The event threshold is the
    lowest of `EVENT_THRESHOLDS` that costs less than 0.5% more error there than the
    best one: an override the history shows to misfire is switched off. It is learnt
    twice: for breaks from a morning before, and for the day's first hours (`opening`),
    whose deviations last or fade differently (a queue's opening burst, a day running
    high from the start)."""
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
            err = float(np.abs(at - ft * np.exp(log_factor(xt, coef))).sum())
            if err < best[0] - 1e-9:
                best = (err, tau, ridge)
    if best[1] is None:
        return None
    x, y, w, _ = _stack(train, best[1])
    coef = _solve_weighted(x, y, w, best[2])
    late_recent = [r for r, k in zip(recent, late, strict=True) if k]
    late_opening = [o for o, k in zip(opening, late, strict=True) if k]
    follow = event_follow(train, [None if o else r for r, o, k in
                                  zip(recent, opening, late, strict=True) if not k],
                          days[~late], sd)
    errors = {(o, k): 0.0 for o in (False, True) for k in EVENT_THRESHOLDS}
    for (a, f, h, feat), recent_ratio, o in zip(test, late_recent, late_opening, strict=True):
        plain = float(np.abs(a - f * np.exp(log_factor(design_rows(feat, h, best[1]),
                                                        coef))).sum())
        for k in EVENT_THRESHOLDS:
            errors[o, k] += (float(np.abs(a - f * recent_ratio ** (1.0 if o else follow)).sum())
                             if is_event(recent_ratio, sd, k) else plain)
    threshold, opening_threshold = (
        min(k for k in EVENT_THRESHOLDS
            if errors[o, k] <= 1.005 * min(errors[o, j] for j in EVENT_THRESHOLDS))
        for o in (False, True))
    x, y, w, _ = _stack(cases, best[1])
    return (tuple(float(c) for c in _solve_weighted(x, y, w, best[2])), float(best[1]),
            float(threshold), float(opening_threshold),
            event_follow(cases, [None if o else r for r, o in zip(recent, opening, strict=True)],
                         days, sd))


def event_follow(cases: list, recent: list[float | None], days: np.ndarray, sd: float
                 ) -> float:
    """How much of an event's log ratio the rest of the day keeps (0..1): the history's
    steady breaks beyond `EVENT_THRESHOLD` robust sds, each later interval's log ratio
    regressed on the break's (weighted by the forecast), shrunk towards 1 (a surge or an
    outage lasts) as if `EVENT_PRIOR_DAYS` more event days had kept all of theirs."""
    sxy = sxx = 0.0
    seen: set = set()
    for (a, f, _h, _feat), r, d in zip(cases, recent, days, strict=True):
        keep = f > 0
        if not is_event(r, sd) or not keep.any():
            continue
        x = math.log(r)
        y = np.log((a[keep] + 1.0) / (f[keep] + 1.0))
        sxy += float((f[keep] * x * y).sum())
        sxx += float(f[keep].sum() * x * x)
        seen.add(int(d))
    if not seen or sxx <= 0:
        return 1.0
    own = float(np.clip(sxy / sxx, 0.0, 1.0))
    return (len(seen) * own + EVENT_PRIOR_DAYS) / (len(seen) + EVENT_PRIOR_DAYS)


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
    opening: list[bool] = []  # whether the cut's two hours are the day's first
    for d in idx:
        a, f = m[d], base[d]
        total = f.sum()
        for c in cuts:
            seen = f[:c].sum() / total
            if not 0.05 <= seen <= 0.9:
                continue
            ratios, shares = [], []
            for h in HALFLIVES:
                r, s = morning_ratio(a[:c], f[:c], ages[slots - c:], total, h)
                ratios.append(r)
                shares.append(s)
            cases.append((a[c:], f[c:], ratios, shares, event_ratio(a[:c], f[:c], per_hour)))
            opening.append(opens_day(f[:c], per_hour))
            raw.append(event_ratio(a[:c], f[:c], per_hour, steady=False))
            reg.append((a[c:], f[c:], np.arange(slots - c) * minutes / 60.0,
                        morning_features(a[:c], f[:c], per_hour)))
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
                if is_event(recent_ratio, sd):
                    ratio = recent_ratio
                err += float(np.abs(a - ratio * f).sum())
            if err < best[0] - 1e-9:
                best = (err, lam, h)
    learnt = _fit_regression(reg, np.array(reg_days), [c[4] for c in cases], sd, opening)
    err, coef, tau, threshold, first = best[0], None, 2.0, EVENT_THRESHOLD, EVENT_THRESHOLD
    follow = 1.0
    if learnt is not None:
        coef, tau, threshold, first, follow = learnt
        err = 0.0
        for (a, f, hours, feat), (*_, recent_ratio), o in zip(reg, cases, opening, strict=True):
            factor = (np.full(len(f), recent_ratio ** (1.0 if o else follow))
                      if is_event(recent_ratio, sd, first if o else threshold)
                      else np.exp(log_factor(design_rows(feat, hours, tau), np.array(coef))))
            err += float(np.abs(a - factor * f).sum())
    return IntradayRule(queue=queue, strength=float(best[1]), halflife_hours=best[2],
                        carry=carry, event_sd=sd, days=len(idx), wape_forecast=base_err / volume,
                        wape_reforecast=err / volume, coef=coef, tau_hours=tau,
                        event_threshold=threshold, opening_threshold=first,
                        event_follow=follow)


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
            rules[queue] = replace(rules[queue], event_threshold=float(event_threshold),
                                   opening_threshold=float(event_threshold), event_follow=1.0)
    return rules
