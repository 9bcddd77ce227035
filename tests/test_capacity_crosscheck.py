"""Cross-checks of the capacity optima against an independent method: brute force
over every plan of a tiny case, judged without the solver (the hiring plan by its
stock-and-flow arithmetic, the peak goal-seek by the real projection of each roster)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from capacity_helpers import DAY

from scheduling.capacity import Levers, TempLever, goal_seek
from scheduling.hiring import SHORT_PENALTY, HiringPolicy, plan_hiring
from scheduling.projection import project
from scheduling.queue_settings import queue_settings_frame
from scheduling.roster.templates import shift_settings
from scheduling.staffing import requirements


def _hiring_by_hand(req: list[float], policy: HiringPolicy, temps_cap: float
                    ) -> tuple[float, float]:
    """(cost, shortfall FTE-weeks) of the best plan found by trying every class size
    (empty, or min..max) in every week a class may start."""
    weeks = len(req)
    keep = [(1 - policy.attrition_per_week) ** t for t in range(weeks)]

    def productive(age: int) -> float:
        k = age - policy.training_weeks
        return 0.0 if k < 0 else (policy.ramp[k] if k < len(policy.ramp) else 1.0)

    sizes = [0, *range(policy.class_min, policy.class_max + 1)]
    best = (np.inf, 0.0, 0.0)
    for hires in itertools.product(sizes, repeat=weeks - policy.lead_time_weeks):
        h = [0] * policy.lead_time_weeks + list(hires)
        cost, short = policy.cost_per_hire * sum(h), 0.0
        for t in range(weeks):
            head = policy.headcount * keep[t] + sum(h[s] * keep[t - s] for s in range(t + 1))
            prod = policy.headcount * keep[t] + sum(h[s] * keep[t - s] * productive(t - s)
                                                   for s in range(t + 1))
            missing = max(req[t] - prod, 0.0)
            temps = min(missing, temps_cap)
            short += missing - temps
            cost += policy.cost_per_fte_week * head + policy.temp_cost_per_week * temps
        total = cost + SHORT_PENALTY * short
        if total < best[0] - 1e-9:
            best = (total, cost, short)
    return best[1], best[2]


@pytest.mark.parametrize("req, temps_cap", [
    ([10, 10, 11, 12, 12, 13], 1.0),
    ([10, 12, 12, 9, 14, 14], 0.5),   # the week-1 step cannot be hired for: a shortfall
])
def test_hiring_optimum_equals_brute_force(req: list[float], temps_cap: float) -> None:
    policy = HiringPolicy(headcount=10, attrition_per_week=0.05, lead_time_weeks=1,
                          training_weeks=1, ramp=(0.5, 1.0), class_min=2, class_max=4,
                          cost_per_hire=100.0, cost_per_fte_week=10.0,
                          temp_cost_per_week=30.0)
    weekly = pd.DataFrame({"week_start": pd.date_range("2026-10-19", periods=len(req),
                                                       freq="7D"), "required_fte": req})
    plan = plan_hiring(weekly, policy, temps_cap, time_limit=20, relative_gap=0.0)
    cost, short = _hiring_by_hand(req, policy, temps_cap)
    assert plan.shortfall_fte_weeks == pytest.approx(short, abs=1e-6)
    assert plan.cost == pytest.approx(cost, rel=1e-6)


def _voice() -> pd.DataFrame:
    return queue_settings_frame(pd.DataFrame([
        {"queue": "voice", "channel": "voice", "service_level": 0.8, "target_seconds": 20,
         "shrinkage": 0.1}]))


def test_goal_seek_optimum_equals_brute_force_judged_by_the_projection() -> None:
    """Voice 08:00-12:00, temps on 2-hour shifts starting 08:00, 09:00 or 10:00 at 10 an
    hour: every count from 0 to 11 per start is tried against the least agents the
    projection needs in each interval; the cheapest that meets them all (projected
    again to be sure) costs what the goal-seek says."""
    calls = [8, 20, 28, 28, 20, 16, 12, 8]
    rows = [{"queue": "voice", "interval_start": DAY + pd.Timedelta(hours=8, minutes=30 * k),
             "contacts": float(c), "aht_seconds": 240.0} for k, c in enumerate(calls)]
    forecast = pd.DataFrame(rows)
    req = requirements(forecast, _voice())
    shifts = shift_settings({
        "queues": {"voice": {"open": "08:00", "close": "12:00"}},
        "templates": {"t2": {"earliest_start": "08:00", "latest_start": "10:00",
                             "start_step": 60, "lengths": ["2:00"]}},
        "rules": {"days_off_per_week": None}})
    plan = goal_seek(req, [], shifts, Levers(temps=[TempLever("t2", ("voice",), 10.0, 30)]),
                     _voice(), time_limit=20)

    def roster(counts: tuple[int, ...], starts: tuple[int, ...] = (8, 9, 10),
               hours: int = 2) -> pd.DataFrame:
        return pd.DataFrame([
            {"agent_id": f"A{start}{k}", "date": "2026-11-11", "shift": "t2",
             "start": DAY + pd.Timedelta(hours=start),
             "end": DAY + pd.Timedelta(hours=start + hours), "queue": "voice", "breaks": ""}
            for start, n in zip(starts, counts, strict=True) for k in range(n)])

    # The projection judges each interval by the agents on line in it: find, with n
    # agents all morning, the least n that keeps each interval on target.
    least = np.full(len(calls), np.inf)
    for n in range(15, 0, -1):
        met = ~project(roster((n,), (8,), 4), forecast, _voice())["below_target"].to_numpy()
        least[met] = n
    spans = {8: range(0, 4), 9: range(2, 6), 10: range(4, 8)}
    best, best_counts = np.inf, None
    for counts in itertools.product(range(12), repeat=3):
        on_line = np.zeros(len(calls))
        for start, n in zip((8, 9, 10), counts, strict=True):
            on_line[list(spans[start])] += n
        if (on_line >= least).all() and 20.0 * sum(counts) < best:
            best, best_counts = 20.0 * sum(counts), counts
    assert not project(roster(best_counts), forecast, _voice())["below_target"].any()
    assert np.isfinite(best)
    assert plan.cost == pytest.approx(best)
    assert not plan.projection["below_target"].any()
