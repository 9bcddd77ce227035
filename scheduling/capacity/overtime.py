"""Overtime read from the plan's shifts: each group of today's agents' paid hours per
week against its contract hours, as the model limits them (people x `max_hours_week`;
what is above is overtime, paid at `OvertimeLever.rate`). The trim pass uses it to take
out only shifts worked in overtime, and to report the overtime hours left; the
recommended team gives the hours to agents in steps a shift can use
(`overtime_allowance`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from scheduling.capacity.columns import Group
from scheduling.capacity.model import Horizon, Solution
from scheduling.roster.templates import ShiftSettings


class PaidHours:
    """Paid hours of each group of today's agents (column owner `G..`, or `G..cI` for
    the ones cross-skilled by lever I) per week of the horizon, against their contract
    hours (people x `max_hours_week`, as the model limits them)."""

    def __init__(self, solution: Solution, horizon: Horizon, groups: Sequence[Group]
                 ) -> None:
        self.week_of = {d: w for w, days in enumerate(horizon.weeks) for d in days}
        self.contract: dict[str, float] = {}
        for g in groups:
            trained = {k: n for k, n in solution.cross.items() if k[0] == g.key}
            self.contract[g.key] = (len(g.agent_ids) - sum(trained.values())
                                    ) * g.max_hours_week
            for (_key, i), n in trained.items():
                self.contract[f"{g.key}c{i}"] = n * g.max_hours_week
        self.paid: dict[tuple[str, int], float] = {}
        for (owner, col, _p), n in zip(solution.columns, solution.shifts, strict=True):
            if owner in self.contract and n > 0:
                key = (owner, self.week_of[col.day])
                self.paid[key] = self.paid.get(key, 0.0) + float(n) * col.paid_hours

    def over(self, owner: str, day: int) -> float:
        """Paid hours above the contract in the week of `day`."""
        return self.paid.get((owner, self.week_of[day]), 0.0) - self.contract[owner]

    def take(self, owner: str, day: int, hours: float) -> None:
        """Hours of `owner` that no longer work in the week of `day`."""
        key = (owner, self.week_of[day])
        self.paid[key] = self.paid.get(key, 0.0) - hours

    def overtime(self) -> dict[str, float]:
        """Overtime hours per group: paid hours above the contract, summed over weeks."""
        out: dict[str, float] = {}
        for (owner, _w), hours in self.paid.items():
            extra = hours - self.contract[owner]
            if extra > 1e-6:
                out[owner] = out.get(owner, 0.0) + extra
        return out


def read_overtime(solution: Solution, horizon: Horizon, groups: Sequence[Group]
                  ) -> Solution:
    """The solution with its overtime hours read from its shifts (`PaidHours.overtime`)
    rather than the model's overtime variables (one per group and week): a solve
    stopped at its time limit may leave slack in them."""
    return replace(solution, overtime=PaidHours(solution, horizon, groups).overtime())


def hour_step(group: Group, shifts: ShiftSettings) -> float:
    """The paid hours by which the group's week can grow: the greatest common divisor
    of its templates' paid shift lengths (2 h for 4- and 6-hour shifts)."""
    minutes = [t.paid_minutes(length) for t in shifts.templates
               if t.name in group.templates for length in t.lengths]
    minutes = [m for m in minutes if m > 0]
    return math.gcd(*minutes) / 60.0 if minutes else 0.5


def overtime_allowance(hours: float, people: int, step: float, cap: float) -> list[float]:
    """Hours above the contract for each of `people` so a roster can work `hours` of
    overtime: whole `step`s (a fraction of a shift fits no shift), as many as the hours
    need rounded up, dealt one at a time from the first person, at most `cap` each
    (`OvertimeLever.max_hours_week`)."""
    if people <= 0 or hours <= 1e-9:
        return [0.0] * max(people, 0)
    if step > cap:
        return [cap] * people
    each = math.floor(cap / step + 1e-9)
    steps = min(math.ceil(hours / step - 1e-9), each * people)
    return [step * (steps // people + (k < steps % people)) for k in range(people)]
