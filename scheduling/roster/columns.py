"""Column generation over whole schedules, for rosters whose shifts carry no breaks.

A column is one agent's schedule for the horizon that keeps all of their own rules.
The master LP picks, per agent, a mix of their columns, with under- and over-staffing
per cell at the cells' weights. Its duals price new columns: one small CP-SAT model
per agent finds the schedule whose own cost (broken requests, paid time) minus what
its cover is worth is lowest (`pricing`). Since every column keeps the agent's rules
exactly, the LP is a much stronger lower bound than the compact model's (Curtois
Instance8: 1,295 against 1,227, best known 1,300); the bound reported is the
Lagrangian one, valid at any round.

A dive then turns the LP into a roster: it fixes the agents whose LP schedule is most
certain, prices new columns for the others, and repeats until every agent has one.
The result is a good start for the roster LNS (`improve.py`), not a proof.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from scheduling.roster.model import ModelContext, without_cells
from scheduling.roster.objective import DEFAULT_WEIGHTS, objective_terms
from scheduling.roster.problem import Problem

SCALE = 1000  # duals are rounded to 1/SCALE in the pricing models' integer objective
Column = tuple[int | None, ...]  # option index per day, None for a day off


@dataclass
class ColumnResult:
    """The dive's roster (option per agent and day), its objective, and the bounds."""

    choice: list[list[int | None]]
    objective: float
    bound: float  # Lagrangian lower bound on the whole objective
    lp: float  # master LP at the end of column generation
    rounds: int
    columns: int
    seconds: float


class _Pricer:
    """One agent's own model: their rules, and their own soft costs as `own`."""

    def __init__(self, problem: Problem, a: int) -> None:
        spec = problem.agents[a]
        alone = replace(problem, agents=[without_cells(spec)], fairness=False, cells=[])
        self.ctx = ModelContext(alone)
        terms = objective_terms(self.ctx)
        self.own = sum(v * w for group in terms.values() for v, w in group)
        self.x = self.ctx.x[0]
        self.cover: dict[int, list[cp_model.IntVar]] = {}
        for d, row in enumerate(self.x):
            for i, v in enumerate(row):
                for c in spec.options[d][i].cells:
                    self.cover.setdefault(c, []).append(v)

    def _solver(self, limit: float, seed: int, deterministic: bool) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.num_workers = 1
        prm.random_seed = seed
        if deterministic:
            prm.max_deterministic_time = limit
            prm.max_time_in_seconds = limit * 4 + 1
        else:
            prm.max_time_in_seconds = limit
        return solver

    def cost(self, column: Column) -> int | None:
        """The own cost of `column`, or None when it breaks the agent's rules."""
        m = self.ctx.model
        m.ClearAssumptions()
        m.AddAssumptions([v if column[d] == i else v.Not()
                          for d, row in enumerate(self.x) for i, v in enumerate(row)])
        m.Minimize(self.own)
        solver = self._solver(5.0, 0, True)
        status = solver.Solve(m)
        m.ClearAssumptions()
        return round(solver.ObjectiveValue()) if status == cp_model.OPTIMAL else None

    def price(self, duals: dict[int, int], limit: float, seed: int, deterministic: bool
              ) -> tuple[list[tuple[Column, int]], float, float]:
        """Columns found minimising own cost * SCALE - duals . cover; the solver's bound
        on that minimum (scaled) and the deterministic time used."""
        m = self.ctx.model
        m.Minimize(self.own * SCALE - sum(duals[c] * sum(vs) for c, vs in self.cover.items()
                                          if duals.get(c)))
        found: list[tuple[Column, int]] = []
        x, own = self.x, self.own

        class Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                found.append((tuple(next((i for i, v in enumerate(row) if self.Value(v)),
                                         None) for row in x), int(self.Value(own))))

        solver = self._solver(limit, seed, deterministic)
        status = solver.Solve(m, Collect())
        bound = solver.BestObjectiveBound() if status in (cp_model.OPTIMAL,
                                                          cp_model.FEASIBLE) else -math.inf
        return found, bound, solver.ResponseProto().deterministic_time


