"""Intraday re-plan: the rest of today re-optimised with the roster pinned up to now.

A small CP-SAT model over today's intervals from `now` on, one agent at a time
being able to

- take a break that has not started yet elsewhere within its window (`break`),
- answer another queue the agent is skilled in for a while (`move`),
- start earlier or stay longer (`overtime`), within the weekly maximum hours,
  the longest shift template, the queue's closing time, the rest before the next
  shift and the late-shift limit,
- leave early when the queue is over-staffed (`vto`, voluntary time off: being
  voluntary, it may shorten a shift below its template's lengths and take the agent
  under `min_hours_week`, unless `vto_keeps_min_hours`),
- start a shift that has not begun yet earlier or later (`shift`: same length, breaks
  along, on the template's start grid, within `max_shift_move` minutes, the queue's
  hours, the rest either side and the late-shift limit), or
- come in on a day off (`call_in`): a shift of one of the agent's templates starting
  from now, on one queue of the agent's, within every labour rule of the roster
  checker (weekly hours and days, rest, days in a row, days off in a row,
  unavailable days, late shifts, opening hours);

each change costs a penalty, so only changes that buy enough cover are made. The
objective is the shortfall against the agents the forecast needs (staffing models,
`scheduling.staffing.requirements`, after shrinkage), in tiers that cost more the
deeper the shortfall, plus a little for over-staffing and for overtime minutes.
Whatever started before now (shift starts, breaks under way) is pinned.

Out: the roster changes frame (`agent_id, change, from, to, queue`: for `break`
the old and new break times, for `move` the period and the queue answered then,
for `overtime`/`vto` the shift's old and new times, for `call_in` "off" and the new
shift's times), the roster after the changes and
the projection of the rest of the day before and after (`scheduling.projection`).
"""

from scheduling.intraday.call_in import DAY_RULES
from scheduling.intraday.changes import CHANGE_COLUMNS
from scheduling.intraday.model import TIERS
from scheduling.intraday.options import ReplanInputError, ReplanOptions, ReplanResult
from scheduling.intraday.replanning import replan, rest_of_day, worth_making

__all__ = [
    "CHANGE_COLUMNS", "DAY_RULES", "TIERS", "ReplanInputError", "ReplanOptions",
    "ReplanResult", "replan", "rest_of_day", "worth_making",
]
