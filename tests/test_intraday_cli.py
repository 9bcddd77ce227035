"""`wfm intraday` end to end on small real files: exit 0 and the files on good input,
exit 2 with the file, row and column named on each bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from planning.cli import main

DAY = pd.Timestamp("2026-10-21")


def _shape(stamps: pd.DatetimeIndex, level: float) -> np.ndarray:
    return np.where((stamps.hour >= 8) & (stamps.hour < 20), level, 0.0)


@pytest.fixture()
def files(tmp_path):
    rng = np.random.default_rng(3)
    hist = pd.date_range(DAY - pd.Timedelta(days=42), DAY, freq="30min", inclusive="left")
    history = pd.concat([pd.DataFrame({"queue": q, "interval_start": hist,
                                       "contacts": rng.poisson(_shape(hist, lvl)),
                                       "aht_seconds": 300.0})
                         for q, lvl in (("chat", 2), ("voice", 10))], ignore_index=True)
    fc = pd.date_range(DAY, periods=2 * 48, freq="30min")
    forecast = pd.concat([pd.DataFrame({"queue": q, "interval_start": fc,
                                        "contacts": _shape(fc, lvl), "contacts_lo": 0.0,
                                        "contacts_hi": _shape(fc, lvl) * 1.3,
                                        "aht_seconds": 300.0, "model": "profile"})
                          for q, lvl in (("chat", 2), ("voice", 10))], ignore_index=True)
    done = fc[(fc >= DAY + pd.Timedelta(hours=8)) & (fc < DAY + pd.Timedelta(hours=11))]
    actuals = pd.concat([pd.DataFrame({"queue": q, "interval_start": done,
                                       "contacts": np.full(len(done), lvl)})
                         for q, lvl in (("chat", 2), ("voice", 18))], ignore_index=True)
    roster = pd.DataFrame({
        "agent_id": ["A1", "A2", "A3"], "date": str(DAY.date()), "shift": "day",
        "start": [f"{DAY.date()} 08:00"] * 3, "end": [f"{DAY.date()} 16:00"] * 3,
        "queue": ["chat", "chat", "voice"],
        "breaks": ["12:00-12:30", "12:30-13:00", "12:00-12:30"]})
    agents = pd.DataFrame({
        "agent_id": ["A1", "A2", "A3"], "name": ["Li", "Wang", "Zhang"],
        "queues": ["chat;voice", "chat", "voice"], "min_hours_week": 0,
        "max_hours_week": 40, "max_days_week": 5, "unavailable": ""})
    queues = pd.DataFrame({
        "queue": ["chat", "voice"], "channel": ["voice", "voice"],
        "service_level": [0.8, 0.8], "target_seconds": [20, 20], "asa_seconds": "",
        "max_occupancy": [0.9, 0.9], "shrinkage": [0.0, 0.0], "concurrency": [1, 1],
        "patience_seconds": "", "open_hours": ""})
    shifts = {"queues": {"chat": {"open": "08:00", "close": "20:00"},
                         "voice": {"open": "08:00", "close": "20:00"}},
              "templates": {"day": {"earliest_start": "08:00", "latest_start": "12:00",
                                    "lengths": ["8:00"],
                                    "breaks": [{"name": "lunch", "length": 30,
                                                "window": ["3:00", "5:00"]}]}}}
    out = {}
    for name, frame in (("history", history), ("forecast", forecast), ("actuals", actuals),
                        ("roster", roster), ("agents", agents), ("queues", queues)):
        out[name] = tmp_path / f"{name}.csv"
        frame.to_csv(out[name], index=False)
    out["shifts"] = tmp_path / "shifts.yaml"
    out["shifts"].write_text(yaml.safe_dump(shifts))
    out["dir"] = tmp_path
    return out


def _args(files, *extra, actuals=None, now="2026-10-21 11:00"):
    return [str(files["history"]), "--forecast", str(files["forecast"]), "--actuals",
            str(actuals or files["actuals"]), "--now", now,
            "-o", str(files["dir"] / "reforecast.csv"), *extra]


def test_reforecast_and_replan_write_their_files(files, capsys):
    d = files["dir"]
    code = main(["intraday", *_args(
        files, "--roster", str(files["roster"]), "--agents", str(files["agents"]),
        "--shifts", str(files["shifts"]), "--queues", str(files["queues"]),
        "--changes", str(d / "changes.csv"), "--projection", str(d / "projection.csv"),
        "--time-limit", "5", "--max-changed", "100")])
    out = capsys.readouterr().out
    assert code == 0, out
    reforecast = pd.read_csv(d / "reforecast.csv")
    voice = reforecast[(reforecast["queue"] == "voice") & (reforecast["source"] == "reforecast")
                       & (reforecast["forecast_contacts"] > 0)]
    assert (voice["contacts"] > voice["forecast_contacts"]).all()
    changes = pd.read_csv(d / "changes.csv")
    assert list(changes.columns) == ["agent_id", "change", "from", "to", "queue",
                                     "overtime_minutes"]
    assert ((changes["agent_id"] == "A1") & (changes["change"] == "move")
            & (changes["queue"] == "voice")).any()
    projection = pd.read_csv(d / "projection.csv")
    assert set(projection["plan"]) == {"before", "after"}
    assert "SL before" in out


def _bad_actuals(files, change) -> str:
    frame = pd.read_csv(files["actuals"])
    path = files["dir"] / "bad_actuals.csv"
    change(frame).to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize("change, expected", [
    (lambda f: f.assign(queue=np.where(f.index == 2, "billing", f["queue"])),
     "bad_actuals.csv, row 4, column queue: unknown queue 'billing'"),
    (lambda f: pd.concat([f, pd.DataFrame({"queue": ["chat"],
                                           "interval_start": ["2026-10-21 11:00:00"],
                                           "contacts": [3]})], ignore_index=True),
     "bad_actuals.csv, row 14, column interval_start: interval 2026-10-21 11:00 is not over"),
    (lambda f: f.iloc[::2],
     "bad_actuals.csv, row 3, column interval_start: the actuals use 60-minute intervals"),
    (lambda f: f.assign(contacts=np.where(f.index == 5, "many", f["contacts"])),
     "bad_actuals.csv, row 7, column contacts"),
])
def test_bad_actuals_exit_2_naming_file_row_and_column(files, capsys, change, expected):
    code = main(["intraday", *_args(files, actuals=_bad_actuals(files, change))])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_now_outside_the_forecast_exits_2(files, capsys):
    code = main(["intraday", *_args(files, now="2026-11-30 11:00")])
    err = capsys.readouterr().err
    assert code == 2 and "--now: now 2026-11-30 11:00 is outside the forecast" in err


def test_a_roster_without_agents_exits_2(files, capsys):
    code = main(["intraday", *_args(files, "--roster", str(files["roster"]))])
    assert code == 2
    assert "--roster needs --agents, --shifts and --queues" in capsys.readouterr().err


def test_a_roster_without_shifts_today_exits_2_naming_the_file(files, capsys):
    roster = pd.read_csv(files["roster"]).assign(date="2026-10-22",
                                                 start="2026-10-22 08:00",
                                                 end="2026-10-22 16:00")
    path = files["dir"] / "other_day.csv"
    roster.to_csv(path, index=False)
    code = main(["intraday", *_args(
        files, "--roster", str(path), "--agents", str(files["agents"]),
        "--shifts", str(files["shifts"]), "--queues", str(files["queues"]))])
    assert code == 2
    assert "other_day.csv: no shifts on 2026-10-21" in capsys.readouterr().err


@pytest.mark.parametrize("flag, value, expected", [
    ("--event-sd", "0", "--event-sd must be positive, got 0.0"),
    ("--overtime-hours-week", "-1", "--overtime-hours-week is hours 0-40, got -1.0"),
])
def test_bad_replan_numbers_exit_2(files, capsys, flag, value, expected):
    code = main(["intraday", *_args(files, flag, value)])
    assert code == 2 and expected in capsys.readouterr().err
