"""Requirements frame, deferred email work and `wfm staff`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planning.cli import main
from scheduling.deferred import clear_backlog, deferred_requirement
from scheduling.frames import REQUIREMENTS_COLUMNS
from scheduling.queue_settings import read_queue_settings
from scheduling.staffing import StaffingError, requirements


def forecast_frame(queue_contacts: dict[str, list[float]], aht: float = 180.0,
                   start: str = "2026-11-02 08:00", freq: str = "30min") -> pd.DataFrame:
    parts = []
    for queue, contacts in queue_contacts.items():
        starts = pd.date_range(start, periods=len(contacts), freq=freq)
        parts.append(pd.DataFrame({
            "queue": queue, "interval_start": starts, "contacts": contacts,
            "contacts_lo": contacts, "contacts_hi": contacts, "aht_seconds": aht,
            "model": "test",
        }))
    return pd.concat(parts, ignore_index=True)


SETTINGS = pd.DataFrame({
    "queue": ["calls", "calls_a", "web", "inbox"],
    "channel": ["voice", "voice", "chat", "email"],
    "patience_seconds": [np.nan, 120.0, np.nan, np.nan],
    "concurrency": [np.nan, np.nan, 3, np.nan],
})


def test_published_example_through_the_requirements_frame():
    fc = forecast_frame({"calls": [100, 100, 0]})
    seen = []
    req = requirements(fc, SETTINGS.iloc[[0]], progress=seen.append)
    assert tuple(req.columns) == REQUIREMENTS_COLUMNS
    assert req["agents"].tolist() == [14, 14, 0]
    assert req["staff"].tolist() == [20, 20, 0]
    assert req["service_level"].iloc[0] == pytest.approx(0.888, abs=5e-4)
    assert req["occupancy"].iloc[0] == pytest.approx(0.714, abs=5e-4)
    assert seen and seen[-1] == 1.0
    capped = SETTINGS.iloc[[0]].assign(max_occupancy=0.7)
    assert requirements(fc, capped)["staff"].tolist() == [22, 22, 0]


def test_every_channel_is_staffed():
    fc = forecast_frame({"calls": [100, 300], "calls_a": [100, 300], "web": [60, 200],
                         "inbox": [40, 10]}, aht=300)
    req = requirements(fc, SETTINGS, fractional=True).set_index("queue")
    assert (req["agents"] > 0).all()
    assert (req.loc[["calls", "calls_a", "web"], "service_level"] >= 0.8).all()
    assert (req.loc["inbox", "service_level"] == 1.0).all()
    # Abandoning callers shorten the queue: Erlang A never needs more than Erlang C here.
    assert (req.loc["calls_a", "agents"].to_numpy() <= req.loc["calls", "agents"].to_numpy()).all()
    assert req.loc["calls", "fractional_agents"].notna().all()
    assert (req["occupancy"] <= 0.85 + 1e-9).all()
    assert (req["staff"] >= req["agents"] / 0.7 - 1e-9).all()


def test_interval_length_is_inferred_from_spacing():
    fc15 = forecast_frame({"calls": [50, 50]}, freq="15min")
    fc30 = forecast_frame({"calls": [50, 50]}, freq="30min")
    a15 = requirements(fc15, SETTINGS.iloc[[0]])["agents"].iloc[0]
    a30 = requirements(fc30, SETTINGS.iloc[[0]])["agents"].iloc[0]
    assert a15 > a30  # the same contacts in half the time need more agents
    single = forecast_frame({"calls": [50]})
    with pytest.raises(StaffingError, match="interval length"):
        requirements(single, SETTINGS.iloc[[0]])
    assert requirements(single, SETTINGS.iloc[[0]], interval_minutes=30)["agents"].iloc[0] == a30


def test_unknown_queue_and_bad_forecast_refused():
    with pytest.raises(StaffingError, match=r"\['mystery'\].*queue settings"):
        requirements(forecast_frame({"mystery": [1, 2]}), SETTINGS)
    bad = forecast_frame({"calls": [10, 10]})
    bad.loc[1, "aht_seconds"] = -5
    with pytest.raises(StaffingError, match="'calls'.*aht_seconds"):
        requirements(bad, SETTINGS)
    bad = forecast_frame({"calls": [10, 10]}).drop(columns="contacts")
    with pytest.raises(StaffingError, match="contacts"):
        requirements(bad, SETTINGS)
    with pytest.raises(ValueError, match="shrinkage"):
        requirements(forecast_frame({"calls": [1, 1]}), SETTINGS.assign(shrinkage=1.0))


def test_deferred_work_is_cleared_by_its_deadline():
    contacts = np.array([0, 10, 50, 80, 20, 0, 0, 0, 0, 0, 5, 0], dtype=float)
    r = deferred_requirement(contacts, 300, 1800, 4 * 3600, 0.85)
    assert np.all(r.service_level == 1.0)
    assert r.agents[0] == 0 and r.agents[-1] >= 0
    assert np.all(r.occupancy <= 0.85 + 1e-9)
    # One fewer agent in the busiest stretch breaks a deadline in the replay.
    fewer = r.agents.copy()
    fewer[3:9] -= 1
    in_time, _, _, _ = clear_backlog(contacts, 300, fewer, 1800, 4 * 3600, 0.85)
    assert in_time.min() < 1.0
    # A deadline of one interval staffs each interval for its own work.
    same = deferred_requirement(contacts, 300, 1800, 1800, 1.0)
    assert same.agents.tolist() == list(np.ceil(contacts * 300 / 1800).astype(int))


def test_wfm_staff_writes_the_requirements_file(tmp_path, sample_dir, capsys):
    fc = forecast_frame({"order_hotline": [100, 120, 0], "email": [10, 20, 0],
                         "presales_chat": [50, 60, 0]})
    fc_path = tmp_path / "forecast.csv"
    fc.to_csv(fc_path, index=False)
    out = tmp_path / "requirements.csv"
    assert main(["staff", str(fc_path), "--queues", str(sample_dir / "queues.csv"),
                 "-o", str(out)]) == 0
    req = pd.read_csv(out)
    assert tuple(req.columns) == REQUIREMENTS_COLUMNS
    assert len(req) == 9
    assert "wrote 9 rows" in capsys.readouterr().out


def test_wfm_staff_reports_bad_settings_cleanly(tmp_path, capsys):
    fc_path = tmp_path / "forecast.csv"
    forecast_frame({"calls": [10, 10]}).to_csv(fc_path, index=False)
    queues = tmp_path / "queues.csv"
    queues.write_text("queue,channel,shrinkage\ncalls,voice,1.2\n", encoding="utf-8")
    assert main(["staff", str(fc_path), "--queues", str(queues), "-o",
                 str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err
    assert "shrinkage" in err and "'calls'" in err and "Traceback" not in err
    assert read_queue_settings  # the reader is public API
