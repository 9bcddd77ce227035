"""Goal-seek for a peak week: the least-cost mix of levers that meets the targets.

The model is the roster's own: columns of shifts (a template, a start, a length and
the one queue the shift serves, exactly the options `scheduling.roster.solve` builds)
priced by what they cost, covering in every interval the least staff that meets the
queue's target there, judged as the projection judges a roster
(`targets.interval_need`: Erlang C / A and chat concurrency by bisection on fractional
staff). Email is a backlog (`backlog`): the work cleared by the end of each open
interval grows by at most the staff there can do, and each interval's work must be
cleared by its deadline, as the projection's first-in-first-out backlog judges it.
Today's agents are grouped by their contract (same queues, templates, hours, days and
unavailable days); a group of `n` agents works at most `n` shifts a day, `n x
max_days` shifts and `n x max_hours_week` paid hours (plus that week's overtime, one
variable per group and week, each priced) a week. The levers:

- temps per shift template (`TempLever`): a count of people hired for the horizon,
  each working at most `max_days_week` shifts and `max_hours_week` hours a week of
  their template, paid `hourly_cost` per paid hour plus `fee` per person (with no
  fee, of two plans of one cost the plan's MIP takes the one with fewer people:
  `model.PEOPLE_TIE_BREAK`, left out of the cost and the bound);
- overtime on today's agents (`OvertimeLever`): paid hours above the contract up to
  `max_hours_week` per agent (and `max_hours_day` times the days they may work),
  at `hourly_cost x premium`;
- cross-skilling (`CrossSkillLever`): agents who answer `from_queue` trained for
  `to_queue` at `cost_per_person`; their shifts on `to_queue` count `proficiency`;
- an outsourcer (`OutsourcerLever`): agents on line per interval on one queue, up to
  `max_agents`, at `hourly_cost` per agent-hour;
- opening hours (`Levers.opening`): hours a queue may open when closing is a choice
  (columns may then start and end inside the wider hours).

Shortfall in an interval is allowed at a penalty far above any lever's cost, so a
target no lever mix can reach still gets the reachable part; every interval left short
is reported with its reason (`queue closed`, `no template starts then`, `no eligible
agents`, `lever at its cap`). The mixed-integer model is solved with OR-Tools (SCIP),
first with today's agents' shifts fixed at the LP's (rounded), then whole from that
plan; its LP relaxation (GLOP) is the lower bound on cost reported with the gap (with
a rounding cut where staff comes in whole shifts, and email's deadlines at the
queue's service-level share rather than all work). A
trim pass then takes out temp shifts and overtime the projection shows are not needed
(for the day and week target modes, what the day or week does not need, from the
interval plan and from a plan built on the period LP, keeping the cheaper), whatever
saves most per hour on line first. The day and week modes' lower bound is that LP
(`levels`): the model's relaxation with each interval's service level under its
concave envelope and each queue-day or queue-week held to its target. The plan is
then judged by
`scheduling.projection.project` on a roster laid out from the chosen columns (breaks
in the middle of their windows), so the planned service level comes from the real
staffing models, not the cover constraint. Pure functions of frames: nothing is
printed or read from files.

What the model leaves to the check by building it: rest between shifts, consecutive
days, late shifts a week, minimum contract hours and where breaks fall (a shift counts
as on line except in its breaks, placed in the middle of their windows); the overtime
day limit is applied as `max_hours_day` times the days an agent may work. Proficiency
below 1 (a cross-skill's, or today's agents' `proficiency` in agents.csv) counts at its
share in the plan, its projection, the roster engine and the check's projection.

The modules: `levers` (what the planner allows, checked), `columns` (groups of
today's agents, shift options), `model` (the MIP and its LP bound), `levels` (the
day and week modes' bound and LP plan), `backlog`
(email's deadlines), `people` (the plan's temp shifts dealt out to people), `trim` (temp
shifts and overtime the projection shows are not needed; `overtime` reads a group's
hours above its contract), `targets` (the per-day and per-week
target modes), `answer` (costs and lever rows), `report` (reasons, the plan as a
roster, per day), `search` (`goal_seek`, from requirement to report), `plan` (the
frames and `CapacityPlan`).
"""

from scheduling.capacity.columns import (
    Column,
    Group,
    opened_shifts,
    shift_columns,
    team_groups,
)
from scheduling.capacity.levers import (
    TARGET_MODES,
    CapacityInputError,
    CrossSkillLever,
    Levers,
    OutsourcerLever,
    OvertimeLever,
    TempLever,
    check_levers,
)
from scheduling.capacity.model import SHORT_PENALTY
from scheduling.capacity.overtime import hour_step, overtime_allowance
from scheduling.capacity.people import TEMP_SHIFT_COLUMNS, TempPerson, deal_temps
from scheduling.capacity.plan import (
    CAPACITY_DAILY_COLUMNS,
    LEVER_COLUMNS,
    REASON_COLUMNS,
    REASONS,
    CapacityPlan,
)
from scheduling.capacity.search import goal_seek

__all__ = [
    "CAPACITY_DAILY_COLUMNS", "LEVER_COLUMNS", "REASONS", "REASON_COLUMNS", "SHORT_PENALTY",
    "TARGET_MODES", "TEMP_SHIFT_COLUMNS", "CapacityInputError", "CapacityPlan", "Column",
    "CrossSkillLever", "Group", "Levers", "OutsourcerLever", "OvertimeLever", "TempLever",
    "TempPerson", "check_levers", "deal_temps", "goal_seek", "hour_step", "opened_shifts",
    "overtime_allowance", "shift_columns", "team_groups",
]
