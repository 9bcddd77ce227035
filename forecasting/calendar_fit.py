"""Fitting the calendar to the history: which country's holidays it keeps, and which
special days show no effect in it.

`guess_country` reads the daily totals of an interval history: the quietest
weekdays tell the weekend (Saturday-Sunday, or Friday-Saturday as in Israel), and
the country whose public holidays fall on the quietest weekdays wins; a time zone
(from the export) names its country directly. `quiet_events` lists the holidays and
shopping events whose days look like ordinary days of the history (or, for a
shopping event, that the history never covers): a calendar built with
`Calendar(exclude=...)` then gives them no effect. Pure functions of frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.calendar import SHOPPING_EVENTS, Calendar, holiday_table

CANDIDATES = ("CN", "US", "GB", "DE", "FR", "IL", "IN", "JP", "SG", "HK", "AU", "CA", "BR",
              "ES", "IT", "NL", "PL", "MX", "KR", "AE", "SA")
FRI_SAT_WEEKEND = ("IL", "AE", "SA")
TIMEZONES = {
    "Asia/Shanghai": "CN", "Asia/Chongqing": "CN", "Asia/Harbin": "CN", "PRC": "CN",
    "Asia/Hong_Kong": "HK", "Asia/Jerusalem": "IL", "Asia/Tel_Aviv": "IL", "Israel": "IL",
    "Europe/London": "GB", "Europe/Berlin": "DE", "Europe/Paris": "FR", "Asia/Kolkata": "IN",
    "Asia/Tokyo": "JP", "Asia/Singapore": "SG", "Australia/Sydney": "AU",
    "America/New_York": "US", "America/Chicago": "US", "America/Denver": "US",
    "America/Los_Angeles": "US", "America/Toronto": "CA", "America/Sao_Paulo": "BR",
    "Europe/Madrid": "ES", "Europe/Rome": "IT", "Europe/Amsterdam": "NL",
    "Europe/Warsaw": "PL", "America/Mexico_City": "MX", "Asia/Seoul": "KR",
    "Asia/Dubai": "AE", "Asia/Riyadh": "SA",
}
HOLIDAY_DIP = 0.6  # a holiday weekday at most 60% of a normal one counts as observed
QUIET_BAND = 0.15  # a special day within 15% of a normal one shows no effect
MIN_DAYS = 14


@dataclass(frozen=True)
class CountryGuess:
    """The holiday country a history suggests (None: none can be told) and why."""

    country: str | None
    reason: str
    weekend: tuple[int, ...] = (5, 6)


def daily_totals(history: pd.DataFrame) -> pd.Series:
    """Contacts per day over all queues (index: dates)."""
    days = history["interval_start"].dt.normalize()
    return history.groupby(days)["contacts"].sum().sort_index()


def _ratios(daily: pd.Series, skip: set[pd.Timestamp]) -> pd.Series:
    """Each day's contacts over the median of the same weekday (special days left out of
    the medians)."""
    normal = daily[~daily.index.isin(list(skip))]
    median = normal.groupby(normal.index.day_of_week).median()
    base = daily.index.day_of_week.map(median).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(base > 0, daily.to_numpy() / base, np.nan), index=daily.index)


def weekend_of(daily: pd.Series) -> tuple[int, ...]:
    """The two quietest weekdays (0 = Monday) when they are much quieter than the rest;
    () when the week has no quiet days."""
    by_day = daily.groupby(daily.index.day_of_week).mean()
    if len(by_day) < 7 or by_day.max() <= 0:
        return ()
    quiet = tuple(sorted(by_day.nsmallest(2).index.tolist()))
    rest = by_day.drop(list(quiet)).mean()
    return quiet if by_day[list(quiet)].mean() < 0.7 * rest else ()


def guess_country(history: pd.DataFrame, timezone: str | None = None,
                  candidates: tuple[str, ...] = CANDIDATES) -> CountryGuess:
    """The country whose holidays the history keeps (see the module docstring)."""
    if timezone and timezone in TIMEZONES:
        return CountryGuess(TIMEZONES[timezone], f"the time zone {timezone}")
    daily = daily_totals(history)
    if len(daily) < MIN_DAYS:
        return CountryGuess(None, f"the history has {len(daily)} days, too few to tell")
    weekend = weekend_of(daily)
    years = sorted({d.year for d in daily.index})
    scores: dict[str, tuple[float, int]] = {}
    for code in candidates:
        country_weekend = (4, 5) if code in FRI_SAT_WEEKEND else (5, 6)
        if weekend and weekend != country_weekend:
            continue
        days = [pd.Timestamp(d) for d in holiday_table(code, years)]
        days = [d for d in days if d in daily.index and d.day_of_week not in country_weekend]
        if not days:
            continue
        ratios = _ratios(daily, set(days))
        scores[code] = (float(np.nanmean(ratios[days])), len(days))
    if scores:
        code, (ratio, count) = min(scores.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
        if ratio <= HOLIDAY_DIP:
            return CountryGuess(code, f"{count} of its public holidays are quiet days in the "
                                f"history ({ratio:.0%} of a normal day)", weekend or (5, 6))
    if weekend == (4, 5):
        return CountryGuess("IL", "the weekend falls on Friday and Saturday", weekend)
    if history["queue"].astype(str).str.contains(r"[\u4e00-\u9fff]").any():
        return CountryGuess("CN", "the queue names are in Chinese", weekend or (5, 6))
    return CountryGuess(None, "no country's public holidays show in the history",
                        weekend or (5, 6))


def quiet_events(history: pd.DataFrame, calendar: Calendar,
                 band: float = QUIET_BAND) -> tuple[str, ...]:
    """Events of `calendar` the history does not show: holidays and shopping events whose
    core days in the history are within `band` of a normal day, and shopping events the
    history never reaches. Planner events are always kept."""
    daily = daily_totals(history)
    if daily.empty:
        return ()
    first, last = daily.index.min(), daily.index.max()
    occ = calendar.occurrences(first, last)
    seen: dict[str, list[pd.Timestamp]] = {}
    for rec in occ.itertuples(index=False):
        if rec.kind not in ("holiday", "shopping"):
            continue
        core = [d for d in pd.date_range(rec.first, rec.last, freq="D") if d in daily.index]
        seen.setdefault(rec.event, []).extend(core)
    skip = {d for days in seen.values() for d in days}
    ratios = _ratios(daily, skip)
    quiet = []
    for event, days in seen.items():
        values = ratios[days].dropna() if days else pd.Series(dtype=float)
        if len(values) and float((values - 1).abs().max()) <= band:
            quiet.append(event)
    if calendar.shopping:
        for ev in SHOPPING_EVENTS:
            if not seen.get(ev.name) and ev.name not in quiet:
                quiet.append(ev.name)
    return tuple(sorted(quiet))
