"""Aggregating a contact log (one row per contact) into per-interval figures.

Offered contacts are rows whose outcome is answered, abandoned or plain
offered; rows whose outcome is a `not_contact` value, or that match a
`not_contact_when` rule, are excluded and counted by reason. An unknown or
empty outcome stops the import: nothing is dropped silently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from forecasting.history.bounds import check_dates
from forecasting.history.errors import shown
from forecasting.history.parse import (
    NAT,
    check_range,
    first_bad,
    parse_date,
    parse_datetime,
    parse_duration,
    parse_time_of_day,
)
from forecasting.history.profiles import DURATION_UNITS, Profile
from forecasting.history.read import Source
from forecasting.history.tally import Grid, Tally, sums

NOT_CONTACT, ANSWERED, ABANDONED, OFFERED = 0, 1, 2, 3
MAX_QUEUES = 1000


def codes_of(arr) -> tuple[np.ndarray, list]:
    """Integer code per row (-1 for empty) and the distinct values."""
    uniques = pc.unique(arr).drop_null()
    codes = pc.index_in(arr, value_set=uniques).fill_null(-1)
    return (np.asarray(codes.to_numpy(zero_copy_only=False), dtype=np.int64),
            uniques.to_pylist())


def _text(value: object) -> str:
    if hasattr(value, "hour") and not hasattr(value, "day"):
        return f"{value.hour}:{value.minute:02d}:{value.second:02d}"
    return str(value).strip()


def _same(value: object, wanted: str) -> bool:
    text = _text(value)
    if text == wanted:
        return True
    clock = [p.lstrip("0") or "0" for p in text.split(":")]
    return len(clock) > 1 and clock == [p.lstrip("0") or "0" for p in wanted.split(":")]


def _spellings(value: str) -> list[str]:
    """A value and, for clock times like 0:00:00, its zero-padded spellings."""
    parts = value.split(":")
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        return [value]
    bare = [p.lstrip("0") or "0" for p in parts]
    return list({value, ":".join(bare), ":".join(p.zfill(2) for p in bare),
                 ":".join([bare[0]] + [p.zfill(2) for p in bare[1:]])})


def _rule_match(arr, wanted: tuple[str, ...]) -> np.ndarray:
    """Rows whose value is one of `wanted` (clock times compared by value)."""
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        spellings = pa.array([s for w in wanted for s in _spellings(w)], arr.type)
        hit = pc.is_in(pc.utf8_trim_whitespace(arr), value_set=spellings)
        return np.asarray(hit.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    codes, values = codes_of(arr)
    hits = [k for k, v in enumerate(values) if any(_same(v, w) for w in wanted)]
    return np.isin(codes, hits)


def classify(table: pa.Table, cols: dict[str, str], profile: Profile,
             source: Source) -> tuple[np.ndarray, Counter]:
    """Outcome class of every row, and the count of excluded rows per reason."""
    n = table.num_rows
    excluded: Counter = Counter()
    if "outcome" not in cols:
        return np.full(n, OFFERED, dtype=np.int8), excluded
    column = cols["outcome"]
    codes, values = codes_of(table[column])
    known = {v: k for k, vs in (("answered", profile.outcomes.get("answered", ())),
                                ("abandoned", profile.outcomes.get("abandoned", ())),
                                ("offered", profile.outcomes.get("offered", ())))
             for v in vs}
    listed = ", ".join(list(known) + list(profile.not_contact))
    empty = first_bad(codes < 0, None)
    if empty is not None:
        raise source.error(empty, column, f"is empty; expected an outcome, one of {listed}")
    classes = np.empty(len(values), dtype=np.int8)
    reasons: list[str | None] = []
    for k, value in enumerate(values):
        text = _text(value)
        reasons.append(profile.not_contact.get(text))
        if text in profile.not_contact:
            classes[k] = NOT_CONTACT
        elif text in known:
            classes[k] = {"answered": ANSWERED, "abandoned": ABANDONED,
                          "offered": OFFERED}[known[text]]
        else:
            row = first_bad(codes == k, None)
            raise source.error(row, column, f"unknown outcome {shown(text)}; expected one of "
                               f"{listed} (list it under outcomes: in the profile)")
    cls = classes[codes]
    for k, reason in enumerate(reasons):
        if reason is not None:
            excluded[reason] += int((codes == k).sum())
    for rule in profile.not_contact_when:
        match = _rule_match(table[cols[f"rule:{rule.column}"]], rule.values) & (cls != NOT_CONTACT)
        if rule.outcomes:
            wanted = [k for k, v in enumerate(values) if _text(v) in rule.outcomes]
            match &= np.isin(codes, wanted)
        excluded[rule.reason] += int(match.sum())
        cls = np.where(match, NOT_CONTACT, cls)
    return cls, excluded


def arrival_seconds(table: pa.Table, cols: dict[str, str], profile: Profile, source: Source,
                    mask: np.ndarray, notes: list[str]) -> np.ndarray:
    """Local epoch seconds of each row's start (date + time, or one date-time column)."""
    spec = profile.start
    if spec.column:
        return parse_datetime(table[cols["start"]], spec.format, cols["start"], source, mask,
                              profile.timezone, notes)
    days = parse_date(table[cols["date"]], spec.date_format, cols["date"], source, mask)
    times = parse_time_of_day(table[cols["time"]], spec.time_format, cols["time"], source,
                              mask)
    return np.where((days == NAT) | (times == NAT), NAT, days + times)


