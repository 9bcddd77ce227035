"""The calendar of special days: public holidays, shopping festivals and planner events.

Every special day gets an `event` name and an `offset` in days from the
occurrence's anchor day (negative before it), so the models can learn "what
the third day of the Spring Festival does to this queue" from past years and
apply it to the next one, whatever the date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import holidays
import numpy as np
import pandas as pd

from forecasting.events import check_events

DAY_COLUMNS = ("date", "event", "offset", "kind", "core")
LONG_BREAK_DAYS = 3


@dataclass(frozen=True)
class ShoppingEvent:
    """A yearly shopping festival on a fixed month/day with its build-up and tail."""

    name: str
    month: int
    day: int
    days_before: int
    days_after: int


SHOPPING_EVENTS = (
    ShoppingEvent("double_11", 11, 11, 22, 10),  # pre-sale from about 20 October
    ShoppingEvent("618", 6, 18, 17, 5),  # pre-sale from 1 June
    ShoppingEvent("double_12", 12, 12, 2, 3),
)

# the Spring Festival travel season (chunyun) runs 40 days, from about 15 days before
# lunar new year to 25 days after it; the days off start a day or two before new year
# and end about six days after it, hence 13 days before the first day off, 19 after the last
SPRING_FESTIVAL_WINDOW = (13, 19)
# holidays with a season of their own around them (the Spring Festival travel weeks):
# models learn their days like a shopping event's, not as one more ordinary holiday
SEASONAL_HOLIDAYS = ("spring_festival",)
HOLIDAY_WINDOW = (1, 1)


class CalendarError(ValueError):
    """The calendar cannot be built (unknown country, bad events)."""


class Calendar:
    """Special days by date: public holidays of one country, shopping events, planner events.

    Parameters
    ----------
    country: ISO code for the `holidays` package ("CN" by default), a market whose trading
        holidays the business keeps ("NYSE"), or None for no holidays.
    shopping: include Double 11 / 618 / 12.12 with their windows.
    events: the planner's events frame (see `forecasting.events`), optional.
    closed: days the contact centre is known to be closed (its holiday schedule, a
        planned shutdown): every model forecasts them as zero, and the daily-profile
        model treats the next open day as the first day after a closure.
    exclude: holiday and shopping events (by `event` name, e.g. `double_12`) that get no
        effect: left out of the occurrences, the day tables and the days off
        (`forecasting.calendar_fit.quiet_events` lists those the history does not show).
    """

    def __init__(self, country: str | None = "CN", shopping: bool = True,
                 events: pd.DataFrame | None = None,
                 closed: Iterable[str | pd.Timestamp] | None = None,
                 exclude: Iterable[str] = ()) -> None:
        if country is not None and country.upper() not in (
                *holidays.list_supported_countries(), *holidays.list_supported_financial()):
            raise CalendarError(f"country {country!r} is not known to the holidays package; "
                                "use an ISO code such as CN, US, GB, DE, or a market's "
                                "trading calendar such as NYSE")
        self.country = country.upper() if country else None
        self.shopping = shopping
        self.exclude = frozenset(exclude)
        self.events = check_events(events) if events is not None and len(events) else None
        try:
            self.closed = pd.DatetimeIndex(
                sorted({pd.Timestamp(d).normalize() for d in (closed or ())}))
        except (ValueError, TypeError) as exc:
            raise CalendarError(f"closed days: {exc}; expected dates such as 2026-09-07"
                                ) from exc

    def occurrences(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        """One row per event occurrence touching [start, end]: event, kind, anchor, first,
        last (the core days), days_before, days_after."""
        start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
        years = list(range(start.year - 1, end.year + 2))
        rows: list[tuple] = []
        if self.events is not None:
            for rec in self.events.itertuples(index=False):
                rows.append((rec.name, "planner", rec.start, rec.start, rec.end,
                             rec.days_before, rec.days_after))
        planner_days = {r[2] for r in rows}
        if self.shopping:
            for ev in SHOPPING_EVENTS:
                for year in years:
                    day = pd.Timestamp(year, ev.month, ev.day)
                    if day in planner_days:
                        continue  # the planner's own row for this festival wins
                    rows.append((ev.name, "shopping", day, day, day, ev.days_before,
                                 ev.days_after))
        if self.country:
            rows.extend(_holiday_occurrences(self.country, years))
        rows = [r for r in rows if r[0] not in self.exclude or r[1] == "planner"]
        occ = pd.DataFrame(rows, columns=["event", "kind", "anchor", "first", "last",
                                          "days_before", "days_after"])
        if occ.empty:
            return occ
        lo = occ["first"] - pd.to_timedelta(occ["days_before"], unit="D")
        hi = occ["last"] + pd.to_timedelta(occ["days_after"], unit="D")
        return occ[(hi >= start) & (lo <= end)].reset_index(drop=True)

    def days(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        """Special days in [start, end] (inclusive dates): date, event, offset, kind
        (holiday, shopping, planner, workday) and core (False in build-up and tail days).

        A day inside two windows goes to the occurrence whose core days are
        nearest (core days beat build-up and tail); ties go to planner events,
        then shopping events, then holidays. A make-up working day is
        `makeup_workday` only outside every other window.
        """
        start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
        cache = self.__dict__.setdefault("_days_cache", {})
        span = _years(start, end)
        if span not in cache:
            cache[span] = self._days(*span)
        return _between(cache[span], start, end)

    def _days(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        occ = self.occurrences(start, end)
        rank = {"planner": 0, "shopping": 1, "holiday": 2, "workday": 3}
        best: dict[pd.Timestamp, tuple] = {}
        for rec in occ.itertuples(index=False):
            first = rec.first - pd.Timedelta(days=int(rec.days_before))
            last = rec.last + pd.Timedelta(days=int(rec.days_after))
            for day in pd.date_range(max(first, start), min(last, end), freq="D"):
                if day < rec.first:
                    distance = (rec.first - day).days
                elif day > rec.last:
                    distance = (day - rec.last).days
                else:
                    distance = 0
                # a make-up working day inside another window keeps that window's
                # event (the working-day fact is in `breaks`)
                key = (distance if rec.kind != "workday" else 10_000, rank[rec.kind])
                offset = (day - rec.anchor).days
                if day not in best or key < best[day][0]:
                    best[day] = (key, rec.event, offset, rec.kind, distance == 0)
        out = pd.DataFrame(
            [(day, *v[1:]) for day, v in sorted(best.items())],
            columns=list(DAY_COLUMNS))
        out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
        out["offset"] = out["offset"].astype(int)
        return out

    def windows(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        """Every (day, event) pair of [start, end]: date, event, offset, kind, one row per
        event whose window holds the day (its nearest occurrence), so a day inside both
        a holiday and a shopping season belongs to both. Make-up working days are left
        to `breaks`."""
        start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
        cache = self.__dict__.setdefault("_windows_cache", {})
        span = _years(start, end)
        if span not in cache:
            rows: dict[tuple[pd.Timestamp, str], tuple] = {}
            for rec in self.occurrences(*span).itertuples(index=False):
                if rec.kind == "workday":
                    continue
                first = rec.first - pd.Timedelta(days=int(rec.days_before))
                last = rec.last + pd.Timedelta(days=int(rec.days_after))
                for day in pd.date_range(max(first, span[0]), min(last, span[1]), freq="D"):
                    distance = max((rec.first - day).days, (day - rec.last).days, 0)
                    key = (day, rec.event)
                    if key not in rows or distance < rows[key][0]:
                        rows[key] = (distance, (day - rec.anchor).days, rec.kind)
            cache[span] = pd.DataFrame(
                [(day, event, v[1], v[2]) for (day, event), v in sorted(rows.items())],
                columns=["date", "event", "offset", "kind"])
        return _between(cache[span], start, end)

    def breaks(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        """Working-day facts per day of [start, end]: `day_off` (a rest day of a break that
        holds a public holiday or a known closed day, weekends joined to it included),
        `makeup` (a weekend day worked in exchange for a day off) and `after_break` (1 on
        the first working day after a break of `LONG_BREAK_DAYS` or more rest days, 2 on
        the next one, else 0). Weekends are rest days unless worked as make-up days.

        These are the effects every holiday shares (people do not call on the day off,
        and call more when it ends), so a model can borrow them for a holiday it has
        never seen.
        """
        start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
        cache = self.__dict__.setdefault("_breaks_cache", {})
        span = _years(start, end)
        if span not in cache:
            cache[span] = self._breaks(*span)
        return _between(cache[span], start, end)

    def _breaks(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        pad = pd.Timedelta(days=21)
        span = pd.date_range(start - pad, end + pad, freq="D")
        holiday = np.isin(span, self.closed)
        makeup = np.zeros(len(span), dtype=bool)
        if self.country:
            occ = self.occurrences(span[0], span[-1])
            work = occ.loc[occ["kind"] == "workday", "anchor"]
            makeup = np.isin(span, pd.DatetimeIndex(work))
            table = holiday_table(self.country,
                                  list(range(span[0].year, span[-1].year + 1)))
            days = pd.DatetimeIndex([pd.Timestamp(d) for d, name in table.items()
                                     if _slug(name) not in self.exclude])
            holiday |= np.isin(span, days)
        holiday &= ~makeup
        rest = ((span.day_of_week.to_numpy() >= 5) | holiday) & ~makeup
        day_off = np.zeros(len(span), dtype=bool)
        after = np.zeros(len(span), dtype=int)
        i, n = 0, len(span)
        while i < n:
            if not rest[i]:
                i += 1
                continue
            j = i
            while j < n and rest[j]:
                j += 1
            if holiday[i:j].any():
                day_off[i:j] = True
            if j - i >= LONG_BREAK_DAYS and j < n:
                after[j] = 1
                if j + 1 < n and not rest[j + 1]:
                    after[j + 1] = 2
            i = j
        keep = (span >= start) & (span <= end)
        return pd.DataFrame({"date": span[keep].astype("datetime64[ns]"),
                             "day_off": day_off[keep], "makeup": makeup[keep],
                             "after_break": after[keep]})

    def describe(self) -> str:
        """One line saying what the calendar holds."""
        parts = [f"public holidays of {self.country}" if self.country else "no public holidays"]
        if self.shopping:
            parts.append("shopping events " + ", ".join(e.name for e in SHOPPING_EVENTS))
        if self.events is not None:
            parts.append(f"{self.events['name'].nunique()} planner event(s)")
        if len(self.closed):
            parts.append(f"{len(self.closed)} known closed day(s)")
        if self.exclude:
            parts.append("no effect for " + ", ".join(sorted(self.exclude)))
        return "; ".join(parts)


def _slug(name: str) -> str:
    name = re.sub(r"\(observed.*?\)|observed", "", name, flags=re.I)
    if re.search(r"chinese new year|spring festival|lunar new year", name, re.I):
        return "spring_festival"
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "holiday"


def _years(start: pd.Timestamp, end: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The whole calendar years holding [start, end]: the cache key of the day tables."""
    return pd.Timestamp(start.year, 1, 1), pd.Timestamp(end.year, 12, 31)


