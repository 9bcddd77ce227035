"""Intraday reforecast: the rest of today and the next days from what has arrived so far.

The rule, per queue: the morning's actual-to-forecast ratio `r`, shrunk towards 1 by
the share of the day's expected volume already seen,

    ratio = 1 + s / (s + strength) x (r - 1),

where `s` is the elapsed share of the day's forecast contacts (recent intervals can
count more, `halflife_hours`). The forecast of every later interval today is
multiplied by `ratio`; the next days by `1 + carry**k x (ratio - 1)` on day k.
An event (a surge, an outage) is what history cannot teach: when the last two hours
run further from the forecast than three robust standard deviations of the history's
two-hour ratios (`event_sd`), the rest of the day follows those two hours instead.

`strength`, `halflife_hours` and `carry` are learnt per queue by backtesting the same
rule on the history (`fit_intraday`): each past day's forecast is the mean of the
same weekday over the weeks before it, the rule is run at every hour of the day, and
the parameters with the smallest rest-of-day error are kept (no correction at all is
one of the candidates). One noisy interval cannot swing the day: each interval's
actual is capped near the median interval ratio before the morning is summed.

Frames: actuals (`queue, interval_start, contacts`, optional `aht_seconds`, `answered`,
`abandoned`) in; the reforecast frame (`REFORECAST_COLUMNS`: the forecast columns,
so it feeds staffing and projection unchanged, plus `forecast_contacts`,
`actual_contacts`, `ratio`, `source`) out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

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


def _event_ratio(actual: np.ndarray, expected: np.ndarray, per_hour: float
                 ) -> float | None:
    """The ratio of the last `EVENT_HOURS` of finished intervals (capped), or None when
    they expect too few contacts to tell."""
    n = max(1, int(round(EVENT_HOURS * per_hour)))
    a, f = actual[-n:], expected[-n:]
    if f.sum() < EVENT_MIN_CONTACTS:
        return None
    return float(_capped(a, f).sum() / f.sum())


def _event(recent: float | None, sd: float) -> bool:
    return recent is not None and math.isfinite(sd) and abs(recent - 1.0) > EVENT_THRESHOLD * sd


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
    """Each day's 'week-ahead' forecast: the mean of the same weekday over the `weeks`
    weeks before it (NaN where fewer than two of them are known)."""
    total = np.zeros(m.shape)
    known = np.zeros(m.shape)
    for k in range(1, weeks + 1):
        if len(m) <= 7 * k:
            break
        past = m[:-7 * k]
        seen = ~np.isnan(past)
        total[7 * k:] += np.where(seen, past, 0.0)
        known[7 * k:] += seen
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(known >= 2, total / known, np.nan)


def _fit_queue(queue: str, m: np.ndarray, minutes: int, fit_days: int,
               weeks: int, base: np.ndarray | None = None) -> IntradayRule:
    if base is None:
        base = _baseline(m, weeks)
    ok = ~np.isnan(m).any(axis=1) & ~np.isnan(base).any(axis=1) & (np.nansum(base, axis=1) > 0)
    idx = np.flatnonzero(ok)
    if len(idx) < 7:
        return IntradayRule(queue=queue)
    carry = _carry(m, base, idx)
    idx = idx[-fit_days:]
    slots = m.shape[1]
    per_hour = 60 // minutes if minutes <= 60 else 1
    cuts = range(per_hour, slots, per_hour)
    ages = np.arange(slots)[::-1] * minutes / 60.0  # hours from a slot's end to the cut
    cases = []  # (actual rest, forecast rest, ratio per halflife, share per halflife)
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
    if not cases:
        return IntradayRule(queue=queue, carry=carry)
    recent = np.array([c[4] for c in cases if c[4] is not None])
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
    return IntradayRule(queue=queue, strength=float(best[1]), halflife_hours=best[2],
                        carry=carry, event_sd=sd, days=len(idx), wape_forecast=base_err / volume,
                        wape_reforecast=best[0] / volume)


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
                 past_forecasts: pd.DataFrame | None = None) -> dict[str, IntradayRule]:
    """Learn each queue's reforecast rule from the interval history (see the module doc).

    Queues with fewer than seven usable past days (a day needs the same weekday in at
    least two of the `weeks` weeks before it) get the default rule (strength 0.5, no
    carry to later days); `IntradayRule.days` says how many days each rule was
    learnt from. `past_forecasts` (`queue, interval_start, contacts`: forecasts once made
    for days of the history, e.g. from a backtest) replaces the weekday-mean stand-in,
    so the rule learns the errors of the forecast it will correct.
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
        recent = _event_ratio(a, f, 60.0 / minutes)
        event = _event(recent, rule.event_sd)
        if event:
            ratio = float(recent)
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
