"""Saved capacity plans (planning.capacity_plans): kept in the workspace's plan store
like a scenario run, loaded back whole, compared side by side; real DuckDB."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from capacity_helpers import agent as _agent
from capacity_helpers import requirements as _requirements
from capacity_helpers import settings as _settings
from capacity_helpers import shifts as _shifts

from planning.capacity_plans import (
    COMPARE_COLUMNS,
    capacity_plans,
    compare_capacity,
    load_capacity,
    save_capacity,
)
from planning.workspace import Workspace
from scheduling.capacity import Levers, TempLever, goal_seek


def _answer(temps: int, target: str = "interval") -> dict:
    plan = goal_seek(_requirements({"voice": 3}), [_agent(1)], _shifts(),
                     Levers(temps=[TempLever("day", ("voice",), 10.0, temps)]), _settings(),
                     time_limit=20, exact_need=False, trim=False)
    daily = plan.daily.assign(service_level_rostered=float("nan"),
                              rostered_staff_hours=float("nan"))
    return {"levers": plan.levers, "daily": daily, "reasons": plan.reasons,
            "planned": plan.planned, "cost": plan.cost,
            "gap": plan.gap if target == "interval" else float("nan"),
            "temps": sum(plan.temps.values()), "target": target,
            "overtime_hours": sum(plan.overtime_hours.values())}


def test_save_load_and_compare(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    full, capped = _answer(5), _answer(1, target="day")
    first = save_capacity(ws, full, "Capacity: all temps", yaml_text="name: a\n")
    second = save_capacity(ws, capped, "Capacity: one temp")
    listed = capacity_plans(ws)
    assert set(listed["plan_id"]) == {first, second}
    assert set(ws.list_plans()["source"]) == {"capacity"}

    back = load_capacity(ws, first)
    pd.testing.assert_frame_equal(back["levers"], full["levers"].reset_index(drop=True),
                                  check_dtype=False)
    assert back["cost"] == full["cost"] and back["temps"] == 2
    assert back["yaml"] == "name: a\n" and back["target"] == "interval"
    assert math.isnan(load_capacity(ws, second)["gap"])  # a missing gap round-trips

    headline, per_day = compare_capacity({"all": back, "one": load_capacity(ws, second)})
    assert list(headline.columns) == list(COMPARE_COLUMNS)
    rows = headline.set_index("plan")
    assert rows.loc["all", "cost"] == 160.0 and rows.loc["one", "cost"] == 80.0
    assert rows.loc["all", "targets_met"] == 2 and rows.loc["one", "targets_met"] == 1
    assert rows.loc["one", "lowest_service_level"] < rows.loc["all", "lowest_service_level"]
    assert set(per_day["plan"]) == {"all", "one"}

    again = save_capacity(ws, capped, "Capacity: all temps")  # a draft is replaced
    assert len(capacity_plans(ws)) == 2 and load_capacity(ws, again)["cost"] == 80.0
