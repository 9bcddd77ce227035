"""Guessing how to read an export nobody wrote a profile for: columns, units and values.

`forecasting.history.headers` finds, for each role the importer knows (start time,
queue, channel, handle time, wait time, outcome, agent; offered, answered,
abandoned ... for an interval file), the headers that may hold it, by synonyms in
English and Chinese; `guess_mapping` settles the kind of file and one header per
role. `build_profile` turns a mapping (guessed, or chosen by the planner on a form)
into a `Profile`, reading the mapped columns only -- never the others, so phone
numbers, names and chat text stay in the file -- to settle what the values say: the
duration unit (seconds, milliseconds, minutes, or H:MM:SS), the channel of each
channel value (电话 -> voice, 在线 -> chat, 工单 -> email ...) and which outcomes are
answered or abandoned.

Where two readings are possible (two columns could be the start time; the file
could be a contact log or an interval file) the guess does not pick one: it lists
the candidates, and `guess_profile` raises `MappingError` with them, for the
caller to ask the planner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from forecasting.history.errors import HistoryError, identifying, shown
from forecasting.history.headers import (
    DURATION_ROLES,
    SEPARATORS,
    find_header_row,
    match_headers,
    normal_header,
)
from forecasting.history.parse import parse_duration
from forecasting.history.profiles import DURATION_UNITS, Profile, profile_from_dict
from forecasting.history.read import Source, open_source, read_columns

GUESSED = "guessed"
SAMPLE_ROWS = 5000
MAX_OTHER_OUTCOMES = 20


CHANNEL_VALUES: dict[str, tuple[str, ...]] = {
    "voice": ("voice", "phone", "call", "calls", "telephone", "tel", "inbound", "电话", "语音",
              "呼入", "热线", "来电"),
    "chat": ("chat", "im", "online", "web chat", "webchat", "messaging", "message", "text",
             "在线", "文字", "在线客服", "聊天", "即时消息", "微信", "wechat"),
    "email": ("email", "e mail", "mail", "ticket", "tickets", "case", "邮件", "工单", "电子邮件"),
}
OUTCOME_VALUES: dict[str, tuple[str, ...]] = {
    "answered": ("answered", "answer", "handled", "connected", "completed", "served", "agent",
                 "接通", "已接", "已接通", "已接听", "接听", "应答", "已应答", "已处理", "成功"),
    "abandoned": ("abandoned", "abandon", "abandons", "hang", "hangup", "hung up", "missed",
                  "lost", "unanswered", "放弃", "已放弃", "未接", "未接通", "未接听", "呼损",
                  "挂断", "客户挂断", "排队放弃"),
}



class MappingError(HistoryError):
    """The export can be read more than one way (or not at all) without the planner.

    `candidates` maps each unsettled role (`start`, `queue` ..., or `kind`) to the
    headers (or kinds) that could fill it; `missing` lists required roles no header
    fits. The message lists them; a caller asks the planner to choose.
    """

    def __init__(self, message: str, *, file: str | None = None, row: str | None = None,
                 candidates: dict[str, tuple[str, ...]] | None = None,
                 missing: tuple[str, ...] = ()) -> None:
        super().__init__(message, file=file, row=row)
        self.candidates = dict(candidates or {})
        self.missing = tuple(missing)


@dataclass
class Guess:
    """What the headers and a sample of the matched columns say about an export.

    `roles` maps each settled role to its header; `candidates` the unsettled ones to
    their possible headers; `units` the duration unit read from the values
    (`seconds`, `milliseconds`, `minutes`); `header_row` the number of rows above the
    header (title rows); `notes` what was inferred, for the import summary.
    """

    kind: str
    roles: dict[str, str]
    candidates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: tuple[str, ...] = ()
    skip_rows: int = 0
    headers: tuple[str, ...] = ()
    row: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def settled(self) -> bool:
        """True when every role has at most one header and the kind is known."""
        return not self.candidates and len(self.kinds) <= 1




def guess_mapping(path: str | Path, source: Source | None = None) -> Guess:
    """Guess the kind of export and the column of each role from the headers alone."""
    source = find_header_row(path, source or open_source(path))
    found = match_headers(source.headers)
    interval_roles = [r for r in ("offered", "answered", "abandoned", "handle_time_total",
                                  "aht", "asa") if r in found]
    contact_roles = [r for r in ("handle_time", "wait_time", "outcome", "agent") if r in found]
    if "offered" in found and not contact_roles:
        kinds: tuple[str, ...] = ("intervals",)
    elif "offered" in found:
        kinds = ("contacts", "intervals")
    else:
        kinds = ("contacts",)
    kind = kinds[0]
    roles: dict[str, str] = {}
    candidates: dict[str, tuple[str, ...]] = {}
    wanted = (("start", "date", "time", "queue", "channel", *contact_roles, "contact_id")
              if kind == "contacts" else
              ("interval_start", "start", "date", "time", "queue", "channel", *interval_roles))
    for role in wanted:
        headers = found.get(role, [])
        if not headers:
            continue
        out = "start" if role == "interval_start" else role
        if out in roles or out in candidates:
            continue
        if out == "contact_id" and len(headers) > 1:
            continue  # optional: two id columns are left unread rather than asked about
        if len(headers) == 1:
            roles[out] = headers[0]
        else:
            candidates[out] = tuple(headers)
    if "start" in roles or "start" in candidates:
        roles.pop("date", None)
        roles.pop("time", None)
        candidates.pop("date", None)
        candidates.pop("time", None)
    guess = Guess(kind=kind, roles=roles, candidates=candidates,
                  kinds=kinds if len(kinds) > 1 else (), skip_rows=source.skip_rows,
                  headers=tuple(source.headers),
                  row={"text": f"line {source.header_line}",
                       "excel": f"sheet '{source.sheet}' row {source.header_line}"}.get(
                           source.kind))
    if source.skip_rows:
        guess.notes.append(f"the header is on row {source.header_line}; the rows above it "
                           "were skipped")
    return guess


def missing_roles(kind: str, roles: dict[str, str]) -> tuple[str, ...]:
    """Required roles a mapping lacks: a start (or date and time) and a queue; the count
    of offered contacts for an interval file."""
    missing = []
    if "start" not in roles and not ("date" in roles and "time" in roles):
        missing.append("start")
    if "queue" not in roles:
        missing.append("queue")
    if kind == "intervals" and "offered" not in roles:
        missing.append("offered")
    return tuple(missing)


ROLE_WORDS = {
    "start": "start time", "date": "date", "time": "time of day", "queue": "queue",
    "channel": "channel", "handle_time": "handle time", "wait_time": "wait time",
    "outcome": "outcome", "agent": "agent", "offered": "contacts offered",
    "answered": "contacts answered", "abandoned": "contacts abandoned",
    "aht": "average handle time", "asa": "average wait", "kind": "kind of file",
    "handle_time_total": "total handle time", "contact_id": "contact id",
}


def check_guess(guess: Guess, file: str) -> None:
    """Raise `MappingError` listing the candidates when the guess is not settled, or the
    required roles no header fits."""
    problems = []
    candidates = dict(guess.candidates)
    if guess.kinds:
        candidates["kind"] = guess.kinds
        problems.append("it could be a contact log (one row per contact) or an interval "
                        "file (one row per queue and interval)")
    for role, headers in guess.candidates.items():
        problems.append(f"the {ROLE_WORDS.get(role, role)} could be in "
                        + " or ".join(repr(h) for h in headers))
    missing = () if guess.kinds else tuple(
        r for r in missing_roles(guess.kind, guess.roles) if r not in guess.candidates)
    if missing:
        problems.append("no column looks like the " + " or the ".join(
            ROLE_WORDS[r] for r in missing) + f" (columns: {_listed(guess.headers)})")
    if problems:
        raise MappingError("cannot tell how to read this file: " + "; ".join(problems)
                           + "; choose the column of each role", file=file, row=guess.row,
                           candidates=candidates, missing=missing)


def _listed(headers: tuple[str, ...]) -> str:
    from forecasting.history.errors import listed_headers

    return listed_headers(list(headers), 20)


# what the values say ------------------------------------------------------

def _normal_value(value: object) -> str:
    return SEPARATORS.sub(" ", str(value).strip().casefold()).strip()


def value_kind(value: object, table: dict[str, tuple[str, ...]]) -> str | None:
    """The kind (`voice` / `answered` ...) a value names in `table`, or None."""
    text = _normal_value(value)
    for kind, synonyms in table.items():
        if text in synonyms:
            return kind
    return None


def _sample(source: Source, headers: list[str]) -> pa.Table:
    """The mapped columns (only those) of every row: channel and outcome values are read
    from all rows, so a value first seen late in the file is known too."""
    return read_columns(source, headers)


def duration_unit(values: pa.ChunkedArray | pa.Array, hint: str | None,
                  role: str = "handle_time") -> tuple[str, str]:
    """The unit of a duration column and how it was told: from the header (`hint`), from
    H:MM:SS values, or from the size of the values (a handle time of a contact is
    about half a minute to half an hour)."""
    if hint:
        return hint, "the header names it"
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        clock = pc.match_substring_regex(values.drop_null(), r"^\s*\d+:\d{1,2}")
        if len(clock) and pc.all(clock).as_py():
            return "seconds", "values are H:MM:SS"
        numbers = pc.cast(pc.if_else(pc.match_substring_regex(
            values, r"^\s*[+-]?\d+(\.\d*)?\s*$"), values, None), pa.float64())
    elif pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
        numbers = pc.cast(values, pa.float64())
    else:
        return "seconds", "values are durations"
    array = np.asarray(numbers.drop_null().to_numpy(zero_copy_only=False), dtype=float)
    array = array[array > 0]
    if not array.size:
        return "seconds", "no values to tell otherwise"
    median = float(np.median(array))
    if role == "handle_time":
        if median >= 15_000:
            return "milliseconds", f"the median handle time is {median:,.0f}"
        if median < 15 and not np.all(array == np.round(array)):
            return "minutes", f"the median handle time is {median:g} with decimals"
    elif median >= 60_000:
        return "milliseconds", f"the median wait is {median:,.0f}"
    return "seconds", f"the median is {median:,.0f}"


def build_profile(kind: str, roles: dict[str, str], source: Source, *,
                  name: str = GUESSED, notes: list[str] | None = None) -> Profile:
    """The import profile of a mapping (role -> header), with units, channels and
    outcomes read from a sample of the mapped columns only.

    Raises `MappingError` when a required role is missing, and `HistoryError` (naming
    the file, row and column) when a channel or outcome value means nothing known.
    """
    notes = notes if notes is not None else []
    missing = missing_roles(kind, roles)
    if missing:
        raise MappingError("no column chosen for the " + " or the ".join(
            ROLE_WORDS[r] for r in missing), file=source.file, missing=missing)
    chosen = [h for h in roles.values() if h]
    unknown = [h for h in chosen if h not in source.headers]
    if unknown:
        raise HistoryError(f"has no column {shown(unknown[0])}; its columns are "
                           f"{_listed(tuple(source.headers))}", file=source.file)
    twice = {h for h in chosen if chosen.count(h) > 1}
    if twice:
        header = sorted(twice)[0]
        used = [ROLE_WORDS.get(r, r) for r, h in roles.items() if h == header]
        raise MappingError(f"the column {header!r} is chosen for {' and '.join(used)}; "
                           "expected one column per role", file=source.file)
    sample = _sample(source, list(dict.fromkeys(chosen)))
    data: dict[str, Any] = {"name": name, "kind": kind,
                            "description": f"guessed from the headers of {source.path.name}"}
    if "start" in roles:
        data["start"] = roles["start"]
    else:
        data["start"] = {"date": roles["date"], "time": roles["time"]}
    columns = {r: h for r, h in roles.items() if r not in ("start", "date", "time")}
    data["columns"] = columns
    durations = [r for r in DURATION_ROLES if r in columns]
    if durations:
        first = durations[0]
        hint = normal_header(columns[first])[1]
        unit, why = duration_unit(sample[columns[first]].slice(0, SAMPLE_ROWS), hint, first)
        data["duration_unit"] = unit
        notes.append(f"durations read in {unit} ({why})")
    if "channel" in columns:
        data["channel_values"] = _channel_values(sample, columns["channel"], source)
    if "outcome" in columns:
        data["outcomes"] = _outcomes(sample, columns["outcome"], source, notes)
    if source.skip_rows:
        data["skip_rows"] = source.skip_rows
    if source.kind == "text" and source.encoding not in ("utf-8", "utf8"):
        data["encoding"] = source.encoding
    if source.kind == "text" and source.delimiter != ",":
        data["delimiter"] = source.delimiter
    if source.kind == "excel" and source.sheet:
        data["sheet"] = source.sheet
    data["detect"] = list(dict.fromkeys(chosen))
    return profile_from_dict(data, source=f"({name})")


def _distinct(sample: pa.Table, header: str) -> list[object]:
    return pc.unique(sample[header]).drop_null().to_pylist()


def _first_row(sample: pa.Table, header: str, value: object) -> int:
    hits = np.flatnonzero(np.asarray(
        pc.equal(sample[header], pa.scalar(value, sample[header].type))
        .fill_null(False).to_numpy(zero_copy_only=False), dtype=bool))
    return int(hits[0]) if hits.size else 0


def _channel_values(sample: pa.Table, header: str, source: Source) -> dict[str, str]:
    mapping = {}
    for value in _distinct(sample, header):
        kind = value_kind(value, CHANNEL_VALUES)
        if kind is None:
            raise source.error(_first_row(sample, header, value), header,
                               f"unknown channel {shown(value)}; expected voice (电话, 语音, "
                               "phone, call), chat (在线, 文字, im) or email (邮件, 工单, ticket)")
        mapping[str(value).strip()] = kind
    return mapping


def _outcomes(sample: pa.Table, header: str, source: Source,
              notes: list[str]) -> dict[str, list[str]]:
    outcomes: dict[str, list[str]] = {"answered": [], "abandoned": [], "offered": []}
    other = []
    for value in _distinct(sample, header):
        kind = value_kind(value, OUTCOME_VALUES)
        text = str(value).strip()
        if kind is None:
            outcomes["offered"].append(text)
            other.append(text)
        else:
            outcomes[kind].append(text)
    if not outcomes["answered"]:
        raise source.error(None, header, "no value of this column says a contact was "
                           "answered (answered, 接通, 已接 ...); is it the outcome column?")
    if len(other) > MAX_OTHER_OUTCOMES or any(identifying(v) for v in other):
        # ids or free text: not outcomes, and they must not reach a saved profile
        raise source.error(None, header, f"holds {len(other):,} values that are neither "
                           "answered nor abandoned, some of which look like ids or text (not "
                           "shown); is it the outcome column?")
    if other:
        notes.append(f"outcomes {', '.join(shown(v) for v in other[:5])} counted as offered, "
                     "neither answered nor abandoned")
    return {k: v for k, v in outcomes.items() if v}


def guess_profile(path: str | Path, source: Source | None = None,
                  notes: list[str] | None = None) -> tuple[Profile, Source]:
    """The guessed profile of an export and the source opened at its header row.

    Raises `MappingError` listing the candidates when two readings are possible or a
    required role has no column.
    """
    guess = guess_mapping(path, source)
    check_guess(guess, str(path))
    opened = open_source(path, skip_rows=guess.skip_rows)
    if notes is not None:
        notes.extend(guess.notes)
    return build_profile(guess.kind, guess.roles, opened, notes=notes), opened


def profile_dict(profile: Profile) -> dict[str, Any]:
    """A profile as the plain mapping its YAML file holds (for review and saving)."""
    data: dict[str, Any] = {"name": profile.name, "kind": profile.kind}
    if profile.description:
        data["description"] = profile.description
    if profile.detect:
        data["detect"] = list(profile.detect)
    spec = profile.start
    if spec.column and not spec.format:
        data["start"] = spec.column
    else:
        data["start"] = {k: v for k, v in (("column", spec.column), ("format", spec.format),
                                           ("date", spec.date), ("date_format", spec.date_format),
                                           ("time", spec.time), ("time_format", spec.time_format))
                         if v}
    data["columns"] = dict(profile.columns)
    if profile.optional:
        data["optional"] = sorted(profile.optional)
    outcomes: dict[str, Any] = {k: list(v) for k, v in profile.outcomes.items()}
    if profile.not_contact:
        outcomes["not_contact"] = dict(profile.not_contact)
    if outcomes:
        data["outcomes"] = outcomes
    if profile.channel_values:
        data["channel_values"] = dict(profile.channel_values)
    if profile.channel:
        data["channel"] = profile.channel
    if profile.channels:
        data["channels"] = dict(profile.channels)
    data["duration_unit"] = profile.duration_unit
    for key, default in (("service_level_seconds", 20.0), ("max_handle_seconds", 86400.0),
                         ("service_level_unit", "fraction"), ("delimiter", None),
                         ("encoding", None), ("sheet", None), ("skip_rows", 0),
                         ("decimal", "."), ("timezone", None)):
        value = getattr(profile, key)
        if value != default:
            data[key] = value
    return data


PREVIEW_ROLES = ("start", "date", "time", "queue", "channel", "handle_time", "wait_time",
                 "outcome", "offered", "answered", "abandoned", "handle_time_total", "aht",
                 "asa")


def preview(profile: Profile, source: Source, rows: int = 10) -> pd.DataFrame:
    """The first `rows` records as the profile reads them, one column per role: times as
    written, durations in seconds, channels and outcomes as the tool names them
    (`voice` / `answered` ...). The agent column is left out (it may hold names)."""
    wanted = {r: h for r, h in {**{"start": profile.start.column, "date": profile.start.date,
                                   "time": profile.start.time}, **profile.columns}.items()
              if h and r in PREVIEW_ROLES}
    present = {r: h for r, h in wanted.items() if h in source.headers}
    table = read_columns(source, list(dict.fromkeys(present.values()))).slice(0, rows)
    unit = DURATION_UNITS[profile.duration_unit]
    out = {}
    kinds = {v: k for k, vs in profile.outcomes.items() for v in vs}
    for role, header in present.items():
        column = table[header]
        if role in DURATION_ROLES:
            out[role] = parse_duration(column, header, source, None, unit_seconds=unit,
                                       decimal=profile.decimal)
        elif role == "channel":
            out[role] = [None if v is None else profile.channel_values.get(
                str(v).strip(), str(v).strip()) for v in column.to_pylist()]
        elif role == "outcome":
            out[role] = [None if v is None else kinds.get(str(v).strip(), str(v).strip())
                         for v in column.to_pylist()]
        else:
            out[role] = [None if v is None else str(v) for v in column.to_pylist()]
    return pd.DataFrame(out)
