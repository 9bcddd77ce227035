"""`wfm capacity`: bad input refused naming file and field (exit 2, no traceback), and a
small end-to-end run checked by rostering the recommended team."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from planning.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
CAPACITY = SAMPLE / "capacity" / "double11_capacity.yaml"
LONG_RANGE = SAMPLE / "capacity" / "long_range.yaml"


def _write(tmp_path: Path, data: dict, name: str = "cap.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _capacity(**changes: object) -> dict:
    data = yaml.safe_load(CAPACITY.read_text(encoding="utf-8"))
    data["scenario"] = str(SAMPLE / "scenarios" / "double11_base.yaml")
    data["capacity"].update(changes)
    return data


def _refused(capsys: pytest.CaptureFixture, args: list[str], *fragments: str) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err


def test_sample_files_parse() -> None:
    from planning.capacity import read_capacity
    from planning.hiring import read_long_range

    spec = read_capacity(CAPACITY)
    assert spec.scenario.days == 7 and len(spec.levers.temps) == 4
    plan = read_long_range(LONG_RANGE)
    assert len(plan.weekly) == 52
    assert plan.policy.ramp[-1] == 1.0


@pytest.mark.parametrize("changes, fragments", [
    ({"temps": [{"template": "temp_6h", "queues": ["presales_chat"], "hourly_cost": -5,
                 "max_count": 3}]}, ("cap.yaml", "capacity.temps[0].hourly_cost", "negative")),
    ({"overtime": {"max_hours_week": 4, "hourly_cost": -1}},
     ("capacity.overtime.hourly_cost",)),
    ({"cross_skill": [{"from": "email", "to": "presales_chat", "cost_per_person": 10,
                       "max_people": 2, "proficiency": 1.2}]},
     ("capacity.cross_skill[0].proficiency",)),
    ({"colour": "blue"}, ("capacity.colour", "unknown key")),
    ({"temps": [{"template": "temp_6h", "queues": ["email"], "hourly_cost": 5,
                 "max_count": 3, "fee": -20}]}, ("capacity.temps[0].fee", "negative")),
    ({"cross_skill": [{"from": "order_hotline", "to": "presales_chat",
                       "cost_per_person": -300, "max_people": 2}]},
     ("capacity.cross_skill[0].cost_per_person", "negative")),
    ({"outsourcer": [{"queue": "email", "max_agents": 3, "hourly_cost": -70}]},
     ("capacity.outsourcer[0].hourly_cost", "negative")),
    ({"target": "fortnight"}, ("capacity.target", "fortnight", "interval")),
    ({"email": "hourly"}, ("capacity.email", "hourly", "backlog")),
])
def test_bad_capacity_files_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture,
                                        changes: dict, fragments: tuple[str, ...]) -> None:
    path = _write(tmp_path, _capacity(**changes))
    _refused(capsys, ["capacity", str(path), "-o", str(tmp_path / "out")], *fragments)


@pytest.mark.parametrize("temp, fragments", [
    ({"template": "nope_9h", "queues": ["presales_chat"], "hourly_cost": 5, "max_count": 3},
     ("capacity.temps[0].template", "nope_9h")),
    ({"template": "temp_6h", "queues": ["sales"], "hourly_cost": 5, "max_count": 3},
     ("capacity.temps[0].queues", "sales")),
    ({"cross_skill": [{"from": "order_hotline", "to": "sales", "cost_per_person": 300,
                       "max_people": 2}]}, ("capacity.cross_skill[0].to", "sales")),
    ({"outsourcer": [{"queue": "sales", "max_agents": 3, "hourly_cost": 70}]},
     ("capacity.outsourcer[0].queue", "sales")),
    ({"opening_hours": {"sales": {"open": "00:00", "close": "24:00"}}},
     ("capacity.opening_hours.sales", "unknown queue")),
])
def test_unknown_templates_and_queues_are_refused(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture, temp: dict,
                                                  fragments: tuple[str, ...]) -> None:
    changes = temp if "template" not in temp else {"temps": [temp]}
    path = _write(tmp_path, _capacity(**changes))
    _refused(capsys, ["capacity", str(path), "-o", str(tmp_path / "out")], "cap.yaml",
             *fragments)


@pytest.mark.parametrize("changes, fragments", [
    ({"class_size": {"min": 30, "max": 10}}, ("class_size.min", "above")),
    ({"cost_per_fte_week": -1}, ("cost_per_fte_week", "negative")),
    ({"ramp": [0.5, 1.2, 1.0]}, ("ramp",)),
    ({"ramp": [0.5, 0.8]}, ("ramp", "must end at 1.0")),
    ({"cost_per_hire": -100}, ("cost_per_hire", "negative")),
])
def test_bad_long_range_plans_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture,
                                          changes: dict, fragments: tuple[str, ...]) -> None:
    data = yaml.safe_load(LONG_RANGE.read_text(encoding="utf-8"))
    data["requirements"] = str(SAMPLE / "capacity" / "weekly_requirements.csv")
    data.update(changes)
    path = _write(tmp_path, data, "plan.yaml")
    _refused(capsys, ["capacity", "--long-range", str(path), "-o", str(tmp_path / "out")],
             "plan.yaml", *fragments)


def test_long_range_sample_writes_hiring_and_weekly(tmp_path: Path) -> None:
    assert main(["capacity", "--long-range", str(LONG_RANGE), "-o", str(tmp_path)]) == 0
    hiring = pd.read_csv(tmp_path / "hiring.csv")
    weekly = pd.read_csv(tmp_path / "weekly.csv")
    assert len(weekly) == 52 and len(hiring) >= 1
    assert (hiring["hires"].between(8, 25)).all()
    assert (weekly["available_fte"] + weekly["shortfall_fte"]
            >= weekly["required_fte"] - 1e-3).all()


def test_small_peak_day_is_goal_sought_and_checked_by_building(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """11.11 alone with 12 of today's agents: temps fill the day, night temps the hours
    before 08:00 once the chat queues may open; the recommended team is rostered by
    the real engine and projected, planned and rostered service level side by side."""
    data = _capacity(time_limit=30, roster_time_limit=10, cross_skill=[], overtime=None)
    base = yaml.safe_load((SAMPLE / "scenarios" / "double11_base.yaml").read_text())
    base.update({"name": "Double 11 day, small team", "horizon": {"start": "2026-11-11",
                                                                  "days": 1},
                 "agents": {"remove": {"count": 168}}})
    for key, value in base["base"].items():
        base["base"][key] = str(SAMPLE / Path(value).name)
    scenario = _write(tmp_path, base, "small.yaml")
    data["scenario"] = str(scenario)
    path = _write(tmp_path, data)
    out = tmp_path / "out"
    assert main(["capacity", str(path), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "trimmed by building" in printed, printed
    assert "  temp_6h (presales_chat, aftersales_chat): " in printed, printed
    for name in ("levers.csv", "daily.csv", "reasons.csv", "agents.csv", "shifts.yaml"):
        assert (out / name).is_file(), name
    levers = pd.read_csv(out / "levers.csv")
    assert levers["cost"].sum() > 0 and (levers["cost"] >= 0).all()
    assert "night_4h" in set(levers["template"].dropna())
    daily = pd.read_csv(out / "daily.csv")
    assert len(daily) == 4
    live = daily[daily["queue"] != "email"]  # email's deadline runs past a one-day horizon
    assert (live["service_level_planned"] >= live["target_service_level"]).all()
    assert daily["service_level_rostered"].between(0, 1).all()
    assert (daily["rostered_staff_hours"] > 0).all()
    agents = pd.read_csv(out / "agents.csv")
    assert len(agents) > 12
    temps = levers[levers["lever"] == "temps"]  # the counts follow the trimmed team
    assert temps["count"].sum() == agents["agent_id"].str.match(r"T[DENM]").sum()
    shifts = yaml.safe_load((out / "shifts.yaml").read_text())
    assert shifts["queues"]["presales_chat"]["open"] == "00:00"
