"""The roster policy: one named function per labour rule, all listed once at the bottom.

Each hard rule adds its constraints for every agent through `ctx.add` and
`ctx.add_or` (conflicts are named by dropping whole rules, see
`model.diagnose_conflicts`); four of them are held by the shift options an agent is
offered at all and add nothing to the model (`HELD_BY_OPTIONS`). Each soft rule
returns its penalty terms `(variable_or_expression, cost, Penalty)`; the caller
(`objective.py`) owns the objective, and a penalty that is paid at the solution is
reported as a violation of its rule (`model.soft_violations`). The independent
checker (`checker.py`) checks each hard rule under the same name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from scheduling.roster.problem import Problem


class ModelContext(Protocol):
    """What a rule reads and adds to: the model under construction (`model.ModelContext`).

    `x[a][d][i]` is true when agent `a` works option `i` on day `d`, `work[a][d]` when
    they work that day."""

    problem: Problem
    model: cp_model.CpModel
    x: list[list[list[cp_model.IntVar]]]
    work: list[list[cp_model.IntVar]]

    def add(self, a: int, rule: str, constraint: object, also: list | None = None) -> None:
        """Add a linear constraint of `rule` for agent `a`, holding when all of `also`
        are true."""

    def add_or(self, a: int, rule: str, literals: list[object]) -> None:
        """Add a clause of `rule` for agent `a`."""


def _sequence(ctx: ModelContext, a: int) -> tuple[list[object], int]:
    """Worked-day literals with the known history in front (True/False constants)."""
    spec = ctx.problem.agents[a]
    return list(spec.history) + list(ctx.work[a]), len(spec.history)


# ---------------------------------------------------------------- hard rules
# held by the shift options: `solve.build_problem` offers an agent only these shifts


def offered_shifts(ctx: ModelContext) -> None:
    """An agent works only shifts of the templates they may work, starting at a start
    time and lasting a length the template offers, on a weekday it is offered, within
    the roster's days. Held by the options offered; adds nothing to the model."""


def queue_skills(ctx: ModelContext) -> None:
    """An agent serves only queues they have the skill for. Held by the options
    offered; adds nothing to the model."""


def opening_hours(ctx: ModelContext) -> None:
    """A shift on a queue lies within the queue's opening hours on an open weekday.
    Held by the options offered; adds nothing to the model."""


def break_windows(ctx: ModelContext) -> None:
    """A shift has each of its template's breaks, of its length, starting within its
    window. Held by the options offered (break positions); adds nothing to the model."""


# constraints on the options chosen


def one_shift_a_day(ctx: ModelContext) -> None:
    """An agent works at most one shift a day (and serves one queue in it)."""
    for a, days in enumerate(ctx.x):
        for d, opts in enumerate(days):
            ctx.model.Add(sum(opts) == ctx.work[a][d])


def unavailable_days_off(ctx: ModelContext) -> None:
    """No shift on a day the agent is unavailable (leave, fixed day off)."""
    for a, spec in enumerate(ctx.problem.agents):
        for d in sorted(spec.days_off):
            if 0 <= d < ctx.problem.days:
                ctx.add(a, "unavailable_days_off", ctx.work[a][d] == 0)


def minimum_rest_between_shifts(ctx: ModelContext) -> None:
    """At least `min_rest_minutes` between the end of one shift and the start of the next,
    also across the start of the horizon (the agent's last shift before it).

    Written as start(d+1) - end(d) >= rest when both days are worked, which stays
    linear in the number of options (pairwise clashes grow with its square)."""
    rest = ctx.problem.min_rest_minutes
    if rest <= 0:
        return
    for a, spec in enumerate(ctx.problem.agents):
        days = spec.options
        for d in range(ctx.problem.days - 1):
            if not days[d] or not days[d + 1]:
                continue
            latest_end = max(o.end for o in days[d])
            earliest_start = min(o.start for o in days[d + 1])
            if earliest_start - latest_end >= rest:
                continue
            end = sum(o.end * v for o, v in zip(days[d], ctx.x[a][d], strict=True))
            start = sum(o.start * v for o, v in zip(days[d + 1], ctx.x[a][d + 1], strict=True))
            ctx.add(a, "minimum_rest_between_shifts", start - end >= rest,
                    also=[ctx.work[a][d], ctx.work[a][d + 1]])
        if spec.last_end is not None:
            for d, opts in enumerate(days):
                for i, o in enumerate(opts):
                    if o.start < spec.last_end + rest:
                        ctx.add(a, "minimum_rest_between_shifts", ctx.x[a][d][i] == 0)


def forbidden_shift_successions(ctx: ModelContext) -> None:
    """Shift X may not be followed by shift Y on the next day (benchmark successions)."""
    bad = ctx.problem.forbidden_successions
    if not bad:
        return
    for a, spec in enumerate(ctx.problem.agents):
        for d in range(ctx.problem.days - 1):
            for i, o in enumerate(spec.options[d]):
                nxt = [ctx.x[a][d + 1][j] for j, p in enumerate(spec.options[d + 1])
                       if (o.shift, p.shift) in bad]
                if nxt:
                    ctx.add(a, "forbidden_shift_successions", ctx.x[a][d][i] + sum(nxt) <= 1)


