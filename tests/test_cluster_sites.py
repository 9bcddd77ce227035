"""Sites: a `site` column in agents and queue settings (with the site's time zone) makes
each site an independent part of the roster, which a cluster can solve side by side."""

from __future__ import annotations

import pandas as pd
import pytest

from scheduling.queue_settings import QueueSettingsError, queue_settings_frame
from scheduling.roster.decompose import queue_groups
from scheduling.roster.errors import RosterInputError
from scheduling.roster.inputs import agents_from_frame
from scheduling.roster.solve import build_problem
from scheduling.roster.synthetic import synthetic_requirements
from scheduling.roster.templates import shift_settings


def agents_table(sites: list[str], queues: list[str]) -> pd.DataFrame:
    n = len(sites)
    return pd.DataFrame({"agent_id": [f"A{i}" for i in range(n)],
                         "name": [f"Agent {i}" for i in range(n)], "queues": queues,
                         "min_hours_week": "24", "max_hours_week": "40",
                         "max_days_week": "5", "unavailable": "", "site": sites})


def test_each_site_is_its_own_part_of_the_roster():
    sites = ["sh", "sh", "sh", "cd", "cd", "xa"]
    queues = ["sh_chat", "sh_chat;sh_voice", "sh_voice", "cd_chat", "cd_chat", "xa_chat"]
    team = agents_from_frame(agents_table(sites, queues))
    assert [a.site for a in team] == sites
    names = ("sh_chat", "sh_voice", "cd_chat", "xa_chat")
    settings = shift_settings({
        "queues": {q: {"open": "08:00", "close": "20:00"} for q in names},
        "templates": {"day": {"earliest_start": "08:00", "latest_start": "12:00",
                              "lengths": ["8:00"]}}}, "test")
    req = synthetic_requirements({q: (480, 1200, 1.0) for q in names}, start="2026-10-19",
                                 seed=1)
    problem = build_problem(req, team, settings).problem
    parts = [sorted({problem.agents[a].agent_id for a in g}) for g in queue_groups(problem)]
    assert parts == [["A0", "A1", "A2"], ["A3", "A4"], ["A5"]]


def test_a_queue_served_from_two_sites_is_refused_naming_row_and_column():
    table = agents_table(["sh", "cd", "cd"], ["sh_chat", "cd_chat", "cd_chat;sh_chat"])
    with pytest.raises(RosterInputError, match=r"agents row 4 \(A2\), column site: 'cd' "
                       r"serves queue 'sh_chat', which site 'sh' serves \(row 2, A0\)"):
        agents_from_frame(table)


def test_an_agent_without_a_site_is_refused_when_others_have_one():
    with pytest.raises(RosterInputError, match=r"row 3 \(A1\), column site: empty"):
        agents_from_frame(agents_table(["sh", ""], ["a", "b"]))


def test_without_a_site_column_nothing_changes():
    table = agents_table(["x", "y"], ["a", "a;b"]).drop(columns="site")
    assert [a.site for a in agents_from_frame(table)] == ["", ""]


def queue_table(**extra) -> pd.DataFrame:
    return pd.DataFrame({"queue": ["sh_chat", "sh_voice", "cd_chat"],
                         "channel": ["chat", "voice", "chat"], **extra})


def test_queue_settings_carry_each_site_and_its_time_zone():
    frame = queue_settings_frame(queue_table(site=["sh", "sh", "cd"],
                                             time_zone=["Asia/Shanghai", "",
                                                        "Asia/Shanghai"]))
    assert frame["site"].tolist() == ["sh", "sh", "cd"]
    assert frame["time_zone"].tolist() == ["Asia/Shanghai"] * 3  # the site's zone filled in
    assert "site" not in queue_settings_frame(queue_table()).columns


@pytest.mark.parametrize(("sites", "zones", "words"), [
    (["sh", "sh", "cd"], ["Asia/Shanghai", "Mars/Olympus", ""],
     r"row 3, column time_zone: 'Mars/Olympus' is not a time zone"),
    (["sh", "sh", "cd"], ["Asia/Shanghai", "Asia/Tokyo", ""],
     r"row 3, column time_zone: site 'sh' is in Asia/Shanghai \(row 2\), not Asia/Tokyo"),
    (["sh", "", "cd"], ["", "", ""], r"row 3, column site: empty"),
])
def test_bad_sites_in_queue_settings_name_row_and_column(sites, zones, words):
    with pytest.raises(QueueSettingsError, match=words):
        queue_settings_frame(queue_table(site=sites, time_zone=zones), source="queues.csv")


def test_an_agent_serving_a_queue_of_another_site_in_the_queue_settings_is_refused():
    from planning.roster_step import RosterStepError, check_sites

    team = agents_from_frame(agents_table(["sh", "cd"], ["sh_chat", "cd_chat"]))
    settings = queue_settings_frame(pd.DataFrame({"queue": ["sh_chat", "cd_chat"],
                                                  "channel": "chat",
                                                  "site": ["sh", "sh"]}))
    with pytest.raises(RosterStepError, match="agent A1 of site 'cd' serves queue 'cd_chat', "
                       "which the queue settings put in site 'sh'"):
        check_sites(team, settings)
    check_sites(team, settings.assign(site=["sh", "cd"]))  # as the agents say: fine
    check_sites(team, settings.drop(columns=["site", "time_zone"]))  # no sites: nothing to check
