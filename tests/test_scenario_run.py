"""Scenarios end to end on a small slice of the sample: two queues, eight agents, Double 11
alone, a roster time limit of a few seconds. Real forecaster, staffing, solver, projection."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from planning.cli import main
from planning.sample import sample_file
from planning.scenario_compare import (
    ALL_QUEUES,
    DAILY_COLUMNS,
    METRICS,
    compare_scenarios,
    peak_day,
    peak_day_intervals,
)
from planning.scenario_run import run_scenario
from planning.scenario_store import reproduce_scenario, save_scenario, scenario_plans
from planning.scenarios import ScenarioError, read_scenario
from planning.workspace import Workspace

QUEUES = ("presales_chat", "order_hotline")
pytestmark = pytest.mark.slow  # about a minute: three real runs, a reproduction, the CLI
DAY = pd.Timestamp("2026-11-11")
COMMON = """\
base: {history: history.csv, queues: queues.csv, agents: agents.csv, shifts: shifts.yaml,
       events: events.csv}
horizon: {start: 2026-11-11, days: 1}
model: profile
roster_time_limit: 3
volume:
  - {event: double11, uplift: learnt}
"""
SCENARIOS = {
    "base": "name: base\n" + COMMON,
    "chatbot": "name: chatbot\n" + COMMON + "deflection: {presales_chat: 0.3}\n",
    "temps": "name: temps\n" + COMMON + """\
shifts:
  templates:
    temp_6h: {earliest_start: "08:00", latest_start: "18:00", lengths: ["6:00"],
              breaks: [{name: break, length: 15, window: ["2:00", "3:30"]}]}
agents:
  add:
    - {count: 4, prefix: T, queues: [presales_chat], shifts: [temp_6h], max_hours_week: 30}
