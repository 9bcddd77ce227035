"""The error raised when contact history cannot be imported, with its location, and
the helpers that keep customer identifiers out of its message."""

from __future__ import annotations

import re


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


# Quoting cell values in messages ------------------------------------------
# Messages reach the terminal, logs and the app's page, so a value is quoted only
# when it cannot identify a customer: seven or more digits (phone numbers,
# customer and order ids), an @ (e-mail addresses, handles) or more than a few
# words (chat text) are replaced by the value's shape.

_MAX_SHOWN = 40
_ARROW_ROW_DUMP = re.compile(r"(got \d+( columns)?):.*", re.DOTALL)
_DIGIT_RUN = re.compile(r"[+(]?\d[\d\s\-().\/]*\d")
_EMAIL = re.compile(r"\S+@\S+")


def identifying(text: str) -> bool:
    """True when a value may identify a person: 7+ digits, an @, or free text."""
    return (sum(ch.isdigit() for ch in text) >= 7 or "@" in text
            or len(text) > _MAX_SHOWN or _words(text) > 3)


def _words(text: str) -> int:
    return sum(any(ch.isalpha() for ch in word) for word in text.split())


def shape(text: str) -> str:
    """The layout of a value without its content: digits as 9, letters as A."""
    out = "".join("9" if ch.isdigit() else "A" if ch.isalpha() else ch for ch in text)
    return out if len(out) <= _MAX_SHOWN else out[:_MAX_SHOWN] + "..."


def shown(value: object) -> str:
    """A cell value as an error message may quote it (see above)."""
    text = str(value).strip()
    if not identifying(text):
        return repr(text)
    if len(text) > _MAX_SHOWN or _words(text) > 3:
        return f"a text of {len(text)} characters (not shown: it may identify a customer)"
    return (f"a value shaped {shape(text)!r} (digits as 9, letters as A; not shown: it may "
            "identify a customer)")


def listed_headers(headers: list[str], limit: int) -> str:
    """The headers of a file for a message; when one of them looks like data (a phone
    number, an id, a date-time, free text) the first line is a record, not a header row,
    and none of it is quoted."""
    if any(identifying(str(h).strip()) for h in headers):
        return (f"{len(headers)} values on the header line, some of which look like data "
                "(dates, numbers, ids or text; not shown) -- does the file start with a "
                "header row naming its columns?")
    more = " ..." if len(headers) > limit else ""
    return ", ".join(repr(str(h).strip()) for h in headers[:limit]) + more


def shown_number(value: float) -> str:
    """A number as an error message may give it (unquoted; its shape if it looks like an id)."""
    text = f"{value:g}"
    return text if not identifying(text) else shown(f"{value:.0f}")


def scrub(message: object) -> str:
    """A library's error message with any quoted record or identifier taken out."""
    text = str(message).strip().splitlines()[0] if str(message).strip() else ""
    text = _ARROW_ROW_DUMP.sub(r"\1", text)
    text = _EMAIL.sub(lambda m: shape(m.group()), text)
    text = _DIGIT_RUN.sub(
        lambda m: shape(m.group()) if sum(c.isdigit() for c in m.group()) >= 7 else m.group(),
        text)
    return text if len(text) <= 200 else text[:200] + "..."