class _Master:
    """The restricted master LP (GLOP): columns per agent, slacks per cell."""

    def __init__(self, problem: Problem) -> None:
        w = {**DEFAULT_WEIGHTS, **problem.weights}
        self.problem = problem
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.objective = self.lp.Objective()
        self.objective.SetMinimization()
        self.under_cost = [w["under"] * c.under_weight if c.requirement > 0 else 0
                           for c in problem.cells]
        self.over_cost = [w["over"] * c.over_weight for c in problem.cells]
        self.rows = []
        inf = self.lp.infinity()
        for c, cell in enumerate(problem.cells):
            row = self.lp.Constraint(cell.requirement, cell.requirement)
            under = self.lp.NumVar(0, inf if self.under_cost[c] else 0, "")
            over = self.lp.NumVar(0, inf, "")
            row.SetCoefficient(under, 1)
            row.SetCoefficient(over, -1)
            self.objective.SetCoefficient(under, self.under_cost[c])
            self.objective.SetCoefficient(over, self.over_cost[c])
            self.rows.append(row)
        self.convexity = [self.lp.Constraint(1, 1) for _ in problem.agents]
        self.columns: list[list[tuple[Column, int, object]]] = [[] for _ in problem.agents]
        self._seen: list[set[Column]] = [set() for _ in problem.agents]

    def cover(self, a: int, column: Column) -> dict[int, int]:
        out: dict[int, int] = {}
        for d, i in enumerate(column):
            if i is not None:
                for c in self.problem.agents[a].options[d][i].cells:
                    out[c] = out.get(c, 0) + 1
        return out

    def add(self, a: int, column: Column, own: int) -> bool:
        if column in self._seen[a]:
            return False
        self._seen[a].add(column)
        var = self.lp.NumVar(0, 1, "")
        self.convexity[a].SetCoefficient(var, 1)
        for c, k in self.cover(a, column).items():
            self.rows[c].SetCoefficient(var, k)
        self.objective.SetCoefficient(var, own)
        self.columns[a].append((column, own, var))
        return True

    def solve(self) -> float:
        self.lp.Solve()
        return self.objective.Value()

    def duals(self) -> list[float]:
        """Cell duals, clipped to what the slacks allow (so Lagrangian bounds hold)."""
        return [min(max(r.dual_value(), -self.over_cost[c]),
                    self.under_cost[c] if self.under_cost[c] else math.inf)
                for c, r in enumerate(self.rows)]

    def agent_duals(self) -> list[float]:
        return [row.dual_value() for row in self.convexity]

    def reduced_cost(self, a: int, column: Column, own: int, duals: list[float],
                     agent_duals: list[float]) -> float:
        return (own - sum(duals[c] * k for c, k in self.cover(a, column).items())
                - agent_duals[a])

    def likeliest(self, a: int) -> tuple[Column, float]:
        col, _, var = max(self.columns[a], key=lambda t: t[2].solution_value())
        return col, var.solution_value()

    def fix(self, a: int, column: Column) -> None:
        for col, _, var in self.columns[a]:
            if col != column:
                var.SetUb(0)

    def objective_of(self, choice: list[Column]) -> float:
        """The objective of one column per agent (own costs plus cell slacks)."""
        total = 0.0
        counts = [0] * len(self.problem.cells)
        for a, column in enumerate(choice):
            total += next(own for col, own, _ in self.columns[a] if col == column)
            for c, k in self.cover(a, column).items():
                counts[c] += k
        for c, cell in enumerate(self.problem.cells):
            total += self.under_cost[c] * max(cell.requirement - counts[c], 0)
            total += self.over_cost[c] * max(counts[c] - cell.requirement, 0)
        return total