def queue_codes(table: pa.Table, cols: dict[str, str], profile: Profile, source: Source,
                used: np.ndarray, notes: list[str]) -> tuple[np.ndarray, list[str], dict]:
    """Output queue code per row (-1 outside `used`), queue names, channel per queue.

    A queue seen on more than one channel becomes one queue per channel,
    named `queue (channel)`.
    """
    column = cols["queue"]
    codes, values = codes_of(table[column])
    i = first_bad(codes < 0, used)
    if i is not None:
        raise source.error(i, column, "is empty; expected a queue name")
    # Only when the column has many values at all (an upper bound, no sort) are those in
    # used rows counted; names are built after the check.
    distinct = (int(np.unique(codes[used & (codes >= 0)]).size)
                if len(values) > MAX_QUEUES else 0)
    if distinct > MAX_QUEUES:
        # Most likely the profile points at a customer or contact id column; stop before
        # its values become queue names in the history (and the workspace).
        raise source.error(None, column, f"holds {distinct:,} different values; expected "
                           f"at most {MAX_QUEUES:,} queues -- does the profile's queue "
                           "column hold queue names?")
    names = [_text(v) for v in values]
    if "channel" in cols:
        ch_codes, ch_values = codes_of(table[cols["channel"]])
        i = first_bad(ch_codes < 0, used)
        if i is not None:
            raise source.error(i, cols["channel"], "is empty; expected a channel")
        pair = np.where(used, codes * len(ch_values) + ch_codes, -1)
        pairs = np.unique(pair[pair >= 0])
        qs, cs = pairs // len(ch_values), pairs % len(ch_values)
        shown_channels = [_channel(v, profile) for v in ch_values]
        for c in np.unique(cs).tolist():
            if shown_channels[c] is None:
                raise source.error(first_bad(used & (ch_codes == c), None), cols["channel"],
                                   f"unknown channel {shown(_text(ch_values[c]))}; expected "
                                   f"one of {', '.join(profile.channel_values)}")
        per_queue = Counter(q for q, _ in {(names[q], shown_channels[c])
                                           for q, c in zip(qs, cs, strict=True)})
        labels = [names[q] if per_queue[names[q]] == 1 else f"{names[q]} ({shown_channels[c]})"
                  for q, c in zip(qs, cs, strict=True)]
        channels = {lab: shown_channels[c] for lab, c in zip(labels, cs, strict=True)}
        split = sorted({names[q] for q in qs if per_queue[names[q]] > 1})
        if split:
            notes.append(f"queues on several channels were split per channel: {', '.join(split)}")
        lookup = np.full(len(values) * len(ch_values), -1, dtype=np.int64)
        order = sorted(set(labels))
        for p, lab in zip(pairs, labels, strict=True):
            lookup[p] = order.index(lab)
        return np.where(pair >= 0, lookup[np.maximum(pair, 0)], -1), order, channels
    order = sorted({names[k] for k in np.unique(codes[used & (codes >= 0)])})
    lookup = np.array([order.index(n) if n in order else -1 for n in names] or [-1],
                      dtype=np.int64)
    out = np.where(used & (codes >= 0), lookup[np.maximum(codes, 0)], -1)
    channels = {q: profile.channels.get(q, profile.channel) for q in order}
    return out, order, {q: c for q, c in channels.items() if c}


