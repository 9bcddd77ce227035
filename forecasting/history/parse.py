"""Vectorised parsing of export columns (times, durations, counts) with located errors.

Every function takes an Arrow array read from the file, a `Source` (to name the
file and row in errors) and a `mask` of the rows that matter: values in other
rows (say, phantom calls) are not checked. Errors name the first bad row.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from forecasting.history.errors import shown, shown_number
from forecasting.history.read import Source

NAT = np.iinfo(np.int64).min
DATETIME_FORMATS = (
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M",
    "%Y%m%d %H:%M:%S", "%Y%m%d %H:%M", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M",
)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d", "%Y年%m月%d日")
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")
NUMBER = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$"
CLOCK = r"^\s*\d+:\d{1,2}(:\d{1,2}(\.\d+)?)?\s*$"
OFFSET = r"(Z|[+-]\d{2}:?\d{2})\s*$"


def first_bad(bad: np.ndarray, mask: np.ndarray | None) -> int | None:
    """Index of the first True in `bad` among the rows in `mask`, or None."""
    if mask is not None:
        bad = bad & mask
    hits = np.flatnonzero(bad)
    return int(hits[0]) if hits.size else None


def _nulls(arr: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)


def _example(fmt: str) -> str:
    return datetime(2026, 3, 2, 8, 30, 0).strftime(fmt)


def _require(arr, column: str, source: Source, mask, what: str) -> None:
    i = first_bad(_nulls(arr), mask)
    if i is not None:
        raise source.error(i, column, f"is empty; expected {what}")


def _strptime(arr, fmt: str) -> pa.Array:
    return pc.strptime(arr, format=fmt, unit="s", error_is_null=True)


def _to_seconds(ts) -> np.ndarray:
    """Epoch seconds of a naive Arrow timestamp array (nulls become NAT)."""
    ts = pc.cast(ts, pa.timestamp("s"), safe=False)
    return ts.cast(pa.int64()).fill_null(NAT).to_numpy(zero_copy_only=False).astype(np.int64)


def _parse_auto(arr, fmt: str | None, candidates: tuple[str, ...], parse,
                mask: np.ndarray | None) -> tuple[np.ndarray, str]:
    """Epoch seconds using `fmt`, or each candidate format in turn (best on a sample first).

    Returns the seconds (NAT where nothing parsed) and the expected format for messages.
    """
    if fmt is not None:
        return _to_seconds(parse(arr, fmt)), f"the format {fmt} (e.g. {_example(fmt)})"
    values = arr.filter(pa.array(mask)) if mask is not None else arr
    sample = values.drop_null().slice(0, 200)
    scores = sorted(((-int(parse(sample, c).is_valid().to_numpy(zero_copy_only=False).sum()),
                      k, c) for k, c in enumerate(candidates)))
    order = [c for _, _, c in scores]
    seconds = _to_seconds(parse(arr, order[0]))
    present = ~_nulls(arr)
    for candidate in order[1:]:
        missing = (seconds == NAT) & present
        if mask is not None:
            missing &= mask
        if not missing.any():
            break
        more = _to_seconds(parse(arr, candidate))
        seconds = np.where(missing & (more != NAT), more, seconds)
    examples = [_example(c) if c != "iso" else "2026-03-02 08:30:00" for c in candidates[:4]]
    return seconds, f"a value like {', '.join(examples)} (for other layouts set the format in " \
        "the import profile, e.g. \"%d/%m/%Y\")"


def parse_datetime(arr, fmt: str | None, column: str, source: Source, mask: np.ndarray | None,
                   timezone: str | None, notes: list[str]) -> np.ndarray:
    """Local wall-clock epoch seconds of a date-time column (NAT outside `mask`)."""
    _require(arr, column, source, mask, "a date and time")
    if pa.types.is_timestamp(arr.type):
        return _to_seconds(_local(arr, timezone, notes, column))
    if pa.types.is_date(arr.type):
        return _to_seconds(pc.cast(arr, pa.timestamp("s")))
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        raise source.error(None, column, f"holds {arr.type} values; expected date-times")
    def parse(a, f):
        return _parse_iso(a, timezone, notes, probe=a is not arr) if f == "iso" \
            else _strptime(a, f)

    seconds, expected = _parse_auto(arr, fmt, ("iso",) + DATETIME_FORMATS, parse, mask)
    i = first_bad(seconds == NAT, mask)
    if i is not None:
        raise source.error(i, column, f"cannot read {shown(arr[i].as_py())} as a date-time; "
                           f"expected {expected}")
    return seconds


def _local(ts, timezone: str | None, notes: list[str], column: str):
    if ts.type.tz is None:
        return ts
    if timezone:
        return pc.local_timestamp(pc.cast(ts, pa.timestamp(ts.type.unit, tz=timezone)))
    notes.append(f"{column}: times carry a time zone; used them as UTC clock times "
                 "(set timezone: in the profile to convert)")
    return pc.cast(ts, pa.timestamp(ts.type.unit))


def _parse_iso(arr, timezone: str | None, notes: list[str], probe: bool = False):
    has_offset = pc.any(pc.match_substring_regex(arr, OFFSET)).as_py()
    if has_offset and timezone:
        arr = pc.if_else(pc.match_substring_regex(arr, OFFSET), arr,
                         pc.binary_join_element_wise(arr, "Z", ""))
        parsed = _cast_each(arr, pa.timestamp("us", tz="UTC"))
        return pc.local_timestamp(pc.cast(parsed, pa.timestamp("us", tz=timezone)))
    if has_offset:
        if not probe:
            notes.append("times carry a UTC offset; used the clock time as written (set "
                         "timezone: in the profile to convert)")
        arr = pc.replace_substring_regex(arr, OFFSET, "")
    return _cast_each(arr, pa.timestamp("us"))


def _cast_each(arr, target):
    """Cast strings to `target`, leaving nulls where a value does not parse."""
    try:
        return pc.cast(arr, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    if len(arr) <= 64:
        out = []
        for value in arr:
            try:
                out.append(pc.cast(pa.array([value.as_py()], pa.string()), target)[0].as_py())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                out.append(None)
        return pa.array(out, target)
    mid = len(arr) // 2
    return pa.concat_arrays([_chunk(_cast_each(arr.slice(0, mid), target)),
                             _chunk(_cast_each(arr.slice(mid), target))])


def _chunk(arr) -> pa.Array:
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def parse_date(arr, fmt: str | None, column: str, source: Source,
               mask: np.ndarray | None) -> np.ndarray:
    """Epoch seconds of the midnight starting each date."""
    _require(arr, column, source, mask, "a date")
    if pa.types.is_timestamp(arr.type):
        seconds = _to_seconds(pc.cast(arr, pa.timestamp("s", tz=arr.type.tz), safe=False))
        return seconds - seconds % 86400
    if pa.types.is_date(arr.type):
        return _to_seconds(pc.cast(arr, pa.timestamp("s")))
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        raise source.error(None, column, f"holds {arr.type} values; expected dates")
    seconds, expected = _parse_auto(arr, fmt, DATE_FORMATS, _strptime, mask)
    i = first_bad(seconds == NAT, mask)
    if i is not None:
        raise source.error(i, column, f"cannot read {shown(arr[i].as_py())} as a date; expected "
                           f"{expected}")
    return seconds


def parse_time_of_day(arr, fmt: str | None, column: str, source: Source,
                      mask: np.ndarray | None) -> np.ndarray:
    """Seconds after midnight of a time-of-day column."""
    _require(arr, column, source, mask, "a time of day")
    if pa.types.is_time(arr.type) or pa.types.is_duration(arr.type):
        unit = arr.type.unit
        raw = pc.cast(arr, pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
        return raw // {"s": 1, "ms": 1000, "us": 10**6, "ns": 10**9}[unit]
    if pa.types.is_timestamp(arr.type):
        seconds = _to_seconds(pc.cast(arr, pa.timestamp("s"), safe=False))
        return seconds % 86400
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        raise source.error(None, column, f"holds {arr.type} values; expected times of day")
    seconds, expected = _parse_auto(arr, fmt, TIME_FORMATS, _strptime, mask)
    i = first_bad(seconds == NAT, mask)
    if i is not None:
        raise source.error(i, column, f"cannot read {shown(arr[i].as_py())} as a time of day; "
                           f"expected {expected}")
    return np.where(seconds == NAT, NAT, seconds % 86400)


def parse_duration(arr, column: str, source: Source, mask: np.ndarray | None, *,
                   unit_seconds: float = 1.0, decimal: str = ".",
                   what: str = "a duration") -> np.ndarray:
    """Seconds (float, NaN where empty) from numbers in `unit_seconds` or H:MM:SS / M:SS."""
    if pa.types.is_duration(arr.type) or pa.types.is_time(arr.type):
        scale = {"s": 1, "ms": 1e3, "us": 1e6, "ns": 1e9}[arr.type.unit]
        return _floats(pc.cast(arr, pa.int64())) / scale
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        return _floats(arr) * unit_seconds
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        raise source.error(None, column, f"holds {arr.type} values; expected {what}")
    text = pc.replace_substring(arr, ",", ".") if decimal == "," else arr
    try:
        return _floats(pc.cast(text, pa.float64())) * unit_seconds
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    text = pc.utf8_trim_whitespace(text)
    is_number = _flag(pc.match_substring_regex(text, NUMBER))
    is_clock = _flag(pc.match_substring_regex(text, CLOCK))
    i = first_bad(~_nulls(text) & ~is_number & ~is_clock, mask)
    if i is not None:
        raise source.error(i, column, f"cannot read {shown(arr[i].as_py())} as {what}; expected "
                           "seconds (a number) or H:MM:SS")
    out = np.full(len(text), np.nan)
    numbers = pc.if_else(pa.array(is_number), text, None)
    out[is_number] = (_floats(pc.cast(numbers, pa.float64())) * unit_seconds)[is_number]
    if is_clock.any():
        parts = pc.split_pattern(pc.if_else(pa.array(is_clock), text, None), ":")
        lengths = pc.list_value_length(parts).fill_null(0).to_numpy(zero_copy_only=False)
        flat = _floats(pc.list_flatten(parts))
        rows = np.repeat(np.arange(len(text)), lengths)
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        power = lengths[rows] - 1 - (np.arange(flat.size) - starts)
        total = np.bincount(rows, flat * 60.0 ** power, minlength=len(text))
        out[is_clock] = total[is_clock]
    return out


def parse_count(arr, column: str, source: Source, mask: np.ndarray | None, *,
                decimal: str = ".", what: str = "a count of contacts") -> np.ndarray:
    """Non-negative numbers (float, NaN where empty); errors name the bad row."""
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        out = _floats(arr)
    elif pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        text = pc.utf8_trim_whitespace(arr)
        if decimal == ",":
            text = pc.replace_substring(text, ",", ".")
        ok = _flag(pc.match_substring_regex(text, NUMBER)) | _nulls(text)
        i = first_bad(~ok, mask)
        if i is not None:
            raise source.error(i, column, f"cannot read {shown(arr[i].as_py())} as {what}; "
                               "expected a number")
        out = _floats(pc.cast(pc.if_else(pa.array(ok), text, None), pa.float64()))
    else:
        raise source.error(None, column, f"holds {arr.type} values; expected {what}")
    i = first_bad(out < 0, mask)
    if i is not None:
        raise source.error(i, column, f"is negative ({shown_number(out[i])}); expected {what} >= 0")
    return out


def _floats(arr) -> np.ndarray:
    return np.asarray(pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)


def _flag(arr) -> np.ndarray:
    return np.asarray(arr.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def check_range(values: np.ndarray, column: str, source: Source, mask: np.ndarray | None, *,
                what: str, maximum: float) -> None:
    """Raise on the first negative or absurd (> maximum seconds) value among `mask`."""
    i = first_bad(values < 0, mask)
    if i is not None:
        raise source.error(i, column, f"{what} is negative ({shown_number(values[i])} s); expected "
                           "seconds >= 0")
    i = first_bad(values > maximum, mask)
    if i is not None:
        raise source.error(i, column, f"{what} of {shown_number(values[i])} s is more than "
                           f"{maximum / 3600:g} hours; expected seconds (check the unit: "
                           "set duration_unit: in the profile)")

