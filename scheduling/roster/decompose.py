"""Large rosters in parts: by queue group, then by team.

Agents who can never serve the same coverage cell (no queue in common, directly or
through multi-skilled colleagues) form independent queue groups: solving each group
alone is exact, and their lower bounds add up. A queue group with more than
`max_agents` agents is further split by team: teams are solved one after the other,
each against what the teams before it left uncovered (a heuristic; the group's
lower bound then comes from the pooled relaxation of the whole group).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from scheduling.roster.model import Solution, solve_problem
from scheduling.roster.objective import DEFAULT_WEIGHTS, weighted_under
from scheduling.roster.problem import BreakSlot, Cell, Problem, ShiftOption


def queue_groups(problem: Problem) -> list[list[int]]:
    """Agents split into groups that share no coverage cell (union-find over cells)."""
    parent = list(range(len(problem.agents)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    owner: dict[int, int] = {}
    for a, spec in enumerate(problem.agents):
        for day in spec.options:
            for o in day:
                for c in o.cells:
                    if c in owner:
                        ra, rb = find(a), find(owner[c])
                        if ra != rb:
                            parent[max(ra, rb)] = min(ra, rb)
                    else:
                        owner[c] = a
    groups: dict[int, list[int]] = {}
    for a in range(len(problem.agents)):
        groups.setdefault(find(a), []).append(a)
    return sorted(groups.values(), key=lambda g: g[0])


def subproblem(problem: Problem, agents: list[int], requirement: list[int]
                ) -> tuple[Problem, list[int]]:
    """The problem restricted to `agents` and the cells they can cover (renumbered),
    with `requirement` per original cell; returns it and the original cell indexes."""
    used: dict[int, int] = {}
    for a in agents:
        for day in problem.agents[a].options:
            for o in day:
                for c in o.cells:
                    used.setdefault(c, 0)
    cells_idx = sorted(used)
    new_of = {c: i for i, c in enumerate(cells_idx)}
    cache: dict[str, ShiftOption] = {}

    def remap(o: ShiftOption) -> ShiftOption:
        if o.key not in cache:
            brs = tuple(BreakSlot(b.name, b.positions,
                                  tuple(tuple(new_of[c] for c in cs) for cs in b.cells),
                                  b.length, b.paid) for b in o.breaks)
            cache[o.key] = replace(o, cells=tuple(new_of[c] for c in o.cells), breaks=brs)
        return cache[o.key]

    specs = [replace(problem.agents[a], options=[[remap(o) for o in day]
                                                 for day in problem.agents[a].options])
             for a in agents]
    cells = [Cell(problem.cells[c].name, problem.cells[c].slot, requirement[c],
                  problem.cells[c].under_weight, problem.cells[c].over_weight)
             for c in cells_idx]
    return replace(problem, agents=specs, cells=cells), cells_idx


def _cover(problem: Problem, choice: list[list[int | None]],
           breaks: dict[str, list[list[int]]]) -> list[int]:
    """Agents on line per cell, from the options chosen and the break counts."""
    cover = [0] * len(problem.cells)
    seen: set[str] = set()
    for a, row in enumerate(choice):
        for d, i in enumerate(row):
            if i is None:
                continue
            o = problem.agents[a].options[d][i]
            for c in o.cells:
                cover[c] += 1
            if o.key in seen:
                continue
            seen.add(o.key)
            for br, counts in zip(o.breaks, breaks.get(o.key, []), strict=False):
                for cs, k in zip(br.cells, counts, strict=True):
                    for c in cs:
                        cover[c] -= k
    return cover


def solve_in_parts(problem: Problem, time_limit: float = 60.0, seed: int = 0,
                   workers: int = 2, deterministic: bool = True, max_agents: int = 200,
                   progress: Callable[[float], None] | None = None, bound_share: float = 0.0,
                   **kw: object) -> Solution:
    """Solve by queue group (exact) and, in groups over `max_agents`, by team; one
    model when neither split applies. `Solution.parts` says what was solved how.
    `bound_share` of the time goes to the pooled lower bound (see `solve_problem`);
    team parts skip it, their group's bound is computed once for the whole group."""
    groups = queue_groups(problem)
    split_teams = [g for g in groups if len(g) > max_agents
                   and len({problem.agents[a].team for a in g}) > 1]
    if len(groups) == 1 and not split_teams:
        return solve_problem(problem, time_limit=time_limit, seed=seed, workers=workers,
                             deterministic=deterministic, progress=progress,
                             bound_share=bound_share, **kw)
    started = time.monotonic()
    n_all = len(problem.agents)
    choice: list[list[int | None]] = [[None] * problem.days for _ in problem.agents]
    breaks: dict[str, list[list[int]]] = {}
    parts: list[dict] = []
    phases: list[dict] = []
    statuses: list[str] = []
    objective = 0.0
    requirement = [c.requirement for c in problem.cells]
    under_bound = 0.0
    bound = 0.0
    done = 0
    for g in groups:
        g_cells = {c for a in g for day in problem.agents[a].options for o in day
                   for c in o.cells}
        teams: dict[str, list[int]] = {}
        if g in split_teams:
            for a in g:
                teams.setdefault(problem.agents[a].team, []).append(a)
        else:
            teams[""] = g
        queues = sorted({problem.cells[c].name for c in g_cells})
        group_bound = 0.0
        group_under_bound = 0.0
        if len(teams) > 1 and bound_share:
            from scheduling.roster.bound import under_staffing_bound
            sub, _ = subproblem(problem, g, requirement)
            limit = time_limit * len(g) / n_all * bound_share
            group_under_bound = under_staffing_bound(sub, limit, seed, workers, deterministic,
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

            sol = solve_problem(sub, time_limit=limit, seed=seed, workers=workers,
                                deterministic=deterministic, progress=part_progress,
                                bound_share=None if len(teams) > 1 else bound_share, **kw)
            done += len(members)
            for a, row in zip(members, sol.choice, strict=True):
                choice[a] = row
            for key, counts in sol.breaks.items():
                if key in breaks:
                    breaks[key] = [[x + y for x, y in zip(p, q, strict=True)]
                                   for p, q in zip(breaks[key], counts, strict=True)]
                else:
                    breaks[key] = counts
            cov = _cover(sub, sol.choice, sol.breaks)
            for i, c in enumerate(idx):  # later teams cover what this one left
                requirement[c] -= cov[i]
            statuses.append(sol.status)
            objective += sol.objective
            phases += [{**ph, "part": f"queues {'+'.join(queues)}"
                        + (f", team {team}" if team else "")} for ph in sol.phases]
            parts.append({"queues": queues, "team": team or None, "agents": len(members),
                          "status": sol.status, "seconds": round(sol.wall_seconds, 1),
                          "how": sol.decomposition})
            if len(teams) == 1:
                group_under_bound += sol.under_bound
                group_bound += sol.bound
        under_bound += group_under_bound
        bound += group_bound
    cover = _cover(problem, choice, breaks)
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
                                 f"queue group{'s' if n_groups > 1 else ''} -- {how}",
                   parts=parts)
    if progress:
        progress(1.0)
    return sol
