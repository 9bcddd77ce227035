"""The error raised when contact history cannot be imported, with its location."""

from __future__ import annotations


class HistoryError(ValueError):
    """A contact-history file (or its import profile) the planner must fix.

    The message names the file and, where known, the row (as the planner sees it
    in the file: a 1-based line number for text files, the sheet row for Excel)
    and the column, then says what was expected.
    """

    def __init__(self, message: str, *, file: str | None = None, row: str | None = None,
                 column: str | None = None) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.reason = message
        where = ", ".join(part for part in (
            file,
            row,
            f"column '{column}'" if column is not None else None,
        ) if part)
        super().__init__(f"{where}: {message}" if where else message)
