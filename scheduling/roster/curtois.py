"""Adapter for the Curtois employee shift scheduling benchmark (schedulingbenchmarks.org).

`read_instance` parses an `InstanceN.txt`; `instance_problem` maps it onto the same
engine as contact-centre rosters (a benchmark shift type on a day is a coverage cell;
staff limits become the engine's rule parameters); `roster_frame` turns a solution into
the roster frame (`shift` = benchmark shift id, `date` from Monday 2024-01-01); and
`benchmark_objective` scores a roster frame exactly as the benchmark counts it,
independently of the model.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from scheduling.frames import ROSTER_COLUMNS
from scheduling.roster.columns import ColumnResult, price_and_dive, whole_bound
from scheduling.roster.construct import agent_cover
from scheduling.roster.errors import RosterInputError
from scheduling.roster.improve import improve_roster
from scheduling.roster.model import (
    HintedSolution,
    ModelContext,
    Solution,
    complete_assignment,
    paid_penalties,
)
from scheduling.roster.objective import objective_terms, weighted_under
from scheduling.roster.problem import AgentSpec, Cell, Period, Problem, Request, ShiftOption
from scheduling.roster.rules import Penalty
from scheduling.roster.search import solve_problem

FIRST_DAY = pd.Timestamp("2024-01-01")  # a Monday, as every instance starts on one
LP_SEARCH_MAX_CHOICES = 2000  # (staff, day, shift) choices up to which the search uses LP
LNS_SHARE = 0.9  # share of the time after the engine's solve: column generation, then LNS
COLUMN_SHARE = 0.65  # of the time, for column generation and its dive (`columns.py`)
# LNS steps: on deterministic time, two one-worker sub-solves at once beat one two-worker
# solve (whose interleaved subsolvers spend short steps in root LPs); on the wall clock
# two lanes measured no better than one two-worker solve a step (CP-SAT's own LNS as
# its second worker), which stays
DETERMINISTIC_STEPS = {"parallel": 2, "step_limit": 0.25}
WALL_CLOCK_STEPS = {"parallel": 1, "step_limit": 1.0}


@dataclass
class CurtoisStaff:
    staff_id: str
    max_shifts: dict[str, int]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_consecutive_off: int
    max_weekends: int
    days_off: set[int] = field(default_factory=set)


@dataclass
class CurtoisInstance:
    name: str
    days: int
    shifts: dict[str, int]  # id -> length in minutes
    forbidden: set[tuple[str, str]]
    staff: list[CurtoisStaff]
    on_requests: list[tuple[str, int, str, int]]
    off_requests: list[tuple[str, int, str, int]]
    cover: list[tuple[int, str, int, int, int]]  # day, shift, requirement, under w, over w


def read_instance(path: str | Path) -> CurtoisInstance:
    """Parse a benchmark instance file; errors name the file, line and section."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Curtois instance not found: {path}")
    sections: dict[str, list[tuple[int, str]]] = {}
    current = None
    for no, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line
            sections[current] = []
        elif current is None:
            raise RosterInputError(f"{path}:{no}: data before any SECTION_ header")
        else:
            sections[current].append((no, line))

    def rows(name: str) -> list[tuple[int, list[str]]]:
        return [(no, line.split(",")) for no, line in sections.get(name, [])]

    try:
        days = int(sections["SECTION_HORIZON"][0][1])
        shifts: dict[str, int] = {}
        forbidden: set[tuple[str, str]] = set()
        for _, f in rows("SECTION_SHIFTS"):
            shifts[f[0]] = int(f[1])
            for nxt in (f[2].split("|") if len(f) > 2 and f[2] else []):
                forbidden.add((f[0], nxt))
        staff = []
        for _, f in rows("SECTION_STAFF"):
            maxs = {k: int(v) for k, v in (p.split("=") for p in f[1].split("|") if p)}
            staff.append(CurtoisStaff(f[0], maxs, int(f[2]), int(f[3]), int(f[4]), int(f[5]),
                                      int(f[6]), int(f[7])))
        by_id = {s.staff_id: s for s in staff}
        for _, f in rows("SECTION_DAYS_OFF"):
            by_id[f[0]].days_off.update(int(d) for d in f[1:] if d != "")
        on = [(f[0], int(f[1]), f[2], int(f[3])) for _, f in rows("SECTION_SHIFT_ON_REQUESTS")]
        off = [(f[0], int(f[1]), f[2], int(f[3])) for _, f in rows("SECTION_SHIFT_OFF_REQUESTS")]
        cover = [(int(f[0]), f[1], int(f[2]), int(f[3]), int(f[4]))
                 for _, f in rows("SECTION_COVER")]
    except (KeyError, IndexError, ValueError) as exc:
        raise RosterInputError(f"{path}: not a Curtois instance ({exc!r})") from exc
    return CurtoisInstance(path.stem, days, shifts, forbidden, staff, on, off, cover)


