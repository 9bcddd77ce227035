"""Column generation over whole schedules: a strong lower bound and a roster from it.

A column is one agent's schedule for the horizon (per day a shift option and where its
breaks go, or a day off) that keeps all of their own rules. Agents with the same
options and rules form a class, whose columns they share. The master LP picks, per
class, as many columns as it has agents, with under- and over-staffing per cell at the
cells' weights. Its duals price new columns: one small CP-SAT model per class finds
the schedule whose own cost (broken requests, paid time) minus what its cover is
worth is lowest (`pricing`). Since every column keeps the agent's rules exactly, the
LP is a much stronger lower bound than the compact model's (Curtois Instance8: 1,297
against 1,227, best known 1,300); the bound reported is the Lagrangian one, valid at
any round.

A dive then turns the LP into a roster: it fixes the schedules the LP is surest of,
prices new columns for the agents still free, and repeats until every agent has one.
Time left then goes to CP-SAT on the best whole-number mix of all columns found,
from the dive's roster (Curtois Instance5: 1,241 after the dive, 1,143 after it;
best known 1,143). The result is a start for the local searches (`improve.py`,
`reroster.py`), not a proof.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from scheduling.roster.construct import agent_cover
from scheduling.roster.model import ModelContext
from scheduling.roster.objective import DEFAULT_WEIGHTS, objective_terms
from scheduling.roster.problem import AgentSpec, Problem
from scheduling.roster.proficiency import max_weight
from scheduling.roster.settings import column_solver_parameters

SCALE = 1000  # duals are rounded to 1/SCALE in the pricing models' integer objective
# deterministic clock for what CP-SAT's deterministic time does not see, at about the
# wall clock's pace on a 2-core machine (measured: a pricing call costs ~20 ms beyond
# its deterministic time; GLOP ~0.3 µs per simplex iteration and row)
PRICING_CALL_SECONDS = 0.02
LP_ITERATION_ROW_SECONDS = 3e-7
Pick = tuple[int, tuple[int, ...]] | None  # option index and break positions, or day off
Column = tuple[Pick, ...]


@dataclass
class ColumnResult:
    """The dive's roster (per agent and day: option index and break positions, or None),
    its objective, and the bounds."""

    weeks: list[list[Pick]]
    objective: float
    bound: float  # Lagrangian lower bound on the objective
    lp: float  # master LP at the end of column generation
    rounds: int
    columns: int
    seconds: float


def agent_classes(problem: Problem) -> list[list[int]]:
    """Agents grouped by everything that shapes their schedules (not their ids)."""
    groups: dict[tuple, list[int]] = {}
    for a, spec in enumerate(problem.agents):
        key = (tuple(tuple(o.key for o in day) for day in spec.options),
               tuple(spec.periods), spec.max_consecutive_days, spec.min_consecutive_days,
               spec.min_consecutive_days_off, spec.max_working_weekends,
               tuple(sorted(spec.max_per_shift.items())), spec.days_off, spec.history,
               spec.last_end, tuple(spec.requests), tuple(sorted(spec.option_penalty.items())))
        groups.setdefault(key, []).append(a)
    return list(groups.values())


def _own_rules_only(spec: AgentSpec) -> AgentSpec:
    """The agent with cover taken off their options (breaks kept, covering nothing)."""
    return replace(spec, options=[
        [replace(o, cells=(), breaks=tuple(replace(b, cells=tuple(() for _ in b.positions))
                                           for b in o.breaks)) for o in day]
        for day in spec.options])


class _Pricer:
    """One class's own model: their rules, their own soft costs as `own`, and per cell
    the (variable, sign) terms of their cover."""

    def __init__(self, problem: Problem, a: int) -> None:
        spec = problem.agents[a]
        alone = replace(problem, agents=[_own_rules_only(spec)], fairness=False, cells=[])
        self.ctx = ctx = ModelContext(alone)
        terms = objective_terms(ctx)
        self.own = sum(v * w for group in terms.values() for v, w in group)
        self.x = ctx.x[0]
        self.cover: dict[int, list[tuple[cp_model.IntVar, int]]] = {}
        for d, row in enumerate(self.x):
            for i, v in enumerate(row):
                o = spec.options[d][i]
                for c in o.cells:
                    self.cover.setdefault(c, []).append((v, o.weight))
        for day in spec.options:
            for o in day:
                for br, bv in zip(o.breaks, ctx.b[o.key], strict=True):
                    for v, cells in zip(bv, br.cells, strict=True):
                        for c in cells:
                            self.cover.setdefault(c, []).append((v, -o.weight))

    def cost(self, column: Column) -> int | None:
        """The own cost of `column`, or None when it breaks the agent's rules (own costs
        do not depend on where breaks go)."""
        if isinstance(self.own, int):  # no own costs: a start column keeps the rules
            return self.own
        m = self.ctx.model
        m.ClearAssumptions()
        m.AddAssumptions([v if pick is not None and pick[0] == i else v.Not()
                          for pick, row in zip(column, self.x, strict=True)
                          for i, v in enumerate(row)])
        m.Minimize(self.own)
        solver = column_solver_parameters(5.0, 0, 1, True)
        status = solver.Solve(m)
        m.ClearAssumptions()
        return round(solver.ObjectiveValue()) if status == cp_model.OPTIMAL else None

    def price(self, duals: dict[int, int], limit: float, seed: int, deterministic: bool
              ) -> tuple[list[tuple[Column, int]], float, float]:
        """Columns found minimising own cost * SCALE - duals . cover; the solver's bound
        on that minimum (scaled) and the deterministic time used."""
        m = self.ctx.model
        m.Minimize(self.own * SCALE - sum(duals[c] * s * v for c, terms in self.cover.items()
                                          if duals.get(c) for v, s in terms))
        found: list[tuple[Column, int]] = []
        ctx, own = self.ctx, self.own

        class Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                found.append((_column(ctx, self.Value), int(self.Value(own))))

        solver = column_solver_parameters(limit, seed, 1, deterministic)
        status = solver.Solve(m, Collect())
        bound = solver.BestObjectiveBound() if status in (cp_model.OPTIMAL,
                                                          cp_model.FEASIBLE) else -math.inf
        return found, bound, solver.ResponseProto().deterministic_time


def _column(ctx: ModelContext, value: Callable[[object], int]) -> Column:
    picks: list[Pick] = []
    for d, row in enumerate(ctx.x[0]):
        i = next((i for i, v in enumerate(row) if value(v)), None)
        if i is None:
            picks.append(None)
            continue
        key = ctx.problem.agents[0].options[d][i].key
        picks.append((i, tuple(next(p for p, v in enumerate(bv) if value(v))
                               for bv in ctx.b[key])))
    return tuple(picks)


class _MasterFailed(RuntimeError):
    """GLOP found no optimum of the master LP."""


class _Master:
    """The restricted master LP (GLOP): columns per class, slacks per cell."""

    def __init__(self, problem: Problem, classes: list[list[int]]) -> None:
        w = {**DEFAULT_WEIGHTS, **problem.weights}
        self.problem, self.classes = problem, classes
        self.under_cost = [w["under"] * c.under_weight if c.requirement > 0 else 0
                           for c in problem.cells]
        self.over_cost = [w["over"] * c.over_weight for c in problem.cells]
        self.columns: list[list[tuple[Column, int, object]]] = [[] for _ in classes]
        self._seen: list[dict[Column, int]] = [{} for _ in classes]
        self.work = 0.0
        self._build()

    def _build(self, glop_parameters: str = "") -> None:
        """A fresh LP with the cells' rows and every column so far, bounds kept."""
        old = [[(column, own, var.lb()) for column, own, var in cols] for cols in self.columns]
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        if glop_parameters:
            self.lp.SetSolverSpecificParametersAsString(glop_parameters)
        self.objective = self.lp.Objective()
        self.objective.SetMinimization()
        self.rows = []
        inf = self.lp.infinity()
        for c, cell in enumerate(self.problem.cells):
            row = self.lp.Constraint(cell.requirement, cell.requirement)
            under = self.lp.NumVar(0, inf, "")
            over = self.lp.NumVar(0, inf, "")
            row.SetCoefficient(under, 1)
            row.SetCoefficient(over, -1)
            self.objective.SetCoefficient(under, self.under_cost[c])
            self.objective.SetCoefficient(over, self.over_cost[c])
            self.rows.append(row)
        self.convexity = [self.lp.Constraint(len(m), len(m)) for m in self.classes]
        self.columns = [[] for _ in self.classes]
        self._seen = [{} for _ in self.classes]
        for k, cols in enumerate(old):
            for column, own, lb in cols:
                self.add(k, column, own)
                self.columns[k][-1][2].SetLb(lb)

    def cover(self, k: int, column: Column) -> dict[int, int]:
        return agent_cover(self.problem, self.classes[k][0], column)

    def add(self, k: int, column: Column, own: int) -> bool:
        if column in self._seen[k]:
            return False
        self._seen[k][column] = len(self.columns[k])
        var = self.lp.NumVar(0, len(self.classes[k]), "")
        self.convexity[k].SetCoefficient(var, 1)
        for c, n in self.cover(k, column).items():
            if n:
                self.rows[c].SetCoefficient(var, n)
        self.objective.SetCoefficient(var, own)
        self.columns[k].append((column, own, var))
        return True

    def solve(self) -> float:
        """Solve the LP; its optimum. `work` grows by a deterministic measure of it."""
        status = self.lp.Solve()
        self.work += self.lp.iterations() * len(self.rows) * LP_ITERATION_ROW_SECONDS
        # GLOP can stall on a long run of small changes (ABNORMAL): rebuild and retry,
        # then with the dual simplex
        for retry in ("", "use_dual_simplex: true"):
            if status == pywraplp.Solver.OPTIMAL:
                break
            self._build(retry)
            status = self.lp.Solve()
            self.work += self.lp.iterations() * len(self.rows) * LP_ITERATION_ROW_SECONDS
        if status != pywraplp.Solver.OPTIMAL:
            raise _MasterFailed(f"master LP status {status}")
        return self.objective.Value()

    def duals(self) -> list[float]:
        """Cell duals, clipped to what the slacks allow (so Lagrangian bounds hold)."""
        return [min(max(r.dual_value(), -self.over_cost[c]),
                    self.under_cost[c] if self.under_cost[c] else math.inf)
                for c, r in enumerate(self.rows)]

    def class_duals(self) -> list[float]:
        return [row.dual_value() for row in self.convexity]

    def reduced_cost(self, k: int, column: Column, own: int, duals: list[float],
                     class_duals: list[float]) -> float:
        return (own - sum(duals[c] * n for c, n in self.cover(k, column).items())
                - class_duals[k])

    def shares(self, k: int, fixed: dict[Column, int]) -> list[tuple[Column, float]]:
        """Per column of class `k`, the agents the LP puts on it beyond those fixed."""
        return [(column, var.solution_value() - fixed.get(column, 0))
                for column, _, var in self.columns[k]]

    def at_least(self, k: int, column: Column, n: int) -> None:
        """Keep at least `n` agents of class `k` on `column` (a dive's fixing)."""
        self.columns[k][self._seen[k][column]][2].SetLb(n)

    def objective_of(self, counts: list[dict[Column, int]]) -> float:
        """The objective of so many agents of each class on each column."""
        total = 0.0
        cover = [0] * len(self.problem.cells)
        for k, chosen in enumerate(counts):
            for column, n in chosen.items():
                total += n * self.columns[k][self._seen[k][column]][1]
                for c, v in self.cover(k, column).items():
                    cover[c] += n * v
        for c, cell in enumerate(self.problem.cells):
            total += self.under_cost[c] * max(cell.requirement - cover[c], 0)
            total += self.over_cost[c] * max(cover[c] - cell.requirement, 0)
        return total


