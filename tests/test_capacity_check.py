"""Trim by building: a recommended team padded with temps it does not need is cut back
by the real roster engine, each lever until a cut misses, and the plan's counts follow
the team."""

from __future__ import annotations

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
    cap.update(time_limit=20, roster_time_limit=10, cross_skill=[], overtime=None,
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
    result = small
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