def instance_problem(inst: CurtoisInstance) -> Problem:
    """Map an instance onto the engine's problem (weights are the benchmark's own)."""
    cells: list[Cell] = []
    cell_of: dict[tuple[int, str], int] = {}
    for day, shift, req, wu, wo in inst.cover:
        cell_of[(day, shift)] = len(cells)
        cells.append(Cell(shift, day, req, wu, wo))
    agents = []
    for s in inst.staff:
        options = []
        for d in range(inst.days):
            opts = []
            for sid, length in inst.shifts.items():
                if s.max_shifts.get(sid, 0) <= 0:
                    continue
                cell = cell_of.get((d, sid))
                opts.append(ShiftOption(key=f"{d}:{sid}", day=d, shift=sid, start=d * 1440,
                                        end=d * 1440 + length, paid_minutes=length,
                                        cells=(cell,) if cell is not None else ()))
            options.append(opts)
        requests = [Request(day, True, w, sh) for sid, day, sh, w in inst.on_requests
                    if sid == s.staff_id]
        requests += [Request(day, False, w, sh) for sid, day, sh, w in inst.off_requests
                     if sid == s.staff_id]
        agents.append(AgentSpec(
            agent_id=s.staff_id, options=options,
            periods=[Period(0, inst.days - 1, s.min_minutes, s.max_minutes)],
            max_consecutive_days=s.max_consecutive, min_consecutive_days=s.min_consecutive,
            min_consecutive_days_off=s.min_consecutive_off,
            max_working_weekends=s.max_weekends,
            max_per_shift={k: v for k, v in s.max_shifts.items() if v < inst.days},
            days_off=frozenset(s.days_off), requests=requests))
    weekdays = [d % 7 for d in range(inst.days)]
    return Problem(days=inst.days, weekdays=weekdays, agents=agents, cells=cells,
                   forbidden_successions=frozenset(inst.forbidden),
                   weights={"under": 1, "over": 1, "paid": 0, "preference": 1, "fairness": 0})


def roster_frame(inst: CurtoisInstance, problem: Problem, solution: Solution) -> pd.DataFrame:
    """The roster frame of a solved instance (no queues, no breaks in this benchmark)."""
    rows = []
    for a, spec in enumerate(problem.agents):
        for d, i in enumerate(solution.choice[a]):
            if i is None:
                continue
            o = spec.options[d][i]
            date = FIRST_DAY + pd.Timedelta(days=d)
            rows.append({"agent_id": spec.agent_id, "date": date.date().isoformat(),
                         "shift": o.shift, "start": date,
                         "end": date + pd.Timedelta(minutes=o.end - o.start),
                         "queue": "", "breaks": ""})
    return pd.DataFrame(rows, columns=list(ROSTER_COLUMNS))


def assignments(inst: CurtoisInstance, roster: pd.DataFrame) -> dict[tuple[str, int], str]:
    """(staff id, day) -> shift id, read back from a roster frame."""
    out: dict[tuple[str, int], str] = {}
    for r in roster.itertuples(index=False):
        day = (pd.Timestamp(r.date) - FIRST_DAY).days
        key = (str(r.agent_id), day)
        if key in out:
            raise RosterInputError(f"agent {r.agent_id} has two shifts on day {day}")
        out[key] = str(r.shift)
    return out


def benchmark_objective(inst: CurtoisInstance, roster: pd.DataFrame) -> int:
    """The benchmark's objective of a roster frame: broken requests plus cover penalties."""
    got = assignments(inst, roster)
    total = 0
    for sid, day, shift, w in inst.on_requests:
        if got.get((sid, day)) != shift:
            total += w
    for sid, day, shift, w in inst.off_requests:
        if got.get((sid, day)) == shift:
            total += w
    count: dict[tuple[int, str], int] = {}
    for (_, day), shift in got.items():
        count[(day, shift)] = count.get((day, shift), 0) + 1
    for day, shift, req, wu, wo in inst.cover:
        n = count.get((day, shift), 0)
        total += wu * max(0, req - n) + wo * max(0, n - req)
    return total


