"""The LP relaxation of a CP-SAT model, solved with GLOP.

Every linear constraint, clause, implication and at-most-one of the model is
written as a linear inequality over the variables' domains relaxed to intervals;
constraints gated by enforcement literals (other than clauses and implications)
are dropped, which only relaxes further. So the LP optimum is a proven lower bound
on the model's minimum, and its values guide the search (`rens_hint`).
"""

from __future__ import annotations

import math

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

_INF = 2**62
_KINDS = ("linear", "bool_or", "bool_and", "at_most_one", "exactly_one")


def _lit(lp_vars: list, ref: int) -> tuple[object, int, int]:
    """A literal as (variable, sign, constant): x or 1 - x."""
    if ref >= 0:
        return lp_vars[ref], 1, 0
    return lp_vars[-ref - 1], -1, 1


def lp_relaxation(model: cp_model.CpModel, time_limit: float = 30.0
                  ) -> tuple[float, list[float]] | None:
    """(optimum, value per model variable) of the LP relaxation, or None if GLOP
    found no optimum in time. The optimum includes the model's objective offset."""
    proto = model.Proto()
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    inf = solver.infinity()
    xs = []
    for v in proto.variables:
        dom = list(v.domain)  # (the proto wrapper does not index from the end)
        lo, hi = dom[0], dom[-1]
        xs.append(solver.NumVar(-inf if lo <= -_INF else lo, inf if hi >= _INF else hi, ""))
    for ct in proto.constraints:
        kind = next((k for k in _KINDS if getattr(ct, f"has_{k}")()), None)
        enf = list(ct.enforcement_literal)
        if kind == "linear":
            if enf:
                continue
            dom = list(ct.linear.domain)
            lo, hi = dom[0], dom[-1]
            expr = sum(c * xs[v] if v >= 0 else -c * xs[-v - 1]
                       for v, c in zip(ct.linear.vars, ct.linear.coeffs, strict=True))
            if isinstance(expr, int):
                continue
            if lo > -_INF:
                solver.Add(expr >= lo)
            if hi < _INF:
                solver.Add(expr <= hi)
        elif kind in ("bool_or", "bool_and", "at_most_one", "exactly_one"):
            lits = list(getattr(ct, kind).literals)
            neg = [_lit(xs, -e - 1) for e in enf]  # not e
            if kind == "bool_or":
                terms = [_lit(xs, r) for r in lits] + neg
                solver.Add(sum(s * v + k for v, s, k in terms) >= 1)
            elif kind == "bool_and":
                for r in lits:
                    terms = [_lit(xs, r)] + neg
                    solver.Add(sum(s * v + k for v, s, k in terms) >= 1)
            elif not enf:
                terms = [_lit(xs, r) for r in lits]
                total = sum(s * v + k for v, s, k in terms)
                solver.Add(total <= 1)
                if kind == "exactly_one":
                    solver.Add(total >= 1)
    obj = proto.objective
    solver.Minimize(sum(c * xs[v] if v >= 0 else -c * xs[-v - 1]
                        for v, c in zip(obj.vars, obj.coeffs, strict=True)))
    solver.SetTimeLimit(int(time_limit * 1000))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    scale = obj.scaling_factor or 1.0
    value = (solver.Objective().Value() + obj.offset) * scale
    return value, [x.solution_value() for x in xs]


def proven_bound(lp_value: float) -> float:
    """An LP optimum as a bound on an integer objective, safe against round-off."""
    return float(math.ceil(lp_value - 1e-6 * max(1.0, abs(lp_value))))
