"""The roster LNS (`improve.py`) on a real benchmark instance: two sub-solves per round
and the cover-gap neighbourhood keep every rule, never worsen the start, and repeat
exactly for a fixed seed on deterministic time."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from scheduling.roster.checker import check_curtois_roster
from scheduling.roster.curtois import (
    benchmark_objective,
    instance_problem,
    read_instance,
    roster_frame,
)
from scheduling.roster.improve import _pick_gap, improve_roster
from scheduling.roster.model import ModelContext, complete_assignment, objective_value
from scheduling.roster.objective import objective_terms
from scheduling.roster.search import solve_problem


@pytest.fixture(scope="module")
def instance4(shared_data):
    inst = read_instance(shared_data / "rostering" / "Instance4.txt")
    problem = instance_problem(inst)
    start = solve_problem(problem, time_limit=0.3, seed=0, lexicographic=False,
                          warm_start=0.5)
    return inst, problem, start


def _model(problem, start):
    ctx = ModelContext(problem)
    terms = objective_terms(ctx)
    ctx.model.Minimize(sum(v * w for group in terms.values() for v, w in group))
    fixed = {v.Index(): int(start.choice[a][d] == i) for a, row in enumerate(ctx.x)
             for d, lits in enumerate(row) for i, v in enumerate(lits)}
    values = complete_assignment(ctx.model, fixed)
    assert values is not None
    return ctx, values


@pytest.mark.slow
def test_parallel_lanes_with_cover_gaps_never_worsen_and_repeat(instance4):
    inst, problem, start = instance4
    ctx, values = _model(problem, start)
    decisions = [[[v.Index() for v in lits] for lits in row] for row in ctx.x]
    fill = [(cell.slot, u.Index(), cell.under_weight,
             [a for a, spec in enumerate(problem.agents)
              if any(c in o.cells for o in spec.options[cell.slot])])
            for c, (cell, u) in enumerate(zip(problem.cells, ctx.under, strict=True))
            if not isinstance(u, int)]

    def gaps(vals):
        return [(day, staff, w * vals[i]) for day, i, w, staff in fill if vals[i]]

    before = objective_value(ctx.model, values)
    assert before == start.objective
    runs = [improve_roster(ctx.model, values, decisions, 2.0, seed=3, workers=2,
                           deterministic=True, gaps=gaps, parallel=2, step_limit=0.25)
            for _ in range(2)]
    assert runs[0].values == runs[1].values and runs[0].objective == runs[1].objective
    res = runs[0]
    assert "cover" in res.tried and res.steps == sum(n for n, _ in res.tried.values())
    assert 1716 <= res.objective <= before  # never below the proven optimum, never worse
    choice = [[next((i for i, v in enumerate(lits) if res.values[v.Index()]), None)
                for lits in row] for row in ctx.x]
    roster = roster_frame(inst, problem, replace(start, choice=choice))
    assert check_curtois_roster(inst, roster) == []
    assert benchmark_objective(inst, roster) == res.objective


def test_cover_gap_frees_the_gap_day_and_whole_weeks_of_its_candidates():
    free = _pick_gap(0.25, agents=8, days=14, rng=random.Random(1),
                     gaps=[(5, [1, 2, 6], 100.0), (9, [0], 0.0)])
    assert {(a, 5) for a in range(8)} <= free  # everyone on the gap's day
    whole = [a for a in range(8) if all((a, d) in free for d in range(14))]
    assert whole and set(whole) <= {1, 2, 6}  # only candidates over the whole horizon