def solve_instance(inst: CurtoisInstance, time_limit: float = 60.0, seed: int = 0,
                   workers: int = 2, deterministic: bool = True, warm_start: float = 0.3,
                   progress: Callable[[float], None] | None = None,
                   lns_share: float = LNS_SHARE,
                   column_share: float = COLUMN_SHARE) -> tuple[pd.DataFrame, int, Solution]:
    """Solve an instance; returns the roster frame, its benchmark objective, the solution.

    The engine's solve gets `1 - lns_share` of the time. Then, unless it proved its
    roster optimal, column generation over whole schedules and a dive to a roster get
    `column_share` (`columns.py`; its Lagrangian bound becomes the solution's bound),
    and a large-neighbourhood search around the better roster the rest (`improve.py`:
    windows of days, random staff, the staff with the most broken requests, cover gaps),
    which never makes it worse."""
    problem = instance_problem(inst)
    # on large instances CP-SAT's search does better without the LP (measured at 60 s,
    # 2 workers: Instance8 and 12 better, 6, 9, 10 level; Instance5 worse, so small
    # instances keep it); the solver's bound is then weaker
    size = sum(len(day) for spec in problem.agents for day in spec.options)
    column_share = min(column_share, lns_share)
    first = time_limit * (1 - lns_share)

    def part(start: float, share: float) -> Callable[[float], None] | None:
        return (lambda f: progress(start + f * share)) if progress else None

    started = time.monotonic()
    sol = solve_problem(problem, time_limit=first, seed=seed, workers=workers,
                        deterministic=deterministic, lexicographic=False,
                        progress=part(0.0, 1 - lns_share), warm_start=warm_start,
                        linearization_level=0 if size > LP_SEARCH_MAX_CHOICES else None)

    def left(share: float, until: float) -> float:
        """Time for a part taking `share` and ending at `until` of the whole."""
        return time_limit * share if deterministic else \
            max(time_limit * until - (time.monotonic() - started), 1.0)

    if column_share > 0 and sol.status != "optimal":
        start = [[(i, ()) if i is not None else None for i in row] for row in sol.choice]
        res = price_and_dive(problem, start,
                             left(column_share, 1 - lns_share + column_share), seed,
                             workers, deterministic, progress=part(1 - lns_share, column_share))
        sol = _with_dive(problem, sol, res)
        if sol.objective <= sol.bound:  # the bound proves this roster optimal
            sol = replace(sol, status="optimal")
    rest = lns_share - column_share
    if rest > 0 and sol.status != "optimal":
        sol = improve_solution(problem, sol, left(rest, 1.0), seed, workers, deterministic,
                               part(1 - rest, rest))
    roster = roster_frame(inst, problem, sol)
    return roster, benchmark_objective(inst, roster), sol


def _with_dive(problem: Problem, sol: Solution, res: ColumnResult) -> Solution:
    """`sol` with column generation's bound, and its dive's roster when that is better."""
    phase = {"status": f"column generation: {res.rounds} rounds, {res.columns} columns, "
                       f"LP {res.lp:.1f}, roster {res.objective:.0f}",
             "seconds": res.seconds, "objective": res.objective, "bound": res.bound}
    better = res.objective < sol.objective
    bound = whole_bound(res.bound, sol.bound)
    if not better:
        return replace(sol, bound=bound, phases=[*sol.phases, phase],
                       wall_seconds=sol.wall_seconds + res.seconds)
    choice = [[pick[0] if pick is not None else None for pick in week] for week in res.weeks]
    counts = [0] * len(problem.cells)
    for a, week in enumerate(res.weeks):
        for c, n in agent_cover(problem, a, week).items():
            counts[c] += n
    under = [max(c.requirement - n, 0) for c, n in zip(problem.cells, counts, strict=True)]
    over = [max(n - c.requirement, 0) for c, n in zip(problem.cells, counts, strict=True)]
    return replace(sol, choice=choice, under=under, over=over, objective=res.objective,
                   bound=bound, under_total=weighted_under(problem, counts),
                   wall_seconds=sol.wall_seconds + res.seconds, phases=[*sol.phases, phase],
                   decomposition=sol.decomposition + ", then column generation and a dive",
                   penalties=penalties_of(problem, choice))