def whole_bound(bound: float, floor: float) -> float:
    """Column generation's bound on an integer objective, rounded up, and at least
    `floor`. When no pricing round finished (a short limit on a busy machine) there is
    no bound (-inf), and `floor` stands."""
    if not math.isfinite(bound):
        return floor
    return max(floor, math.ceil(bound - 1e-6))


def price_and_dive(problem: Problem, start: list[list[Pick]], time_limit: float,
                   seed: int = 0, workers: int = 2, deterministic: bool = True,
                   generation_share: float = 0.7, step_limit: float = 0.5,
                   dive_share: float = 0.2,
                   progress: Callable[[float], None] | None = None,
                   deadline: float | None = None) -> ColumnResult:
    """Column generation from the roster `start` (per agent and day: option index and
    break positions, or None) for `generation_share` of the time, then a dive to a
    roster and, with time left, the best mix of the columns (see the module's
    docstring). Pricing runs `workers` classes at a time, one
    CP-SAT worker each, at most `step_limit` seconds per class. With
    `deterministic=True` time is the pricing solves' deterministic time plus a count of
    the rest of the work (pricing calls, simplex iterations), so a fixed seed gives the
    same result (unless the wall clock passes 2 × `time_limit` + 5 s, or `deadline`, a
    `time.monotonic()` value after which the time counts as spent)."""
    started = time.monotonic()
    used = 0.0

    def spent() -> float:
        wall = time.monotonic() - started
        if deadline is not None and time.monotonic() > deadline:
            return time_limit
        if not deterministic:
            return wall
        # this cap only guards a loaded machine (hitting it makes a run unrepeatable)
        return time_limit if wall > 2 * time_limit + 5 else used + master.work

    classes = agent_classes(problem)
    pricers = [_Pricer(problem, members[0]) for members in classes]
    master = _Master(problem, classes)
    start_columns = [tuple((p[0], tuple(p[1])) if p is not None else None for p in week)
                     for week in start]
    for k, members in enumerate(classes):
        for a in members:
            column = start_columns[a]
            own = pricers[k].cost(column)
            if own is not None:
                master.add(k, column, own)
    pool = ThreadPoolExecutor(max(workers, 1))

    def price_round(which: list[int], rnd: int) -> tuple[int, float]:
        """Price classes `which`; returns the columns added and the Lagrangian bound."""
        nonlocal used
        duals, class_duals = master.duals(), master.class_duals()
        scaled = {c: round(p * SCALE) for c, p in enumerate(duals)}
        out = list(pool.map(lambda k: pricers[k].price(scaled, step_limit, seed + rnd,
                                                       deterministic), which))
        added, part = 0, 0.0
        for k, (found, bound, det) in zip(which, out, strict=True):
            det += PRICING_CALL_SECONDS
            used += det if len(which) == 1 else det / max(workers, 1)
            part += len(classes[k]) * bound / SCALE
            for column, own in found:
                if (master.reduced_cost(k, column, own, duals, class_duals) < -1e-6
                        and master.add(k, column, own)):
                    added += 1
        lagrangian = part + sum(s / SCALE * cell.requirement
                                for s, cell in zip(scaled.values(), problem.cells,
                                                   strict=True))
        return added, lagrangian

    every = list(range(len(classes)))
    bound, lp, rounds = -math.inf, math.inf, 0
    fixed: list[dict[Column, int]] = [{} for _ in classes]
    try:
        while spent() < time_limit * generation_share:
            lp = master.solve()
            rounds += 1
            added, lagrangian = price_round(every, rounds)
            bound = max(bound, lagrangian)
            if progress:
                progress(min(spent() / time_limit, 0.99))
            if added == 0 or lp - bound < 1e-6 * max(abs(lp), 1):
                lp = master.solve()
                break
        free = [len(m) for m in classes]
        while sum(free) > 0:
            master.solve()
            # the LP's surest schedules first: the most agents on a column not yet fixed
            units = sorted((-share, k, i, column) for k in every if free[k]
                           for i, (column, share) in enumerate(master.shares(k, fixed[k]))
                           if share > 1e-6)
            take = max(1, math.ceil(sum(free) * dive_share))
            for neg, k, _, column in units:
                if not free[k] or (take <= 0 and -neg < 0.999):
                    continue
                n = min(free[k], max(1, math.floor(-neg + 1e-6)))
                fixed[k][column] = fixed[k].get(column, 0) + n
                master.at_least(k, column, fixed[k][column])
                free[k] -= n
                take -= n
            if not units:  # cannot happen while the LP is feasible; fill from the start
                for k in every:
                    for a in classes[k][len(classes[k]) - free[k]:]:
                        fixed[k][start_columns[a]] = fixed[k].get(start_columns[a], 0) + 1
                    free[k] = 0
            rest = [k for k in every if free[k]]
            # the dive's time left, shared evenly over the steps still to come
            step_end = spent() + (time_limit - spent()) / max(_dive_steps(sum(free), dive_share), 1)
            while rest and spent() < min(step_end, time_limit):
                master.solve()
                added, _ = price_round(rest, rounds := rounds + 1)
                if not added:
                    break
            if progress:
                progress(min(spent() / time_limit, 0.99))
    except _MasterFailed:  # keep the bound so far; the roster is the start's
        fixed = [{} for _ in classes]
        for k, members in enumerate(classes):
            for a in members:
                fixed[k][start_columns[a]] = fixed[k].get(start_columns[a], 0) + 1
    pool.shutdown()
    if spent() < time_limit - 0.5:  # time left: the best integer mix of the columns found
        fixed = _restricted_master(master, fixed, time_limit - spent(), seed, workers,
                                   deterministic)
    weeks: list[list[Pick]] = [[] for _ in problem.agents]
    for k, members in enumerate(classes):
        dealt = [column for column, n in fixed[k].items() for _ in range(n)]
        for a, column in zip(members, dealt, strict=True):
            weeks[a] = list(column)
    return ColumnResult(weeks=weeks, objective=master.objective_of(fixed), bound=bound, lp=lp,
                        rounds=rounds, columns=sum(len(c) for c in master.columns),
                        seconds=time.monotonic() - started)


