"""The trim pass: temp shifts the plan does not need, judged with the real staffing
models, taken out one at a time.

The goal-seek covers the requirement `staff` (agents on line for the target, grossed
up for shrinkage and rounded up) with breaks averaged over each shift. Judged as the
projection judges a roster (breaks where they fall, the queue's own formula: Erlang
C / A, chat concurrency, email backlog and deadline), some temp shifts turn out not
to be needed, and a MIP stopped at its time limit may keep a few more. The pass
takes the dearest shift option first and removes as many of its shifts (bisecting)
as it can while the target still holds where it held before: every interval of the
queue (target mode `interval`), or the queue's day or week as a whole,
contact-weighted (`day`, `week`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduling.capacity.columns import overlap
from scheduling.capacity.levers import Levers
from scheduling.capacity.model import Horizon, Solution
from scheduling.capacity.targets import judge
from scheduling.projection import settings_table


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
        day = self.frame["interval_start"].dt.normalize()
        period = day if target != "week" else day - pd.to_timedelta(day.dt.day_of_week,
                                                                     unit="D")
        self.period = pd.factorize(period)[0] if target != "interval" else None
        self.goal = float(settings.loc[queue, "service_level"])
        self.staff = staff.astype(float).copy()
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


def trim_temps(solution: Solution, horizon: Horizon, levers: Levers,
               queue_settings: pd.DataFrame, target: str = "interval") -> Solution:
    """The solution with every temp shift taken out that the target does not need
    (dearest first); other levers are left as they are. A week target is trimmed as a
    day target first, so it never keeps more than the day target would."""
    if target == "week":
        solution = trim_temps(solution, horizon, levers, queue_settings, "day")
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
    shifts = solution.shifts.copy()
    temp = [k for k, (owner, _c, _p) in enumerate(solution.columns)
            if owner.startswith("T") and shifts[k] > 0]
    rate = {k: solution.columns[k][1].paid_hours
            * levers.temps[int(solution.columns[k][0][1:])].hourly_cost for k in temp}
    for k in sorted(temp, key=lambda k: (-rate[k], k)):
        judge = judges[solution.columns[k][1].queue]
        if judge.deferred and target == "interval" and not horizon.backlog:
            continue  # covering email's requirement: the LP bound covers it too
        local, share = shares[k]
        if not len(local):
            continue
        kept = judge.test(local, share)
        if kept is None:
            continue  # not one can go, so no more can
        low, high = 1, int(shifts[k])  # the most shifts that can go
        while low < high:  # fewer can always go when more can: bisect
            mid = (low + high + 1) // 2
            tested = judge.test(local, share * mid)
            if tested is None:
                high = mid - 1
            else:
                low, kept = mid, tested
        judge.commit(kept)
        shifts[k] -= low
    return Solution(solution.columns, shifts, solution.overtime, solution.cross,
                    solution.outsourced, solution.short, solution.objective, solution.bound,
                    solution.status)