def max_consecutive_working_days(ctx: ModelContext) -> None:
    """No more than `max_consecutive_days` worked days in a row, counting the days
    worked just before the horizon."""
    for a, spec in enumerate(ctx.problem.agents):
        k = spec.max_consecutive_days
        if k is None:
            continue
        seq, h = _sequence(ctx, a)
        for s in range(max(0, h - k), len(seq) - k):
            window = seq[s:s + k + 1]
            fixed = sum(1 for v in window if v is True)
            lits = [v for v in window if not isinstance(v, bool)]
            if lits and fixed + len(lits) > k:
                ctx.add(a, "max_consecutive_working_days", sum(lits) <= k - fixed)


def _forbid_short_blocks(ctx: ModelContext, a: int, k: int, working: bool, rule: str) -> None:
    """Forbid a block of 1..k-1 days (worked if `working`, else off) closed on both sides
    inside the known sequence; blocks touching the unknown past or the horizon end are free."""
    seq, h = _sequence(ctx, a)
    n = len(seq)
    for length in range(1, k):
        for s in range(1, n - length):
            if s + length < h:
                continue  # entirely in the past
            outside = (seq[s - 1], seq[s + length])
            inside = seq[s:s + length]
            clause: list[object] = []
            satisfied = False
            for v in outside:  # the block must be bordered by the opposite state
                want = not working
                if isinstance(v, bool):
                    if v != want:
                        satisfied = True
                else:
                    clause.append(v.Not() if want else v)
            for v in inside:
                if isinstance(v, bool):
                    if v != working:
                        satisfied = True
                else:
                    clause.append(v.Not() if working else v)
            if not satisfied:
                if not clause:
                    continue  # already happened before the horizon
                ctx.add_or(a, rule, clause)


def min_consecutive_working_days(ctx: ModelContext) -> None:
    """A run of worked days lasts at least `min_consecutive_days` (runs touching the
    horizon's ends are exempt)."""
    for a, spec in enumerate(ctx.problem.agents):
        if spec.min_consecutive_days > 1:
            _forbid_short_blocks(ctx, a, spec.min_consecutive_days, True,
                                 "min_consecutive_working_days")


def min_consecutive_days_off(ctx: ModelContext) -> None:
    """Days off come in runs of at least `min_consecutive_days_off` (runs touching the
    horizon's ends are exempt; the days before the horizon count when known)."""
    for a, spec in enumerate(ctx.problem.agents):
        if spec.min_consecutive_days_off > 1:
            _forbid_short_blocks(ctx, a, spec.min_consecutive_days_off, False,
                                 "min_consecutive_days_off")


def days_off_per_week(ctx: ModelContext) -> None:
    """At most `max_days` worked days in each week (so at least 7 - max_days off)."""
    for a, spec in enumerate(ctx.problem.agents):
        for p in spec.periods:
            if p.max_days is not None:
                ctx.add(a, "days_off_per_week",
                        sum(ctx.work[a][p.first:p.last + 1]) <= p.max_days)


