"""What kind of day a day is, for the daily models: the calendar's shared break flags,
days far from their neighbours (outages, one-off spikes), days after a closed working
day and the parts of a month, and how noisy a normal day's total is."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.models.base import QueueGrid

MONTH_PART_DAYS = 4


def break_flags(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """The shared special-day effects of `Calendar.breaks` as boolean columns."""
    after = table["after_break"].to_numpy()
    return {"day_off": table["day_off"].to_numpy(dtype=bool),
            "after_break_1": after == 1, "after_break_2": after == 2,
            "makeup": table["makeup"].to_numpy(dtype=bool)}


def after_day_off(table: pd.DataFrame) -> np.ndarray:
    """Working days right after a single day off that the calendar knows of (a midweek
    public holiday or a known closed day: too short a break for `after_break`): a
    queue shut that day takes its calls the next day, as after a long break. `table`
    is `Calendar.breaks` over consecutive days; its first day is never flagged."""
    off = table["day_off"].to_numpy(dtype=bool)
    rest = off | (pd.DatetimeIndex(table["date"]).day_of_week.to_numpy() >= 5)
    out = np.zeros(len(off), dtype=bool)
    out[1:] = off[:-1] & ~rest[1:] & (table["after_break"].to_numpy()[1:] == 0)
    return out


def flag_unusual_days(grid: QueueGrid, candidate: np.ndarray, weeks: int = 4) -> np.ndarray:
    """Days among `candidate` whose volume or intraday shape is far from their neighbours'
    same weekday: totals under half or over twice the usual, or a block of intervals
    nearly empty that usually carries over 10% of the day (an outage)."""
    totals = grid.totals
    flagged = np.zeros(len(grid.dates), dtype=bool)
    wd = grid.weekday
    rows = np.flatnonzero(candidate & (totals > 0))
    by_weekday = {w: rows[wd[rows] == w] for w in range(7)}
    for d in rows:
        same = by_weekday[wd[d]]
        near = same[(np.abs(same - d) <= 7 * weeks) & (same != d)]
        if len(near) < 2:
            continue
        usual = float(np.median(totals[near]))
        if usual <= 0:
            continue
        if totals[d] < 0.5 * usual or totals[d] > 2.0 * usual:
            flagged[d] = True
            continue
        shares = grid.contacts[near] / totals[near, None]
        expected = usual * np.median(shares, axis=0)
        gap = (grid.contacts[d] < 0.25 * expected) & (expected >= 1.0)
        if (expected[gap] - grid.contacts[d][gap]).sum() > 0.1 * usual:
            flagged[d] = True
    return flagged


def day_classes(dates: pd.DatetimeIndex, is_open: np.ndarray,
                 open_weekdays: np.ndarray) -> dict[str, np.ndarray]:
    """Which days sit right after a closed working day, or are the 1st-3rd or last two
    working days of their month. `is_open` covers `dates`; days outside them count as
    open on open weekdays."""
    lo = dates[0] - pd.Timedelta(days=40)
    hi = dates[-1] + pd.Timedelta(days=40)
    span = pd.date_range(lo.replace(day=1), hi, freq="D")
    span_open = open_weekdays[span.day_of_week.to_numpy()].copy()
    pos = np.searchsorted(span, dates)
    span_open[pos] = is_open
    n = len(span)
    after = np.zeros(n, dtype=bool)
    expected = open_weekdays[span.day_of_week.to_numpy()]
    for i in range(1, n):
        if not span_open[i]:
            continue
        j = i - 1
        while j >= 0 and not expected[j]:
            j -= 1
        after[i] = j >= 0 and not span_open[j]
    month = span.year.to_numpy() * 12 + span.month.to_numpy()
    first = np.zeros(n, dtype=int)
    last = np.zeros(n, dtype=int)
    for m in np.unique(month):
        idx = np.flatnonzero((month == m) & span_open)
        first[idx[:3]] = np.arange(1, min(3, len(idx)) + 1)
        tail = idx[::-1][:2]
        last[tail] = np.arange(1, len(tail) + 1)
    out = {"after_closed_day": after[pos]}
    for k in (1, 2, 3):
        out[f"month_day_{k}"] = first[pos] == k
    for k in (1, 2):
        out[f"month_last_{k}"] = last[pos] == k
    day = dates.day.to_numpy()
    for k in range(31 // MONTH_PART_DAYS + 1):
        out[f"month_part_{k + 1}"] = (day - 1) // MONTH_PART_DAYS == k
    return out


def day_noise(z: np.ndarray, normal: np.ndarray) -> float:
    """Variance of one normal day's log total around its local level (robust: from the
    median absolute deviation from a centred 15-day rolling median)."""
    values = pd.Series(z[normal])
    if len(values) < 15:
        return 0.01
    resid = values - values.rolling(15, center=True, min_periods=5).median()
    mad = float(np.nanmedian(np.abs(resid)))
    return (1.4826 * mad) ** 2


def dates_text(dates: pd.DatetimeIndex, limit: int = 6) -> str:
    """Dates for a message: the first `limit`, then how many more."""
    text = ", ".join(str(d.date()) for d in dates[:limit])
    return text + (f" and {len(dates) - limit} more" if len(dates) > limit else "")
