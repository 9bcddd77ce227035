"""Re-rostering a few agents at a time: the large-neighbourhood search for big rosters.

With a hundred agents the full model is too big for CP-SAT to improve within a
minute once the agent-by-agent warm start (`construct.py`) has found its roster:
every move that helps needs two or more agents to change their weeks together. Each
step here frees a handful of agents, fixes everyone else, and
solves exactly, with all hard rules, the small model of the freed agents against what
the others leave uncovered (`decompose.subproblem`), minimising weighted
under-staffing, which may not grow; the rest of the objective (over-staffing, paid
hours, preferences) is left to the full model's second phase.

Freed agents are those who could cover a short interval (drawn by its weighted
shortfall), on that day (or a window of days around it), or a random few for the
whole week; the number freed grows while steps solve to optimality and shrinks when
they run out of time. Many short steps beat fewer long ones (on the generated
120-agent week: quarter-second steps on one day did best). Each step's model is
small, so it runs on one worker, and steps on disjoint agents run side by side.
Deterministic for a seed when `deterministic=True` (steps run on CP-SAT's
deterministic time).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduling.roster.construct import agent_cover
from scheduling.roster.decompose import subproblem
from scheduling.roster.model import ModelContext, chosen, hint_weeks
from scheduling.roster.objective import objective_terms, weighted_under
from scheduling.roster.problem import Problem
from scheduling.roster.settings import solver_parameters

Week = list[tuple[int, list[int]] | None]  # per day: (option index, break positions) or off


@dataclass
class RerosterResult:
    """The improved weeks and what the search did."""

    weeks: list[Week]
    under: int  # weighted under-staffing of `weeks`
    start_under: int
    steps: int
    improvements: int
    seconds: float
    tried: dict[str, list[int]] = field(default_factory=dict)  # kind -> [steps, better]


def weeks_from_counts(problem: Problem, choice: list[list[int | None]],
                      breaks: dict[str, list[list[int]]]) -> list[Week]:
    """Per-agent weeks from a solution's choices and break counts per shift option:
    each option's break positions are dealt out to the agents holding it, in order."""
    dealt: dict[str, list[list[int]]] = {}
    for key, per_break in breaks.items():
        dealt[key] = [[p for p, k in enumerate(counts) for _ in range(k)]
                      for counts in per_break]
    taken: dict[str, int] = {}
    weeks: list[Week] = []
    for a, row in enumerate(choice):
        week: Week = []
        for d, i in enumerate(row):
            if i is None:
                week.append(None)
                continue
            key = problem.agents[a].options[d][i].key
            n = taken.get(key, 0)
            taken[key] = n + 1
            week.append((i, [positions[n] for positions in dealt.get(key, [])]))
        weeks.append(week)
    return weeks


def reroster(problem: Problem, weeks: list[Week], time_limit: float, seed: int = 0,
             workers: int = 2, deterministic: bool = True, step_limit: float = 0.25,
             window_days: int = 1,
             progress: Callable[[float], None] | None = None,
             deadline: float | None = None) -> RerosterResult:
    """Improve the feasible roster `weeks` for `time_limit` seconds of steps of at most
    `step_limit` each (a `days` step frees `window_days` days), `workers` steps at a
    time on disjoint agents, one thread each; never returns more weighted
    under-staffing than it started with. No step starts after `deadline` (a
    `time.monotonic()` value), whatever the clock."""
    started = time.monotonic()
    weeks = [list(week) for week in weeks]
    n_agents = len(problem.agents)
    rng = random.Random(seed)
    cover = [0] * len(problem.cells)
    mine = [agent_cover(problem, a, weeks[a]) for a in range(n_agents)]
    for cells in mine:
        for c, v in cells.items():
            cover[c] += v
    could: dict[int, set[int]] = {}  # cell -> agents with an option covering it
    cell_day: dict[int, int] = {}  # cell -> day of the shifts covering it
    for a, spec in enumerate(problem.agents):
        for options in spec.options:
            for o in options:
                for c in o.cells:
                    could.setdefault(c, set()).add(a)
                    cell_day.setdefault(c, o.day)
    start = best = weighted_under(problem, cover)
    kinds = ("days", "days", "week")
    size = {"days": min(16, n_agents), "week": min(6, n_agents)}
    width = min(window_days, problem.days)
    tried = {k: [0, 0] for k in dict.fromkeys(kinds)}
    spent, steps, better = 0.0, 0, 0

    def apply(free: list[int], new_weeks: list[Week]) -> None:
        for a, week in zip(free, new_weeks, strict=True):
            for c, v in mine[a].items():
                cover[c] -= v
            weeks[a] = week
            mine[a] = agent_cover(problem, a, week)
            for c, v in mine[a].items():
                cover[c] += v

    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        while (n_agents > 1 and best > 0 and spent < time_limit - 0.05
               and (deadline is None or time.monotonic() < deadline)):
            limit = min(step_limit, time_limit - spent)
            jobs = []
            taken: set[int] = set()
            for _ in range(max(workers, 1)):
                kind = kinds[steps % len(kinds)]
                steps += 1
                free, days = _pick(kind, size[kind], width, problem, cover, could, cell_day,
                                   rng, n_agents, taken)
                taken.update(free)
                residual = [cell.requirement - v for cell, v in zip(problem.cells, cover,
                                                                     strict=True)]
                for a in free:
                    for c, v in mine[a].items():
                        residual[c] += v
                jobs.append((kind, free, pool.submit(
                    solve_agents, problem, free, residual, limit, rng.randrange(2 ** 31), 1,
                    deterministic, [weeks[a] for a in free], days)))
            dets = []
            for kind, free, job in jobs:  # disjoint agents; each checked after the others
                new_weeks, status, det = job.result()
                dets.append(det)
                tried[kind][0] += 1
                if new_weeks is not None:
                    old = [weeks[a] for a in free]
                    apply(free, new_weeks)
                    now = weighted_under(problem, cover)
                    if now > best:
                        apply(free, old)
                    elif now < best:
                        better += 1
                        tried[kind][1] += 1
                        best = now
                if status == cp_model.OPTIMAL:
                    size[kind] = min(n_agents, size[kind] + 2, 60)
                elif status != cp_model.FEASIBLE:
                    size[kind] = max(2, size[kind] - 2)
            spent = spent + max(dets) if deterministic else time.monotonic() - started
            if progress:
                progress(min(0.99, spent / time_limit))
    return RerosterResult(weeks, best, start, steps, better, time.monotonic() - started,
                          tried)


