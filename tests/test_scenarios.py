"""Scenario files: every refusal names the file and field; changes are applied exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planning.cli import main
from planning.defaults import agents_table, read_queue_settings
from planning.sample import sample_file
from planning.scenario_changes import (
    apply_agent_changes,
    apply_queue_changes,
    apply_shift_changes,
    apply_volume_and_aht,
)
from planning.scenarios import (
    ScenarioError,
    parse_scenario,
    read_scenario,
)
from planning.steps import parse_shifts

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "sample" / "scenarios").glob("*.yaml"))


def _refused(text: str, *fragments: str) -> str:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, source="what_if.yaml")
    message = str(info.value)
    assert message.startswith("what_if.yaml: ")
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.mark.parametrize("text, fragments", [
    ("description: no name", ("name:", "needs a name")),
    ("[1, 2]", ("expected a mapping",)),
    ("name: x\nvolum: []", ("volum:", "unknown field")),
    ("name: x\nvolume:\n  - {dates: [2026-11-11], uplift: -0.5}",
     ("volume[0].uplift", "negative volume")),
    ("name: x\nvolume:\n  - {dates: [2026-11-11], uplift: learnt}",
     ("volume[0].uplift", "`learnt` needs an `event`")),
    ("name: x\nvolume:\n  - {uplift: 1.2}", ("volume[0]", "which days")),
    ("name: x\nvolume:\n  - {dates: [2026-13-40], uplift: 1.2}",
     ("volume[0].dates[0]", "YYYY-MM-DD")),
    ("name: x\nvolume:\n  - {start: 2026-11-12, end: 2026-11-10, uplift: 1.2}",
     ("volume[0].end", "before start")),
    ("name: x\ndeflection: {chat: 1.0}", ("deflection.chat", "every contact")),
    ("name: x\ndeflection: {chat: -0.1}", ("deflection.chat", "at least 0")),
    ("name: x\ndeflection: {chat: lots}", ("deflection.chat", "expected a number")),
    ("name: x\naht:\n  - {queues: [email]}", ("aht[0]", "missing `change`")),
    ("name: x\naht:\n  - {change: 0}", ("aht[0].change", "above 0")),
    ("name: x\ntargets: {email: {service_level: 1.5}}",
     ("targets.email.service_level", "at most 1")),
    ("name: x\ntargets: {email: {speed: 3}}", ("targets.email.speed", "unknown field")),
    ("name: x\nshrinkage: {all: 1}", ("shrinkage.all", "nobody on line")),
    ("name: x\nagents:\n  add:\n    - {queues: [email]}", ("agents.add[0].count", "missing")),
    ("name: x\nagents:\n  add:\n    - {count: 0, queues: [email]}",
     ("agents.add[0].count", "at least 1")),
    ("name: x\nagents:\n  add:\n    - {count: 2}", ("agents.add[0].queues", "missing")),
    ("name: x\nagents:\n  add:\n    - {count: 2, queues: [email], min_hours_week: 30,"
     " max_hours_week: 20}", ("agents.add[0].max_hours_week", "below min_hours_week")),
    ("name: x\nhorizon: {days: 0}", ("horizon.days", "at least 1")),
    ("name: x\nroster_time_limit: fast", ("roster_time_limit", "expected a number")),
    ("name: x\nbase: {agents: 3}", ("base.agents", "file path")),
    ("name: x\nshifts: {templates: [a]}", ("shifts.templates", "mapping")),
    ("name: x\novertime: {extra_hours_week: 100}", ("overtime.extra_hours_week", "at most 40")),
    ("name: [unclosed", ("not valid YAML",)),
    ("name: x\nmodel: crystal_ball", ("model:", "unknown model 'crystal_ball'")),
])
def test_bad_files_are_refused_naming_the_field(text, fragments):
    _refused(text, *fragments)


def test_the_three_sample_scenarios_parse():
    names = {p.name for p in SAMPLES}
    assert {"double11_base.yaml", "double11_chatbot.yaml", "double11_temps.yaml"} <= names
    for path in SAMPLES:
        sc = read_scenario(path)
        assert sc.start == pd.Timestamp("2026-11-09") and sc.days == 7
        assert sc.start <= pd.Timestamp("2026-11-11") < sc.start + pd.Timedelta(days=sc.days)
        assert sc.roster_time_limit <= 30
    assert read_scenario(ROOT / "data/sample/scenarios/double11_chatbot.yaml").deflection \
        == {"chat": 0.3}
    temps = read_scenario(ROOT / "data/sample/scenarios/double11_temps.yaml")
    assert sum(g.count for g in temps.add_agents) == 20


def _queue_settings() -> pd.DataFrame:
    return read_queue_settings(sample_file("queues.csv"))


def test_unknown_queue_is_refused_with_the_plans_queues():
    sc = parse_scenario("name: x\ndeflection: {presale_chat: 0.3}", source="s.yaml")
    with pytest.raises(ScenarioError, match=r"s.yaml: deflection.presale_chat: unknown queue "
                                            r"'presale_chat'; the plan has queues \["):
        apply_volume_and_aht(sc, _forecast(), None, None, _queue_settings())
    sc = parse_scenario("name: x\ntargets: {hotline: {service_level: 0.9}}", source="s.yaml")
    with pytest.raises(ScenarioError, match="targets.hotline: unknown queue 'hotline'"):
        apply_queue_changes(sc, _queue_settings())


def test_a_scenario_without_agents_is_refused():
    agents = agents_table(sample_file("agents.csv"))
    sc = parse_scenario(f"name: x\nagents:\n  remove: {{count: {len(agents)}}}", source="s.yaml")
    with pytest.raises(ScenarioError, match="s.yaml: agents: the scenario leaves no agents"):
        apply_agent_changes(sc, agents, _queue_settings(), sample_file("shifts.yaml")
                            .read_text())
    sc = parse_scenario("name: x\nagents:\n  remove: [A001, Z999]", source="s.yaml")
    with pytest.raises(ScenarioError, match="agents.remove: unknown agent 'Z999'"):
        apply_agent_changes(sc, agents, _queue_settings(), "")


def test_added_agents_need_known_templates_and_get_overtime():
    agents = agents_table(sample_file("agents.csv"))
    shifts = sample_file("shifts.yaml").read_text()
    sc = parse_scenario("name: x\nagents:\n  add:\n    - {count: 3, queues: [chat], "
                        "shifts: [temp_6h]}", source="s.yaml")
    with pytest.raises(ScenarioError, match=r"agents.add\[0\].shifts: unknown shift template "
                                            r"'temp_6h'"):
        apply_agent_changes(sc, agents, _queue_settings(), shifts)
    sc = parse_scenario(
        "name: x\nagents:\n  add:\n    - {count: 3, queues: [chat], shifts: [part_time],"
        " max_hours_week: 30}\n  remove: [A001]\novertime: {extra_hours_week: 4}",
        source="s.yaml")
    team = apply_agent_changes(sc, agents, _queue_settings(), shifts)
    assert len(team) == len(agents) - 1 + 3
    assert "A001" not in set(team["agent_id"])
    temps = team[team["agent_id"].str.startswith("T")]
    assert list(temps["agent_id"]) == ["T001", "T002", "T003"]
    assert set(temps["queues"]) == {"presales_chat;aftersales_chat"}
    assert set(temps["max_hours_week"]) == {"34"}
    before = agents.set_index("agent_id")["max_hours_week"].astype(float)
    after = team.set_index("agent_id")["max_hours_week"].astype(float)
    assert (after.loc["A002"] - before.loc["A002"]) == 4


def test_shift_changes_merge_and_are_validated_by_the_roster_library():
    base = sample_file("shifts.yaml").read_text()
    sc = parse_scenario("name: x\nshifts:\n  templates:\n    part_time: null\n    temp_6h:"
                        " {earliest_start: '08:00', latest_start: '16:00', lengths: ['6:00']}",
                        source="s.yaml")
    text = apply_shift_changes(sc, base)
    names = {t.name for t in parse_shifts(text).templates}
    assert names == {"full_time", "temp_6h"}
    bad = parse_scenario("name: x\nshifts:\n  templates:\n    temp_6h: {earliest_start:"
                         " '08:00', latest_start: '07:00', lengths: ['6:00']}", source="s.yaml")
    with pytest.raises(ScenarioError, match="s.yaml: shifts: .*temp_6h.*latest_start"):
        apply_shift_changes(bad, base)


def test_targets_and_shrinkage_change_only_what_they_name():
    sc = parse_scenario("name: x\ntargets: {order_hotline: {service_level: 0.9, "
                        "target_seconds: 15}}\nshrinkage: {chat: 0.4}", source="s.yaml")
    base = _queue_settings().set_index("queue")
    out = apply_queue_changes(sc, _queue_settings()).set_index("queue")
    assert out.loc["order_hotline", "service_level"] == 0.9
    assert out.loc["order_hotline", "target_seconds"] == 15
    assert out.loc["email", "service_level"] == base.loc["email", "service_level"]
    assert out.loc["presales_chat", "shrinkage"] == 0.4
    assert out.loc["aftersales_chat", "shrinkage"] == 0.4
    assert out.loc["order_hotline", "shrinkage"] == base.loc["order_hotline", "shrinkage"]


def _forecast() -> pd.DataFrame:
    stamps = pd.date_range("2026-11-10", periods=2 * 96, freq="15min")
    queues = _queue_settings()["queue"].tolist()
    rows = [{"queue": q, "interval_start": s, "contacts": 10.0 + i % 7,
             "contacts_lo": 8.0, "contacts_hi": 14.0, "aht_seconds": 300.0, "model": "test"}
            for q in queues for i, s in enumerate(stamps)]
    return pd.DataFrame(rows)


def test_deflection_uplift_and_aht_are_exact():
    from forecasting.calendar import Calendar

    forecast = _forecast()
    plain = forecast.assign(contacts=forecast["contacts"] / 2)
    sc = parse_scenario(
        "name: x\nvolume:\n  - {event: double11, uplift: 1.5, queues: [order_hotline]}\n"
        "deflection: {chat: 0.3}\naht:\n  - {queues: [email], change: 1.1, "
        "dates: [2026-11-10]}", source="s.yaml")
    out = apply_volume_and_aht(sc, forecast, plain, Calendar(shopping=True), _queue_settings())
    day = out["interval_start"].dt.normalize()
    chat = out["queue"].str.endswith("_chat")
    assert (out.loc[chat, "contacts"] == forecast.loc[chat, "contacts"] * 0.7).all()
    hot = out["queue"] == "order_hotline"
    on11 = day == pd.Timestamp("2026-11-11")
    assert (out.loc[hot & on11, "contacts"] == plain.loc[hot & on11, "contacts"] * 1.5).all()
    assert (out.loc[hot & ~on11, "contacts"] == forecast.loc[hot & ~on11, "contacts"]).all()
    email = out["queue"] == "email"
    assert (out.loc[email & ~on11, "aht_seconds"] == 330.0).all()
    assert (out.loc[email & on11, "aht_seconds"] == 300.0).all()
    assert (out.loc[~email, "aht_seconds"] == 300.0).all()


def test_an_event_outside_the_horizon_is_refused():
    from forecasting.calendar import Calendar

    sc = parse_scenario("name: x\nvolume:\n  - {event: 618, uplift: 2}", source="s.yaml")
    with pytest.raises(ScenarioError, match=r"volume\[0\].event: no event '618'"):
        apply_volume_and_aht(sc, _forecast(), _forecast(), Calendar(), _queue_settings())


def test_cli_refuses_a_bad_scenario_cleanly(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ndeflection: {chat: 2}\n", encoding="utf-8")
    assert main(["scenario", "run", str(path), "--no-save"]) == 2
    err = capsys.readouterr().err
    assert "wfm scenario: error:" in err and "deflection.chat" in err
    assert "Traceback" not in err


def test_base_roster_moves_by_whole_weeks_onto_the_horizon():
    from planning.scenario_run import roster_on_horizon

    roster = pd.DataFrame({
        "agent_id": ["A1", "A1"], "date": ["2026-11-02", "2026-11-08"],
        "shift": ["day", "day"],
        "start": pd.to_datetime(["2026-11-02 08:00", "2026-11-08 22:00"]),
        "end": pd.to_datetime(["2026-11-02 16:00", "2026-11-09 06:00"]),
        "queue": ["q", "q"], "breaks": ["12:00-12:30", ""]})
    moved = roster_on_horizon(roster, pd.Timestamp("2026-11-09"))  # one week later
    assert list(moved["date"]) == ["2026-11-09", "2026-11-15"]
    assert list(moved["start"]) == list(pd.to_datetime(["2026-11-09 08:00",
                                                        "2026-11-15 22:00"]))
    assert moved["end"].iloc[1] == pd.Timestamp("2026-11-16 06:00")
    assert list(moved["breaks"]) == list(roster["breaks"])  # clock times stay
    same = roster_on_horizon(roster, pd.Timestamp("2026-11-04"))  # nearest whole week: 0
    assert list(same["date"]) == list(roster["date"])


def test_run_together_refuses_a_bad_scenario_before_any_roster():
    """Every scenario is checked before the first roster starts solving, so a bad one
    given last is refused at once, naming its file."""
    from planning.scenario_run import SharedWork, run_scenarios

    folder = Path(__file__).resolve().parents[1] / "data" / "sample" / "scenarios"
    good = read_scenario(folder / "double11_base.yaml")
    bad = parse_scenario(good.text + "deflection: {presale: 0.3}\n", source="bad.yaml",
                         folder=folder)
    shared = SharedWork()
    with pytest.raises(ScenarioError, match="unknown queue 'presale'"):
        run_scenarios([good, bad], processes=2, shared=shared)
    assert "forecast computed" not in shared.counts  # refused before any forecast
