"""The scenario page's pieces without a solver: a form written as scenario YAML, the
reasons for a shortfall in words, the headline numbers of a run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.figures_scenarios import day_pivot, reason_text, scenario_colours
from planning.sample import sample_file
from planning.scenario_compare import REASON_COLUMNS, headline, shortfall_reasons
from planning.scenario_form import ScenarioForm, scenario_text
from planning.scenarios import parse_scenario

BASE = sample_file("scenarios/double11_base.yaml").read_text(encoding="utf-8")


def test_a_form_is_written_as_the_same_scenario_in_yaml():
    form = ScenarioForm(name="Bot and temps", horizon_days=3, uplift_percent=20,
                        uplift_queue="order_hotline", uplift_on="2026-11-11", aht_percent=10,
                        deflection_percent=30, deflection_queue="chat",
                        target_queue="order_hotline", target_service_level_percent=85,
                        target_seconds=30, shrinkage_percent=20, temps=12,
                        temp_template="part_time", temp_queues=("presales_chat",),
                        overtime_hours_week=4, remove_agents=3, open_queue="presales_chat",
                        open_from="00:00", open_until="24:00")
    scenario = parse_scenario(scenario_text(form, BASE), folder=sample_file("scenarios"))
    assert scenario.name == "Bot and temps" and scenario.days == 3
    assert scenario.base["agents"] == "../agents.csv"  # kept from the starting file
    assert [v.event for v in scenario.volume] == ["double11", None]
    assert scenario.volume[1].uplift == pytest.approx(1.2)
    assert scenario.volume[1].queues == ("order_hotline",)
    assert scenario.aht[0].change == pytest.approx(1.1) and scenario.aht[0].queues == ()
    assert scenario.deflection == {"chat": pytest.approx(0.3)}
    assert scenario.targets == {"order_hotline": {"service_level": pytest.approx(0.85),
                                                  "target_seconds": 30.0}}
    assert scenario.shrinkage == {"all": pytest.approx(0.2)}
    assert scenario.add_agents[0].count == 12 and scenario.add_agents[0].shifts == ("part_time",)
    assert scenario.remove_count == 3 and scenario.extra_hours_week == 4
    assert scenario.shifts["queues"]["presales_chat"] == {"open": "00:00", "close": "24:00"}


def test_an_empty_form_changes_nothing_but_the_name():
    text = scenario_text(ScenarioForm(name="Same"), BASE)
    scenario = parse_scenario(text, folder=sample_file("scenarios"))
    base = parse_scenario(BASE, folder=sample_file("scenarios"))
    assert scenario.name == "Same"
    assert (scenario.volume, scenario.days, scenario.deflection) == \
        (base.volume, base.days, base.deflection)


def _coverage() -> tuple[pd.DataFrame, pd.DataFrame]:
    stamps = pd.date_range("2026-11-11", periods=96, freq="15min")
    hour = stamps.hour
    under = np.where(hour < 8, 10.0, np.where((hour >= 20) & (hour < 22), 3.0, 0.0))
    coverage = pd.DataFrame({"queue": "presales_chat", "interval_start": stamps,
                             "required": under + 5, "scheduled": 5.0, "under": under,
                             "over": 0.0, "open": hour >= 8})
    requirements = pd.DataFrame({"queue": "presales_chat", "interval_start": stamps,
                                 "contacts": np.where(hour < 8, 75.0, 40.0)})
    return coverage, requirements


def test_shortfall_reasons_say_when_the_queue_is_closed_and_when_people_are_missing():
    coverage, requirements = _coverage()
    reasons = shortfall_reasons(coverage, requirements)
    assert list(reasons.columns) == list(REASON_COLUMNS)
    night, evening = reasons.iloc[0], reasons.iloc[1]
    assert (night["first"], night["last"], bool(night["closed"])) == ("00:00", "08:00", True)
    assert night["contacts"] == 32 * 75 and night["missing_agent_hours"] == 80
    assert (evening["first"], evening["last"], bool(evening["closed"])) == \
        ("20:00", "22:00", False)
    assert evening["missing_agents_max"] == 3
    words = reason_text(night, "en")
    assert words == ("presales_chat: 00:00–08:00 on Wed 11.11 has 2,400 contacts but the "
                     "queue is closed in the shift templates; allow a night template or open "
                     "the queue")
    assert "班次模板中该队列未开放" in reason_text(night, "zh")
    assert "short of up to 3 agents (6.0 agent-hours)" in reason_text(evening, "en")


def test_headline_numbers_never_infinite_and_one_colour_per_scenario():
    coverage, requirements = _coverage()
    projection = requirements.assign(
        required=coverage["required"], scheduled=coverage["scheduled"],
        service_level=0.5, asa_seconds=np.where(coverage["open"], 30.0, np.inf),
        abandon_rate=0.1)
    daily = pd.DataFrame({"scenario": "s", "queue": "all queues",
                          "date": pd.Timestamp("2026-11-11"), "contacts": 100.0,
                          "service_level": 0.5, "abandon_rate": 0.1, "paid_hours": 80.0,
                          "asa_seconds": np.inf}, index=[0])
    numbers = headline(daily, projection, coverage)
    assert numbers["asa_seconds"] == pytest.approx(30.0)
    assert numbers["no_wait_intervals"] == 32
    assert numbers["missing_agents_max"] == 10 and numbers["missing_agent_hours"] == 86
    colours = scenario_colours(["a", "b", "a", "c"])
    assert list(colours) == ["a", "b", "c"] and len(set(colours.values())) == 3
    pivot = day_pivot(daily.assign(asa_seconds=np.inf), "asa_seconds", lang="en")
    assert pivot.iloc[0, 0] == "–" and pivot.columns[0] == "Wed 11.11 ★"
