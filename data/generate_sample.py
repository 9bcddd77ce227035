"""Generate the bundled sample: a fictional Chinese e-commerce customer-service centre.

Writes, beside this script, `sample/history.csv` (the interval-history frame of
DESIGN.md: queue, interval_start, contacts, aht_seconds at 15-minute intervals,
2024-10-01 to 2026-10-18), `sample/events.csv` (the planner's event file) and
`sample/queues.csv` (queue settings). Every assumption is listed in
data/README.md. The output is a pure function of SEED and the `holidays`
package's calendar for China: random numbers are drawn from a generator seeded
by (SEED, queue, day), so any slice of days can be regenerated on its own and
equals the same rows of the full file.

    .venv/bin/python data/generate_sample.py            # writes data/sample/
    .venv/bin/python data/generate_sample.py --out DIR  # writes elsewhere
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

SEED = 20241111
FIRST_DAY = dt.date(2024, 10, 1)
LAST_DAY = dt.date(2026, 10, 18)
SLOTS = 96  # 15-minute intervals per day
HOURS = (np.arange(SLOTS) + 0.5) / 4  # centre of each interval, in hours
TREND_PER_YEAR = 0.05  # mild growth of volume, +5 % a year
TREND_ORIGIN = dt.date(2025, 10, 1)  # the base volumes hold here
OUTAGE_DAY = dt.date(2025, 8, 14)  # Thursday: platform outage 14:00-16:30, then catch-up
OUT_DIR = Path(__file__).resolve().parent / "sample"

Knots = tuple[tuple[int, float], ...]
Bumps = tuple[tuple[float, float, float], ...]  # (centre hour, height, width in hours)


@dataclass(frozen=True)
class QueueSpec:
    """How one queue behaves: channel, hours, volume, weekly and intraday shape, AHT."""

    name: str
    channel: str
    opens: int  # hour; 0 with closes 24 means around the clock
    closes: int
    weekday_volume: float  # contacts on a normal weekday at TREND_ORIGIN
    week: tuple[float, ...]  # Monday..Sunday multipliers
    floor: float  # intraday base level inside opening hours
    weekday_bumps: Bumps
    weekend_bumps: Bumps
    aht: float  # seconds, on a normal weekday at midday
    spring_festival: Knots  # (days from lunar new year, multiplier)
    holiday: float  # multiplier on other public holidays and days off
    after_holiday: float  # first working day after a 3+ day break
    double11: Knots  # (days from 11 Nov, multiplier)
    s618: Knots  # (days from 18 Jun, multiplier)
    double12: Knots  # (days from 12 Dec, multiplier)
    midnight_share: dict[str, float]  # event -> share of the day in the 00:00 spike
    evening_share: float  # share of a pre-sale day in the 20:00 spike


QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec(
        name="presales_chat", channel="chat", opens=8, closes=24, weekday_volume=2500,
        week=(1.00, 0.98, 0.97, 0.98, 1.03, 1.18, 1.22),
        floor=0.35,
        weekday_bumps=((10.5, 0.9, 1.5), (15.3, 0.8, 2.0), (21.4, 1.6, 1.4),
                       (12.6, -0.25, 0.6), (18.4, -0.2, 0.7)),
        weekend_bumps=((11.2, 0.8, 1.7), (15.5, 0.9, 2.0), (21.4, 1.7, 1.5),
                       (18.4, -0.15, 0.7)),
        aht=340,
        spring_festival=((-25, 1.0), (-14, 0.95), (-8, 0.75), (-3, 0.45), (-1, 0.32),
                         (3, 0.35), (6, 0.55), (9, 0.8), (14, 0.95), (20, 1.0)),
        holiday=0.92, after_holiday=1.0,
        double11=((-23, 1.0), (-22, 2.0), (-21, 1.7), (-20, 1.5), (-19, 1.4), (-17, 1.3),
                  (-12, 1.3), (-11, 2.3), (-10, 2.1), (-9, 1.5), (-3, 1.5), (-2, 1.7),
                  (-1, 2.0), (0, 5.0), (1, 1.6), (2, 1.25), (3, 1.1), (5, 1.0)),
        s618=((-19, 1.0), (-18, 1.6), (-17, 1.4), (-16, 1.25), (-14, 1.2), (-4, 1.2),
              (-2, 1.3), (-1, 1.5), (0, 3.0), (1, 1.3), (2, 1.1), (4, 1.0)),
        double12=((-3, 1.0), (-2, 1.1), (-1, 1.2), (0, 1.9), (1, 1.15), (2, 1.0)),
        midnight_share={"double11": 0.13, "618": 0.10, "double12": 0.08},
        evening_share=0.15,
    ),
    QueueSpec(
        name="aftersales_chat", channel="chat", opens=8, closes=24, weekday_volume=3500,
        week=(1.12, 1.02, 0.98, 0.96, 0.94, 0.88, 0.92),
        floor=0.35,
        weekday_bumps=((10.6, 1.2, 1.6), (15.0, 1.0, 2.0), (20.9, 1.0, 1.5),
                       (12.6, -0.25, 0.6), (18.4, -0.15, 0.7)),
        weekend_bumps=((11.2, 0.9, 1.8), (15.0, 0.9, 2.0), (21.0, 1.1, 1.5),
                       (18.4, -0.1, 0.7)),
        aht=410,
        spring_festival=((-25, 1.0), (-18, 1.12), (-10, 1.15), (-6, 0.9), (-2, 0.45),
                         (0, 0.3), (4, 0.35), (7, 0.9), (9, 1.35), (12, 1.3), (18, 1.1),
                         (25, 1.0)),
        holiday=0.80, after_holiday=1.20,
        double11=((-23, 1.0), (-22, 1.15), (-18, 1.1), (-12, 1.1), (-11, 1.3), (-10, 1.4),
                  (-9, 1.45), (-7, 1.5), (-1, 1.4), (0, 2.0), (1, 2.6), (2, 2.7), (3, 2.5),
                  (5, 2.1), (8, 1.7), (11, 1.4), (14, 1.2), (17, 1.05), (19, 1.0)),
        s618=((-19, 1.0), (-18, 1.05), (-15, 1.15), (-1, 1.2), (0, 1.5), (1, 1.8), (2, 1.85),
              (4, 1.7), (8, 1.4), (12, 1.2), (15, 1.05), (17, 1.0)),
        double12=((-1, 1.0), (0, 1.2), (1, 1.35), (2, 1.4), (5, 1.2), (9, 1.05), (11, 1.0)),
        midnight_share={"double11": 0.05, "618": 0.04, "double12": 0.03},
        evening_share=0.05,
    ),
    QueueSpec(
        name="order_hotline", channel="voice", opens=9, closes=21, weekday_volume=1800,
        week=(1.10, 1.02, 1.00, 0.97, 0.93, 0.60, 0.50),
        floor=0.3,
        weekday_bumps=((10.5, 1.2, 1.3), (14.8, 1.0, 1.7), (19.5, 0.4, 1.2),
                       (12.4, -0.3, 0.6)),
        weekend_bumps=((11.0, 1.0, 1.5), (15.0, 0.9, 1.8), (19.5, 0.4, 1.2)),
        aht=240,
        spring_festival=((-25, 1.0), (-10, 1.05), (-5, 0.8), (-2, 0.5), (0, 0.35), (5, 0.4),
                         (8, 1.2), (12, 1.1), (20, 1.0)),
        holiday=0.50, after_holiday=1.25,
        double11=((-23, 1.0), (-22, 1.3), (-21, 1.15), (-19, 1.1), (-12, 1.1), (-11, 1.5),
                  (-10, 1.5), (-9, 1.2), (-1, 1.3), (0, 2.5), (1, 2.0), (2, 1.8), (3, 1.6),
                  (6, 1.35), (10, 1.15), (14, 1.0)),
        s618=((-19, 1.0), (-18, 1.15), (-17, 1.05), (-1, 1.1), (0, 1.8), (1, 1.5), (3, 1.3),
              (8, 1.1), (12, 1.0)),
        double12=((-1, 1.0), (0, 1.4), (1, 1.25), (3, 1.1), (6, 1.0)),
        midnight_share={},
        evening_share=0.0,
    ),
    QueueSpec(
        name="email", channel="email", opens=0, closes=24, weekday_volume=600,
        week=(1.20, 1.05, 1.00, 0.95, 0.85, 0.55, 0.55),
        floor=0.12,
        weekday_bumps=((10.5, 1.0, 1.8), (15.0, 0.9, 2.0), (21.0, 0.6, 1.8)),
        weekend_bumps=((11.5, 0.7, 2.0), (15.5, 0.7, 2.0), (21.0, 0.7, 1.8)),
        aht=540,
        spring_festival=((-25, 1.0), (-6, 0.9), (-1, 0.5), (6, 0.6), (8, 1.4), (12, 1.15),
                         (20, 1.0)),
        holiday=0.50, after_holiday=1.50,
        double11=((-23, 1.0), (-22, 1.1), (-12, 1.1), (-11, 1.2), (-10, 1.3), (-9, 1.25),
                  (0, 1.5), (1, 2.0), (2, 2.2), (4, 2.0), (8, 1.6), (12, 1.3), (15, 1.1),
                  (18, 1.0)),
        s618=((-19, 1.0), (-1, 1.05), (0, 1.2), (1, 1.5), (3, 1.5), (8, 1.3), (12, 1.1),
              (15, 1.0)),
        double12=((0, 1.0), (1, 1.15), (3, 1.2), (7, 1.05), (9, 1.0)),
        midnight_share={"double11": 0.02, "618": 0.015, "double12": 0.01},
        evening_share=0.0,
    ),
)

EVENT_ANCHORS = {"double11": (11, 11), "618": (6, 18), "double12": (12, 12)}
# Pre-sale days whose sale opens at 20:00 (days from the event day).
EVENING_OPENINGS = {"double11": (-22, -11), "618": (-18,)}
# The planner's event file: (name, month, day, days_before, days_after, years).
EVENT_ROWS = (
    ("double11", 11, 11, 22, 14, (2024, 2025, 2026)),
    ("double12", 12, 12, 2, 9, (2024, 2025, 2026)),
    ("618", 6, 18, 18, 14, (2025, 2026, 2027)),
)
SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


def china_calendar(years: range) -> tuple[set[dt.date], set[dt.date], dict[int, dt.date]]:
    """Days off, make-up working days and lunar new year's day per year, from `holidays`.

    The make-up working days are read from the "Day off (substituted from MM/DD/YYYY)"
    names the package gives; if a version lacks them, there are simply none.
    """
    cal = holidays.China(years=list(years), language="en_US")
    days_off = set(cal.keys())
    makeup: set[dt.date] = set()
    new_year: dict[int, dt.date] = {}
    for day, name in cal.items():
        for m in SUBSTITUTED.finditer(name):
            makeup.add(dt.date(int(m[3]), int(m[1]), int(m[2])))
        if "Spring Festival" in name and "observed" not in name:
            new_year[day.year] = min(day, new_year.get(day.year, day))
    return days_off, makeup - days_off, new_year


def _bumps(bumps: Bumps) -> np.ndarray:
    out = np.zeros(SLOTS)
    for centre, height, width in bumps:
        out += height * np.exp(-0.5 * ((HOURS - centre) / width) ** 2)
    return out


def _open_mask(spec: QueueSpec) -> np.ndarray:
    return (HOURS >= spec.opens) & (HOURS < spec.closes)


def _shape(spec: QueueSpec, bumps: Bumps, around_the_clock: bool) -> np.ndarray:
    """Intraday shape (sums to 1) inside opening hours; zero when closed."""
    level = np.maximum(spec.floor + _bumps(bumps), 0.03)
    if spec.opens > 0:  # a slower first hour after opening
        level = level * np.clip(HOURS - spec.opens, 0.45, 1.0)
    mask = _open_mask(spec)
    if around_the_clock and not mask.all():
        night = ~mask
        level = np.where(night, 0.05 + 0.5 * np.exp(-HOURS / 1.5), level)
        mask = np.ones(SLOTS, dtype=bool)
    level = np.where(mask, level, 0.0)
    return level / level.sum()


def _spike(start_hour: float, decay_slots: float, length: int) -> np.ndarray:
    first = int(start_hour * 4)
    out = np.zeros(SLOTS)
    out[first:first + length] = np.exp(-np.arange(length) / decay_slots)
    return out / out.sum()


MIDNIGHT_SPIKE = _spike(0.0, 2.5, 12)
EVENING_SPIKE = _spike(20.0, 2.0, 8)


def _event_offsets(days: pd.DatetimeIndex, month: int, day: int) -> np.ndarray:
    """Days from the nearest occurrence of the yearly date (negative before it)."""
    best = np.full(len(days), 10_000)
    for year in range(days.year.min() - 1, days.year.max() + 2):
        anchor = pd.Timestamp(year, month, day)
        off = np.asarray((days - anchor).days)
        best = np.where(np.abs(off) < np.abs(best), off, best)
    return best


def _knots(offsets: np.ndarray, knots: Knots) -> np.ndarray:
    xs = np.array([k[0] for k in knots], dtype=float)
    ys = np.array([k[1] for k in knots], dtype=float)
    inside = (offsets >= xs[0]) & (offsets <= xs[-1])
    return np.where(inside, np.interp(offsets, xs, ys), 1.0)


def _day_table(days: pd.DatetimeIndex) -> pd.DataFrame:
    """Calendar facts per day: weekday, days off, make-up days, breaks, event offsets."""
    days_off, makeup, new_year = china_calendar(range(days.year.min() - 1, days.year.max() + 2))
    dates = [d.date() for d in days]
    off = np.array([d in days_off for d in dates])
    work = np.array([d in makeup for d in dates])
    weekend = days.day_of_week >= 5
    rest = (off | weekend) & ~work
    holiday = off & ~work
    run_start = 0
    for i in range(1, len(dates) + 1):  # a weekend inside a holiday break is a holiday too
        if i == len(dates) or not rest[i]:
            if holiday[run_start:i].any():
                holiday[run_start:i] = True
            run_start = i + 1
    # first working day after a break of three or more days, and the day after it
    after = np.zeros(len(days))
    for i, d in enumerate(dates):
        if rest[i]:
            continue
        run = 0
        prev = d - dt.timedelta(days=1)
        while (prev in days_off or prev.weekday() >= 5) and prev not in makeup:
            run += 1
            prev -= dt.timedelta(days=1)
        if run >= 3:
            after[i] = 1.0
        elif run == 0 and i > 0 and after[i - 1] == 1.0:
            after[i] = 0.5
    anchors = sorted(new_year.values())
    ny = np.array([min((d - a).days for a in anchors if abs((d - a).days) < 200)
                   for d in dates])
    table = pd.DataFrame({
        "day_of_week": np.where(work, 3, days.day_of_week),  # make-up day counts as Thursday
        "holiday": holiday,
        "rest": rest,
        "after_break": after,
        "lunar_offset": ny,
    }, index=days)
    for name, (month, day) in EVENT_ANCHORS.items():
        table[name] = _event_offsets(days, month, day)
    return table


def _trend_and_season(days: pd.DatetimeIndex) -> np.ndarray:
    years = np.asarray((days - pd.Timestamp(TREND_ORIGIN)).days) / 365.25
    doy = days.day_of_year.to_numpy()
    season = (1 + 0.04 * np.cos(2 * np.pi * (doy - 335) / 365.25)
              + 0.02 * np.cos(4 * np.pi * (doy - 75) / 365.25))
    return (1 + TREND_PER_YEAR) ** years * season


def _daily_volume(spec: QueueSpec, table: pd.DataFrame) -> np.ndarray:
    """Expected contacts per day before noise."""
    days = table.index
    week = np.asarray(spec.week)[table["day_of_week"].to_numpy()]
    holiday = np.where(table["holiday"], spec.holiday, 1.0)
    after = 1 + (spec.after_holiday - 1) * table["after_break"].to_numpy()
    lunar = _knots(table["lunar_offset"].to_numpy(), spec.spring_festival)
    return (spec.weekday_volume * _trend_and_season(days) * week * holiday * after * lunar
            * _event_multiplier(spec, table))


def _event_multiplier(spec: QueueSpec, table: pd.DataFrame) -> np.ndarray:
    return (_knots(table["double11"].to_numpy(), spec.double11)
            * _knots(table["618"].to_numpy(), spec.s618)
            * _knots(table["double12"].to_numpy(), spec.double12))


def _intraday(spec: QueueSpec, table: pd.DataFrame) -> np.ndarray:
    """Share of each day's contacts per interval (rows sum to 1)."""
    weekday = _shape(spec, spec.weekday_bumps, False)
    weekend = _shape(spec, spec.weekend_bumps, False)
    rest = table["rest"].to_numpy()
    shares = np.where(rest[:, None], weekend, weekday)
    for event, share in spec.midnight_share.items():
        on_day = table[event].to_numpy() == 0
        if not on_day.any():
            continue
        base = _shape(spec, spec.weekday_bumps, True)  # chat opens around the clock
        shares[on_day] = (1 - share) * base + share * MIDNIGHT_SPIKE
    if spec.evening_share:
        for event, offsets in EVENING_OPENINGS.items():
            on_day = np.isin(table[event].to_numpy(), offsets)
            shares[on_day] = (1 - spec.evening_share) * shares[on_day] \
                + spec.evening_share * EVENING_SPIKE
    return shares


