"""The objective, in order of weight: under-staffing (weighted by queue priority through
the cells' weights), over-staffing, paid hours, broken preferences, unfairness.

Default weights (per agent and grid slot, or per paid `paid_minute_unit`, or per
unit of request weight / spread) keep that order: one slot of under-staffing costs
more than any realistic amount of the terms after it. With proficiencies (coverage in
1/`cover_scale` of an agent) the other terms are multiplied by the scale, so the
balance is the same per agent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules import SOFT_RULES

if TYPE_CHECKING:
    from scheduling.roster.model import ModelContext
    from scheduling.roster.problem import Problem

DEFAULT_WEIGHTS = {"under": 1000, "over": 20, "paid": 5, "preference": 3, "fairness": 1}


def weighted_under(problem: Problem, cover: list[int]) -> int:
    """Weighted under-staffing, as the objective counts it, for agents on line per cell."""
    w = {**DEFAULT_WEIGHTS, **problem.weights}["under"]
    return sum(w * c.under_weight * max(c.requirement - v, 0)
               for c, v in zip(problem.cells, cover, strict=True) if c.requirement > 0)


def objective_terms(ctx: ModelContext) -> dict[str, list[tuple[object, int]]]:
    """The weighted terms per objective part, as (variable or expression, cost) pairs;
    the soft rules' terms are also kept, with their penalties' names, in `ctx.penalties`."""
    p = ctx.problem
    w = {**DEFAULT_WEIGHTS, **p.weights}
    if p.cover_scale != 1:  # cover counted in 1/scale agents: the rest keeps its weight
        w = {k: v * (1 if k in ("under", "over") else p.cover_scale) for k, v in w.items()}
    terms: dict[str, list[tuple[object, int]]] = {
        "under": [], "over": [], "paid": [], "preference": [], "fairness": []}
    for cell, u, o in zip(p.cells, ctx.under, ctx.over, strict=True):
        if not isinstance(u, int) and cell.under_weight:
            terms["under"].append((u, w["under"] * cell.under_weight))
        if not isinstance(o, int) and cell.over_weight and w["over"]:
            terms["over"].append((o, w["over"] * cell.over_weight))
    if w["paid"]:
        for key, nv in ctx.n.items():
            units = round(ctx.options[key].paid_minutes / p.paid_minute_unit)
            if units:
                terms["paid"].append((nv, w["paid"] * units))
    if w["preference"]:
        penalties = SOFT_RULES["shift_requests"](ctx)
        ctx.penalties.extend(penalties)
        for expr, cost, _label in penalties:
            terms["preference"].append((expr, w["preference"] * cost))
    if w["fairness"]:
        penalties = SOFT_RULES["fair_weekends_and_late_shifts"](ctx)
        ctx.penalties.extend(penalties)
        for expr, cost, _label in penalties:
            terms["fairness"].append((expr, w["fairness"] * cost))
    return terms
