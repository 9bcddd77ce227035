"""Shared figures of roster tests."""

from __future__ import annotations

from scheduling.roster.construct import agent_cover
from scheduling.roster.objective import weighted_under
from scheduling.roster.synthetic import STANDARD_SHIFTS

START = "2026-11-02"
# the standard templates and rules, two queues open 08:00-22:00
TWO_QUEUES = {**STANDARD_SHIFTS,
              "queues": {"sales": {"open": "08:00", "close": "22:00"},
                         "service": {"open": "08:00", "close": "22:00"}}}


def under_of(problem, weeks) -> int:
    """Weighted under-staffing of the agents' weeks, counted cell by cell from scratch."""
    cover = [0] * len(problem.cells)
    for a, week in enumerate(weeks):
        for c, v in agent_cover(problem, a, week).items():
            cover[c] += v
    return weighted_under(problem, cover)
