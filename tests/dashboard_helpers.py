"""Builders shared by the dashboard test files and tests/conftest.py: a hand-built plan
whose numbers are known, and opening a page of the app under Streamlit's AppTest.
Not a test module, so test files import it instead of importing each other."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from planning.plans import create_plan
from planning.settings import PlanSettings
from planning.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT = 60

PAGES = {
    "data": "dashboard/pages/data.py",
    "forecast": "dashboard/pages/forecast.py",
    "requirements": "dashboard/pages/requirements.py",
    "roster": "dashboard/pages/roster.py",
    "response": "dashboard/pages/response_times.py",
    "plans": "dashboard/pages/plans.py",
    "today": "dashboard/pages/today.py",
}


def _stamps(start: str, days: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=days * 48, freq="30min")


def hand_built_plan(ws: Workspace, name: str = "Hand-built week") -> int:
    """A plan with every frame filled with simple, known numbers."""
    queues = ["chat_a", "voice_b"]
    hist_stamps = _stamps("2026-10-05", 14)
    history = pd.concat([
        pd.DataFrame({"queue": q, "interval_start": hist_stamps,
                      "contacts": np.where(hist_stamps.hour.isin(range(8, 20)), k, 0),
                      "aht_seconds": 300.0})
        for q, k in zip(queues, (3, 5), strict=True)], ignore_index=True)
    fc_stamps = _stamps("2026-10-19", 2)
    forecast = pd.concat([
        pd.DataFrame({"queue": q, "interval_start": fc_stamps, "contacts": float(k),
                      "contacts_lo": k * 0.8, "contacts_hi": k * 1.2, "aht_seconds": 300.0,
                      "model": "weekday_mean"})
        for q, k in zip(queues, (10, 20), strict=True)], ignore_index=True)
    backtest = pd.DataFrame({
        "model": ["seasonal_naive", "seasonal_naive", "weekday_mean", "weekday_mean"],
        "queue": queues * 2, "day_type": "all", "wape": [0.121, 0.134, 0.087, 0.095],
        "coverage": 0.8, "intervals": 96, "fit_seconds": 0.01})
    requirements = forecast[["queue", "interval_start", "contacts", "aht_seconds"]].assign(
        agents=np.where(forecast["queue"] == "chat_a", 2, 5),
        staff=np.where(forecast["queue"] == "chat_a", 3, 8),
        service_level=0.85, asa_seconds=12.0, occupancy=0.7)
    requirements.loc[(requirements["queue"] == "voice_b")
                     & (requirements["interval_start"] == pd.Timestamp("2026-10-19 10:00")),
                     "staff"] = 13
    queue_settings = pd.DataFrame({
        "queue": queues, "channel": ["chat", "voice"], "service_level": [0.8, 0.8],
        "target_seconds": [60, 20], "asa_seconds": [np.nan, np.nan],
        "max_occupancy": [0.85, 0.85], "shrinkage": [0.3, 0.3], "concurrency": [2, 1],
        "patience_seconds": [300, 120]})
    agents = pd.DataFrame({
        "agent_id": ["A1", "A2", "A3"], "name": ["Li", "Wang", "Zhang"],
        "queues": ["chat_a", "voice_b", "chat_a;voice_b"], "min_hours_week": "8",
        "max_hours_week": "40", "max_days_week": "5", "unavailable": ""})
    roster = pd.DataFrame({
        "agent_id": ["A1", "A2", "A3", "A1"],
        "date": pd.to_datetime(["2026-10-19", "2026-10-19", "2026-10-19", "2026-10-20"]),
        "shift": ["early", "early", "late", "early"],
        "start": pd.to_datetime(["2026-10-19 08:00", "2026-10-19 08:00",
                                 "2026-10-19 12:00", "2026-10-20 08:00"]),
        "end": pd.to_datetime(["2026-10-19 16:00", "2026-10-19 16:00",
                               "2026-10-19 20:00", "2026-10-20 16:00"]),
        "queue": ["chat_a", "voice_b", "voice_b", "chat_a"],
        "breaks": ["12:00-12:30", "12:30-13:00", "16:00-16:30", ""]})
    coverage = requirements[["queue", "interval_start"]].assign(
        required=requirements["agents"], scheduled=1.0)
    coverage = coverage.assign(under=(coverage["required"] - 1).clip(lower=0), over=0.0)
    projection = requirements[["queue", "interval_start", "contacts"]].assign(
        required=requirements["agents"], scheduled=requirements["agents"],
        service_level=0.9, asa_seconds=8.0, abandon_rate=0.01, occupancy=0.7)
    miss = (projection["queue"] == "voice_b") & projection["interval_start"].isin(
        pd.to_datetime(["2026-10-19 09:00", "2026-10-19 09:30", "2026-10-20 18:00"]))
    projection.loc[miss, "service_level"] = 0.5
    projection.loc[miss, "asa_seconds"] = 45.0

    plan_id = create_plan(
        ws, name, history, source="test", queue_settings=queue_settings, agents=agents,
        settings=PlanSettings(forecast_days=2, model="weekday_mean", roster_time_limit=5))
    ws.save_frame(plan_id, "forecast", forecast)
    ws.save_frame(plan_id, "backtest", backtest)
    ws.save_frame(plan_id, "requirements", requirements)
    ws.save_frame(plan_id, "roster", roster,
                  meta={"status": "FEASIBLE", "under_hours": 42.5, "under_weighted": 320.0,
                        "under_bound": 300.0, "gap": 0.0625, "paid_hours": 32.0})
    ws.save_frame(plan_id, "coverage", coverage)
    ws.save_frame(plan_id, "violations", pd.DataFrame({"agent_id": ["A3"],
                                                       "rule": ["minimum_rest"],
                                                       "detail": ["9 h rest"]}))
    ws.save_frame(plan_id, "projection", projection)
    return plan_id


def open_page(page: str, plan_id: int, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["plan_id"] = plan_id
    at.session_state["step_status"] = {}
    at.session_state["lang"] = lang
    at.run()
    if page != "data":
        at.switch_page(PAGES[page])
        at.run()
    assert not at.exception, at.exception
    return at