def _outage(spec: QueueSpec, table: pd.DataFrame) -> np.ndarray:
    """Interval multipliers for the planted outage: near zero 14:00-16:30, then catch-up."""
    out = np.ones((len(table), SLOTS))
    hit = np.asarray(table.index.date == OUTAGE_DAY)
    if not hit.any():
        return out
    down = (HOURS >= 14) & (HOURS < 16.5)
    catch = (HOURS >= 16.5) & (HOURS < 19)
    fade = 1 - (HOURS - 16.5) / 2.5
    if spec.channel == "email":  # mail still arrives; customers who cannot chat write
        row = np.where(down, 1.8, 1.0)
    else:
        low = 0.03 if spec.channel == "chat" else 0.06
        peak = 1.9 if spec.channel == "chat" else 2.2
        row = np.where(down, low, np.where(catch, 1 + (peak - 1) * fade, 1.0))
    out[hit] = row
    return out


def _aht_profile(spec: QueueSpec, table: pd.DataFrame) -> np.ndarray:
    """Expected AHT per interval: by queue, time of day, day type, events and trend."""
    h = HOURS
    if spec.channel == "chat":
        tod = 1 + 0.14 * np.clip((h - 21) / 3, 0, 1) + 0.15 * (h < 8) + 0.03 * (h < 9) \
            - 0.04 * np.exp(-0.5 * ((h - 15) / 2) ** 2)
    elif spec.channel == "voice":
        tod = 1 + 0.10 * np.clip((h - 18) / 3, 0, 1) + 0.04 * (h < 10) \
            - 0.03 * np.exp(-0.5 * ((h - 14) / 2) ** 2)
    else:
        tod = 1 + 0.15 * ((h < 7) | (h >= 22))
    years = np.asarray((table.index - pd.Timestamp(TREND_ORIGIN)).days) / 365.25
    day = (1 - 0.02 * years) * np.where(table["rest"], 1.03, 1.0)
    busy = _event_multiplier(spec, table)
    if spec.name == "aftersales_chat":
        busy_effect = 1 + 0.06 * np.clip(busy - 1, 0, 1)  # returns take longer
    else:
        busy_effect = 1 - 0.15 * np.clip((busy - 1) / 4, 0, 1)  # quick questions in peaks
    return spec.aht * (day * busy_effect)[:, None] * tod[None, :]


