"""Email deadlines counted in open hours, checked by hand and by a minute-by-minute replay."""

import numpy as np
import pandas as pd
import pytest

from scheduling.deferred import clear_backlog, deferred_requirement
from scheduling.projection import project
from scheduling.queue_settings import QueueSettingsError, open_intervals, queue_settings_frame
from scheduling.staffing import requirements

HOUR = 3600.0


def office_hours(days: int = 2) -> np.ndarray:
    starts = pd.date_range("2026-11-02", periods=24 * days, freq="h")
    return open_intervals(starts, "08:00-20:00")


def test_night_email_is_due_four_open_hours_after_opening():
    contacts = np.zeros(24)
    contacts[3] = 1  # one email of 1,200 s of work at 03:00
    r = deferred_requirement(contacts, 1200, HOUR, 4 * HOUR, 1.0, office_hours(1))
    assert r.agents.tolist() == [0] * 8 + [1] * 4 + [0] * 12
    assert r.service_level[3] == 1.0
    # The replay spreads an interval's served work over the interval: worked
    # 08:00-09:00, mean 08:30, 5 hours after the middle of its arrival interval (03:30).
    assert r.asa_seconds[3] == pytest.approx(5 * HOUR)


def test_clock_deadline_cannot_be_met_at_night_but_open_hours_can():
    contacts = np.zeros(24)
    contacts[3] = 1
    agents = np.array([0] * 8 + [1] * 12 + [0] * 4)
    clock, _, _, _ = clear_backlog(contacts, 1200, agents, HOUR, 4 * HOUR, 1.0)
    hours, _, _, _ = clear_backlog(contacts, 1200, agents, HOUR, 4 * HOUR, 1.0,
                                   open_intervals=office_hours(1))
    assert clock[3] == 0.0 and hours[3] == 1.0


def minute_replay(work: np.ndarray, agents: np.ndarray, is_open: np.ndarray,
                  occupancy: float) -> np.ndarray:
    """Clock minute at which each interval's work is finished, working FIFO minute by minute."""
    queue: list[list[float]] = []
    finished = np.full(work.size, np.inf)
    for i in range(work.size):
        if work[i] > 0:
            queue.append([i, work[i]])
        elif not queue:
            finished[i] = i * 60.0
        for minute in range(60):
            capacity = agents[i] * 60.0 * occupancy if is_open[i] else 0.0
            while queue and capacity > 1e-9:
                take = min(capacity, queue[0][1])
                queue[0][1] -= take
                capacity -= take
                if queue[0][1] <= 1e-9:
                    finished[int(queue.pop(0)[0])] = i * 60.0 + minute + 1
    return finished


def test_every_deadline_met_in_a_minute_by_minute_replay():
    rng = np.random.default_rng(7)
    is_open = office_hours(3)
    contacts = rng.poisson(6, is_open.size).astype(float)
    aht = rng.uniform(300, 900, is_open.size)
    r = deferred_requirement(contacts, aht, HOUR, 4 * HOUR, 0.85, is_open)
    assert (r.agents[~is_open] == 0).all()
    finished = minute_replay(contacts * aht, r.agents, is_open, 0.85)
    open_index = np.flatnonzero(is_open)
    rank = np.cumsum(is_open) - is_open
    for i in np.flatnonzero(contacts > 0):
        if rank[i] + 3 >= open_index.size:
            continue  # due after the horizon
        due_minute = (open_index[rank[i] + 3] + 1) * 60
        assert finished[i] <= due_minute + 1e-6, f"interval {i} finished late"
    assert (r.service_level[contacts > 0][: -8] == 1.0).all()
    # One agent fewer in a busy open hour misses some deadline in both replays.
    fewer = r.agents.copy()
    busiest = int(np.argmax(np.where(is_open, r.agents, -1)))
    fewer[busiest] -= 1
    short, _, _, _ = clear_backlog(contacts, aht, fewer, HOUR, 4 * HOUR, 0.85,
                                   open_intervals=is_open)
    late = minute_replay(contacts * aht, fewer, is_open, 0.85)
    due = np.array([(open_index[min(rank[i] + 3, open_index.size - 1)] + 1) * 60
                    for i in range(is_open.size)])
    assert (short < 1.0).any() == (late > due + 1e-6).any()