def solve_agents(problem: Problem, agents: list[int], residual: list[int], time_limit: float,
                 seed: int = 0, workers: int = 2, deterministic: bool = True,
                 start: list[Week] | None = None, days: set[int] | None = None
                 ) -> tuple[list[Week] | None, int, float]:
    """The weeks, within `time_limit`, that leave the least weighted under-staffing for
    `agents` alone against `residual` (what the other agents leave required per cell),
    with all their hard rules; returns the
    weeks (None if none found), CP-SAT's status and the deterministic time used.
    The search starts from `start` (feasible weeks for them), and may not leave more
    under-staffing than it. With `days`, only those days change: on
    the others an agent keeps the day off or the shift of `start` (or drops it)."""
    original = problem
    if days is not None and start is not None:
        specs = list(problem.agents)
        for a, week in zip(agents, start, strict=True):
            opts = specs[a].options
            specs[a] = replace(specs[a], options=[
                opts[d] if d in days else ([opts[d][pick[0]]] if pick else [])
                for d, pick in enumerate(week)])
        problem = replace(problem, agents=specs)
        start = [[pick if pick is None or d in days else (0, pick[1])
                  for d, pick in enumerate(week)] for week in start]
    sub, idx = subproblem(problem, agents, residual)
    ctx = ModelContext(sub)
    terms = objective_terms(ctx)
    under_expr = sum(v * wt for v, wt in terms["under"]) if terms["under"] else 0
    if start is not None:
        position = {c: i for i, c in enumerate(idx)}
        sub_cover = [0] * len(idx)
        for a, week in zip(agents, start, strict=True):
            for c, v in agent_cover(problem, a, week).items():
                sub_cover[position[c]] += v
        ctx.model.Add(under_expr <= weighted_under(sub, sub_cover))
        hint_weeks(ctx, start, complete=False)
    ctx.model.Minimize(under_expr)
    solver = solver_parameters(time_limit, seed, workers, deterministic,
                               wall_cap=time_limit * 20 + 5)
    status = solver.Solve(ctx.model)
    det = solver.ResponseProto().deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status, det
    weeks = weeks_from_counts(sub, *chosen(ctx, solver))
    if problem is not original:  # back to the agents' own option indexes
        weeks = [[pick if pick is None or d in days else
                  (original.agents[a].options[d].index(problem.agents[a].options[d][0]),
                   pick[1]) for d, pick in enumerate(week)]
                 for a, week in zip(agents, weeks, strict=True)]
    return weeks, status, det


def _pick(kind: str, size: int, width: int, problem: Problem, cover: list[int],
          could: dict[int, set[int]], cell_day: dict[int, int], rng: random.Random,
          n_agents: int, taken: set[int]) -> tuple[list[int], set[int] | None]:
    """The agents a step frees and the days it frees them on (None: the whole week):
    those who could cover a short interval, drawn by its weighted shortfall, on a
    window of days around it (`days`), or a random few for the week (`week`); none of
    the agents `taken` by other steps."""
    picked: set[int] = set()
    days = None
    if kind == "days":
        short = [(c, cell.under_weight * (cell.requirement - cover[c]))
                 for c, cell in enumerate(problem.cells)
                 if cell.requirement > cover[c] and c in could]
        if short:
            cell = rng.choices([c for c, _ in short], weights=[s for _, s in short])[0]
            pool = sorted(could[cell] - taken)
            picked.update(rng.sample(pool, min(size, len(pool))))
            first = rng.randrange(max(0, cell_day[cell] - width + 1),
                                  min(cell_day[cell], problem.days - width) + 1)
            days = set(range(first, first + width))
    rest = [a for a in range(n_agents) if a not in taken and a not in picked]
    picked.update(rng.sample(rest, min(max(size - len(picked), 0), len(rest))))
    return sorted(picked), days