def _channel(value: object, profile: Profile) -> str | None:
    """The channel a value of the channel column stands for: as the profile's
    `channel_values` say (None for a value they do not list), else the value itself."""
    text = _text(value)
    if not profile.channel_values:
        return text
    return profile.channel_values.get(text)


def tally_contacts(table: pa.Table, cols: dict[str, str], profile: Profile, source: Source,
                   step: int, notes: list[str],
                   progress: Callable[[float], None] = lambda f: None) -> tuple[Tally, Counter]:
    """Sum a contact log per queue and interval; also the excluded rows per reason."""
    cls, excluded = classify(table, cols, profile, source)
    used = cls != NOT_CONTACT
    copies = repeated_records(table, cols, source, used, notes)
    if copies is not None and copies.any():
        excluded["duplicate (same contact id)"] += int(copies.sum())
        used &= ~copies
    if not used.any():
        raise source.error(None, None, f"has no contacts: all {len(cls):,} rows are excluded "
                           f"({', '.join(f'{n:,} {r}' for r, n in excluded.items())})")
    progress(0.45)
    queue, queues, channels = queue_codes(table, cols, profile, source, used, notes)
    starts = arrival_seconds(table, cols, profile, source, used, notes)
    check_dates(starts, cols.get("start") or cols["date"], source, used)
    progress(0.6)
    grid = Grid.covering(starts[used], step)
    keys = queue[used] * grid.slots + grid.slot(starts[used])
    size = len(queues) * grid.slots
    sub = cls[used]
    tally = Tally(queues, grid, sums(keys, size), channels=channels)
    has_outcome = "outcome" in cols
    answered = sub == ANSWERED if has_outcome else np.ones(len(sub), dtype=bool)
    if has_outcome:
        tally.answered = sums(keys[answered], size)
        tally.abandoned = sums(keys[sub == ABANDONED], size)
    unit = DURATION_UNITS[profile.duration_unit]
    if "handle_time" in cols:
        column = cols["handle_time"]
        counted = cls == ANSWERED if has_outcome else used
        handle = parse_duration(table[column], column, source, counted, unit_seconds=unit,
                                decimal=profile.decimal, what="a handle time")
        if has_outcome:
            i = first_bad(np.isnan(handle), counted)
            if i is not None:
                raise source.error(i, column, "is empty; expected the handle time of an "
                                   "answered contact in seconds")
        check_range(handle, column, source, counted & ~np.isnan(handle), what="handle time",
                    maximum=profile.max_handle_seconds)
        handle = handle[used]
        handled = answered & ~np.isnan(handle)
        tally.handle_sum = sums(keys[handled], size, handle[handled])
        tally.handle_n = sums(keys[handled], size)
    progress(0.75)
    if "wait_time" in cols:
        column = cols["wait_time"]
        wait = parse_duration(table[column], column, source, used, unit_seconds=unit,
                              decimal=profile.decimal, what="a wait time")
        i = first_bad(np.isnan(wait), used)
        if i is not None:
            raise source.error(i, column, "is empty; expected the seconds the contact waited")
        check_range(wait, column, source, used, what="wait time",
                    maximum=profile.max_handle_seconds)
        wait = wait[used]
        tally.wait_sum = sums(keys[answered], size, wait[answered])
        tally.wait_n = sums(keys[answered], size)
        within = answered & (wait <= profile.service_level_seconds)
        tally.sl_within = sums(keys[within], size).astype(float)
        tally.sl_base = tally.contacts.astype(float)
    if "agent" in cols:
        tally.agents = _distinct_agents(table[cols["agent"]], used, answered, keys, size,
                                        profile)
    progress(0.9)
    return tally, excluded


