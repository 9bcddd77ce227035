"""The roster search: the phases of `docs/design-notes.md` run in order, each from the
best roster so far, over the CP-SAT model of `model.py`.

`solve_problem` solves one model: the pooled lower bound (`bound.py`), the
agent-by-agent warm start (`construct.py`), CP-SAT on under-staffing, column
generation and a dive (`columns.py`) and re-rostering a few agents at a time
(`reroster.py`) on large rosters, then CP-SAT on everything else with under-staffing
held. `solve_in_parts` splits a large roster by queue group and team
(`decompose.py`) and solves each part with `solve_problem`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduling.roster.bound import capacity_bound, under_staffing_bound
from scheduling.roster.columns import price_and_dive, whole_bound
from scheduling.roster.construct import construct_roster
from scheduling.roster.decompose import part_cover, queue_groups, subproblem
from scheduling.roster.descent import descend
from scheduling.roster.errors import RosterInfeasibleError
from scheduling.roster.model import (
    STATUS_NAMES,
    HintedSolution,
    ModelContext,
    ProgressCallback,
    Solution,
    chosen,
    diagnose_conflicts,
    extract_solution,
    has_solution,
    hint_solution,
    hint_weeks,
    raise_infeasible,
)
from scheduling.roster.objective import DEFAULT_WEIGHTS, objective_terms, weighted_under
from scheduling.roster.problem import Problem
from scheduling.roster.reroster import reroster, weeks_from_counts
from scheduling.roster.rules import Penalty
from scheduling.roster.settings import solver_parameters

REROSTER_SHARE = 0.6  # of the time, for re-rostering a few agents at a time (large rosters)
REROSTER_MIN_AGENTS = 40
REROSTER_COLUMN_SHARE = 0.75  # of that time, first for column generation and its dive
DEADLINE_RESERVE = 2.0
"""Seconds kept back from the wall-clock cap (2 x limit + 10 s) for building the model
and reading the roster out of the solver, so the whole solve stays within the cap."""
START_RESHARE = 0.0
"""Share of the time for re-rostering a few agents at a time after the descent from a
start roster (`descent.py`); the rest goes to the second phase. Column generation is
skipped from a start: on the sample's Double 11 scenarios its dive came out worse than
the descent's roster."""
MIN_IMPROVE_SECONDS = 4.0
"""Wall-clock seconds that must be left before the cap for column generation and
re-rostering to start (they need about this much to pay off), and for the descent
from a start roster to begin a pass on the wall clock (a deterministic descent stops
on its passes alone)."""


