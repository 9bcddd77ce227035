"""Bounds on the dates of an imported history, checked where the rows enter.

A row dated 1970 or 2099 among rows of 2026 is a typo, not data: kept, it would
stretch the history over decades of empty intervals (millions of zero rows a
forecast then learns from). The bounds, listed in the README's table of bounds:

- no date before `EARLIEST` (1990-01-01);
- no date more than `MAX_DAYS_AHEAD` days after today;
- no gap of more than `MAX_GAP_DAYS` days without a row between two dates of the
  file (the rows outside the largest stretch of the history are named);
- a span of at most `MAX_HISTORY_YEARS` years from the first date to the last.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.history.read import Source
from forecasting.history.tally import DAY

EARLIEST = pd.Timestamp("1990-01-01")
MAX_DAYS_AHEAD = 366
MAX_GAP_DAYS = 400
MAX_HISTORY_YEARS = 20
"""Longest history span accepted, here and in the forecaster; a 1970 or 2099 date is a typo."""
_SHOWN_ROWS = 3


def _day(seconds: int) -> str:
    return f"{pd.Timestamp(int(seconds), unit='s'):%Y-%m-%d}"


def _also(source: Source, rows: np.ndarray) -> str:
    """ ' (also line 7, line 9 and 4 more)' for the rows after the first one named."""
    rest = rows[1:]
    if not rest.size:
        return ""
    shown = ", ".join(source.row(int(i)) for i in rest[:_SHOWN_ROWS])
    more = f" and {rest.size - _SHOWN_ROWS:,} more" if rest.size > _SHOWN_ROWS else ""
    return f" (also {shown}{more})"


def check_dates(starts: np.ndarray, column: str, source: Source, mask: np.ndarray | None,
                today: pd.Timestamp | None = None) -> None:
    """Refuse dates outside the module's bounds, naming the file, row and column.

    `starts` are local epoch seconds; only rows in `mask` (the contacts, not the rows
    excluded as not contacts) are checked. `today` defaults to the machine's date.
    """
    rows = np.arange(len(starts)) if mask is None else np.flatnonzero(mask)
    if not rows.size:
        return
    days = starts[rows] // DAY
    _check_gaps(days, rows, column, source)
    first, last = int(days.min()), int(days.max())
    earliest = int(EARLIEST.value // 10**9 // DAY)
    if first < earliest:
        early = rows[days < earliest]
        raise source.error(int(early[0]), column, f"{_day(starts[early[0]])} is before "
                           f"{EARLIEST:%Y-%m-%d}, the earliest date accepted; expected a date "
                           f"of the history{_also(source, early)}")
    today = (today or pd.Timestamp.now()).normalize()
    latest = int(today.value // 10**9 // DAY) + MAX_DAYS_AHEAD
    if last > latest:
        late = rows[days > latest]
        raise source.error(int(late[0]), column, f"{_day(starts[late[0]])} is more than "
                           f"{MAX_DAYS_AHEAD} days after today ({today:%Y-%m-%d}); expected a "
                           f"date of the history (a mistyped year?){_also(source, late)}")
    if last - first > MAX_HISTORY_YEARS * 365.25:
        i = int(rows[np.argmax(days)])
        raise source.error(i, column, f"the history runs from {_day(first * DAY)} to "
                           f"{_day(last * DAY)}, more than {MAX_HISTORY_YEARS} years; expected at "
                           f"most {MAX_HISTORY_YEARS} years (import the recent years only)")


def _check_gaps(days: np.ndarray, rows: np.ndarray, column: str, source: Source) -> None:
    """Refuse rows cut off from the rest of the history by more than `MAX_GAP_DAYS`."""
    distinct = np.unique(days)
    cuts = np.flatnonzero(np.diff(distinct) > MAX_GAP_DAYS)
    if not cuts.size:
        return
    bounds = np.r_[0, cuts + 1, distinct.size]
    lows, highs = distinct[bounds[:-1]], distinct[bounds[1:] - 1]
    sizes = [int(((days >= lo) & (days <= hi)).sum()) for lo, hi in zip(lows, highs,
                                                                       strict=True)]
    main = int(np.argmax(sizes))
    lo, hi = int(lows[main]), int(highs[main])
    outside = rows[(days < lo) | (days > hi)]
    i = int(outside[0])
    day = int(days[rows == i][0])
    away = lo - day if day < lo else day - hi
    raise source.error(i, column, f"{_day(day * DAY)} is {away:,} days away from the other "
                       f"rows ({_day(lo * DAY)} to {_day(hi * DAY)}, {sizes[main]:,} rows); "
                       f"{outside.size:,} row{'s lie' if outside.size != 1 else ' lies'} more than "
                       f"{MAX_GAP_DAYS} days outside them{_also(source, outside)}; expected one "
                       "history without such a gap (a mistyped year?)")