def repeated_records(table: pa.Table, cols: dict[str, str], source: Source,
                     used: np.ndarray, notes: list[str]) -> np.ndarray | None:
    """Records repeating an earlier one in every column read, among `used` rows.

    With a `contact_id` column, a repeated id is the same contact: an exact copy is
    returned (to be counted once, with a note naming both lines) and a repeated id
    with other values is refused naming both rows. Without one, identical records
    may be two contacts in the same second (the Anonymous Bank log has a pair): each is
    counted, and a note names how many and the first pair. None when there are none.
    """
    rows = np.flatnonzero(used)
    if rows.size < 2:
        return None
    read = list(dict.fromkeys(cols.values()))
    if _all_distinct(table, read, cols.get("contact_id"), used, rows.size):
        return None
    codes = np.column_stack([codes_of(table[column].take(pa.array(rows)))[0]
                             for column in read])
    if "contact_id" in cols:
        # a record without an id is its own contact: never a copy, never a clash
        ids = codes[:, read.index(cols["contact_id"])]
        blank = ids < 0
        ids[blank] = ids.max(initial=0) + 1 + np.arange(int(blank.sum()))
    _, first, group = np.unique(codes, axis=0, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    copy = np.ones(rows.size, dtype=bool)
    copy[first] = False
    if "contact_id" in cols:
        column = cols["contact_id"]
        _, id_first, id_group = np.unique(ids, return_index=True, return_inverse=True)
        id_group = id_group.reshape(-1)
        clash = np.flatnonzero(~copy & (np.arange(rows.size) != id_first[id_group]))
        if clash.size:
            j = int(clash[0])
            k = int(id_first[id_group[j]])
            value = table[column][int(rows[j])].as_py()
            raise source.error(int(rows[j]), column, f"contact id {shown(_text(value))} is also "
                               f"on {source.row(int(rows[k]))} with other values; expected one "
                               "record per contact")
    if not copy.any():
        return None
    j = int(np.flatnonzero(copy)[0])
    pair = f"{source.row(int(rows[j]))} repeats {source.row(int(rows[first[group[j]]]))}"
    n = int(copy.sum())
    if "contact_id" in cols:
        notes.append(f"{n:,} record{'s are exact copies' if n != 1 else ' is an exact copy'} of "
                     f"an earlier one with the same contact id (first: {pair}); each contact "
                     "was counted once")
        out = np.zeros(len(used), dtype=bool)
        out[rows[copy]] = True
        return out
    notes.append(f"{n:,} record{'s are' if n != 1 else ' is'} identical to an earlier one in "
                 f"every column read (first: {pair}); each was counted as a contact (two "
                 "contacts can share a second); if the export was duplicated, remove the "
                 "copies, or name a contact id column (columns: contact_id:) to count them once")
    return None


def _all_distinct(table: pa.Table, read: list[str], id_column: str | None,
                  used: np.ndarray, n: int) -> bool:
    """Whether the used records are all different (hashing in Arrow; the usual case)."""
    sub = table.select(read)
    if not used.all():
        sub = sub.filter(pa.array(used))
    if id_column is not None:
        return pc.count_distinct(sub[id_column], mode="all").as_py() == n
    return sub.group_by(read).aggregate([]).num_rows == n


def _distinct_agents(arr, used: np.ndarray, answered: np.ndarray, keys: np.ndarray,
                     size: int, profile: Profile) -> np.ndarray:
    codes, values = codes_of(arr)
    codes = codes[used]
    skip = [k for k, v in enumerate(values) if _text(v) in profile.no_agent]
    served = answered & (codes >= 0) & ~np.isin(codes, skip)
    pairs = np.sort(keys[served] * max(len(values), 1) + codes[served])
    pairs = pairs[np.r_[True, np.diff(pairs) != 0]] if pairs.size else pairs
    return sums(pairs // max(len(values), 1), size).astype(float)