def price_and_dive(problem: Problem, start: list[list[int | None]], time_limit: float,
                   seed: int = 0, workers: int = 2, deterministic: bool = True,
                   generation_share: float = 0.7, step_limit: float = 0.5,
                   dive_share: float = 0.2,
                   progress: Callable[[float], None] | None = None) -> ColumnResult:
    """Column generation from the roster `start` for `generation_share` of the time,
    then a dive to a roster (see the module's docstring). Pricing runs `workers`
    agents at a time, one CP-SAT worker each, at most `step_limit` seconds per agent.
    With `deterministic=True` time is the pricing solves' deterministic time, so a fixed
    seed gives the same result."""
    if any(o.breaks for spec in problem.agents for day in spec.options for o in day):
        raise ValueError("price_and_dive: shifts with breaks are not supported")
    started = time.monotonic()
    used = 0.0

    def spent() -> float:
        return used if deterministic else time.monotonic() - started

    pricers = [_Pricer(problem, a) for a in range(len(problem.agents))]
    master = _Master(problem)
    for a, row in enumerate(start):
        column = tuple(row)
        own = pricers[a].cost(column)
        if own is not None:
            master.add(a, column, own)
    pool = ThreadPoolExecutor(max(workers, 1))

    def price_round(agents: list[int], rnd: int) -> tuple[int, float]:
        """Price `agents`; returns the columns added and the Lagrangian bound part."""
        nonlocal used
        duals, agent_duals = master.duals(), master.agent_duals()
        scaled = {c: round(p * SCALE) for c, p in enumerate(duals)}
        out = list(pool.map(lambda a: pricers[a].price(scaled, step_limit, seed + rnd,
                                                       deterministic), agents))
        added, part = 0, 0.0
        exact = [s / SCALE for s in scaled.values()]
        for a, (found, bound, det) in zip(agents, out, strict=True):
            used += det if len(agents) == 1 else det / max(workers, 1)
            part += bound / SCALE
            for column, own in found:
                if (master.reduced_cost(a, column, own, duals, agent_duals) < -1e-6
                        and master.add(a, column, own)):
                    added += 1
        lagrangian = part + sum(p * cell.requirement
                                for p, cell in zip(exact, problem.cells, strict=True))
        return added, lagrangian

    everyone = list(range(len(problem.agents)))
    bound, lp, rounds = -math.inf, math.inf, 0
    while spent() < time_limit * generation_share:
        lp = master.solve()
        rounds += 1
        added, lagrangian = price_round(everyone, rounds)
        bound = max(bound, lagrangian)
        if progress:
            progress(min(spent() / time_limit, 0.99))
        if added == 0 or lp - bound < 1e-6 * max(abs(lp), 1):
            lp = master.solve()
            break
    fixed: dict[int, Column] = {}
    while len(fixed) < len(problem.agents):
        master.solve()
        free = [a for a in everyone if a not in fixed]
        ranked = sorted(((master.likeliest(a), a) for a in free),
                        key=lambda t: (-t[0][1], t[1]))
        take = max(1, math.ceil(len(free) * dive_share))
        for (column, share), a in ranked:
            if take > 0 or share > 0.999:
                fixed[a] = column
                master.fix(a, column)
                take -= 1
        rest = [a for a in everyone if a not in fixed]
        # the dive's time left, shared evenly over the steps still to come
        step_end = spent() + (time_limit - spent()) / max(_dive_steps(len(rest), dive_share), 1)
        while rest and spent() < min(step_end, time_limit):
            master.solve()
            added, _ = price_round(rest, rounds := rounds + 1)
            if not added:
                break
        if progress:
            progress(min(spent() / time_limit, 0.99))
    pool.shutdown()
    choice = [fixed[a] for a in everyone]
    return ColumnResult(choice=[list(c) for c in choice], objective=master.objective_of(choice),
                        bound=bound, lp=lp, rounds=rounds,
                        columns=sum(len(c) for c in master.columns),
                        seconds=time.monotonic() - started)


def _dive_steps(free: int, share: float) -> int:
    """How many dive steps fix `free` agents, `share` of those left (at least one) each."""
    steps = 0
    while free > 0:
        free -= max(1, math.ceil(free * share))
        steps += 1
    return steps
