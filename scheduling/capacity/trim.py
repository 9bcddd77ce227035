"""The trim pass: temp shifts the plan does not need, judged with the real staffing
models, taken out one at a time.

The goal-seek covers the requirement `staff` (agents on line for the target, grossed
up for shrinkage and rounded up) with breaks averaged over each shift. Judged as the
projection judges a roster (breaks where they fall, the queue's own formula: Erlang
C / A, chat concurrency, email backlog and deadline), some temp shifts turn out not
to be needed, and a MIP stopped at its time limit may keep a few more. The pass
takes the dearest shift first and removes it while the target still holds where it
held before: every interval of the queue (target mode `interval`), or the queue's day
or week as a whole, contact-weighted (`day`, `week`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduling.capacity.columns import Column
from scheduling.capacity.levers import Levers
from scheduling.capacity.model import Horizon, Solution
from scheduling.projection import _formula_metrics, _settings_table, below_target


def on_line_share(col: Column, starts: np.ndarray, length: int) -> np.ndarray:
    """Share of each interval [s, s+length) the column's agent is on line, its breaks
    where the plan's roster puts them (as `scheduling.projection` counts them)."""
    spans, cursor = [], col.start
    for offset, minutes in col.breaks:
        b = col.start + offset
        if b > cursor:
            spans.append((cursor, b))
        cursor = max(cursor, b + minutes)
    if col.end > cursor:
        spans.append((cursor, col.end))
    out = np.zeros(len(starts))
    for lo, hi in spans:
        out += np.clip(np.minimum(starts + length, hi) - np.maximum(starts, lo), 0, None)
    return out / length


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
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            metrics = _formula_metrics(frame, self.settings, self.length)
        metrics = pd.concat([frame, metrics], axis=1)
        return (metrics["service_level"].to_numpy(float),
                ~below_target(metrics, self.settings).to_numpy(bool))

    def try_remove(self, local: np.ndarray, share: np.ndarray) -> bool:
        """Take `share` staff off the rows `local` (positions in this queue) if the
        target still holds where it held; True when taken."""
        staff = self.staff.copy()
        staff[local] -= share
        if self.deferred:  # a backlog carries over: judge from the first row touched on
            local = np.arange(local.min(), len(self.rows))
        sl, ok = self._judge(local, staff)
        if self.period is None:
            if not (ok | ~self.ok[local]).all() or (~self.ok[local] & (sl < self.sl[local]
                                                                      - 1e-12)).any():
                return False
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
                    return False
        self.staff = staff
        self.sl[local], self.ok[local] = sl, ok
        return True


def trim_temps(solution: Solution, horizon: Horizon, levers: Levers,
               queue_settings: pd.DataFrame, target: str = "interval") -> Solution:
    """The solution with every temp shift taken out that the target does not need
    (dearest first, one shift at a time); other levers are left as they are."""
    settings = _settings_table(queue_settings)
    queue = horizon.req["queue"].to_numpy()
    rows_of = {q: np.flatnonzero(queue == q) for q in sorted(set(queue))}
    staff = np.zeros(len(queue))
    shares = []
    for (_owner, col, prof), n in zip(solution.columns, solution.shifts, strict=True):
        rows = rows_of[col.queue]
        share = on_line_share(col, horizon.minute[rows], horizon.length) * prof
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
        local, share = shares[k]
        while shifts[k] > 0 and len(local) and judge.try_remove(local, share):
            shifts[k] -= 1
    return Solution(solution.columns, shifts, solution.overtime, solution.cross,
                    solution.outsourced, solution.short, solution.objective, solution.bound,
                    solution.status)