""",
}


def write_slice(folder: Path) -> dict[str, Path]:
    """The small base plan as files, and the three scenario files beside them."""
    history = pd.read_csv(sample_file("history.csv"), parse_dates=["interval_start"])
    history = history[history["queue"].isin(QUEUES)
                      & (history["interval_start"] >= "2026-05-01")]
    history.to_csv(folder / "history.csv", index=False)
    queues = pd.read_csv(sample_file("queues.csv"))
    queues[queues["queue"].isin(QUEUES)].to_csv(folder / "queues.csv", index=False)
    pd.DataFrame({"agent_id": [f"A{i}" for i in range(1, 9)],
                  "name": [f"Agent {i}" for i in range(1, 9)],
                  "queues": ["presales_chat"] * 4 + ["order_hotline"] * 4,
                  "min_hours_week": 0, "max_hours_week": 40, "max_days_week": 5,
                  "unavailable": "", "shifts": "full_time"}).to_csv(folder / "agents.csv",
                                                                    index=False)
    shifts = yaml.safe_load(sample_file("shifts.yaml").read_text(encoding="utf-8"))
    shifts["queues"] = {q: v for q, v in shifts["queues"].items() if q in QUEUES}
    (folder / "shifts.yaml").write_text(yaml.safe_dump(shifts), encoding="utf-8")
    (folder / "events.csv").write_bytes(sample_file("events.csv").read_bytes())
    paths = {}
    for name, text in SCENARIOS.items():
        paths[name] = folder / f"{name}.yaml"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    paths = write_slice(folder)
    ws = Workspace(folder / "workspace")
    steps: list[str] = []
    results = {}
    for name, path in paths.items():
        results[name] = run_scenario(read_scenario(path), ws,
                                     progress=lambda s, f: steps.append(s))
        save_scenario(ws, results[name])
    assert set(steps) == {"forecast", "requirements", "roster", "projection"}
    return folder, ws, paths, results


def _by_queue(frame: pd.DataFrame, queue: str, col: str) -> np.ndarray:
    rows = frame[frame["queue"] == queue].sort_values("interval_start")
    return rows[col].to_numpy(dtype=float)


def test_deflection_takes_exactly_30_percent_of_chat_and_never_adds_staff(runs):
    _, _, _, r = runs
    base, bot = r["base"], r["chatbot"]
    assert np.allclose(_by_queue(bot.forecast, "presales_chat", "contacts"),
                       0.7 * _by_queue(base.forecast, "presales_chat", "contacts"), rtol=1e-12)
    assert np.array_equal(_by_queue(bot.forecast, "order_hotline", "contacts"),
                          _by_queue(base.forecast, "order_hotline", "contacts"))
    before = _by_queue(base.requirements, "presales_chat", "staff")
    after = _by_queue(bot.requirements, "presales_chat", "staff")
    assert (after <= before + 1e-9).all() and after.sum() < before.sum()
    assert np.array_equal(_by_queue(bot.requirements, "order_hotline", "staff"),
                          _by_queue(base.requirements, "order_hotline", "staff"))


def test_temps_add_rostered_staff_and_paid_hours(runs):
    _, _, _, r = runs
    base = r["base"].daily.set_index("queue")
    temps = r["temps"].daily.set_index("queue")
    assert temps.loc[ALL_QUEUES, "rostered_agents"] > base.loc[ALL_QUEUES, "rostered_agents"]
    assert temps.loc[ALL_QUEUES, "rostered_staff"] > base.loc[ALL_QUEUES, "rostered_staff"]
    assert temps.loc[ALL_QUEUES, "rostered_staff_hours"] > base.loc[ALL_QUEUES,
                                                                  "rostered_staff_hours"]
    assert temps.loc[ALL_QUEUES, "paid_hours"] > base.loc[ALL_QUEUES, "paid_hours"]
    roster = r["temps"].roster
    temp_rows = roster[roster["agent_id"].str.startswith("T")]
    assert len(temp_rows) > 0
    assert set(temp_rows["queue"]) == {"presales_chat"}
    assert set(temp_rows["shift"]) == {"temp_6h"}
    length = pd.to_datetime(temp_rows["end"]) - pd.to_datetime(temp_rows["start"])
    assert (length == pd.Timedelta(hours=6)).all()
    # 6-hour shifts with a paid break: each temp row adds 6 paid hours
    assert temps.loc["presales_chat", "paid_hours"] >= base.loc["presales_chat",
                                                                "paid_hours"] - 1e-9


def test_a_short_roster_says_by_how_much_and_where(runs):
    _, _, _, r = runs
    result = r["base"]
    short = result.shortfall
    assert not short.empty  # eight agents cannot staff Double 11
    row = short.set_index("queue").loc["presales_chat"]
    assert row["intervals_short"] > 0 and row["missing_agents_max"] >= 1
    assert row["missing_agent_hours"] > 0
    assert 0 <= row["service_level"] < row["target_service_level"]
    text = "\n".join(result.shortfall_text())
    assert "presales_chat on 2026-11-11" in text and "agent(s) missing" in text
    assert "against a target of 80%" in text


def test_daily_summary_and_comparison_columns(runs):
    _, _, _, r = runs
    daily = r["base"].daily
    assert list(daily.columns) == list(DAILY_COLUMNS)
    assert set(daily["queue"]) == {*QUEUES, ALL_QUEUES}
    assert daily["service_level"].between(0, 1).all()
    assert daily.set_index("queue")["first_response_seconds"].isna()["order_hotline"]
    total = daily.set_index("queue")
    assert np.isclose(total.loc[ALL_QUEUES, "contacts"],
                      total.loc[list(QUEUES), "contacts"].sum())
    assert np.isclose(total.loc[ALL_QUEUES, "contacts"], r["base"].forecast["contacts"].sum())
    assert np.isclose(total.loc[ALL_QUEUES, "paid_hours"], r["base"].roster_summary.paid_hours)
    assert total.loc[ALL_QUEUES, "rostered_staff_hours"] <= total.loc[ALL_QUEUES, "paid_hours"]
    assert total.loc[ALL_QUEUES, "rostered_staff"] <= total.loc[ALL_QUEUES, "rostered_agents"]
    comparison = compare_scenarios([r["base"].daily, r["chatbot"].daily, r["temps"].daily])
    assert list(comparison.columns) == [*DAILY_COLUMNS, *(f"{m}_change" for m in METRICS)]
    assert len(comparison) == 3 * len(daily)
    first = comparison[comparison["scenario"] == "base"]
    assert (first[[f"{m}_change" for m in METRICS]].fillna(0) == 0).all().all()
    bot = comparison[(comparison["scenario"] == "chatbot")
                     & (comparison["queue"] == "presales_chat")].iloc[0]
    assert np.isclose(bot["contacts_change"], -0.3 * total.loc["presales_chat", "contacts"])
    assert peak_day(daily) == DAY
    peak = peak_day_intervals({n: x.projection for n, x in r.items()}, DAY)
    assert set(peak["scenario"]) == set(r)
    assert set(peak["queue"]) == {*QUEUES, ALL_QUEUES}
    assert (peak["interval_start"].dt.normalize() == DAY).all()


def test_saved_runs_reproduce_and_refuse_changed_inputs(runs):
    folder, ws, _, r = runs
    saved = scenario_plans(ws)
    assert set(saved["scenario"]) == {"base", "chatbot", "temps"}
    plan_id = int(saved.set_index("scenario").loc["chatbot", "plan_id"])
    info = ws.plan(plan_id)
    assert info.inputs["scenario"]["yaml"] == SCENARIOS["chatbot"]
    hashes = info.inputs["scenario"]["input_hashes"]
    assert set(hashes) == {"history", "queues", "agents", "shifts", "events"}
    again = reproduce_scenario(ws, plan_id)
    for kind in ("forecast", "requirements", "roster", "projection"):
        pd.testing.assert_frame_equal(getattr(again, kind).reset_index(drop=True),
                                      ws.load_frame(plan_id, kind), check_dtype=False,
                                      obj=kind)
    with open(folder / "agents.csv", "a", encoding="utf-8") as handle:
        handle.write("A9,Agent 9,presales_chat,0,40,5,,full_time\n")
    with pytest.raises(ScenarioError, match="input agents .* has changed"):
        reproduce_scenario(ws, plan_id)


def test_impossible_scenarios_are_refused_before_solving(runs, tmp_path):
    folder, _, _, _ = runs
    cases = {
        "unknown queue": ("deflection: {presale: 0.3}\n", "unknown queue 'presale'"),
        "no agents": ("agents:\n  remove: {count: 50}\n", "more than the"),
        "horizon": ("volume:\n  - {dates: [2026-11-20], uplift: 2}\n", "outside the horizon"),
        "past": ("", "horizon.start: 2026-10-01 is inside the history"),
    }
    for label, (extra, message) in cases.items():
        path = folder / f"bad_{label.replace(' ', '_')}.yaml"
        common = COMMON.replace("2026-11-11", "2026-10-01") if label == "past" else COMMON
        path.write_text(f"name: {label}\n{common}{extra}", encoding="utf-8")
        with pytest.raises(ScenarioError, match=message):
            run_scenario(read_scenario(path))


def test_cli_compare_writes_the_comparison(runs, tmp_path, capsys):
    _, _, paths, _ = runs
    out = tmp_path / "comparison.csv"
    peak = tmp_path / "peak.csv"
    code = main(["scenario", "compare", str(paths["base"]), str(paths["chatbot"]),
                 "-o", str(out), "--peak", str(peak), "--no-save"])
    assert code == 0
    frame = pd.read_csv(out)
    assert set(frame["scenario"]) == {"base", "chatbot"}
    assert "service_level_change" in frame.columns
    assert set(pd.read_csv(peak)["scenario"]) == {"base", "chatbot"}
    captured = capsys.readouterr()
    assert "peak day 2026-11-11" in captured.out
    table = captured.out.split("all queues:")[1]
    assert re.search(r"\d+\.\d%", table)  # service level and abandonment in %
    assert not re.search(r"\d\.\d{3}", table)  # no unrounded floats
    assert "falls short of its targets" in captured.err


PAGE = str(Path(__file__).resolve().parents[1] / "dashboard" / "pages" / "scenarios.py")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_compares_saved_runs_and_builds_a_scenario_with_forms(runs, monkeypatch, lang):
    from streamlit.testing.v1 import AppTest

    from dashboard.figures_scenarios import label

    _, ws, _, _ = runs
    monkeypatch.setenv("WFM_WORKSPACE", str(ws.folder))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    assert len(at.multiselect(key="sc_pick").value) == 3
    saved, pivot = at.dataframe[0].value, at.dataframe[1].value
    assert len(saved) == 3 and len(pivot) == 3  # one row per scenario
    assert len(at.get("plotly_chart")) == 2  # the peak day per queue and per interval
    metrics = {m.label for m in at.metric}
    for key in ("service_level", "asa_seconds", "abandon_rate", "first_response_seconds",
                "sc_short_people", "sc_short_hours", "paid_hours", "sc_cost_card"):
        assert label(key, lang) in metrics, key
    shown = [m.value for m in at.metric] + saved.astype(str).values.ravel().tolist() \
        + pivot.astype(str).values.ravel().tolist()
    for bad in ("∞", "None", "nan", "inf"):
        assert not any(bad in v for v in shown), (bad, shown)
    words = " ".join(m.value for m in at.markdown)
    assert "presales_chat: " in words or "presales_chat：" in words  # a reason in words
    at.selectbox(key="sc_queue").set_value("presales_chat").run()
    assert not at.exception, at.exception

    # a scenario built with the forms is the same scenario as its YAML
    at.text_input(key="sc_name").set_value("form bot")
    at.number_input(key="sc_deflection").set_value(30.0)
    at.number_input(key="sc_temps").set_value(5)
    at.button(key="sc_build").click().run()
    assert not at.exception, at.exception
    text = at.text_area(key="sc_yaml_text").value
    assert "name: form bot" in text and "deflection:" in text and "count: 5" in text
    at.button(key="sc_check").click().run()
    assert any("form bot" in s.value for s in at.success)
    at.text_area(key="sc_yaml_text").set_value("name: x\ndeflection: {chat: 1.5}\n")
    at.button(key="sc_check").click().run()
    assert any("deflection.chat" in e.value for e in at.error)


def test_peak_figure_and_highlighted_differences(runs):
    from dashboard.figures_scenarios import change_colours, comparison_table, peak_day_figure

    _, _, _, r = runs
    peak = peak_day_intervals({n: x.projection for n, x in r.items()}, DAY)
    fig = peak_day_figure(peak, "presales_chat", lang="en")
    assert len(fig.data) == 4 * len(r)  # contacts, required, scheduled, service level
    assert {tr.legendgroup for tr in fig.data} == set(r)
    contacts = [tr for tr in fig.data if tr.name == "chatbot"][0]
    base = [tr for tr in fig.data if tr.name == "base"][0]
    assert np.allclose(np.asarray(contacts.y), 0.7 * np.asarray(base.y))
    assert "11.11" in fig.layout.title.text
    comparison = compare_scenarios([r["base"].daily, r["chatbot"].daily])
    colours = change_colours(comparison)
    bot = (comparison["scenario"] == "chatbot") & (comparison["queue"] == "presales_chat")
    assert colours.loc[bot, "contacts"].str.contains("background-color").all()
    assert (colours.loc[comparison["scenario"] == "base"] == "").all().all()
    hot = (comparison["scenario"] == "chatbot") & (comparison["queue"] == "order_hotline")
    assert (colours.loc[hot, "contacts"] == "").all()
    html = comparison_table(comparison, lang="zh").to_html()
    assert "服务水平" in html


def test_page_is_registered_in_the_app(runs, monkeypatch):
    from streamlit.testing.v1 import AppTest

    _, ws, _, _ = runs
    monkeypatch.setenv("WFM_WORKSPACE", str(ws.folder))
    at = AppTest.from_file(str(Path(PAGE).parents[2] / "app.py"), default_timeout=60)
    at.session_state["step_status"] = {}
    at.run()
    at.switch_page("dashboard/pages/scenarios.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Scenarios: compare peak-day plans"
    assert len(at.multiselect(key="sc_pick").value) == 3


def test_cli_run_writes_every_frame(runs, tmp_path, capsys):
    _, _, paths, _ = runs
    out = tmp_path / "chatbot"
    assert main(["scenario", "run", str(paths["chatbot"]), "-o", str(out), "--no-save"]) == 0
    for name in ("forecast", "requirements", "roster", "projection", "daily", "shortfall"):
        assert (out / f"{name}.csv").is_file()
    daily = pd.read_csv(out / "daily.csv")
    assert list(daily.columns) == list(DAILY_COLUMNS)
    assert "chatbot:" in capsys.readouterr().out


def test_a_saved_plan_can_be_the_base(runs):
    from planning.scenario_base import load_base
    from planning.scenarios import parse_scenario

    _, ws, _, r = runs
    sc = parse_scenario("name: from plan\nbase: {plan: 'Scenario: temps'}\n", source="p.yaml")
    base = load_base(sc, ws)
    assert set(base.agents["agent_id"]) == set(r["temps"].agents["agent_id"])
    assert "temp_6h" in base.shifts_text
    assert len(base.history) == len(r["temps"].history)
    assert base.hashes["agents"]["source"] == "plan Scenario: temps:agents"
    # the plan's roster is where the scenario's roster starts
    pd.testing.assert_frame_equal(base.roster, r["temps"].roster)
    missing = parse_scenario("name: x\nbase: {plan: nowhere}\n", source="p.yaml")
    with pytest.raises(ScenarioError, match="base.plan: no plan called 'nowhere'"):
        load_base(missing, ws)


def test_scenarios_run_together_share_the_forecast_and_unchanged_queues(runs):
    """One forecast for the three, requirements computed again only for the deflected
    queue, rosters in two processes: the same forecasts and requirements as one at a
    time, and rosters (deterministic time) of the same quality."""
    from planning.scenario_run import SharedWork, run_scenarios

    _, _, paths, alone = runs
    shared = SharedWork()
    together = run_scenarios([read_scenario(p) for p in paths.values()], processes=2,
                             shared=shared)
    assert shared.counts["forecast computed"] == 1
    assert shared.counts["forecast reused"] == 2
    # base: 2 queues computed; chatbot: presales_chat changed, order_hotline reused;
    # temps: both reused (only the team differs)
    assert shared.counts["queue requirements computed"] == 3
    assert shared.counts["queue requirements reused"] == 3
    # the first two are solved from scratch side by side (2 processes); the third
    # starts from the first one's roster
    assert shared.counts["roster warm-started"] == 1
    assert all("from the start roster" not in r.roster_summary.decomposition
               for r in together[:2])
    assert "from the start roster" in together[2].roster_summary.decomposition
    assert all(r.violations.empty for r in together)
    for name, result in zip(paths, together, strict=True):
        assert result.name == name
        pd.testing.assert_frame_equal(result.forecast, alone[name].forecast)
        pd.testing.assert_frame_equal(result.requirements, alone[name].requirements)
        assert result.roster_summary.under_hours == pytest.approx(
            alone[name].roster_summary.under_hours, rel=0.05, abs=1.0)