def weekends_off(ctx: ModelContext) -> None:
    """At most `max_working_weekends` weekends with a Saturday or Sunday worked."""
    wd = ctx.problem.weekdays
    for a, spec in enumerate(ctx.problem.agents):
        if spec.max_working_weekends is None:
            continue
        weekends: dict[int, list[int]] = {}
        for d in range(ctx.problem.days):
            if wd[d] >= 5:
                weekends.setdefault((d - wd[d]) // 7, []).append(d)
        flags = []
        for key, days in sorted(weekends.items()):
            flag = ctx.model.NewBoolVar(f"weekend_worked[{spec.agent_id},{key}]")
            for d in days:
                ctx.model.AddImplication(ctx.work[a][d], flag)
            ctx.model.AddBoolOr([ctx.work[a][d] for d in days]).OnlyEnforceIf(flag)
            flags.append(flag)
        if flags:
            ctx.add(a, "weekends_off", sum(flags) <= spec.max_working_weekends)


def max_late_shifts(ctx: ModelContext) -> None:
    """At most `max_late` late or night shifts in each week."""
    for a, spec in enumerate(ctx.problem.agents):
        for p in spec.periods:
            if p.max_late is None:
                continue
            lits = [ctx.x[a][d][i] for d in range(p.first, p.last + 1)
                    for i, o in enumerate(spec.options[d]) if o.late]
            if lits:
                ctx.add(a, "max_late_shifts", sum(lits) <= p.max_late)


def max_shifts_per_type(ctx: ModelContext) -> None:
    """At most a given number of shifts of each named shift over the horizon."""
    for a, spec in enumerate(ctx.problem.agents):
        for shift, limit in spec.max_per_shift.items():
            lits = [ctx.x[a][d][i] for d in range(ctx.problem.days)
                    for i, o in enumerate(spec.options[d]) if o.shift == shift]
            if len(lits) > limit:
                ctx.add(a, "max_shifts_per_type", sum(lits) <= limit)


def contract_hours(ctx: ModelContext) -> None:
    """Paid minutes in each period lie between the contract's minimum and maximum."""
    for a, spec in enumerate(ctx.problem.agents):
        for p in spec.periods:
            if p.min_minutes is None and p.max_minutes is None:
                continue
            paid = sum(o.paid_minutes * ctx.x[a][d][i] for d in range(p.first, p.last + 1)
                       for i, o in enumerate(spec.options[d]))
            if p.min_minutes is not None and p.min_minutes > 0:
                ctx.add(a, "contract_hours", paid >= p.min_minutes)
            if p.max_minutes is not None:
                ctx.add(a, "contract_hours", paid <= p.max_minutes)


# ---------------------------------------------------------------- soft rules

@dataclass(frozen=True)
class Penalty:
    """What a soft term penalises: the soft rule, the agent and day (when it is one
    agent's, on one day) and what was wished. `str()` is the penalty's name."""

    rule: str
    agent_id: str = ""
    day: int | None = None
    detail: str = ""

    def __str__(self) -> str:
        where = ",".join(p for p in (self.agent_id, "" if self.day is None else
                                     f"day {self.day}", self.detail) if p)
        return f"{self.rule}[{where}]"


Term = tuple[object, int, Penalty]


def shift_requests(ctx: ModelContext) -> list[Term]:
    """Preferred days off and wished shifts: the request's weight when broken."""
    terms: list[Term] = []
    for a, spec in enumerate(ctx.problem.agents):
        for r in spec.requests:
            if not 0 <= r.day < ctx.problem.days:
                continue
            opts = spec.options[r.day]
            lits = [ctx.x[a][r.day][i] for i, o in enumerate(opts)
                    if r.shift is None or o.shift == r.shift]
            wish = (("to work" if r.on else "not to work") + f" shift {r.shift}" if r.shift
                    else "to work" if r.on else "a day off")
            label = Penalty("shift_requests", spec.agent_id, r.day, f"wished {wish}")
            if r.on:
                terms.append((1 - sum(lits), r.weight, label))
            elif lits:
                terms.append((sum(lits), r.weight, label))
        for d, opts in enumerate(spec.options):
            for i, o in enumerate(opts):
                cost = spec.option_penalty.get(o.key)
                if cost:
                    terms.append((ctx.x[a][d][i], cost,
                                  Penalty("shift_requests", spec.agent_id, d,
                                          f"start outside the wished times ({o.shift})")))
    return terms


def fair_weekends_and_late_shifts(ctx: ModelContext) -> list[Term]:
    """Spread weekend days and late shifts evenly: penalise max - min across agents."""
    if not ctx.problem.fairness or len(ctx.problem.agents) < 2:
        return []
    wd = ctx.problem.weekdays
    terms: list[Term] = []
    counts = {"weekend_days": [], "late_shifts": []}
    for a, spec in enumerate(ctx.problem.agents):
        counts["weekend_days"].append(
            sum(ctx.work[a][d] for d in range(ctx.problem.days) if wd[d] >= 5))
        counts["late_shifts"].append(
            sum(ctx.x[a][d][i] for d in range(ctx.problem.days)
                for i, o in enumerate(spec.options[d]) if o.late))
    n = ctx.problem.days
    for name, exprs in counts.items():
        hi = ctx.model.NewIntVar(0, n, f"max_{name}")
        lo = ctx.model.NewIntVar(0, n, f"min_{name}")
        for e in exprs:
            ctx.model.Add(hi >= e)
            ctx.model.Add(lo <= e)
        terms.append((hi - lo, 1, Penalty("fair_weekends_and_late_shifts",
                                          detail=f"{name.replace('_', ' ')} differ between "
                                                 "agents")))
    return terms


HARD_RULES: dict[str, Callable[[ModelContext], None]] = {
    "offered_shifts": offered_shifts,
    "queue_skills": queue_skills,
    "opening_hours": opening_hours,
    "break_windows": break_windows,
    "one_shift_a_day": one_shift_a_day,
    "unavailable_days_off": unavailable_days_off,
    "minimum_rest_between_shifts": minimum_rest_between_shifts,
    "forbidden_shift_successions": forbidden_shift_successions,
    "max_consecutive_working_days": max_consecutive_working_days,
    "min_consecutive_working_days": min_consecutive_working_days,
    "min_consecutive_days_off": min_consecutive_days_off,
    "days_off_per_week": days_off_per_week,
    "weekends_off": weekends_off,
    "max_late_shifts": max_late_shifts,
    "max_shifts_per_type": max_shifts_per_type,
    "contract_hours": contract_hours,
}

HELD_BY_OPTIONS = ("offered_shifts", "queue_skills", "opening_hours", "break_windows")

SOFT_RULES: dict[str, Callable[[ModelContext], list[Term]]] = {
    "shift_requests": shift_requests,
    "fair_weekends_and_late_shifts": fair_weekends_and_late_shifts,
}
