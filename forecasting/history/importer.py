"""Import contact history: a planner's export in, the interval-history frame out.

`ingest(path)` reads a contact log (one row per contact) or an interval file
(CSV/TSV/.csv.gz, Excel .xlsx or Parquet), recognises the export by its
headers (or follows the import profile given), and returns the frame of
DESIGN.md -- `queue, interval_start, contacts, aht_seconds` plus, where the
input has them, `answered, abandoned, asa_seconds, service_level, agents` --
with every interval of every queue present, from the first day's 00:00 to the
last day's end. A summary says how many rows were read, used and excluded, and
why. Bad input raises `HistoryError` naming the file, row and column.

Definitions:
- `contacts`: contacts offered to the queue (answered + abandoned + other offered).
- `aht_seconds`: mean handle time of the contacts handled in the interval;
  NaN where none was handled (an average of nothing is unknown, not zero).
- `asa_seconds`: mean wait of the answered contacts; NaN where none was answered.
- `service_level`: contacts answered within the profile's threshold
  (`service_level_seconds`, default 20) divided by contacts offered, so
  abandoned contacts count against it; NaN where none was offered.
- `agents` (contact logs): distinct agents who answered a contact arriving in
  the interval, an upper bound on agents on line (logs have no log-in times).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from forecasting.frames import INTERVALS
from forecasting.history.contacts import tally_contacts
from forecasting.history.errors import HistoryError, listed_headers, shown
from forecasting.history.intervals import tally_intervals
from forecasting.history.mapping import guess_profile
from forecasting.history.profiles import Profile, find_profile, load_profile, shipped_profiles
from forecasting.history.read import Source, open_source, read_columns
from forecasting.history.tally import to_frame

__all__ = ["HistoryError", "ImportResult", "ImportSummary", "Profile", "ingest",
           "load_profile", "shipped_profiles"]

DEFAULT_LOG_INTERVAL = "30min"


@dataclass(frozen=True)
class ImportSummary:
    """What an import read, used and excluded, for the planner to check."""

    file: str
    profile: str
    kind: str
    interval: str
    rows_read: int
    rows_used: int
    excluded: dict[str, int]
    contacts: int
    queues: tuple[str, ...]
    first_interval: pd.Timestamp
    last_interval: pd.Timestamp
    intervals_per_queue: int
    channels: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    timezone: str | None = None  # the profile's time zone, when it names one

    @property
    def rows_excluded(self) -> int:
        return sum(self.excluded.values())

    def __str__(self) -> str:
        what = "contact log" if self.kind == "contacts" else "interval file"
        used = "contacts used" if self.kind == "contacts" else "rows used"
        read = f"{self.rows_read:,} row{'s' if self.rows_read != 1 else ''} read"
        head = (f"{self.file} (profile {self.profile}, {what}): {read}; "
                f"{self.rows_used:,} {used}; {self.rows_excluded:,} excluded")
        if self.excluded:
            reasons = sorted(self.excluded.items(), key=lambda kv: -kv[1])
            head += ": " + ", ".join(f"{n:,} {reason}" for reason, n in reasons)
        lines = [head + "."]
        shown = ", ".join(f"{q} ({self.channels[q]})" if q in self.channels else q
                          for q in self.queues)
        lines.append(
            f"{self.contacts:,} contact{'s' if self.contacts != 1 else ''} offered in "
            f"{len(self.queues)} queue"
            f"{'s' if len(self.queues) != 1 else ''}: {shown}.")
        lines.append(
            f"{self.interval} intervals from {self.first_interval:%Y-%m-%d %H:%M} to "
            f"{self.last_interval:%Y-%m-%d %H:%M} ({self.intervals_per_queue:,} per queue; "
            "intervals without contacts are included with 0).")
        lines.extend(f"Note: {note}." for note in self.notes)
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportResult:
    """The interval history, the summary of the import and the profile used."""

    history: pd.DataFrame
    summary: ImportSummary
    profile: Profile

    @property
    def channels(self) -> dict[str, str]:
        """Channel (voice, chat, email ...) per queue, where the profile or file says."""
        return dict(self.summary.channels)


def ingest(path: str | Path, profile: str | Path | Profile | None = None,
           interval: str | None = None,
           progress: Callable[[float], None] | None = None,
           known: Sequence[Profile] = ()) -> ImportResult:
    """Import a contact log or interval file into the interval-history frame.

    `profile` is a shipped profile name (`anonymous_bank`, `genesys`, `injixo`,
    `wfm`), a path to a YAML profile, a `Profile`, or None to recognise the export:
    by the headers of a shipped profile, then of a `known` one (a planner's saved
    mapping), else by guessing each column's role from its header
    (`forecasting.history.mapping`; `MappingError` lists the candidates when two
    readings are possible). `interval` is `15min`, `30min` or `60min`; None means
    30min for contact logs and the file's own interval for interval files.
    """
    report = progress or (lambda fraction: None)
    if interval is not None and interval not in INTERVALS:
        raise HistoryError(f"unknown interval {interval!r}; expected one of "
                           f"{', '.join(INTERVALS)}", file=str(path))
    chosen = load_profile(profile) if profile is not None else None
    source = _open(path, chosen)
    notes: list[str] = []
    if chosen is None:
        chosen = find_profile(source.headers, known)
        for saved in known:
            if chosen is None and saved.skip_rows:
                try:
                    shifted = _open(path, saved)
                except HistoryError:
                    continue
                if find_profile(shifted.headers, [saved]) is saved:
                    chosen = saved
        if chosen is not None:
            source = _open(path, chosen)
        else:
            chosen, source = guess_profile(path, source, notes)
    cols = resolve_columns(chosen, source)
    report(0.05)
    table = read_columns(source, list(dict.fromkeys(cols.values())))
    report(0.35)
    notes = list(source.notes) + notes
    if chosen.kind == "contacts":
        interval = interval or DEFAULT_LOG_INTERVAL
        tally, excluded = tally_contacts(table, cols, chosen, source, INTERVALS[interval] * 60,
                                         notes, report)
        used = int(tally.contacts.sum())
        if "agent" in cols:
            notes.append("agents = distinct agents who answered a contact arriving in the "
                         "interval (an upper bound on agents on line)")
    else:
        tally = tally_intervals(table, cols, chosen, source, interval, notes, report)
        interval = f"{tally.grid.step // 60}min"
        excluded = tally.excluded
        used = table.num_rows - sum(excluded.values())
    history = to_frame(tally)
    report(1.0)
    first = pd.Timestamp(tally.grid.day0, unit="s")
    summary = ImportSummary(
        file=source.file, profile=chosen.name, kind=chosen.kind, interval=interval,
        rows_read=table.num_rows, rows_used=used, excluded=dict(excluded),
        contacts=int(history["contacts"].sum()), queues=tuple(sorted(tally.queues)),
        first_interval=first,
        last_interval=first + pd.Timedelta(seconds=tally.grid.step * (tally.grid.slots - 1)),
        intervals_per_queue=tally.grid.slots, channels=tally.channels, notes=tuple(notes),
        timezone=chosen.timezone)
    return ImportResult(history, summary, chosen)


def _open(path: str | Path, profile: Profile | None) -> Source:
    return open_source(path, encoding=profile.encoding if profile else None,
                       delimiter=profile.delimiter if profile else None,
                       skip_rows=profile.skip_rows if profile else 0,
                       sheet=profile.sheet if profile else None)


def resolve_columns(profile: Profile, source: Source) -> dict[str, str]:
    """Map each role the profile uses to the file's own header (case and spaces ignored).

    Keys are roles (`queue`, `offered` ...), `start` / `date` / `time`, and
    `rule:<column>` for columns the not-contact rules read.
    """
    actual: dict[str, list[str]] = {}
    for header in source.headers:
        actual.setdefault(header.strip().casefold(), []).append(header)
    wanted: dict[str, str] = {}
    spec = profile.start
    for key in ("column", "date", "time"):
        if getattr(spec, key):
            wanted["start" if key == "column" else key] = getattr(spec, key)
    wanted.update(profile.columns)
    wanted.update({f"rule:{rule.column}": rule.column for rule in profile.not_contact_when})
    cols, missing = {}, []
    for role, header in wanted.items():
        found = actual.get(header.strip().casefold(), [])
        if len(found) > 1:
            raise HistoryError(
                f"{len(found)} columns are called '{header}' ({', '.join(map(shown, found))}); "
                "expected each column the profile reads once", file=source.file,
                row=_header_row(source), column=header)
        if found:
            cols[role] = found[0]
        elif role not in profile.optional:
            missing.append((role, header))
    if missing:
        role, header = missing[0]
        where = _header_row(source)
        others = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        listed = listed_headers(source.headers, 20)
        raise HistoryError(
            f"missing column '{header}' ({role.split(':')[-1]}){others}, required by import "
            f"profile {profile.name}; the file's columns are {listed} -- does the profile fit "
            "this file?", file=source.file, row=where, column=header)
    return cols


def _header_row(source: Source) -> str | None:
    return {"text": f"line {source.header_line}",
            "excel": f"sheet '{source.sheet}' row {source.header_line}"}.get(source.kind)
