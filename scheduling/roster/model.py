"""The CP-SAT model: variables, the hard rules, coverage with implicit breaks, and what
one solve of it gives (`Solution`); the search that solves it in phases is `search.py`.

Variables: `x[a][d][i]` is true when agent `a` works option `i` (a shift start,
length and queue) on day `d`; `work[a][d]` is their sum. Agents taking the same
option key are interchangeable, so coverage is counted through one integer per key
(`n[key]`), and breaks through integers `b[key][k][p]` saying how many of them take
break `k` at position `p` (implicit break placement): the solver puts breaks where
they hurt coverage least, and `solve.py` hands the counts out to the agents.
Each key covers its cells at the option's `weight` (1, or an agent's proficiency in
`Problem.cover_scale` units, see `proficiency.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model, cp_model_helper

from scheduling.roster.errors import RosterInfeasibleError, RosterTimeoutError
from scheduling.roster.problem import AgentSpec, Problem
from scheduling.roster.rules import HARD_RULES, HELD_BY_OPTIONS, Penalty, Term


class ModelContext:
    """The model under construction: what every rule function reads and adds to."""

    def __init__(self, problem: Problem, hard_rules: list[str] | None = None) -> None:
        self.problem = problem
        self.penalties: list[Term] = []  # the soft terms in the objective (objective.py)
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
        """Add a clause of `rule` for agent `a`: at least one of `literals` holds."""
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
                cover[c].append((nv, o.weight))
                most[c] += len(lits) * o.weight
            self.b[key] = []
            for k, br in enumerate(o.breaks):
                bv = [m.NewIntVar(0, len(lits), f"b[{key},{k},{pos}]") for pos in br.positions]
                m.Add(sum(bv) == nv)
                self.b[key].append(bv)
                for v, cells in zip(bv, br.cells, strict=True):
                    for c in cells:
                        cover[c].append((v, -o.weight))
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
    penalties: list[tuple[Penalty, int]] = field(default_factory=list)  # paid, with amount


class ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports the share of a search done, at each solution, as (offset + wall time of
    this solve) / total."""

    def __init__(self, progress: Callable[[float], None] | None, offset: float,
                 total: float) -> None:
        super().__init__()
        self.progress, self.offset, self.total = progress, offset, total

    def on_solution_callback(self) -> None:
        """Report progress at each solution found."""
        if self.progress:
            self.progress(min(0.99, (self.offset + self.WallTime()) / self.total))


STATUS_NAMES = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
                cp_model.INFEASIBLE: "infeasible", cp_model.UNKNOWN: "unknown",
                cp_model.MODEL_INVALID: "invalid"}


def has_solution(status: int) -> bool:
    """Whether a CP-SAT status comes with a solution."""
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def hint_solution(ctx: ModelContext, solver: cp_model.CpSolver) -> None:
    """Hint every variable with the phase-1 solution so phase 2 starts from it."""
    m = ctx.model
    m.ClearHints()
    values = solver.ResponseProto().solution
    proto = m.Proto()
    for i, value in enumerate(values):
        proto.solution_hint.vars.append(i)
        proto.solution_hint.values.append(value)


class HintedSolution:
    """Stands in for a solver when the search stopped before finding anything better
    than the (complete, feasible) warm-start hint."""

    def __init__(self, values: list[int], model: cp_model.CpModel) -> None:
        self.values = values
        self.model = model

    def Value(self, v: object) -> int:  # noqa: N802 - mirrors CpSolver
        """The value of a variable or linear expression at the hint."""
        if isinstance(v, int):
            return v
        flat = cp_model_helper.FlatIntExpr(v)
        return int(flat.offset + sum(c * self.values[x.index]
                                     for x, c in zip(flat.vars, flat.coeffs, strict=True)))

    def ObjectiveValue(self) -> float:  # noqa: N802
        """The objective the model is minimising now, at the hint."""
        return float(objective_value(self.model, self.values))

    def BestObjectiveBound(self) -> float:  # noqa: N802
        """No bound is proven by a hint."""
        return 0.0

    def ResponseProto(self) -> object:  # noqa: N802
        """The hint's values as a response's `solution`."""
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


def extract_solution(ctx: ModelContext, solver: cp_model.CpSolver, status: str, terms: dict,
                     seconds: float, phases: list[dict]) -> Solution:
    """The `Solution` a solver (or a `HintedSolution`) holds; `terms` are the objective's
    (`objective.objective_terms`), the lower bound on under-staffing is left at 0."""
    choice, breaks = chosen(ctx, solver)
    under = [_value(solver, u) for u in ctx.under]
    over = [_value(solver, o) for o in ctx.over]
    weighted_under = sum(_value(solver, v) * w for v, w in terms["under"])
    return Solution(status=status, choice=choice, breaks=breaks, under=under, over=over,
                    objective=solver.ObjectiveValue(), bound=solver.BestObjectiveBound(),
                    under_total=weighted_under, under_bound=0.0, wall_seconds=seconds,
                    phases=phases, penalties=paid_penalties(ctx, solver))


def paid_penalties(ctx: ModelContext, solver: cp_model.CpSolver | HintedSolution
                   ) -> list[tuple[Penalty, int]]:
    """The soft rules' penalties the solution pays (`ctx.penalties`, filled by
    `objective.objective_terms`), each with its amount: the broken wishes and the
    unfair spreads, for reporting as soft-rule violations."""
    paid = [(label, int(solver.Value(expr))) for expr, _cost, label in ctx.penalties]
    return [(label, amount) for label, amount in paid if amount > 0]


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
        rules = [r for r in HARD_RULES if r not in ("one_shift_a_day", *HELD_BY_OPTIONS)]
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


def raise_infeasible(problem: Problem, status: int) -> None:
    """Raise the error that says why the model has no solution: the rules in conflict
    per agent, a conflict between agents, or no roster found in time."""
    conflicts = diagnose_conflicts(problem)
    if conflicts:
        raise RosterInfeasibleError(conflicts)
    if status == cp_model.INFEASIBLE:
        raise RosterInfeasibleError(
            {}, "each agent's rules hold alone; the conflict involves several agents")
    raise RosterTimeoutError()


def complete_assignment(model: cp_model.CpModel, fixed: dict[int, int],
                        time_limit: float = 30.0) -> list[int] | None:
    """A value for every variable of `model` with the variables `fixed` (proto index ->
    value) held; None when they cannot all hold."""
    sub = model.Clone()
    proto = sub.Proto()
    proto.clear_solution_hint()
    proto.clear_objective()
    for i, v in fixed.items():
        fix_value(proto, i, v)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    if solver.Solve(sub) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return list(solver.ResponseProto().solution)
    return None


def fix_value(proto: object, i: int, value: int) -> None:
    """Fix variable `i` of a model proto to `value`."""
    domain = proto.variables[i].domain
    domain.clear()
    domain.extend([value, value])


def objective_value(model: cp_model.CpModel, values: Sequence[int]) -> float:
    """The model's objective at `values` (a value per proto variable)."""
    obj = model.Proto().objective
    raw = sum(c * (values[r] if r >= 0 else -values[-r - 1])
              for r, c in zip(obj.vars, obj.coeffs, strict=True))
    value = raw + obj.offset
    return value * obj.scaling_factor if obj.scaling_factor else value