def penalties_of(problem: Problem, choice: list[list[int | None]]
                 ) -> list[tuple[Penalty, int]]:
    """The soft-rule penalties a roster (the option per agent and day, None: off) pays,
    read on a freshly built model with those choices held."""
    ctx = ModelContext(problem)
    objective_terms(ctx)
    fixed = {v.Index(): int(choice[a][d] == i) for a, row in enumerate(ctx.x)
             for d, lits in enumerate(row) for i, v in enumerate(lits)}
    values = complete_assignment(ctx.model, fixed)
    return [] if values is None else paid_penalties(ctx, HintedSolution(values, ctx.model))


def improve_solution(problem: Problem, sol: Solution, time_limit: float, seed: int, workers: int,
             deterministic: bool, progress: Callable[[float], None] | None) -> Solution:
    """`sol` improved by the roster LNS (`improve.py`) for `time_limit` seconds, on a
    freshly built model with the benchmark's objective; never worse than `sol`."""
    ctx = ModelContext(problem)
    terms = objective_terms(ctx)
    ctx.model.Minimize(sum(v * w for group in terms.values() for v, w in group))
    fixed = {v.Index(): int(sol.choice[a][d] == i)
             for a, row in enumerate(ctx.x) for d, lits in enumerate(row)
             for i, v in enumerate(lits)}
    values = complete_assignment(ctx.model, fixed)
    if values is None:  # cannot happen for a feasible solution; keep it as it is
        return sol
    decisions = [[[v.Index() for v in lits] for lits in row] for row in ctx.x]
    requests = [[(r, [ctx.x[a][r.day][i].Index() for i, o in enumerate(spec.options[r.day])
                      if r.shift is None or o.shift == r.shift])
                 for r in spec.requests if 0 <= r.day < problem.days]
                for a, spec in enumerate(problem.agents)]

    def agent_cost(vals: list[int]) -> list[float]:
        out = []
        for reqs in requests:
            cost = 0
            for r, idx in reqs:
                taken = any(vals[i] for i in idx)
                cost += r.weight if taken != r.on else 0
            out.append(cost)
        return out

    cell_days = [(cell.slot, u, o, cell.under_weight, cell.over_weight)
                 for cell, u, o in zip(problem.cells, ctx.under, ctx.over, strict=True)]

    def day_cost(vals: list[int]) -> list[float]:
        out = [0.0] * problem.days
        for day, u, o, wu, wo in cell_days:
            for var, w in ((u, wu), (o, wo)):
                if not isinstance(var, int):
                    out[day] += w * vals[var.Index()]
        return out

    fill = []  # per cell: its day, under var, weight and the staff who could work it
    for c, (cell, u) in enumerate(zip(problem.cells, ctx.under, strict=True)):
        if isinstance(u, int):
            continue
        staff = [a for a, spec in enumerate(problem.agents)
                 if any(c in o.cells for o in spec.options[cell.slot])]
        fill.append((cell.slot, u.Index(), cell.under_weight, staff))

    def gaps(vals: list[int]) -> list[tuple[int, list[int], float]]:
        return [(day, staff, w * vals[i]) for day, i, w, staff in fill if vals[i] and staff]

    res = improve_roster(ctx.model, values, decisions, time_limit, seed=seed, workers=workers,
                         deterministic=deterministic, agent_cost=agent_cost,
                         day_cost=day_cost, progress=progress, gaps=gaps,
                         lower_bound=sol.bound,
                         **(DETERMINISTIC_STEPS if deterministic else WALL_CLOCK_STEPS))
    if res.objective >= sol.objective:
        return sol
    choice = [[next((i for i, v in enumerate(lits) if res.values[v.Index()]), None)
               for lits in row] for row in ctx.x]

    def val(v: object) -> int:
        return int(v) if isinstance(v, int) else int(res.values[v.Index()])

    under_total = sum(val(v) * w for v, w in terms["under"])
    return replace(sol, choice=choice, under=[val(u) for u in ctx.under],
                   over=[val(o) for o in ctx.over], objective=res.objective,
                   under_total=under_total, under_bound=min(sol.under_bound, under_total),
                   wall_seconds=sol.wall_seconds + res.seconds,
                   phases=[*sol.phases, {"status": f"LNS: {res.steps} steps, "
                                                   f"{res.improvements} better",
                                         "seconds": res.seconds, "objective": res.objective,
                                         "bound": sol.bound, "tried": res.tried}],
                   decomposition=sol.decomposition + ", then a roster LNS around it",
                   penalties=paid_penalties(ctx, HintedSolution(res.values, ctx.model)))
