"""Weekly rosters with OR-Tools CP-SAT: requirements, agents and shift templates in,
a roster frame (`agent_id, date, shift, start, end, queue, breaks`) out.

Modules: `inputs` (agents CSV), `templates` (shifts YAML), `problem` (the engine's
view), `rules` (one named function per labour rule, listed once), `objective`,
`settings` (CP-SAT solver settings), `model` (the CP-SAT model and what one solve of
it gives), `search` (the phases below run in order over the model), the phases:
`construct` (agent-by-agent warm start), `descent` (from a start roster), `deal`
(a start dealt out of shifts without agents), `bound` and `lp` (proven lower bounds),
`columns` (column generation and a dive), `reroster` and `improve`
(large-neighbourhood searches), `decompose` (large rosters split by queue group and
team); `solve` (contact-centre adapter), `coverage`, `checker` (independent
verification, one check per hard rule under the rule's name), `curtois` (benchmark
adapter), `synthetic` (seeded test inputs).

Imports point one way: `solve`, `curtois` -> `search` -> the phases -> `model`,
`objective` -> `rules`, `problem`, `settings`.
"""

from scheduling.frames import ROSTER_COLUMNS
from scheduling.roster.checker import Violation, check_curtois_roster, check_roster
from scheduling.roster.coverage import coverage_summary, roster_coverage
from scheduling.roster.errors import RosterInfeasibleError, RosterInputError, RosterTimeoutError
from scheduling.roster.inputs import Agent, agents_from_frame, read_agents
from scheduling.roster.rules import HARD_RULES, SOFT_RULES
from scheduling.roster.solve import RosterResult, solve_roster
from scheduling.roster.templates import ShiftSettings, read_shifts, shift_settings

__all__ = [
    "HARD_RULES", "ROSTER_COLUMNS", "SOFT_RULES", "Agent", "RosterInfeasibleError",
    "RosterInputError", "RosterResult", "RosterTimeoutError", "ShiftSettings", "Violation",
    "agents_from_frame",
    "check_curtois_roster", "check_roster", "coverage_summary", "read_agents", "read_shifts",
    "roster_coverage", "shift_settings", "solve_roster",
]