def test_open_hours_setting_is_checked_and_reaches_staffing_and_projection():
    settings = pd.DataFrame([{"queue": "email", "channel": "email",
                              "open_hours": "8:00 - 20:00", "shrinkage": 0}])
    assert queue_settings_frame(settings)["open_hours"].tolist() == ["08:00-20:00"]
    with pytest.raises(QueueSettingsError, match="queue 'email'.*open_hours must look like"):
        queue_settings_frame(settings.assign(open_hours="8 to 20"))
    with pytest.raises(QueueSettingsError, match="open_hours is for email"):
        queue_settings_frame(settings.assign(channel="voice"))
    starts = pd.date_range("2026-11-02", periods=48, freq="h")
    forecast = pd.DataFrame({"queue": "email", "interval_start": starts,
                             "contacts": 4.0, "aht_seconds": 600.0})
    need = requirements(forecast, settings)
    hours = need["interval_start"].dt.hour
    assert (need.loc[(hours < 8) | (hours >= 20), "agents"] == 0).all()
    assert need.loc[(hours >= 8) & (hours < 20), "agents"].sum() > 0
    roster = pd.DataFrame({
        "agent_id": [f"E{i}" for i in range(5) for _ in range(2)],
        "date": pd.to_datetime(["2026-11-02", "2026-11-03"] * 5),
        "shift": "day", "queue": "email", "breaks": "",
        "start": pd.to_datetime(["2026-11-02 08:00", "2026-11-03 08:00"] * 5),
        "end": pd.to_datetime(["2026-11-02 20:00", "2026-11-03 20:00"] * 5),
    })
    projected = project(roster, forecast, settings)
    night = projected["interval_start"].dt.hour < 8
    # 48 emails (8 hours of work) overnight, 5 agents from 08:00 clear them by about
    # 10:15, before the 12:00 deadline that counts open hours.
    assert (projected.loc[night & (projected["interval_start"].dt.day == 3),
                          "service_level"] == 1.0).all()
    clock = project(roster, forecast, settings.assign(open_hours=""))
    # In clock time an email that arrives before 04:00 is due before anyone starts.
    early = clock["interval_start"].dt.hour < 4
    assert (clock.loc[early, "service_level"] == 0.0).all()


def test_email_after_the_last_opening_is_not_counted_as_never_handled():
    """Email arriving after 20:00 on the horizon's last day is due the next morning, past
    the horizon: the projection works it at the horizon's usual staffing, so a team that
    keeps up shows it handled in time with a finite ASA (not 0% and ∞)."""
    settings = pd.DataFrame([{"queue": "email", "channel": "email", "service_level": 0.9,
                              "target_seconds": 4 * HOUR, "open_hours": "08:00-20:00",
                              "shrinkage": 0}])
    starts = pd.date_range("2026-11-02", periods=48, freq="h")
    forecast = pd.DataFrame({"queue": "email", "interval_start": starts,
                             "contacts": 4.0, "aht_seconds": 600.0})
    roster = pd.DataFrame({
        "agent_id": [f"E{i}" for i in range(5) for _ in range(2)],
        "date": pd.to_datetime(["2026-11-02", "2026-11-03"] * 5),
        "shift": "day", "queue": "email", "breaks": "",
        "start": pd.to_datetime(["2026-11-02 08:00", "2026-11-03 08:00"] * 5),
        "end": pd.to_datetime(["2026-11-02 20:00", "2026-11-03 20:00"] * 5),
    })
    projected = project(roster, forecast, settings)
    last_evening = projected["interval_start"] >= pd.Timestamp("2026-11-03 20:00")
    assert (projected.loc[last_evening, "service_level"] == 1.0).all()
    assert np.isfinite(projected["asa_seconds"]).all()
    assert not projected["below_target"].any()
