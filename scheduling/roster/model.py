"""The CP-SAT model: variables, coverage with implicit breaks, and the two-phase solve.

Variables: `x[a][d][i]` is true when agent `a` works option `i` (a shift start,
length and queue) on day `d`; `work[a][d]` is their sum. Agents taking the same
option key are interchangeable, so coverage is counted through one integer per key
(`n[key]`), and breaks through integers `b[key][k][p]` saying how many of them take
break `k` at position `p` (implicit break placement): the solver puts breaks where
they hurt coverage least, and `solve.py` hands the counts out to the agents.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduling.roster.errors import RosterInfeasibleError, RosterTimeoutError
from scheduling.roster.objective import objective_terms
from scheduling.roster.problem import AgentSpec, Problem
from scheduling.roster.rules import HARD_RULES


class ModelContext:
    """The model under construction: what every rule function reads and adds to."""

    def __init__(self, problem: Problem, hard_rules: list[str] | None = None) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        m = self.model
        self.x: list[list[list[cp_model.IntVar]]] = []
        self.work: list[list[cp_model.IntVar]] = []
        for spec in problem.agents:
            self.x.append([[m.NewBoolVar(f"x[{spec.agent_id},{d},{o.key}]") for o in opts]
                           for d, opts in enumerate(spec.options)])
            self.work.append([m.NewBoolVar(f"work[{spec.agent_id},{d}]")
                              for d in range(problem.days)])
        for name in hard_rules if hard_rules is not None else list(HARD_RULES):
            HARD_RULES[name](self)
        self._coverage()

    def add(self, a: int, rule: str, constraint: object, also: list | None = None) -> None:
        """Add a linear constraint of `rule` for agent `a`, holding when all of `also`
        are true."""
        c = self.model.Add(constraint)
        if also:
            c.OnlyEnforceIf(list(also))

    def add_or(self, a: int, rule: str, literals: list[object]) -> None:
        self.model.AddBoolOr(literals)

    def _coverage(self) -> None:
        p, m = self.problem, self.model
        members: dict[str, list[cp_model.IntVar]] = {}
        self.options: dict[str, object] = {}
        for a, spec in enumerate(p.agents):
            for d, opts in enumerate(spec.options):
                for i, o in enumerate(opts):
                    members.setdefault(o.key, []).append(self.x[a][d][i])
                    self.options[o.key] = o
        self.n: dict[str, cp_model.IntVar] = {}
        self.b: dict[str, list[list[cp_model.IntVar]]] = {}
        cover: list[list[tuple[object, int]]] = [[] for _ in p.cells]
        most = [0] * len(p.cells)  # most agents that can be on a cell at once
        for key, lits in members.items():
            o = self.options[key]
            nv = m.NewIntVar(0, len(lits), f"n[{key}]")
            m.Add(nv == sum(lits))
            self.n[key] = nv
            for c in o.cells:
                cover[c].append((nv, 1))
                most[c] += len(lits)
            self.b[key] = []
            for k, br in enumerate(o.breaks):
                bv = [m.NewIntVar(0, len(lits), f"b[{key},{k},{pos}]") for pos in br.positions]
                m.Add(sum(bv) == nv)
                self.b[key].append(bv)
                for v, cells in zip(bv, br.cells, strict=True):
                    for c in cells:
                        cover[c].append((v, -1))
        self.under: list[object] = []
        self.over: list[object] = []
        for c, cell in enumerate(p.cells):
            cov = sum(v * s for v, s in cover[c]) if cover[c] else 0
            top = max(most[c] + max(-cell.requirement, 0), 1)  # requirement < 0: fixed others
            if cell.requirement > 0:
                u = m.NewIntVar(0, cell.requirement, f"under[{cell.name},{cell.slot}]")
                m.Add(u >= cell.requirement - cov)
            else:
                u = 0
            if cover[c]:
                ov = m.NewIntVar(0, top, f"over[{cell.name},{cell.slot}]")
                m.Add(ov >= cov - cell.requirement)
            else:
                ov = 0
            self.under.append(u)
            self.over.append(ov)


@dataclass
class Solution:
    """What a solve found: the option chosen per agent and day, break counts, coverage."""

    status: str
    choice: list[list[int | None]]
    breaks: dict[str, list[list[int]]]
    under: list[int]
    over: list[int]
    objective: float
    bound: float
    under_total: int
    under_bound: float
    wall_seconds: float
    phases: list[dict] = field(default_factory=list)
    decomposition: str = "one CP-SAT model"
    parts: list[dict] = field(default_factory=list)  # what each model of a split solved


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Callable[[float], None] | None, offset: float,
                 total: float) -> None:
        super().__init__()
        self.progress, self.offset, self.total = progress, offset, total

    def on_solution_callback(self) -> None:
        if self.progress:
            self.progress(min(0.99, (self.offset + self.WallTime()) / self.total))


def _parameters(time_limit: float, seed: int, workers: int, deterministic: bool,
                wall_cap: float | None = None,
                linearization_level: int | None = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = workers
    prm.random_seed = seed
    if linearization_level is not None:
        prm.linearization_level = linearization_level
    if deterministic:
        prm.interleave_search = True
        prm.max_deterministic_time = max(time_limit, 0.1)
        prm.max_time_in_seconds = max(wall_cap if wall_cap is not None
                                      else time_limit * 4 + 30, 0.5)
    else:
        prm.max_time_in_seconds = max(time_limit, 0.1)
    return solver


LNS_SHARE = 0.6  # of the time, for re-rostering a few agents at a time (large rosters)
LNS_MIN_AGENTS = 40
COLUMN_SHARE = 0.75  # of that time, first for column generation and its dive (`columns.py`)

_STATUS = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
           cp_model.INFEASIBLE: "infeasible", cp_model.UNKNOWN: "unknown",
           cp_model.MODEL_INVALID: "invalid"}


def solve_problem(problem: Problem, time_limit: float = 60.0, seed: int = 0,
                  workers: int = 2, deterministic: bool = True, lexicographic: bool = True,
                  progress: Callable[[float], None] | None = None,
                  first_phase_share: float = 0.7, warm_start: float = 0.0,
                  bound_share: float | None = 0.0,
                  linearization_level: int | None = None,
                  lns_share: float | None = None,
                  column_share: float = COLUMN_SHARE) -> Solution:
    """Solve `problem`: first the weighted under-staffing alone, then everything else
    with under-staffing held at that value. The reported lower bound on under-staffing
    is the best of phase 1's solver bound, the LP relaxation of the pooled model and
    CP-SAT on that pooled model given `bound_share` of the time (`bound.py`);
    `bound_share=None` skips that relaxation (a part whose bound is not used).
    `warm_start` of the time goes to the agent-by-agent construction (`construct.py`)
    whose roster hints the model.
    With `lexicographic=False` one weighted objective is minimised (benchmarks).
    `linearization_level` overrides CP-SAT's (0: no LP in the search; with two workers
    on many small cells its LNS then makes more, cheaper steps).
    `lns_share` of the time (taken from phase 1's) goes to re-rostering a few agents
    at a time (`reroster.py`) between the two phases; by default `LNS_SHARE` from
    `LNS_MIN_AGENTS` agents up, where CP-SAT alone rarely improves the warm start.
    `column_share` of that time goes first to column generation over whole weeks and
    a dive to a roster (`columns.py`): its Lagrangian bound on under-staffing is the
    strongest we have, and its roster the re-rostering's start when better."""
    started = first_start = time.monotonic()
    # deterministic runs stop on deterministic time; this wall-clock cap only guards a
    # loaded machine (hitting it makes that run not reproducible)
    deadline = started + 2 * time_limit + 10
    relaxed_bound = 0.0
    if (lexicographic and bound_share is not None
            and any(c.requirement > 0 and c.under_weight for c in problem.cells)):
        from scheduling.roster.bound import capacity_bound, under_staffing_bound
        relaxed_bound = capacity_bound(problem, problem.paid_minute_unit)
        relaxed = under_staffing_bound(problem, time_limit * bound_share, seed, workers,
                                       deterministic, wall_cap=time_limit * bound_share * 2 + 2)
        relaxed_bound = max(relaxed_bound, relaxed)
        if bound_share > 0:
            time_limit = time_limit * (1 - bound_share) if deterministic else \
                max(time_limit - (time.monotonic() - started), time_limit * 0.5)
        started = time.monotonic()
    weeks, passes = None, 0
    if warm_start and len(problem.agents) > 1 and any(c.requirement for c in problem.cells):
        from scheduling.roster.construct import construct_roster
        weeks, passes = construct_roster(problem, time_limit * warm_start, seed,
                                 max_passes=2 + int(time_limit // 20) if deterministic else None,
                                 progress=(lambda f: progress(f * warm_start)) if progress
                                 else None)
        if weeks is None:  # some agent found no week alone: name the rules in conflict
            conflicts = diagnose_conflicts(problem)
            if conflicts:
                raise RosterInfeasibleError(conflicts)
    ctx = ModelContext(problem)
    terms = objective_terms(ctx)
    hint_values = hint_weeks(ctx, weeks) if weeks is not None else None
    if deterministic:  # budgets must not depend on the wall clock
        time_limit = time_limit * (1 - warm_start) if weeks is not None else time_limit
    else:
        time_limit = max(time_limit - (time.monotonic() - started), time_limit * 0.3)
    started = time.monotonic()
    under_expr = sum(v * w for v, w in terms["under"]) if terms["under"] else 0
    full = sum(v * w for group in terms.values() for v, w in group)
    m = ctx.model
    phases: list[dict] = []

    def run(objective: object, limit: float, offset: float) -> tuple[cp_model.CpSolver, int]:
        m.Minimize(objective)
        solver = _parameters(limit, seed, workers, deterministic,
                             max(deadline - time.monotonic(), 1.0), linearization_level)
        status = solver.Solve(m, _Progress(progress, offset, time_limit))
        phases.append({"status": _STATUS.get(status, str(status)),
                       "seconds": solver.WallTime(),
                       "objective": solver.ObjectiveValue() if _has(status) else None,
                       "bound": solver.BestObjectiveBound()})
        return solver, status

    under_bound = 0.0
    if lexicographic and terms["under"] and any(c.requirement for c in problem.cells):
        if lns_share is None:
            lns_share = LNS_SHARE if len(problem.agents) >= LNS_MIN_AGENTS else 0.0
        lns = min(max(lns_share, 0.0), first_phase_share * 0.9)
        solver, status = run(under_expr, time_limit * (first_phase_share - lns), 0.0)
        under_bound = max(solver.BestObjectiveBound(), 0.0)
        kept = not _has(status) and hint_values is not None
        if kept:
            solver, status = _HintValues(hint_values, m), cp_model.FEASIBLE
            phases[-1]["status"] += " (kept the warm start)"
        if not _has(status):
            _raise_infeasible(problem, status)
        # CP-SAT that found nothing on this model in phase 1 finds nothing in phase 2
        # either: the re-rostering then gets phase 2's time too
        rerostering = (lns > 0 and status != cp_model.OPTIMAL
                       and solver.ObjectiveValue() > max(under_bound, relaxed_bound))
        skip_phase_2 = kept and rerostering
        if rerostering:
            share = 1 - first_phase_share + lns if skip_phase_2 else lns
            limit = (time_limit * share if deterministic else
                     max(time_limit * (1 if skip_phase_2 else first_phase_share)
                         - (time.monotonic() - started), 1.0))
            if column_share > 0:
                cg_started = time.monotonic()
                solver, cg_bound = _columns(ctx, solver, limit * column_share, seed, workers,
                                            deterministic, phases, progress,
                                            time.monotonic() - started, time_limit)
                under_bound = max(under_bound, cg_bound)
                limit = (limit * (1 - column_share) if deterministic else
                         max(limit - (time.monotonic() - cg_started), 1.0))
            solver = _reroster(ctx, solver, limit, seed, workers, deterministic, phases,
                               progress, time.monotonic() - started, time_limit)
        if not skip_phase_2:
            under_val = round(solver.ObjectiveValue())
            _hint(ctx, solver)
            m.Add(under_expr <= under_val)
            used = time.monotonic() - started
            rest = (time_limit * (1 - first_phase_share) if deterministic
                    else max(time_limit - used, time_limit * 0.2))
            solver2, status2 = run(full, rest, used)
            if _has(status2):
                solver, status = solver2, status2
        else:
            m.Minimize(full)  # the objective reported is the whole one, as after phase 2
        final_status = "optimal" if (status == cp_model.OPTIMAL and
                                     phases[0]["status"] == "optimal") else "feasible"
    else:
        solver, status = run(full, time_limit, 0.0)
        if not _has(status) and hint_values is not None:
            solver, status = _HintValues(hint_values, m), cp_model.FEASIBLE
        if not _has(status):
            _raise_infeasible(problem, status)
        final_status = _STATUS[status]
        under_bound = None  # filled below
    sol = _extract(ctx, solver, final_status, terms, time.monotonic() - first_start, phases)
    if under_bound is None:
        sol.under_bound = float(sol.under_total) if status == cp_model.OPTIMAL else 0.0
    else:
        sol.under_bound = min(max(under_bound, relaxed_bound), sol.under_total)
    if weeks is not None:
        sol.decomposition = (f"agent by agent ({passes} pass{'es' if passes > 1 else ''} of "
                             "one small exact model per agent), then one CP-SAT model over "
                             "all agents")
    if progress:
        progress(1.0)
    return sol


def _reroster(ctx: ModelContext, solver: cp_model.CpSolver, limit: float, seed: int,
              workers: int, deterministic: bool, phases: list[dict],
              progress: Callable[[float], None] | None, offset: float,
              total: float) -> cp_model.CpSolver:
    """Phase 1's roster improved by re-rostering a few agents at a time (`reroster.py`);
    returns a stand-in solver holding the better roster, or `solver` itself."""
    from scheduling.roster.reroster import reroster, weeks_from_counts
    p = ctx.problem
    res = reroster(p, weeks_from_counts(p, *chosen(ctx, solver)), limit, seed=seed,
                   workers=workers, deterministic=deterministic,
                   progress=(lambda f: progress(min(0.99, (offset + f * limit) / total)))
                   if progress else None)
    phases.append({"status": f"re-rostered a few agents at a time: {res.steps} steps, "
                             f"{res.improvements} better, from {res.start_under}",
                   "seconds": res.seconds, "objective": float(res.under),
                   "bound": phases[-1]["bound"], "tried": res.tried})
    if res.under >= solver.ObjectiveValue():
        return solver
    values = hint_weeks(ctx, res.weeks)
    return solver if values is None else _HintValues(values, ctx.model)


def _columns(ctx: ModelContext, solver: cp_model.CpSolver, limit: float, seed: int,
             workers: int, deterministic: bool, phases: list[dict],
             progress: Callable[[float], None] | None, offset: float,
             total: float) -> tuple[cp_model.CpSolver, float]:
    """Column generation and a dive on under-staffing alone, from phase 1's roster:
    a stand-in solver holding the dive's roster when better (else `solver`), and the
    Lagrangian bound on weighted under-staffing."""
    from scheduling.roster.columns import price_and_dive
    from scheduling.roster.reroster import weeks_from_counts
    p = ctx.problem
    under_only = replace(p, weights={**p.weights, "over": 0, "paid": 0, "preference": 0,
                                     "fairness": 0})
    res = price_and_dive(under_only, weeks_from_counts(p, *chosen(ctx, solver)), limit,
                         seed=seed, workers=workers, deterministic=deterministic,
                         progress=(lambda f: progress(min(0.99, (offset + f * limit) / total)))
                         if progress else None)
    phases.append({"status": f"column generation: {res.rounds} rounds, {res.columns} "
                             f"columns, LP {res.lp:.0f}; roster {res.objective:.0f}",
                   "seconds": res.seconds, "objective": res.objective, "bound": res.bound})
    bound = max(math.ceil(res.bound - 1e-6), 0.0)
    if res.objective >= solver.ObjectiveValue():
        return solver, bound
    values = hint_weeks(ctx, res.weeks)
    return (solver if values is None else _HintValues(values, ctx.model)), bound


def _has(status: int) -> bool:
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _hint(ctx: ModelContext, solver: cp_model.CpSolver) -> None:
    """Hint every variable with the phase-1 solution so phase 2 starts from it."""
    m = ctx.model
    m.ClearHints()
    values = solver.ResponseProto().solution
    proto = m.Proto()
    for i, value in enumerate(values):
        proto.solution_hint.vars.append(i)
        proto.solution_hint.values.append(value)


class _HintValues:
    """Stands in for a solver when the search stopped before finding anything better
    than the (complete, feasible) warm-start hint."""

    def __init__(self, values: list[int], model: cp_model.CpModel) -> None:
        self.values = values
        self.model = model

    def Value(self, v: object) -> int:  # noqa: N802 - mirrors CpSolver
        return int(self.values[v.Index()])

    def ObjectiveValue(self) -> float:  # noqa: N802
        """The objective the model is minimising now, at the hint."""
        from scheduling.roster.improve import objective_value
        return float(objective_value(self.model, self.values))

    def BestObjectiveBound(self) -> float:  # noqa: N802
        return 0.0

    def ResponseProto(self) -> object:  # noqa: N802
        class _R:
            solution = self.values
        return _R()


def hint_weeks(ctx: ModelContext, weeks: list, complete: bool = True) -> list[int] | None:
    """Hint the model with an agent-by-agent roster (see construct.py); returns the
    completed hint (a value per model variable) when it is feasible; with
    `complete=False` only the choices and counts are hinted (CP-SAT completes them)."""
    m = ctx.model
    m.ClearHints()  # replaces any earlier hint, whose other values may not fit
    n: dict[str, int] = dict.fromkeys(ctx.n, 0)
    b = {key: [[0] * len(bv) for bv in bs] for key, bs in ctx.b.items()}
    for a, week in enumerate(weeks):
        for d, pick in enumerate(week):
            m.AddHint(ctx.work[a][d], pick is not None)
            for i, v in enumerate(ctx.x[a][d]):
                m.AddHint(v, pick is not None and pick[0] == i)
            if pick is not None:
                key = ctx.problem.agents[a].options[d][pick[0]].key
                n[key] += 1
                for k, p in enumerate(pick[1]):
                    b[key][k][p] += 1
    for key, nv in ctx.n.items():
        m.AddHint(nv, n[key])
        for bv, counts in zip(ctx.b[key], b[key], strict=True):
            for v, c in zip(bv, counts, strict=True):
                m.AddHint(v, c)
    if not complete:
        return None
    # complete the hint (coverage, flags) by solving a copy with the hinted values fixed
    from scheduling.roster.improve import complete_assignment
    hint = m.Proto().solution_hint
    values = complete_assignment(m, dict(zip(hint.vars, hint.values, strict=True)))
    if values is not None:
        m.ClearHints()
        hint = m.Proto().solution_hint
        hint.vars.extend(range(len(values)))
        hint.values.extend(values)
    return values


def _value(solver: cp_model.CpSolver, v: object) -> int:
    return int(v) if isinstance(v, int) else int(solver.Value(v))


def chosen(ctx: ModelContext, solver: cp_model.CpSolver
           ) -> tuple[list[list[int | None]], dict[str, list[list[int]]]]:
    """The option index (None: day off) per agent and day, and the break counts per
    option and break position, of a solver's solution."""
    choice = [[next((i for i, v in enumerate(xs) if solver.Value(v)), None) for xs in row]
              for row in ctx.x]
    breaks = {key: [[solver.Value(v) for v in bv] for bv in bs] for key, bs in ctx.b.items()}
    return choice, breaks


def _extract(ctx: ModelContext, solver: cp_model.CpSolver, status: str, terms: dict,
             seconds: float, phases: list[dict]) -> Solution:
    choice, breaks = chosen(ctx, solver)
    under = [_value(solver, u) for u in ctx.under]
    over = [_value(solver, o) for o in ctx.over]
    weighted_under = sum(_value(solver, v) * w for v, w in terms["under"])
    return Solution(status=status, choice=choice, breaks=breaks, under=under, over=over,
                    objective=solver.ObjectiveValue(), bound=solver.BestObjectiveBound(),
                    under_total=weighted_under, under_bound=0.0, wall_seconds=seconds,
                    phases=phases)


def diagnose_conflicts(problem: Problem, time_limit: float = 10.0) -> dict[str, list[str]]:
    """For each agent alone, find a minimal set of that agent's rules that cannot all hold.

    Coverage is soft, so a conflict always lies within one agent's own rules. Each
    agent's model is solved with all hard rules; when infeasible, a deletion filter
    drops each rule in turn and keeps it out if the rest still conflict, leaving a
    minimal conflicting set (plain models, so the LP relaxation keeps each solve quick).
    """
    conflicts: dict[str, list[str]] = {}
    for spec in problem.agents:
        sub = Problem(days=problem.days, weekdays=problem.weekdays,
                      agents=[without_cells(spec)], cells=[],
                      min_rest_minutes=problem.min_rest_minutes,
                      forbidden_successions=problem.forbidden_successions)
        rules = [r for r in HARD_RULES if r != "one_shift_a_day"]
        if not _infeasible(sub, rules, time_limit):
            continue
        needed = list(rules)
        for rule in rules:
            trial = [r for r in needed if r != rule]
            if _infeasible(sub, trial, time_limit):
                needed = trial
        conflicts[spec.agent_id] = needed or ["(no shift fits the agent's queues)"]
    return conflicts


def _infeasible(problem: Problem, rules: list[str], time_limit: float) -> bool:
    ctx = ModelContext(problem, hard_rules=["one_shift_a_day", *rules])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    return solver.Solve(ctx.model) == cp_model.INFEASIBLE


def without_cells(spec: AgentSpec) -> AgentSpec:
    """The agent with their options' cover and breaks stripped (their own rules alone)."""
    opts = [[replace(o, cells=(), breaks=()) for o in day] for day in spec.options]
    return replace(spec, options=opts)


def _raise_infeasible(problem: Problem, status: int) -> None:
    conflicts = diagnose_conflicts(problem)
    if conflicts:
        raise RosterInfeasibleError(conflicts)
    if status == cp_model.INFEASIBLE:
        raise RosterInfeasibleError(
            {}, "each agent's rules hold alone; the conflict involves several agents")
    raise RosterTimeoutError()
