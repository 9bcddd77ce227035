"""Hand-built inputs for the capacity tests (not a test module, so test files may import
it): one day, two queues (voice, chat) at 30-minute intervals, a tiny team."""

from __future__ import annotations

import pandas as pd

from scheduling.queue_settings import queue_settings_frame
from scheduling.roster.inputs import Agent
from scheduling.roster.templates import ShiftSettings, shift_settings

DAY = pd.Timestamp("2026-11-11")


def settings() -> pd.DataFrame:
    return queue_settings_frame(pd.DataFrame([
        {"queue": "voice", "channel": "voice", "service_level": 0.8, "target_seconds": 20},
        {"queue": "chat", "channel": "chat", "service_level": 0.8, "target_seconds": 60,
         "concurrency": 2}]))


def requirements(staff: dict[str, int], hours: range = range(8, 16),
                  extra: dict[tuple[str, int], int] | None = None) -> pd.DataFrame:
    rows = []
    for q in ("voice", "chat"):
        for h in range(24):
            for m in (0, 30):
                need = staff.get(q, 0) if h in hours else 0
                need = (extra or {}).get((q, h), need)
                rows.append({"queue": q, "interval_start": DAY + pd.Timedelta(hours=h,
                                                                              minutes=m),
                             "contacts": 2.0 * need, "aht_seconds": 180.0,
                             "agents": need, "staff": need, "service_level": 0.8,
                             "asa_seconds": 10.0, "occupancy": 0.8})
    return pd.DataFrame(rows)


def shifts(templates: dict | None = None, open_from: str = "08:00") -> ShiftSettings:
    return shift_settings({
        "queues": {"voice": {"open": open_from, "close": "16:00"},
                   "chat": {"open": open_from, "close": "16:00"}},
        "templates": templates or {"day": {"earliest_start": "08:00", "latest_start": "08:00",
                                           "lengths": ["8:00"]}},
        "rules": {"days_off_per_week": None}})


def agent(i: int, queues: tuple[str, ...] = ("voice",), hours: float = 40) -> Agent:
    return Agent(f"A{i}", f"Agent {i}", queues, 0, hours, 5)