def _restricted_master(master: _Master, fixed: list[dict[Column, int]], limit: float,
                       seed: int, workers: int, deterministic: bool
                       ) -> list[dict[Column, int]]:
    """The best whole number of agents per column over every column generated, by
    CP-SAT from the dive's roster (kept when nothing better is found)."""
    m = cp_model.CpModel()
    counts: list[list[tuple[Column, cp_model.IntVar]]] = []
    cover: list[list[tuple[cp_model.IntVar, int]]] = [[] for _ in master.problem.cells]
    cost = []
    for k, cols in enumerate(master.columns):
        size = len(master.classes[k])
        row = []
        for column, own, _ in cols:
            n = m.NewIntVar(0, size, "")
            m.AddHint(n, fixed[k].get(column, 0))
            row.append((column, n))
            if own:
                cost.append(own * n)
            for c, v in master.cover(k, column).items():
                if v:
                    cover[c].append((n, v))
        m.Add(sum(n for _, n in row) == size)
        counts.append(row)
    most = len(master.problem.agents) * max_weight(master.problem)
    for c, cell in enumerate(master.problem.cells):
        covered = sum(n * v for n, v in cover[c])
        under = m.NewIntVar(0, max(cell.requirement, 0) + most, "")
        over = m.NewIntVar(0, most + max(-cell.requirement, 0), "")
        m.Add(covered + under - over == cell.requirement)
        cost += [master.under_cost[c] * under, master.over_cost[c] * over]
    m.Minimize(sum(cost))
    solver = column_solver_parameters(limit, seed, workers, deterministic, wall_cap=5.0)
    status = solver.Solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or \
            solver.ObjectiveValue() >= master.objective_of(fixed) - 1e-9:
        return fixed
    return [{column: solver.Value(n) for column, n in row if solver.Value(n)}
            for row in counts]


def _dive_steps(free: int, share: float) -> int:
    """How many dive steps fix `free` agents, `share` of those left (at least one) each."""
    steps = 0
    while free > 0:
        free -= max(1, math.ceil(free * share))
        steps += 1
    return steps
