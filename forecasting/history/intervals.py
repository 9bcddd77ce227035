"""Aggregating an interval file (already one row per queue and interval).

Counts are summed into the output intervals; AHT is weighted by handled (or
answered, or offered) contacts, ASA by answered contacts, service level by
offered contacts, agents averaged. The output interval must be a whole
multiple of the file's own: a 30-minute file cannot be split into 15 minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from math import gcd

import numpy as np
import pyarrow as pa

from forecasting.frames import INTERVALS
from forecasting.history.bounds import check_dates
from forecasting.history.contacts import arrival_seconds, queue_codes
from forecasting.history.errors import HistoryError, shown, shown_number
from forecasting.history.parse import check_range, first_bad, parse_count, parse_duration
from forecasting.history.profiles import DURATION_UNITS, Profile
from forecasting.history.read import Source
from forecasting.history.tally import DAY, Grid, Tally, sums

MAX_PER_ROW = 100_000  # contacts or agents in one row of an interval file (README bounds)


def file_step(starts: np.ndarray, source: Source, column: str,
              queue: np.ndarray | None = None) -> int:
    """The file's own interval in seconds.

    It is the most common spacing between consecutive starts of a queue (the length
    the majority of rows follow; the shorter on a tie), and every start must fall on
    its grid from midnight: one stray row at 08:07 (or an extra 08:15) in a 30-minute
    file is refused, naming it, rather than turning the whole history into finer
    intervals with zeros in between. Without such spacing (one row per queue) it is
    the largest step all starts fall on.
    """
    if (starts % 60).any():
        i = first_bad(starts % 60 != 0, None)
        raise source.error(i, column, "interval starts must fall on whole minutes; expected "
                           "e.g. 08:00, 08:15, 08:30")
    offsets = np.unique(starts % DAY)
    step = DAY
    for offset in offsets.tolist():
        step = gcd(step, int(offset))
    if len(offsets) == 1 and offsets[0]:
        step = gcd(step, 3600)  # one start time a day says little; assume at most an hour
    modal = _modal_spacing(starts, queue)
    if modal is None or modal <= step or DAY % modal:
        return step
    off = starts % modal != 0
    i = first_bad(off, None)
    clock = int(starts[i] % DAY)
    grid = ", ".join(f":{m:02d}" for m in range(0, 60, modal // 60)) if modal < 3600 else \
        "the hour" if modal == 3600 else "the day's start"
    raise source.error(i, column, f"starts at {clock // 3600:02d}:{clock % 3600 // 60:02d}, "
                       f"off the file's {modal // 60}-minute intervals ({int(off.sum()):,} of "
                       f"{len(starts):,} rows {'is' if off.sum() == 1 else 'are'} off them; "
                       f"the others start on {grid}); "
                       "expected every row on the same interval grid -- a stray or mistyped "
                       "row? Fix or remove it")


def _modal_spacing(starts: np.ndarray, queue: np.ndarray | None) -> int | None:
    """The most common positive gap between consecutive starts of one queue (seconds)."""
    queue = np.zeros(len(starts), dtype=np.int64) if queue is None else queue
    order = np.lexsort((starts, queue))
    same = np.diff(queue[order]) == 0
    gaps = np.diff(starts[order])[same]
    gaps = gaps[gaps > 0]
    if not gaps.size:
        return None
    values, counts = np.unique(gaps, return_counts=True)
    return int(values[np.argmax(counts)])


def choose_step(requested: str | None, own: int, source: Source) -> int:
    """The output interval (seconds): the requested one, or the finest that fits the file."""
    allowed = [m * 60 for m in INTERVALS.values() if (m * 60) % own == 0]
    what = "daily totals" if own == DAY else f"{own // 60}-minute intervals"
    if requested is None:
        if not allowed:
            raise HistoryError(f"the file has {what}; expected intervals of 60 minutes or "
                               "less (15, 30 or 60-minute history)", file=source.file)
        return allowed[0]
    step = INTERVALS[requested] * 60
    if step % own:
        options = ", ".join(f"{s // 60}min" for s in allowed) or "none"
        raise HistoryError(f"the file has {what}, which cannot be split into {requested}; "
                           f"expected an interval of {options}", file=source.file)
    return step


def tally_intervals(table: pa.Table, cols: dict[str, str], profile: Profile, source: Source,
                    interval: str | None, notes: list[str],
                    progress: Callable[[float], None] = lambda f: None) -> Tally:
    """Sum an interval file per queue and output interval."""
    n = table.num_rows
    everything = np.ones(n, dtype=bool)
    starts = arrival_seconds(table, cols, profile, source, everything, notes)
    queue, queues, channels = queue_codes(table, cols, profile, source, everything, notes)

    def count(role: str, required: bool = False) -> np.ndarray | None:
        if role not in cols:
            return None
        column = cols[role]
        values = parse_count(table[column], column, source, None, decimal=profile.decimal)
        if required:
            i = first_bad(np.isnan(values), None)
            if i is not None:
                raise source.error(i, column, "is empty; expected the number of contacts "
                                   "offered")
        empty = np.isnan(values)
        i = first_bad((values != np.round(values)) & ~empty, None)
        if i is not None:
            raise source.error(i, column, f"is {shown_number(values[i])}; expected a whole number "
                               "of contacts")
        _check_most(values, column, source, "contacts")
        if empty.any():
            first = source.row(int(np.flatnonzero(empty)[0]))
            notes.append(f"{int(empty.sum()):,} empty cell{'s' if empty.sum() != 1 else ''} in "
                         f"column '{column}' (first: {first}) read as 0")
        return np.nan_to_num(values)

    def duration(role: str) -> np.ndarray | None:
        if role not in cols:
            return None
        column = cols[role]
        return parse_duration(table[column], column, source, None,
                              unit_seconds=DURATION_UNITS[profile.duration_unit],
                              decimal=profile.decimal)

    offered = count("offered", required=True)
    answered, handled, abandoned = count("answered"), count("handled"), count("abandoned")
    check_outcomes(offered, answered, abandoned, cols, source)
    total, aht, asa = duration("handle_time_total"), duration("aht"), duration("asa")
    level = None
    if "service_level" in cols:
        column = cols["service_level"]
        level = parse_count(table[column], column, source, None, decimal=profile.decimal,
                            what="a service level")
        if profile.service_level_unit == "percent":
            level = level / 100
        i = first_bad(level > 1, None)
        if i is not None:
            expected = ("a percentage 0-100" if profile.service_level_unit == "percent" else
                        "a share between 0 and 1 (set service_level_unit: percent for 0-100)")
            raise source.error(i, column, f"service level {shown(table[column][i].as_py())} is "
                               f"above 100%; expected {expected}")
    agents = None
    if "agents" in cols:
        column = cols["agents"]
        agents = parse_count(table[column], column, source, None, decimal=profile.decimal,
                             what="a number of agents")
        _check_most(agents, column, source, "agents")
    progress(0.5)
    check_dates(starts, cols.get("start") or cols["date"], source, None)
    start_column = cols.get("start") or cols["time"]
    step = choose_step(interval, file_step(starts, source, start_column, queue), source)
    figures = [a for a in (offered, answered, handled, abandoned, total, aht, asa, level, agents)
               if a is not None]
    keep = repeated_rows(queue, starts, figures, source, notes)
    grid = Grid.covering(starts, step)
    keys = queue * grid.slots + grid.slot(starts)
    size = len(queues) * grid.slots
    tally = Tally(queues, grid, sums(keys[keep], size, offered[keep]).round().astype(np.int64),
                  channels=channels)
    if not keep.all():
        tally.excluded = {"duplicate row (exact copy)": int((~keep).sum())}
    if answered is None and handled is not None:
        answered = handled
    if answered is not None:
        tally.answered = sums(keys[keep], size, answered[keep]).round().astype(np.int64)
    if abandoned is not None:
        tally.abandoned = sums(keys[keep], size, abandoned[keep]).round().astype(np.int64)
    progress(0.7)
    base = handled if handled is not None else answered if answered is not None else offered
    if total is None and aht is not None:
        check_range(aht, cols["aht"], source, ~np.isnan(aht), what="AHT",
                    maximum=profile.max_handle_seconds)
        total = aht * base
    if total is not None:
        known = ~np.isnan(total)
        column = cols.get("handle_time_total") or cols["aht"]
        check_range(total, column, source, known, what="handle time", maximum=np.inf)
        per_contact = np.divide(total, base, out=np.zeros(n), where=base > 0)
        check_range(per_contact, column, source, known, what="average handle time",
                    maximum=profile.max_handle_seconds)
        known &= keep
        tally.handle_sum = sums(keys[known], size, total[known])
        tally.handle_n = sums(keys[known], size, base[known])
    if asa is not None:
        known = ~np.isnan(asa)
        check_range(asa, cols["asa"], source, known, what="ASA",
                    maximum=profile.max_handle_seconds)
        known &= keep
        weight = answered if answered is not None else base
        tally.wait_sum = sums(keys[known], size, (asa * weight)[known])
        tally.wait_n = sums(keys[known], size, weight[known])
    if level is not None:
        known = ~np.isnan(level) & keep
        tally.sl_within = sums(keys[known], size, (level * offered)[known])
        tally.sl_base = sums(keys[known], size, offered[known])
    if agents is not None:
        known = ~np.isnan(agents) & keep
        mean = np.full(size, np.nan)
        rows = sums(keys[known], size)
        np.divide(sums(keys[known], size, agents[known]), rows, out=mean, where=rows > 0)
        tally.agents = mean
    progress(0.9)
    return tally


def _check_most(values: np.ndarray, column: str, source: Source, what: str) -> None:
    i = first_bad(values > MAX_PER_ROW, None)
    if i is not None:
        raise source.error(i, column, f"{shown_number(values[i])} {what} in one row is more "
                           f"than {MAX_PER_ROW:,}; expected a number from 0 to {MAX_PER_ROW:,} "
                           "(check the column and its unit)")


def check_outcomes(offered: np.ndarray, answered: np.ndarray | None,
                   abandoned: np.ndarray | None, cols: dict[str, str], source: Source) -> None:
    """Refuse a row answering or abandoning more contacts than it was offered."""
    for part in (answered, abandoned):
        if part is None:
            continue
        column = cols["answered" if part is answered else "abandoned"]
        i = first_bad(part > offered, None)
        if i is not None:
            raise source.error(i, column, f"{shown_number(part[i])} is more than the "
                               f"{shown_number(offered[i])} offered (column "
                               f"'{cols['offered']}'); expected at most the contacts offered")
    if answered is not None and abandoned is not None:
        i = first_bad(answered + abandoned > offered, None)
        if i is not None:
            raise source.error(i, cols["answered"], f"{shown_number(answered[i])} answered + "
                               f"{shown_number(abandoned[i])} abandoned (column "
                               f"'{cols['abandoned']}') is more than the "
                               f"{shown_number(offered[i])} offered (column "
                               f"'{cols['offered']}'); expected at most the contacts offered")


def repeated_rows(queue: np.ndarray, starts: np.ndarray, figures: list[np.ndarray],
                  source: Source, notes: list[str]) -> np.ndarray:
    """The rows to count, and a note on rows repeating a queue and interval start.

    When every such row is an exact copy of an earlier one (same figures too), the
    export was duplicated: each copy is counted once. When some repeat with other
    figures, the file splits a queue's interval over several rows (by a column not
    read): all of them are added together. Either way the note names the first pair.
    """
    n = len(starts)
    keep = np.ones(n, dtype=bool)
    _, first_of_key, key_group = np.unique(np.stack([queue, starts]), axis=1,
                                           return_index=True, return_inverse=True)
    repeats = n - first_of_key.size
    if not repeats:
        return keep
    key_group = key_group.reshape(-1)
    rows = np.column_stack([queue, starts] + [np.nan_to_num(f, nan=-1.0) for f in figures])
    _, first_of_row, row_group = np.unique(rows, axis=0, return_index=True,
                                           return_inverse=True)
    row_group = row_group.reshape(-1)
    copies = n - first_of_row.size
    if copies == repeats:
        keep[:] = False
        keep[first_of_row] = True
        j = int(np.flatnonzero(~keep)[0])
        first = int(first_of_row[row_group[j]])
        notes.append(f"{copies:,} row{'s are exact copies' if copies != 1 else ' is an exact copy'}"
                     f" of an earlier row (same queue, interval start and figures; first: "
                     f"{source.row(j)} repeats {source.row(first)}); each was counted once")
        return keep
    later = np.ones(n, dtype=bool)
    later[first_of_key] = False
    j = int(np.flatnonzero(later)[0])
    first = int(first_of_key[key_group[j]])
    notes.append(f"{repeats:,} row{'s repeat' if repeats != 1 else ' repeats'} the queue and "
                 f"interval start of another row with other figures (first: {source.row(j)} and "
                 f"{source.row(first)}); their figures were added together, as for a queue "
                 "split over several rows")
    return keep