def _between(table: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    keep = (table["date"] >= start) & (table["date"] <= end)
    return table[keep].reset_index(drop=True)


def holiday_table(code: str, years: list[int]) -> holidays.HolidayBase:
    """Public holidays of a country, or the days a market is shut (a trading calendar such
    as NYSE, for a business that keeps its exchange's or its bank's holidays)."""
    if code not in holidays.list_supported_countries() and (
            code in holidays.list_supported_financial()):
        return holidays.financial_holidays(code, years=years)
    return holidays.country_holidays(code, years=years)


def _holiday_occurrences(country: str, years: list[int]) -> list[tuple]:
    """Group the holidays package's days into occurrences: consecutive days (gaps of up to
    two days, i.e. a weekend, are bridged) form one occurrence named after its first real
    holiday and anchored on it; Spring Festival is anchored on lunar new year's day.
    Weekend days worked in exchange for a day off (China's adjusted working days) become
    `makeup_workday` occurrences."""
    table = holiday_table(country, years)
    days = sorted(table.items())
    rows = []
    group: list[tuple] = []

    def flush() -> None:
        if not group:
            return
        real = [(d, n) for d, n in group if not re.match(r"day off|substitute", n, re.I)]
        name = _slug((real or group)[0][1])
        anchor = (real or group)[0][0]
        if name == "spring_festival":
            main = [d for d, n in group if re.search(r"spring festival", n, re.I)]
            anchor = main[0] if main else anchor
        before, after = SPRING_FESTIVAL_WINDOW if name == "spring_festival" else HOLIDAY_WINDOW
        rows.append((name, "holiday", pd.Timestamp(anchor), pd.Timestamp(group[0][0]),
                     pd.Timestamp(group[-1][0]), before, after))

    for day, name in days:
        swapped = re.search(r"substituted from (\d{1,2})/(\d{1,2})/(\d{4})", name)
        if swapped:  # the weekend day worked in exchange for this day off
            month, dom, year = (int(x) for x in swapped.groups())
            work = pd.Timestamp(year, month, dom)
            rows.append(("makeup_workday", "workday", work, work, work, 0, 0))
        if group and (day - group[-1][0]).days > 3:
            flush()
            group = []
        group.append((day, name))
    flush()
    return rows


def special_day_table(calendar: Calendar | None, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Event, offset, kind and core for each of `dates` (event None on normal days)."""
    frame = pd.DataFrame({"date": pd.DatetimeIndex(dates).normalize()})
    if calendar is None or len(dates) == 0:
        frame["event"] = pd.Series([None] * len(frame), dtype=object)
        frame["offset"] = np.zeros(len(frame), dtype=int)
        frame["kind"] = pd.Series([None] * len(frame), dtype=object)
        frame["core"] = np.zeros(len(frame), dtype=bool)
        return frame
    days = calendar.days(frame["date"].min(), frame["date"].max())
    out = frame.merge(days, on="date", how="left")
    out["offset"] = out["offset"].fillna(0).astype(int)
    out["core"] = out["core"].astype("boolean").fillna(False).astype(bool)
    for col in ("event", "kind"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def window_keys(calendar: Calendar | None, dates: pd.DatetimeIndex
                ) -> list[list[tuple[str, int, str]]]:
    """Per day of `dates`, the (event, offset, kind) of every event window holding it."""
    dates = pd.DatetimeIndex(dates).normalize()
    out: list[list[tuple[str, int, str]]] = [[] for _ in range(len(dates))]
    if calendar is None or len(dates) == 0:
        return out
    pos = {d: i for i, d in enumerate(dates)}
    table = calendar.windows(dates.min(), dates.max())
    for day, event, offset, kind in table.itertuples(index=False):
        i = pos.get(day)
        if i is not None:
            out[i].append((event, int(offset), kind))
    return out


def break_table(calendar: Calendar | None, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """`Calendar.breaks` for each of `dates` (all False / 0 without a calendar)."""
    dates = pd.DatetimeIndex(dates).normalize()
    if calendar is None or len(dates) == 0:
        return pd.DataFrame({"date": dates, "day_off": np.zeros(len(dates), dtype=bool),
                             "makeup": np.zeros(len(dates), dtype=bool),
                             "after_break": np.zeros(len(dates), dtype=int)})
    table = calendar.breaks(dates.min(), dates.max()).set_index("date")
    out = table.reindex(dates)
    return out.reset_index(names="date")


def closed_days(calendar: Calendar | None, dates: pd.DatetimeIndex) -> np.ndarray:
    """Boolean per day of `dates`: a day the calendar says the centre is closed."""
    if calendar is None or not len(getattr(calendar, "closed", ())):
        return np.zeros(len(dates), dtype=bool)
    return np.isin(pd.DatetimeIndex(dates).normalize(), calendar.closed)
