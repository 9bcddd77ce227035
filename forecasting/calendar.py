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

SPRING_FESTIVAL_WINDOW = (10, 10)
HOLIDAY_WINDOW = (1, 1)


class CalendarError(ValueError):
    """The calendar cannot be built (unknown country, bad events)."""


class Calendar:
    """Special days by date: public holidays of one country, shopping events, planner events.

    Parameters
    ----------
    country: ISO code for the `holidays` package ("CN" by default), or None for no holidays.
    shopping: include Double 11 / 618 / 12.12 with their windows.
    events: the planner's events frame (see `forecasting.events`), optional.
    closed: days the contact centre is known to be closed (its holiday schedule, a
        planned shutdown): every model forecasts them as zero, and the daily-profile
        model treats the next open day as the first day after a closure.
    """

    def __init__(self, country: str | None = "CN", shopping: bool = True,
                 events: pd.DataFrame | None = None,
                 closed: Iterable[str | pd.Timestamp] | None = None) -> None:
        if country is not None and country.upper() not in holidays.list_supported_countries():
            raise CalendarError(f"country {country!r} is not known to the holidays package; "
                                "use an ISO code such as CN, US, GB, DE")
        self.country = country.upper() if country else None
        self.shopping = shopping
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
        then shopping events, then holidays.
        """
        start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
        cache = self.__dict__.setdefault("_days_cache", {})
        if (start, end) not in cache:
            cache[(start, end)] = self._days(start, end)
        return cache[(start, end)].copy()

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
                key = (distance, rank[rec.kind])
                offset = (day - rec.anchor).days
                if day not in best or key < best[day][0]:
                    best[day] = (key, rec.event, offset, rec.kind, distance == 0)
        out = pd.DataFrame(
            [(day, *v[1:]) for day, v in sorted(best.items())],
            columns=list(DAY_COLUMNS))
        out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
        out["offset"] = out["offset"].astype(int)
        return out

    def describe(self) -> str:
        """One line saying what the calendar holds."""
        parts = [f"public holidays of {self.country}" if self.country else "no public holidays"]
        if self.shopping:
            parts.append("shopping events " + ", ".join(e.name for e in SHOPPING_EVENTS))
        if self.events is not None:
            parts.append(f"{self.events['name'].nunique()} planner event(s)")
        if len(self.closed):
            parts.append(f"{len(self.closed)} known closed day(s)")
        return "; ".join(parts)


def _slug(name: str) -> str:
    name = re.sub(r"\(observed.*?\)|observed", "", name, flags=re.I)
    if re.search(r"chinese new year|spring festival|lunar new year", name, re.I):
        return "spring_festival"
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "holiday"


def _holiday_occurrences(country: str, years: list[int]) -> list[tuple]:
    """Group the holidays package's days into occurrences: consecutive days (gaps of up to
    two days, i.e. a weekend, are bridged) form one occurrence named after its first real
    holiday and anchored on it; Spring Festival is anchored on lunar new year's day.
    Weekend days worked in exchange for a day off (China's adjusted working days) become
    `makeup_workday` occurrences."""
    table = holidays.country_holidays(country, years=years)
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


def closed_days(calendar: Calendar | None, dates: pd.DatetimeIndex) -> np.ndarray:
    """Boolean per day of `dates`: a day the calendar says the centre is closed."""
    if calendar is None or not len(getattr(calendar, "closed", ())):
        return np.zeros(len(dates), dtype=bool)
    return np.isin(pd.DatetimeIndex(dates).normalize(), calendar.closed)