def generate_history(first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY,
                     seed: int = SEED) -> pd.DataFrame:
    """The sample interval history for days `first`..`last` (inclusive), all queues.

    Noise is drawn per (seed, queue, day), so a slice equals the same rows of the full run.
    Closed intervals hold 0 contacts and 0 AHT.
    """
    days = pd.date_range(first, last, freq="D")
    pad = pd.Timedelta(days=30)  # so that breaks cut by the slice edges are seen whole
    table = _day_table(pd.date_range(days[0] - pad, days[-1] + pad, freq="D")).loc[days]
    offsets = pd.to_timedelta(np.arange(SLOTS) * 15, unit="min")
    frames = []
    for q_index, spec in enumerate(QUEUES):
        mean_day = _daily_volume(spec, table)
        lam = mean_day[:, None] * _intraday(spec, table) * _outage(spec, table)
        aht_mean = _aht_profile(spec, table)
        contacts = np.zeros(lam.shape, dtype=np.int64)
        aht = np.zeros(lam.shape)
        for i, day in enumerate(days):
            rng = np.random.default_rng([seed, q_index, day.toordinal()])
            day_noise = rng.lognormal(0.0, 0.04)  # day-to-day over-dispersion
            slot_noise = rng.gamma(100.0, 1 / 100.0, SLOTS)  # interval over-dispersion
            n = rng.poisson(lam[i] * day_noise * slot_noise)
            z = rng.standard_normal(SLOTS)
            sigma = np.sqrt(0.03**2 + 0.5**2 / np.maximum(n, 1))  # mean of n handle times
            ratio = np.clip(np.exp(sigma * z - sigma**2 / 2), 0.5, 2.0)
            contacts[i] = n
            aht[i] = np.where(n > 0, np.round(aht_mean[i] * ratio, 1), 0.0)
        starts = (days.values[:, None] + offsets.values[None, :]).ravel()
        frames.append(pd.DataFrame({
            "queue": spec.name,
            "interval_start": starts,
            "contacts": contacts.ravel(),
            "aht_seconds": aht.ravel(),
        }))
    return pd.concat(frames, ignore_index=True)


