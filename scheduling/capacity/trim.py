"""The trim pass: temp shifts and overtime the plan does not need, judged with the real
staffing models, taken out one shift option at a time.

The goal-seek covers the requirement `staff` (agents on line for the target, grossed
up for shrinkage and rounded up) with breaks averaged over each shift. Judged as the
projection judges a roster (breaks where they fall, the queue's own formula: Erlang
C / A, chat concurrency, email backlog and deadline), some shifts turn out not to be
needed, and a MIP stopped at its time limit may keep a few more. The pass removes as
many shifts of each option (bisecting) as it can while the target still holds where
it held before: every interval of the queue (target mode `interval`), or the queue's
day or week as a whole, contact-weighted (`day`, `week`).

Two levers are trimmed: temp shifts, and today's agents' shifts while their group works
overtime (`PaidHours`). Contract hours are paid anyway, so a group's shift goes only
while the group's paid hours that week are above its contract hours: each shift taken
out takes overtime hours out (the last one may take some contract hours too, which
cost nothing), and no shift within the contract is ever touched. Part-timers' extra
shifts up to their contract maximum are contract hours in the model (priced at
nothing), so the pass leaves them: taking them out would save nothing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from scheduling.capacity.columns import Group, overlap
from scheduling.capacity.levers import Levers
from scheduling.capacity.model import Horizon, Solution
from scheduling.capacity.overtime import PaidHours
from scheduling.capacity.targets import judge
from scheduling.projection import settings_table
from scheduling.projection.rollups import period_start


class QueueJudge:
    """Service level of one queue's intervals from staff on line, by the queue's formula,
    and whether its target holds in the chosen mode."""

    def __init__(self, horizon: Horizon, rows: np.ndarray, settings: pd.DataFrame,
                 staff: np.ndarray, target: str) -> None:
        self.rows = rows
        req = horizon.req.iloc[rows]
        queue = str(req["queue"].iat[0])
        self.frame = req[["queue", "interval_start", "contacts", "aht_seconds"]].reset_index(
            drop=True)
        self.keep = 1.0 - float(settings.loc[queue, "shrinkage"])
        self.deferred = str(settings.loc[queue, "channel"]) == "email"
        self.settings, self.length = settings, horizon.length
        self.contacts = self.frame["contacts"].to_numpy(float)
        self.period = (pd.factorize(period_start(self.frame["interval_start"], target))[0]
                       if target != "interval" else None)
        self.goal = float(settings.loc[queue, "service_level"])
        self.staff = staff.astype(float).copy()
        self.commits = 0  # changes kept so far
        self.sl, self.ok = self._judge(np.arange(len(rows)), self.staff)

    def _judge(self, local: np.ndarray, staff: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        frame = self.frame.iloc[local].assign(scheduled=staff[local] * self.keep)
        return judge(frame, self.settings, self.length)

    def test(self, local: np.ndarray, share: np.ndarray) -> tuple | None:
        """The queue with `share` staff taken off the rows `local` (positions in this
        queue) if the target still holds where it held, else None."""
        staff = self.staff.copy()
        staff[local] -= share
        if self.deferred:  # a backlog carries over: judge the whole queue again
            local = np.arange(len(self.rows))
        sl, ok = self._judge(local, staff)
        if self.period is None:
            if not (ok | ~self.ok[local]).all() or (~self.ok[local] & (sl < self.sl[local]
                                                                      - 1e-12)).any():
                return None
        else:
            new_sl = self.sl.copy()
            new_sl[local] = sl
            for p in np.unique(self.period[local]):
                mine = self.period == p
                weight = self.contacts[mine].sum()
                if weight <= 0:
                    continue
                before = float((self.contacts[mine] * self.sl[mine]).sum() / weight)
                after = float((self.contacts[mine] * new_sl[mine]).sum() / weight)
                if after < self.goal - 1e-9 and after < before - 1e-12:
                    return None
        return staff, local, sl, ok

    def commit(self, tested: tuple) -> None:
        """Keep a change `test` allowed."""
        self.staff, local, sl, ok = tested
        self.sl[local], self.ok[local] = sl, ok
        self.commits += 1


def trim_plan(solution: Solution, horizon: Horizon, levers: Levers,
              queue_settings: pd.DataFrame, groups: Sequence[Group],
              target: str = "interval", deadline: float | None = None) -> Solution:
    """The solution with every temp shift and every overtime shift taken out that the
    target does not need; other levers are left as they are, and overtime hours are
    read again from the shifts left (`PaidHours.overtime`).

    Whatever saves most per hour on line goes first, option by option (a shift option:
    one template, start, day and queue of one lever or group): each cut leaves less
    room for the next, so the room should go to the dearest hours. A temp shift saves
    its hourly cost on its paid hours; an overtime shift saves the premium rate
    (`OvertimeLever.rate`) on its paid hours while they are all above the contract,
    and only on the hours still above it for the last shift (the rest of that shift
    is contract time, paid anyway), so that shift waits behind cheaper temps. Both are
    per paid hour over the hours on line (breaks out): on the sample, night temps
    (70 an hour) go before overtime (40 x 1.5 = 60), overtime before evening and
    day temps (50, 45). Among options at the same rate the least useful goes first:
    the one with the most staff above the need in the intervals it covers. A week
    target is trimmed as a day target first, so it never keeps more than the day
    target would. Past `deadline` (a `time.monotonic()` value) no more is cut: what is
    cut so far stays, and the target still holds wherever it held."""
    if target == "week":
        solution = trim_plan(solution, horizon, levers, queue_settings, groups, "day",
                             deadline)
    settings = settings_table(queue_settings)
    queue = horizon.req["queue"].to_numpy()
    rows_of = {q: np.flatnonzero(queue == q) for q in sorted(set(queue))}
    staff = np.zeros(len(queue))
    shares = []
    for (_owner, col, prof), n in zip(solution.columns, solution.shifts, strict=True):
        rows = rows_of[col.queue]
        share = overlap(col, horizon.minute[rows], horizon.length) * prof
        shares.append((np.flatnonzero(share > 0), share[share > 0]))
        if n > 0:
            staff[rows] += n * share
    for r, a in solution.outsourced.items():
        staff[r] += a
    judges = {q: QueueJudge(horizon, rows, settings, staff[rows], target)
              for q, rows in rows_of.items()}
    paid = PaidHours(solution, horizon, groups)
    shifts = solution.shifts.copy()
    pending = {k for k, (owner, col, _p) in enumerate(solution.columns)
               if (owner.startswith("T") or owner in paid.contract) and shifts[k] >= 1 - 1e-9
               and not (judges[col.queue].deferred and target == "interval"
                        and not horizon.backlog)}  # email's requirement: the bound's too
    cuts = {k: _next_cut(k, solution, levers, paid, shifts) for k in pending}
    slack: dict[int, tuple[int, float]] = {}  # option -> (its judge's commits, slack)

    def least_useful(k: int) -> tuple:
        j = judges[solution.columns[k][1].queue]
        if slack.get(k, (-1, 0.0))[0] != j.commits:
            slack[k] = (j.commits, _slack(k, shares, j, horizon))
        return slack[k][1], solution.columns[k][1].paid_hours, -k

    while deadline is None or time.monotonic() <= deadline:
        pending = {k for k in pending if cuts[k][1] > 0}
        if not pending:
            break
        top = max(round(cuts[k][0], 9) for k in pending)
        k = max((k for k in pending if round(cuts[k][0], 9) == top), key=least_useful)
        owner, col, _p = solution.columns[k]
        cap = cuts[k][1]
        gone = _most_that_go(judges[col.queue], *shares[k], cap)
        shifts[k] -= gone
        if gone < cap or owner not in paid.contract:
            pending.discard(k)  # done; an overtime option may come back at a lower rate
        if owner in paid.contract:
            paid.take(owner, col.day, gone * col.paid_hours)
            for j in pending:  # the group's hours above its contract changed
                if solution.columns[j][0] == owner:
                    cuts[j] = _next_cut(j, solution, levers, paid, shifts)
    return replace(solution, shifts=shifts, overtime=paid.overtime())


def _next_cut(k: int, solution: Solution, levers: Levers, paid: PaidHours,
              shifts: np.ndarray) -> tuple[float, int]:
    """What one more shift of option `k` saves per hour on line, and how many of its
    shifts may go at that rate: a temp's hourly cost on all of them; overtime's rate on
    the shifts that fit whole in the group's hours above its contract that week, then
    on what is left of those hours for one more shift (0 when none are left)."""
    owner, col, _p = solution.columns[k]
    left = int(math.floor(shifts[k] + 1e-9))
    on_line = max(col.on_line * (col.end - col.start) / 60.0, 1e-9)
    if owner.startswith("T"):
        return levers.temps[int(owner[1:])].hourly_cost * col.paid_hours / on_line, left
    over = paid.over(owner, col.day)
    if levers.overtime is None or over <= 1e-6 or left <= 0:
        return 0.0, 0
    whole = math.floor((over + 1e-6) / col.paid_hours)
    if whole >= 1:
        return levers.overtime.rate * col.paid_hours / on_line, min(left, whole)
    return levers.overtime.rate * over / on_line, 1


def _slack(k: int, shares: list, judge_: QueueJudge, horizon: Horizon) -> float:
    """The least staff above the need in the intervals option `k` covers."""
    local, _share = shares[k]
    if not len(local):
        return math.inf
    return float((judge_.staff[local] - horizon.need[judge_.rows[local]]).min())


def _most_that_go(judge_: QueueJudge, local: np.ndarray, share: np.ndarray, cap: int
                  ) -> int:
    """The most shifts (at most `cap`) of one option that can go with the target still
    holding where it held; the judge keeps the change."""
    if cap <= 0 or not len(local):
        return 0
    kept = judge_.test(local, share)
    if kept is None:
        return 0  # not one can go, so no more can
    low, high = 1, cap
    while low < high:  # fewer can always go when more can: bisect
        mid = (low + high + 1) // 2
        tested = judge_.test(local, share * mid)
        if tested is None:
            high = mid - 1
        else:
            low, kept = mid, tested
    judge_.commit(kept)
    return low
