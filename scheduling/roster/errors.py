"""Errors raised by the roster engine; all are ValueErrors a planner can act on."""

from __future__ import annotations


class RosterInputError(ValueError):
    """An input file or frame is malformed; the message names the file, row and field."""


class RosterTimeoutError(ValueError):
    """No roster was found within the time limit: the rules may all hold, but the
    search ran out of time before it found a roster that keeps them."""

    def __init__(self, time_limit: float | None = None) -> None:
        self.time_limit = time_limit
        within = (f"within the time limit of {time_limit:g} s" if time_limit is not None
                  else "within the time limit")
        super().__init__(f"no roster found {within}; allow more time to search")


class RosterInfeasibleError(ValueError):
    """The hard rules cannot all hold.

    `conflicts` maps each agent_id whose own rules contradict each other to the
    names of the rules in conflict (a sufficient set, found with solver assumptions).
    """

    def __init__(self, conflicts: dict[str, list[str]], detail: str = "") -> None:
        self.conflicts = conflicts
        lines = [f"  agent {agent}: {', '.join(rules)}" for agent, rules in conflicts.items()]
        msg = "the hard rules cannot all hold; rules in conflict per agent:\n" + "\n".join(lines)
        if detail:
            msg += "\n" + detail
        super().__init__(msg)