def events_frame() -> pd.DataFrame:
    """The planner's event file for the sample: shopping festivals and the outage."""
    rows = [(name, f"{y}-{m:02d}-{d:02d}", f"{y}-{m:02d}-{d:02d}", before, after)
            for name, m, d, before, after, years in EVENT_ROWS for y in years]
    rows.sort(key=lambda r: (r[1], r[0]))
    rows.append(("outage", OUTAGE_DAY.isoformat(), OUTAGE_DAY.isoformat(), 0, 0))
    return pd.DataFrame(rows, columns=["name", "start", "end", "days_before", "days_after"])


def queues_frame() -> pd.DataFrame:
    """Queue settings: service-level targets, occupancy cap, shrinkage, chat concurrency.

    Shrinkage is only the time off the phones the roster does not plan (absence,
    training, meetings): breaks and lunch are placed by the roster itself. Email is
    worked 08:00-20:00 (as in `shifts.yaml`), so its deadline counts those hours.
    """
    targets = {  # channel -> (service_level, target_seconds, concurrency, patience_seconds)
        "chat": (0.8, 60, 3, 300),
        "voice": (0.8, 20, 1, 120),
        "email": (0.9, 14400, 1, None),
    }
    rows = []
    for spec in QUEUES:
        sl, target, conc, patience = targets[spec.channel]
        rows.append({"queue": spec.name, "channel": spec.channel, "service_level": sl,
                     "target_seconds": target, "asa_seconds": None, "max_occupancy": 0.85,
                     "shrinkage": 0.15, "concurrency": conc, "patience_seconds": patience,
                     "open_hours": "08:00-20:00" if spec.channel == "email" else None})
    frame = pd.DataFrame(rows)
    return frame.astype({"patience_seconds": "Int64", "asa_seconds": "Int64"})


def write_history(history: pd.DataFrame, path: Path) -> None:
    """Write the history CSV in the tool's own format (local wall clock, AHT to 0.1 s)."""
    out = history.assign(
        interval_start=history["interval_start"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        aht_seconds=history["aht_seconds"].map("{:.1f}".format),
    )
    out.to_csv(path, index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_history(generate_history(), args.out / "history.csv")
    events_frame().to_csv(args.out / "events.csv", index=False, lineterminator="\n")
    queues_frame().to_csv(args.out / "queues.csv", index=False, lineterminator="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
