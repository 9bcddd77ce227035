"""Roster parts and scenarios through a cluster's mapper (a small in-process LocalCluster):
the same rosters as solved one after another, on deterministic time."""

from __future__ import annotations

import pandas as pd
import pytest

from planning.cluster import run_tasks
from scheduling.roster.checker import check_roster
from scheduling.roster.inputs import Agent
from scheduling.roster.solve import solve_roster
from scheduling.roster.synthetic import synthetic_requirements
from scheduling.roster.templates import shift_settings

pytestmark = pytest.mark.slow  # real CP-SAT solves, twice each
START = "2026-10-19"
SITES = ("sh", "cd", "xa")  # three sites, each its own chat queue and team
SETTINGS = {
    "queues": {f"{s}_chat": {"open": "08:00", "close": "20:00"} for s in SITES},
    "templates": {"day": {"earliest_start": "08:00", "latest_start": "12:00", "start_step": 60,
                          "lengths": ["8:00"],
                          "breaks": [{"length": 30, "window": ["3:00", "5:00"]}]}},
    "rules": {"fairness": False},
}


def site_team() -> list[Agent]:
    return [Agent(f"{s}{i}", f"{s} {i}", (f"{s}_chat",), 24, 40, 5, team=s)
            for s in SITES for i in range(4)]


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        yield client


def test_site_parts_on_a_cluster_give_the_roster_solved_one_after_another(client):
    settings = shift_settings(SETTINGS, "test")
    req = synthetic_requirements({f"{s}_chat": (480, 1200, 2.0) for s in SITES},
                                 start=START, seed=2)
    team = site_team()
    serial = solve_roster(req, team, settings, time_limit=3, seed=0)
    calls: list[int] = []

    def mapper(fn, items):
        calls.append(len(items))
        return run_tasks(fn, items, client=client)

    spread = solve_roster(req, team, settings, time_limit=3, seed=0, mapper=mapper)
    assert calls == [3]  # one task per site
    assert [p["queues"] for p in spread.parts] == [[f"{s}_chat"] for s in SITES]
    pd.testing.assert_frame_equal(serial.roster, spread.roster)
    pd.testing.assert_frame_equal(serial.coverage, spread.coverage)
    assert serial.under_bound == spread.under_bound
    assert check_roster(spread.roster, team, settings, START, 7) == []
    # on the wall clock each site, side by side, gets all the time left from its start
    wall = solve_roster(req, team, settings, time_limit=3, seed=0, deterministic=False,
                        mapper=mapper)
    assert calls == [3, 3] and len(wall.parts) == 3
    assert check_roster(wall.roster, team, settings, START, 7) == []


def test_scenarios_on_a_cluster_give_the_rosters_of_worker_processes(client, tmp_path):
    from cluster_helpers import scenario_slice

    from planning.scenario_run import run_scenarios
    from planning.scenarios import read_scenario

    scenarios = [read_scenario(path) for path in scenario_slice(tmp_path)]
    here = run_scenarios(scenarios, processes=1)
    there = run_scenarios(scenarios, processes=1,
                          mapper=lambda fn, items: run_tasks(fn, items, client=client))
    for a, b in zip(here, there, strict=True):
        assert a.name == b.name
        pd.testing.assert_frame_equal(a.roster, b.roster)
        pd.testing.assert_frame_equal(a.daily, b.daily)
