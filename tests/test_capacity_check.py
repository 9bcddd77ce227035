"""Trim by building: a recommended team padded with temps it does not need is cut back
by the real roster engine, each lever until a cut misses, and the plan's counts follow
the team."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest
import yaml

from planning.capacity import parse_capacity, run_capacity
from planning.capacity_check import (
    OVERTIME,
    check_by_building,
    cut_people,
    lever_people,
    misses,
    recheck,
    trim_by_building,
)
from planning.capacity_result import CapacityResult

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="module")
def small() -> CapacityResult:
    """11.11 alone with 12 of today's agents, temps on day and evening templates (no
    night template: the hours before 08:00 stay short), checked, not trimmed."""
    data = yaml.safe_load((SAMPLE / "capacity" / "double11_capacity.yaml").read_text())
    base = yaml.safe_load((SAMPLE / "scenarios" / "double11_base.yaml").read_text())
    base.update({"name": "Double 11 day, small team",
                 "horizon": {"start": "2026-11-11", "days": 1},
                 "agents": {"remove": {"count": 168}}})
    base["base"] = {k: str(SAMPLE / Path(v).name) for k, v in base["base"].items()}
    cap = data["capacity"]
    cap.update(time_limit=20, roster_time_limit=10, cross_skill=[],
               trim_by_building=False, run_out_days=0)
    cap["templates"].pop("night_4h")
    cap["temps"] = [t for t in cap["temps"] if t["template"] != "night_4h"]
    spec = parse_capacity(yaml.safe_dump({**base, "capacity": cap}), source="small.yaml")
    return run_capacity(spec)


def _pad(result: CapacityResult, prefix: str, n: int) -> None:
    """`n` more temps of the lever `prefix` in the team and the plan's counts."""
    agents = result.agents
    like = agents[agents["agent_id"].str.startswith(prefix)].iloc[[0] * n].copy()
    like["agent_id"] = [f"{prefix}p{k:02d}" for k in range(n)]
    result.agents = pd.concat([agents, like], ignore_index=True)
    t = next(t for t in result.spec.levers.temps if t.prefix == prefix)
    rows = ((result.plan.levers["lever"] == "temps")
            & (result.plan.levers["template"] == t.template)
            & (result.plan.levers["queue"] == ";".join(t.queues)))
    result.plan.levers.loc[rows, "count"] += n
    result.plan.temps[t.template] += n


@pytest.mark.slow
def test_a_padded_team_is_cut_back_until_a_cut_misses(small: CapacityResult) -> None:
    result = copy.deepcopy(small)
    assert not result.cuts  # trim by building was off
    lever = min((t.prefix for t in result.spec.levers.temps
                 if len(lever_people(result, t.prefix)) >= 3),
                key=lambda p: len(lever_people(result, p)))
    before = len(lever_people(result, lever))
    pad = -(-before * 3 // 10)  # 30%: more than one cut of a tenth
    _pad(result, lever, pad)
    check_by_building(result)
    padded = CapacityResult(**vars(result))
    cuts = trim_by_building(result, max_trials=30, levers=[lever])

    mine = [c for c in cuts if c.lever == lever]
    assert mine, [(c.lever, c.before, len(c.people), c.missed) for c in cuts]
    assert mine[0].kept  # the padding is not needed
    assert len(lever_people(result, lever)) <= before + pad - len(mine[0].people)
    for name in {c.lever for c in cuts}:  # each lever's last cut missed
        last = [c for c in cuts if c.lever == name][-1]
        assert not last.kept and "below target" in last.missed
    # the trimmed team's roster meets the target wherever the padded team's did
    assert misses(result, padded) == ""
    # the plan's counts follow the team
    for t in result.spec.levers.temps:
        count = result.plan.levers.loc[
            (result.plan.levers["lever"] == "temps")
            & (result.plan.levers["template"] == t.template)
            & (result.plan.levers["queue"] == ";".join(t.queues)), "count"].sum()
        assert count == len(lever_people(result, t.prefix))
    assert sum(result.plan.temps.values()) == sum(
        len(lever_people(result, t.prefix)) for t in result.spec.levers.temps)
    # the last cut of the lever, made again on the answer, misses again (deterministic)
    people = cut_people(result, lever)
    assert list(people) == list(mine[-1].people)
    from planning.capacity_check import cut_team

    again = recheck(result, cut_team(result, lever, people), people)
    assert misses(again, result) == mine[-1].missed
    assert {c.lever for c in cuts} == {lever}
    assert not lever_people(result, OVERTIME)  # no overtime lever here


@pytest.mark.slow
def test_overtime_the_roster_does_not_need_goes_all_at_once(small: CapacityResult) -> None:
    """Two agents given 4 hours each above their contract that the plan never asked
    for: the first cut takes every overtime allowance at once, and when the roster
    still meets the target the plan's overtime hours and cost go with it."""
    result = copy.deepcopy(small)
    plan, rate = result.plan, result.spec.levers.overtime.rate
    g = next(g for g in plan.groups
             if g.key not in plan.overtime_hours and len(g.agent_ids) >= 2)
    ids = list(g.agent_ids[:2])
    rows = result.agents["agent_id"].isin(ids)
    result.agents.loc[rows, "max_hours_week"] = (
        pd.to_numeric(result.agents.loc[rows, "max_hours_week"]) + 4).map(str)
    plan.overtime_hours[g.key] = 8.0
    plan.levers = pd.concat([plan.levers, pd.DataFrame([{
        "lever": "overtime", "queue": ";".join(g.queues), "template": "", "date": "",
        "count": len(g.agent_ids), "hours": 8.0, "cost": 8.0 * rate}])], ignore_index=True)
    plan.cost += 8.0 * rate
    check_by_building(result)
    given = lever_people(result, OVERTIME)
    assert set(ids) <= set(given)
    hours, cost = sum(plan.overtime_hours.values()), plan.cost
    cuts = trim_by_building(result, levers=[OVERTIME])
    assert cuts[0].people == tuple(given)  # all at once first
    if cuts[0].kept:
        assert lever_people(result, OVERTIME) == []
        assert plan.overtime_hours == {}
        assert not (plan.levers["lever"] == OVERTIME).any()
        assert plan.cost == pytest.approx(cost - hours * rate)
        contract = result.team.set_index("agent_id")["max_hours_week"].astype(str)
        mine = result.agents.set_index("agent_id").loc[ids, "max_hours_week"]
        assert (mine == contract.loc[ids]).all()
    else:  # then a tenth at a time, until a cut misses
        assert len(cuts) >= 2 and len(cuts[1].people) < len(given)
        assert not cuts[-1].kept
