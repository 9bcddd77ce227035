"""Agents at a proficiency below 1 in a queue: their cover there counts at that share.

CP-SAT works in whole numbers, so when any agent has a proficiency below 1 the whole
problem counts coverage in 1/`PROFICIENCY_SCALE` of an agent: requirements are
multiplied by it, and each option's `weight` is the agent's proficiency times it
(an agent at 0.7 on a shift covers 70 units, a full agent 100). Options differing
in weight get different keys, since agents on them are not interchangeable. When
every agent is at 1 nothing changes (scale 1, weight 1, same keys), so the model and
its answer are exactly those without proficiencies.
"""

from __future__ import annotations

from dataclasses import replace

from scheduling.roster.inputs import Agent
from scheduling.roster.problem import Cell, Problem, ShiftOption

PROFICIENCY_SCALE = 100  # coverage units per full agent when proficiencies are given


def cover_scale(agents: list[Agent]) -> int:
    """Coverage units per full agent: 1 when every agent is at proficiency 1."""
    return PROFICIENCY_SCALE if any(ag.proficiency for ag in agents) else 1


def weigh_options(options: list[list[ShiftOption]], agent: Agent, scale: int
                  ) -> list[list[ShiftOption]]:
    """The agent's options with their weight (proficiency in the option's queue times
    `scale`); an option at less than full weight gets its own key (`@weight`)."""
    if scale == 1:
        return options
    out = []
    for day in options:
        row = []
        for o in day:
            w = max(1, round(agent.proficiency_in(str(o.queue)) * scale))
            row.append(replace(o, weight=w) if w == scale else
                       replace(o, key=f"{o.key}@{w}", weight=w))
        out.append(row)
    return out


def scale_cells(cells: list[Cell], scale: int) -> list[Cell]:
    """The cells with their requirement in coverage units."""
    if scale == 1:
        return cells
    return [replace(c, requirement=c.requirement * scale) for c in cells]


def proficiency_map(problem: Problem) -> dict[tuple[str, str], float]:
    """(agent_id, queue) -> proficiency, for the agents and queues below 1, read back
    from the options' weights (empty when the problem has no proficiencies)."""
    out: dict[tuple[str, str], float] = {}
    if problem.cover_scale == 1:
        return out
    for spec in problem.agents:
        for day in spec.options:
            for o in day:
                if o.weight != problem.cover_scale and o.queue is not None:
                    out[(spec.agent_id, o.queue)] = o.weight / problem.cover_scale
    return out


def max_weight(problem: Problem) -> int:
    """The most cover one agent gives a cell (the scale, or 1 without proficiencies)."""
    return max([o.weight for spec in problem.agents for day in spec.options for o in day],
               default=1)
