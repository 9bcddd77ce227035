"""Large rosters in parts: by queue group, then by team (the parts; `search.solve_in_parts`
solves them).

Agents who can never serve the same coverage cell (no queue in common, directly or
through multi-skilled colleagues) form independent queue groups: solving each group
alone is exact, and their lower bounds add up. A queue group with more than
`max_agents` agents is further split by team: teams are solved one after the other,
each against what the teams before it left uncovered (a heuristic; the group's
lower bound then comes from the pooled relaxation of the whole group).
"""

from __future__ import annotations

from dataclasses import replace

from scheduling.roster.problem import BreakSlot, Cell, Problem, ShiftOption


def queue_groups(problem: Problem) -> list[list[int]]:
    """Agents split into groups that share no coverage cell (union-find over cells)."""
    parent = list(range(len(problem.agents)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    owner: dict[int, int] = {}
    first_of_key: dict[str, int] = {}  # option key -> the first agent offered it
    for a, spec in enumerate(problem.agents):
        for day in spec.options:
            for o in day:
                if o.key in first_of_key:  # same cells as that agent's option
                    union(a, first_of_key[o.key])
                    continue
                first_of_key[o.key] = a
                for c in o.cells:
                    if c in owner:
                        union(a, owner[c])
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


def part_cover(problem: Problem, choice: list[list[int | None]],
           breaks: dict[str, list[list[int]]]) -> list[int]:
    """Agents on line per cell (at the options' weights), from the options chosen and
    the break counts."""
    cover = [0] * len(problem.cells)
    seen: set[str] = set()
    for a, row in enumerate(choice):
        for d, i in enumerate(row):
            if i is None:
                continue
            o = problem.agents[a].options[d][i]
            for c in o.cells:
                cover[c] += o.weight
            if o.key in seen:
                continue
            seen.add(o.key)
            for br, counts in zip(o.breaks, breaks.get(o.key, []), strict=False):
                for cs, k in zip(br.cells, counts, strict=True):
                    for c in cs:
                        cover[c] -= k * o.weight
    return cover