def solve_problem(problem: Problem, time_limit: float = 60.0, seed: int = 0,
                  workers: int = 2, deterministic: bool = True, lexicographic: bool = True,
                  progress: Callable[[float], None] | None = None,
                  first_phase_share: float = 0.7, warm_start: float = 0.0,
                  bound_share: float | None = 0.0,
                  linearization_level: int | None = None,
                  lns_share: float | None = None,
                  column_share: float = REROSTER_COLUMN_SHARE,
                  deadline: float | None = None,
                  start: list | None = None, bound_search: bool = True) -> Solution:
    """Solve `problem`: first the weighted under-staffing alone, then everything else
    with under-staffing held at that value. The reported lower bound on under-staffing
    is the best of phase 1's solver bound, the LP relaxation of the pooled model and
    CP-SAT on that pooled model given `bound_share` of the time (`bound.py`);
    `bound_share=None` skips that relaxation (a part whose bound is not used);
    `bound_search=False` keeps its LP but skips CP-SAT on it (whose `bound_share` of
    the time is then not spent, so the roster is the same).
    `warm_start` of the time goes to the agent-by-agent construction (`construct.py`)
    whose roster hints the model.
    With `lexicographic=False` one weighted objective is minimised (benchmarks).
    `linearization_level` overrides CP-SAT's (0: no LP in the search; with two workers
    on many small cells its LNS then makes more, cheaper steps).
    `lns_share` of the time (taken from phase 1's) goes to re-rostering a few agents
    at a time (`reroster.py`) between the two phases; by default `REROSTER_SHARE` from
    `REROSTER_MIN_AGENTS` agents up, where CP-SAT alone rarely improves the warm start.
    `column_share` of that time goes first to column generation over whole weeks and
    a dive to a roster (`columns.py`): its Lagrangian bound on under-staffing is the
    strongest we have, and its roster the re-rostering's start when better.
    `deadline` (a `time.monotonic()` value) is a wall-clock cap shared by the parts of a
    decomposed roster; by default 2 x `time_limit` + 10 s from now.
    `start` (a week per agent as `construct.py` writes them, None for an agent to plan)
    is a roster to start from instead of the agent-by-agent construction: the other
    agents are planned against what its weeks leave uncovered, then every agent is
    re-planned against the others until no week improves alone (`descent.py`); that
    roster stands for phase 1 (no CP-SAT on under-staffing, no column generation),
    `START_RESHARE` of the time re-rosters a few agents at a time and phase 2 gets its
    usual share, so a warm start uses less than `time_limit`."""
    started = first_start = time.monotonic()
    # deterministic runs stop on deterministic time; this wall-clock cap only guards a
    # loaded machine (hitting it makes that run not reproducible)
    own_deadline = started + 2 * time_limit + 10 - DEADLINE_RESERVE
    deadline = own_deadline if deadline is None else min(deadline, own_deadline)

    def capped(budget: float, share: float) -> float:
        """A wall-clock stage's budget, at most `share` of what is left before the
        deadline (deterministic budgets are left alone: they count solver work)."""
        if deterministic:
            return budget
        return max(min(budget, (deadline - time.monotonic()) * share), 0.5)

    def stage_deadline(share: float) -> float:
        """When a stage must stop: `share` of what is left before the deadline."""
        now = time.monotonic()
        return now + max(deadline - now, 0.0) * share
    relaxed_bound = 0.0
    if (lexicographic and bound_share is not None
            and any(c.requirement > 0 and c.under_weight for c in problem.cells)):
        relaxed_bound = capacity_bound(problem, problem.paid_minute_unit)
        # from a start (a small budget) CP-SAT on the pooled model proved nothing on the
        # sample's Double 11 scenarios: the LP relaxation alone gives the bound
        share = 0.0 if start is not None else bound_share
        searched = share if bound_search else 0.0
        relaxed = under_staffing_bound(problem, time_limit * searched, seed, workers,
                                       deterministic, wall_cap=time_limit * searched * 2 + 2)
        relaxed_bound = max(relaxed_bound, relaxed)
        if share > 0:  # the budgets stay those of a run with the bound's search
            time_limit = time_limit * (1 - bound_share) if deterministic else \
                max(time_limit - (time.monotonic() - started), time_limit * 0.5)
        started = time.monotonic()
    weeks, passes = None, 0
    construct_deadline = started + (deadline - started) * 0.5  # leave the search its turn
    if start is not None and (len(start) != len(problem.agents)
                              or all(w is None for w in start)):
        start = None  # nothing of it fits: built agent by agent as without one
    descent_started = time.monotonic()
    if start is not None:
        # deterministic: passes and each agent's deterministic time bound the descent
        weeks, passes = descend(problem, start, seed, deadline=None if deterministic
                                else deadline - MIN_IMPROVE_SECONDS)
        if weeks is None:  # a new agent found no week alone: plan all from scratch
            start = None
    if (weeks is None and warm_start and len(problem.agents) > 1
            and any(c.requirement for c in problem.cells)):
        weeks, passes = construct_roster(problem, capped(time_limit * warm_start, 0.3), seed,
                                 max_passes=2 + int(time_limit // 20) if deterministic else None,
                                 progress=(lambda f: progress(f * warm_start)) if progress
                                 else None, deadline=construct_deadline)
        if weeks is None:  # some agent found no week alone: name the rules in conflict
            conflicts = diagnose_conflicts(problem)
            if conflicts:
                raise RosterInfeasibleError(conflicts)
    ctx = ModelContext(problem)
    terms = objective_terms(ctx)
    hint_values = hint_weeks(ctx, weeks) if weeks is not None else None
    if deterministic:  # budgets must not depend on the wall clock
        time_limit = (time_limit * (1 - warm_start) if weeks is not None and start is None
                      else time_limit)
    else:
        time_limit = max(time_limit - (time.monotonic() - started), time_limit * 0.3)
    started = time.monotonic()
    under_expr = sum(v * w for v, w in terms["under"]) if terms["under"] else 0
    full = sum(v * w for group in terms.values() for v, w in group)
    m = ctx.model
    phases: list[dict] = []

    def run(objective: object, limit: float, offset: float) -> tuple[cp_model.CpSolver, int]:
        m.Minimize(objective)
        solver = solver_parameters(limit, seed, workers, deterministic,
                                   max(deadline - time.monotonic(), 1.0),
                                   linearization_level)
        status = solver.Solve(m, ProgressCallback(progress, offset, time_limit))
        phases.append({"status": STATUS_NAMES.get(status, str(status)),
                       "seconds": solver.WallTime(),
                       "objective": solver.ObjectiveValue() if has_solution(status) else None,
                       "bound": solver.BestObjectiveBound()})
        return solver, status

    under_bound = 0.0
    if lexicographic and terms["under"] and any(c.requirement for c in problem.cells):
        if lns_share is None:
            lns_share = REROSTER_SHARE if len(problem.agents) >= REROSTER_MIN_AGENTS else 0.0
        lns = min(max(lns_share, 0.0), first_phase_share * 0.9)
        warm = start is not None and hint_values is not None
        if warm:  # the descent's roster stands for phase 1 (CP-SAT rarely improves it)
            lns, column_share = min(lns, START_RESHARE), 0.0
            m.Minimize(under_expr)
            solver, status = HintedSolution(hint_values, m), cp_model.FEASIBLE
            phases.append({"status": f"from the start roster: {passes} pass"
                                     f"{'es' if passes != 1 else ''} re-planning each agent",
                           "seconds": time.monotonic() - descent_started,
                           "objective": solver.ObjectiveValue(), "bound": 0.0})
        else:
            solver, status = run(under_expr, time_limit * (first_phase_share - lns), 0.0)
        under_bound = max(solver.BestObjectiveBound(), 0.0)
        kept = not warm and not has_solution(status) and hint_values is not None
        if kept:
            solver, status = HintedSolution(hint_values, m), cp_model.FEASIBLE
            phases[-1]["status"] += " (kept the warm start)"
        if not has_solution(status):
            raise_infeasible(problem, status)
        # CP-SAT that found nothing on this model in phase 1 finds nothing in phase 2
        # either: the re-rostering then gets phase 2's time too
        rerostering = (lns > 0 and status != cp_model.OPTIMAL
                       and solver.ObjectiveValue() > max(under_bound, relaxed_bound))
        if rerostering and deadline - time.monotonic() < MIN_IMPROVE_SECONDS:
            rerostering = False  # no time left for column generation and re-rostering
        all_rest = kept and rerostering  # the re-rostering gets phase 2's time too
        # from a start, phase 2 found nothing better than the descent's roster (whose
        # one-agent models weigh paid hours, over-staffing and wishes already)
        skip_phase_2 = all_rest or warm
        if rerostering:
            share = 1 - first_phase_share + lns if all_rest else lns
            limit = (time_limit * share if deterministic else
                     max(time_limit * (1 if all_rest else first_phase_share)
                         - (time.monotonic() - started), 1.0))
            if column_share > 0:
                cg_started = time.monotonic()
                solver, cg_bound = _columns(ctx, solver, capped(limit * column_share, 0.4),
                                            seed, workers,
                                            deterministic, phases, progress,
                                            time.monotonic() - started, time_limit,
                                            stage_deadline(0.4))
                under_bound = max(under_bound, cg_bound)
                limit = (limit * (1 - column_share) if deterministic else
                         max(limit - (time.monotonic() - cg_started), 1.0))
            solver = _reroster(ctx, solver, capped(limit, 0.6), seed, workers, deterministic,
                               phases,
                               progress, time.monotonic() - started, time_limit,
                               stage_deadline(0.6))
        if not skip_phase_2:
            under_val = round(solver.ObjectiveValue())
            hint_solution(ctx, solver)
            m.Add(under_expr <= under_val)
            used = time.monotonic() - started
            rest = (time_limit * (1 - first_phase_share) if deterministic
                    else max(time_limit - used, time_limit * 0.2))
            solver2, status2 = run(full, rest, used)
            if has_solution(status2):
                solver, status = solver2, status2
        else:
            m.Minimize(full)  # the objective reported is the whole one, as after phase 2
        final_status = "optimal" if (status == cp_model.OPTIMAL and
                                     phases[0]["status"] == "optimal") else "feasible"
    else:
        solver, status = run(full, time_limit, 0.0)
        if not has_solution(status) and hint_values is not None:
            solver, status = HintedSolution(hint_values, m), cp_model.FEASIBLE
        if not has_solution(status):
            raise_infeasible(problem, status)
        final_status = STATUS_NAMES[status]
        under_bound = None  # filled below
    sol = extract_solution(ctx, solver, final_status, terms, time.monotonic() - first_start,
                           phases)
    if under_bound is None:
        sol.under_bound = float(sol.under_total) if status == cp_model.OPTIMAL else 0.0
    else:
        sol.under_bound = min(max(under_bound, relaxed_bound), sol.under_total)
    if weeks is not None and start is not None:
        planned = sum(w is None for w in start)
        sol.decomposition = (f"from the start roster ({len(start) - planned} of "
                             f"{len(start)} agents' weeks, {planned} planned agent by agent, "
                             f"then {passes} pass{'es' if passes != 1 else ''} re-planning "
                             "each agent), then one CP-SAT model over all agents")
    elif weeks is not None:
        sol.decomposition = (f"agent by agent ({passes} pass{'es' if passes > 1 else ''} of "
                             "one small exact model per agent), then one CP-SAT model over "
                             "all agents")
    if progress:
        progress(1.0)
    return sol


def _reroster(ctx: ModelContext, solver: cp_model.CpSolver, limit: float, seed: int,
              workers: int, deterministic: bool, phases: list[dict],
              progress: Callable[[float], None] | None, offset: float,
              total: float, deadline: float | None = None) -> cp_model.CpSolver:
    """Phase 1's roster improved by re-rostering a few agents at a time (`reroster.py`);
    returns a stand-in solver holding the better roster, or `solver` itself."""
    p = ctx.problem
    res = reroster(p, weeks_from_counts(p, *chosen(ctx, solver)), limit, seed=seed,
                   workers=workers, deterministic=deterministic,
                   progress=(lambda f: progress(min(0.99, (offset + f * limit) / total)))
                   if progress else None, deadline=deadline)
    phases.append({"status": f"re-rostered a few agents at a time: {res.steps} steps, "
                             f"{res.improvements} better, from {res.start_under}",
                   "seconds": res.seconds, "objective": float(res.under),
                   "bound": phases[-1]["bound"], "tried": res.tried})
    if res.under >= solver.ObjectiveValue():
        return solver
    values = hint_weeks(ctx, res.weeks)
    return solver if values is None else HintedSolution(values, ctx.model)


def _columns(ctx: ModelContext, solver: cp_model.CpSolver, limit: float, seed: int,
             workers: int, deterministic: bool, phases: list[dict],
             progress: Callable[[float], None] | None, offset: float,
             total: float, deadline: float | None = None) -> tuple[cp_model.CpSolver, float]:
    """Column generation and a dive on under-staffing alone, from phase 1's roster:
    a stand-in solver holding the dive's roster when better (else `solver`), and the
    Lagrangian bound on weighted under-staffing."""
    p = ctx.problem
    under_only = replace(p, weights={**p.weights, "over": 0, "paid": 0, "preference": 0,
                                     "fairness": 0})
    res = price_and_dive(under_only, weeks_from_counts(p, *chosen(ctx, solver)), limit,
                         seed=seed, workers=workers, deterministic=deterministic,
                         progress=(lambda f: progress(min(0.99, (offset + f * limit) / total)))
                         if progress else None, deadline=deadline)
    phases.append({"status": f"column generation: {res.rounds} rounds, {res.columns} "
                             f"columns, LP {res.lp:.0f}; roster {res.objective:.0f}",
                   "seconds": res.seconds, "objective": res.objective, "bound": res.bound})
    bound = whole_bound(res.bound, 0.0)
    if res.objective >= solver.ObjectiveValue():
        return solver, bound
    values = hint_weeks(ctx, res.weeks)
    return (solver if values is None else HintedSolution(values, ctx.model)), bound


def solve_in_parts(problem: Problem, time_limit: float = 60.0, seed: int = 0,
                   workers: int = 2, deterministic: bool = True, max_agents: int = 200,
                   progress: Callable[[float], None] | None = None,
                   bound_share: float | None = 0.0,
                   mapper: Callable[[Callable, list], Iterable] | None = None,
                   start: list | None = None, **kw: object) -> Solution:
    """Solve by queue group (exact) and, in groups over `max_agents`, by team; one
    model when neither split applies. `Solution.parts` says what was solved how.
    `bound_share` of the time goes to the pooled lower bound (see `solve_problem`);
    team parts skip it, their group's bound is computed once for the whole group.
    Queue groups are independent: `mapper(fn, groups)`, when given, solves them (e.g.
    side by side elsewhere; results in order, the same as one after another, and
    progress is then the mapper's to report)."""
    groups = queue_groups(problem)
    split_teams = [g for g in groups if len(g) > max_agents
                   and len({problem.agents[a].team for a in g}) > 1]
    if len(groups) == 1 and not split_teams:
        return solve_problem(problem, time_limit=time_limit, seed=seed, workers=workers,
                             deterministic=deterministic, progress=progress,
                             bound_share=bound_share, start=start, **kw)
    started = time.monotonic()
    # one wall-clock cap for all the parts, as for one model (see `solve_problem`); on the
    # wall clock each part gets its agents' share of what is left (deterministic parts
    # only reach the cap on a slow or loaded machine, and that run is not reproducible)
    overall = kw.pop("deadline", None)
    if overall is None:
        overall = started + 2 * time_limit + 10 - DEADLINE_RESERVE
    n_all = len(problem.agents)
    choice: list[list[int | None]] = [[None] * problem.days for _ in problem.agents]
    breaks: dict[str, list[list[int]]] = {}
    parts: list[dict] = []
    phases: list[dict] = []
    penalties: list[tuple[Penalty, int]] = []
    statuses: list[str] = []
    objective = 0.0
    requirement = [c.requirement for c in problem.cells]
    under_bound = 0.0
    bound = 0.0
    tasks, done = [], 0
    for g in groups:
        sub, _ = subproblem(problem, g, requirement)
        # wall-clock share: one after another, what is left is shared with the groups
        # after this one; side by side (maybe on another machine, whose monotonic clock
        # differs), each group gets all that is left, from its own start
        tasks.append(_GroupTask(sub, g, g in split_teams, time_limit, seed, workers,
                                deterministic, bound_share,
                                None if mapper is not None else overall,
                                overall - time.monotonic(), done, n_all,
                                len(g) if mapper is not None else n_all - done, kw,
                                None if mapper is not None else progress,
                                None if start is None else [start[a] for a in g]))
        done += len(g)
    for g, found in zip(groups, (mapper or map)(_solve_group, tasks), strict=True):
        for members, sol in found.solutions:
            for a, row in zip(members, sol.choice, strict=True):
                choice[g[a]] = row
            for key, counts in sol.breaks.items():
                if key in breaks:
                    breaks[key] = [[x + y for x, y in zip(p, q, strict=True)]
                                   for p, q in zip(breaks[key], counts, strict=True)]
                else:
                    breaks[key] = counts
            statuses.append(sol.status)
            objective += sol.objective
            penalties += sol.penalties
        phases += found.phases
        parts += found.parts
        under_bound += found.under_bound
        bound += found.bound
    cover = part_cover(problem, choice, breaks)
    w = {**DEFAULT_WEIGHTS, **problem.weights}
    coverable = [False] * len(problem.cells)
    for spec in problem.agents:
        for day in spec.options:
            for o in day:
                for c in o.cells:
                    coverable[c] = True
    under = [max(c.requirement - v, 0) if c.requirement > 0 else 0
             for c, v in zip(problem.cells, cover, strict=True)]
    over = [max(v - c.requirement, 0) if coverable[i] else 0
            for i, (c, v) in enumerate(zip(problem.cells, cover, strict=True))]
    under_total = weighted_under(problem, cover)
    # cells nobody can cover are short whatever the roster: they belong in the bound
    under_bound += sum(w["under"] * c.under_weight * c.requirement
                       for i, c in enumerate(problem.cells)
                       if not coverable[i] and c.requirement > 0)
    how = "; ".join(
        f"queues {'+'.join(p['queues'])}" + (f" team {p['team']}" if p["team"] else "")
        + f" ({p['agents']} agents)" for p in parts)
    n_groups = len(groups)
    kind = "by queue group" if not split_teams else "by queue group and team"
    sol = Solution(status="optimal" if all(s == "optimal" for s in statuses) else "feasible",
                   choice=choice, breaks=breaks, under=under, over=over,
                   objective=objective, bound=bound, under_total=under_total,
                   under_bound=min(under_bound, under_total),
                   wall_seconds=time.monotonic() - started, phases=phases,
                   decomposition=f"{kind}: {len(parts)} models over {n_groups} independent "
                                 f"queue group{'s' if n_groups > 1 else ''} -- {how}"
                                 + ("; started from the start roster where it fits"
                                    if start is not None else ""),
                   parts=parts, penalties=penalties)
    if progress:
        progress(1.0)
    return sol


@dataclass
class _GroupTask:
    """One queue group to solve (its own subproblem, so it can travel alone)."""

    problem: Problem
    agents: list[int]  # the group's agents in the whole problem (only for the parts' sizes)
    split_teams: bool
    time_limit: float
    seed: int
    workers: int
    deterministic: bool
    bound_share: float | None
    overall: float | None  # wall-clock deadline (monotonic), None: `left` from the start
    left: float
    done: int  # agents of the groups before this one
    n_all: int
    pool: int  # agents the wall-clock time left is shared by, from this group on
    kw: dict
    progress: Callable[[float], None] | None
    start: list | None = None  # a start week per agent of the group (None: plan it)


@dataclass
class _GroupSolved:
    solutions: list[tuple[list[int], Solution]]  # (members in the group, their solution)
    phases: list[dict]
    parts: list[dict]
    under_bound: float
    bound: float


def _solve_group(task: _GroupTask) -> _GroupSolved:
    """A queue group's parts: the whole group, or its teams one after the other, each
    against what the teams before it left uncovered."""
    problem, n_all, done = task.problem, task.n_all, task.done
    overall = task.overall if task.overall is not None else time.monotonic() + task.left
    time_limit, seed, workers = task.time_limit, task.seed, task.workers
    deterministic, bound_share, progress = task.deterministic, task.bound_share, task.progress
    g = list(range(len(problem.agents)))
    teams: dict[str, list[int]] = {}
    if task.split_teams:
        for a in g:
            teams.setdefault(problem.agents[a].team, []).append(a)
    else:
        teams[""] = g
    queues = sorted({c.name for c in problem.cells})
    requirement = [c.requirement for c in problem.cells]
    out = _GroupSolved([], [], [], 0.0, 0.0)
    group_bound = 0.0
    group_under_bound = 0.0
    if len(teams) > 1 and bound_share:
        limit = time_limit * len(g) / n_all * bound_share
        if not task.kw.get("bound_search", True):
            limit = 0.0  # the LP only (see `solve_problem`)
        group_under_bound = under_staffing_bound(problem, limit, seed, workers, deterministic,
                                                 wall_cap=limit * 2 + 2)
    for team, members in sorted(teams.items()):
        limit = time_limit * len(members) / n_all
        if len(teams) > 1 and bound_share:
            limit *= 1 - bound_share
        sub, idx = subproblem(problem, members, requirement)
        offset = done / n_all

        def part_progress(f: float, offset: float = offset, size: int = len(members)
                          ) -> None:
            if progress:
                progress(min(offset + f * size / n_all, 0.99))

        now = time.monotonic()
        # deterministic parts may each use all that is left (no part's result then
        # depends on how fast the ones before it ran, unless the cap itself is reached)
        part_deadline = overall if deterministic else \
            now + max(overall - now, 0.0) * len(members) / max(task.pool - (done - task.done),
                                                                 1)
        sol = solve_problem(sub, time_limit=limit, seed=seed, workers=workers,
                            deterministic=deterministic, progress=part_progress,
                            bound_share=None if len(teams) > 1 else bound_share,
                            deadline=part_deadline,
                            start=None if task.start is None else
                            [task.start[a] for a in members], **task.kw)
        done += len(members)
        out.solutions.append((members, sol))
        cov = part_cover(sub, sol.choice, sol.breaks)
        for i, c in enumerate(idx):  # later teams cover what this one left
            requirement[c] -= cov[i]
        out.phases += [{**ph, "part": f"queues {'+'.join(queues)}"
                        + (f", team {team}" if team else "")} for ph in sol.phases]
        out.parts.append({"queues": queues, "team": team or None, "agents": len(members),
                          "status": sol.status, "seconds": round(sol.wall_seconds, 1),
                          "how": sol.decomposition})
        if len(teams) == 1:
            group_under_bound += sol.under_bound
            group_bound += sol.bound
    out.under_bound, out.bound = group_under_bound, group_bound
    return out
