"""`reforecast`: the rest of today and the next days of a forecast, from the
actuals so far and the queues' rules."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.intraday.inputs import (
    REFORECAST_COLUMNS,
    IntradayInputError,
    check_actuals,
    check_forecast,
    forecast_interval_minutes,
    parse_now,
)
from forecasting.intraday.rule import (
    EVENT_HOURS,
    IntradayRule,
    design_rows,
    event_ratio,
    is_event,
    log_factor,
    morning_features,
    morning_ratio,
    opens_day,
)


@dataclass
class Reforecast:
    """The reforecast frame, the per-queue figures behind it and what was assumed."""

    frame: pd.DataFrame
    summary: pd.DataFrame
    notes: list[str] = field(default_factory=list)


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
        raw, share = morning_ratio(a, f, ages, total, rule.halflife_hours)
        if not done.any():
            notes.append(f"queue {queue}: no actuals today; forecast kept")
        weight = rule.weight(share)
        ratio = 1.0 + weight * (raw - 1.0)
        rest = (is_today & ~done).to_numpy()
        today_factor = np.full(int(rest.sum()), ratio)
        if rule.coef is not None and done.any():
            hours = ((rows.loc[rest, "interval_start"] - now) / pd.Timedelta(hours=1)).clip(
                lower=0.0).to_numpy(float)
            feat = morning_features(a, f, 60.0 / minutes)
            today_factor = np.exp(log_factor(design_rows(feat, hours, rule.tau_hours),
                                              np.array(rule.coef)))
            fr = rows.loc[rest, "contacts"].to_numpy(float)
            ratio = float((fr * today_factor).sum() / fr.sum()) if fr.sum() > 0 else 1.0
        recent = event_ratio(a, f, 60.0 / minutes)
        sd = rule.event_sd
        if not math.isfinite(sd):  # no history to tell the usual: Poisson noise alone
            n = max(1, int(round(EVENT_HOURS * 60.0 / minutes)))
            sd = 1.0 / math.sqrt(float(f[-n:].sum())) if f[-n:].sum() > 0 else math.inf
        opening = opens_day(f, 60.0 / minutes)
        event = is_event(recent, sd, rule.threshold(opening))
        if event:
            ratio = float(recent) ** (1.0 if opening else rule.event_follow)
            today_factor = np.full(int(rest.sum()), ratio)
            notes.append(f"queue {queue}: the last {EVENT_HOURS:g} hours ran at "
                         f"{recent:.0%} of the forecast, beyond anything usual in the "
                         f"history; the rest of the day is reforecast at {ratio:.0%} of it")
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
                        "recent_ratio": float(recent) if recent is not None else math.nan,
                        "aht_ratio": aht_ratio, "strength": rule.strength, "event": event,
                        "carry": rule.carry,
                        "rest_of_day_forecast": float(rows.loc[is_today & ~done,
                                                                "contacts"].sum()),
                        "rest_of_day_reforecast": float(merged.loc[
                            rows.index[(is_today & ~done).to_numpy()], "contacts"].sum())})
    frame = merged[list(REFORECAST_COLUMNS)].sort_values(key, ignore_index=True)
    return Reforecast(frame=frame, summary=pd.DataFrame(summary), notes=notes)
