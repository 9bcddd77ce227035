"""Shared figures of roster tests."""

from __future__ import annotations

from scheduling.roster.construct import agent_cover
from scheduling.roster.objective import weighted_under


def under_of(problem, weeks) -> int:
    """Weighted under-staffing of the agents' weeks, counted cell by cell from scratch."""
    cover = [0] * len(problem.cells)
    for a, week in enumerate(weeks):
        for c, v in agent_cover(problem, a, week).items():
            cover[c] += v
    return weighted_under(problem, cover)
