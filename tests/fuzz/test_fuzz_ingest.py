"""Bad inputs to `wfm ingest`, one test per kind: each refused with exit 2 naming the file,
row and column (or the profile's field), or accepted with a note on stderr naming the rows
and saying what was assumed, never with wrong totals."""

from __future__ import annotations

import pandas as pd
import pytest
from fuzzkit import history_frame, refused, run_wfm

TOTAL = int(history_frame()["contacts"].sum())

LOG_HEADER = "contact_id,start_time,queue,handle_seconds,wait_seconds,outcome,transcript\n"
LOG_ROWS = [
    "c1,2026-03-02 08:01:10,hotline,200,5,answered,hello",
    "c2,2026-03-02 08:03:10,hotline,100,50,abandoned,",
    "c3,2026-03-02 08:31:10,hotline,300,5,answered,thanks",
    "c4,2026-03-02 09:01:10,hotline,250,8,answered,bye",
]


def _ingest(capsys, inputs, path, *options, names: tuple[str, ...]):
    return refused(capsys, "ingest", path, "-o", inputs.folder / "out.csv", *options,
                   names=names)


def _accepted(capsys, inputs, path, *options):
    out = inputs.folder / "out.csv"
    result = run_wfm(capsys, "ingest", path, "-o", out, *options)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return result, pd.read_csv(out)


def _history_with(inputs, name: str, change) -> object:
    frame = history_frame()
    frame["interval_start"] = frame["interval_start"].astype(object)
    frame = change(frame)
    return inputs.write_frame(name, frame)


def _set(row: int, column: str, value):
    def change(frame):
        frame.loc[row, column] = value
        return frame
    return change


def _log(inputs, name: str, rows: list[str], header: str = LOG_HEADER):
    return inputs.write(name, header + "\n".join(rows) + "\n")


# -- the interval grid ---------------------------------------------------------------

def test_stray_row_at_07_in_a_30_minute_file(capsys, inputs):
    path = _history_with(inputs, "stray.csv",
                         _set(5, "interval_start", pd.Timestamp("2026-09-21 10:37")))
    _ingest(capsys, inputs, path, names=("stray.csv", "line 7", "interval_start", "10:37",
                                         "30-minute"))


def test_extra_row_at_15_in_a_30_minute_file(capsys, inputs):
    def change(frame):
        extra = {"queue": "hotline", "interval_start": pd.Timestamp("2026-09-22 08:15"),
                 "contacts": 3, "aht_seconds": 200.0}
        return pd.concat([frame, pd.DataFrame([extra])], ignore_index=True)
    path = _history_with(inputs, "extra.csv", change)
    _ingest(capsys, inputs, path, names=("extra.csv", "line 842", "interval_start", "08:15"))


def test_shuffled_rows_are_valid(capsys, inputs):
    path = _history_with(inputs, "shuffled.csv",
                         lambda f: f.sample(frac=1, random_state=3).reset_index(drop=True))
    _result, out = _accepted(capsys, inputs, path)
    assert out["contacts"].sum() == TOTAL
    assert len(out) == 35 * 48  # still 30-minute intervals


# -- dates out of bounds -------------------------------------------------------------

def test_row_dated_1970(capsys, inputs):
    path = _history_with(inputs, "old.csv", _set(0, "interval_start", "1970-01-01 08:00:00"))
    _ingest(capsys, inputs, path, names=("old.csv", "line 2", "interval_start", "1970-01-01"))


def test_row_dated_2099(capsys, inputs):
    path = _history_with(inputs, "late.csv", _set(3, "interval_start", "2099-01-01 08:00:00"))
    _ingest(capsys, inputs, path, names=("late.csv", "line 5", "interval_start", "2099-01-01"))


def test_rows_dated_1970_and_2099(capsys, inputs):
    def change(frame):
        frame.loc[0, "interval_start"] = "1970-01-01 08:00:00"
        frame.loc[1, "interval_start"] = "2099-01-01 08:00:00"
        return frame
    path = _history_with(inputs, "both.csv", change)
    _ingest(capsys, inputs, path, names=("both.csv", "line 2", "line 3", "interval_start"))


def test_whole_history_before_1990(capsys, inputs):
    path = _history_with(inputs, "eighties.csv", lambda f: f.assign(
        interval_start=pd.to_datetime(f["interval_start"]) - pd.DateOffset(years=40)))
    _ingest(capsys, inputs, path, names=("eighties.csv", "line 2", "interval_start", "1990"))


def test_whole_history_years_ahead(capsys, inputs):
    path = _history_with(inputs, "ahead.csv", lambda f: f.assign(
        interval_start=pd.to_datetime(f["interval_start"]) + pd.DateOffset(years=5)))
    _ingest(capsys, inputs, path, names=("ahead.csv", "line 2", "interval_start", "today"))


def test_history_over_20_years(capsys, inputs):
    def change(frame):
        days = pd.date_range("2005-01-03 08:00", "2026-09-01 08:00", freq="300D")
        early = pd.DataFrame({"queue": "hotline", "interval_start": days, "contacts": 1,
                              "aht_seconds": 200.0})
        return pd.concat([frame, early], ignore_index=True)
    path = _history_with(inputs, "long.csv", change)
    _ingest(capsys, inputs, path, names=("long.csv", "line", "interval_start", "20 years"))


def test_unreadable_date(capsys, inputs):
    path = _history_with(inputs, "words.csv", _set(4, "interval_start", "yesterday"))
    _ingest(capsys, inputs, path, names=("words.csv", "line 6", "interval_start"))


# -- duplicates ----------------------------------------------------------------------

def test_one_row_duplicated(capsys, inputs):
    path = _history_with(inputs, "dup.csv",
                         lambda f: pd.concat([f, f.iloc[[7]]], ignore_index=True))
    result, out = _accepted(capsys, inputs, path)
    assert out["contacts"].sum() == TOTAL
    assert "line 842 repeats line 9" in result.err and "counted once" in result.err


def test_every_row_duplicated(capsys, inputs):
    path = _history_with(inputs, "twice.csv", lambda f: pd.concat([f, f], ignore_index=True))
    result, out = _accepted(capsys, inputs, path)
    assert out["contacts"].sum() == TOTAL
    assert "840 rows are exact copies" in result.err and "twice.csv" in result.err


def test_queue_interval_split_over_two_rows(capsys, inputs):
    def change(frame):
        extra = frame.iloc[[7]].assign(contacts=4)
        return pd.concat([frame, extra], ignore_index=True)
    path = _history_with(inputs, "split.csv", change)
    result, out = _accepted(capsys, inputs, path)
    assert out["contacts"].sum() == TOTAL + 4
    assert "line 842 and line 9" in result.err and "added together" in result.err


def test_contact_record_copied(capsys, inputs):
    path = _log(inputs, "log.csv", LOG_ROWS + [LOG_ROWS[0]])
    result, out = _accepted(capsys, inputs, path)
    assert out["contacts"].sum() == 4
    assert "line 6 repeats line 2" in result.err and "counted once" in result.err


def test_contact_id_repeated_with_other_values(capsys, inputs):
    path = _log(inputs, "log.csv", LOG_ROWS + [LOG_ROWS[0].replace(",200,", ",999,")])
    _ingest(capsys, inputs, path, names=("log.csv", "line 6", "line 2", "contact_id"))


def test_identical_records_without_contact_id(capsys, inputs):
    """Accepted: two contacts may share a second, so both count, and the note says so."""
    rows = [r.split(",", 1)[1] for r in LOG_ROWS]
    path = _log(inputs, "noid.csv", rows + [rows[0]], header=LOG_HEADER.split(",", 1)[1])
    result, out = _accepted(capsys, inputs, path)
    assert out["contacts"].sum() == 5
    assert "line 6 repeats line 2" in result.err and "each was counted" in result.err


# -- answered and abandoned against offered ------------------------------------------

def test_answered_more_than_offered(capsys, inputs):
    def change(frame):
        frame["answered"] = frame["contacts"]
        frame.loc[9, "answered"] = frame.loc[9, "contacts"] + 5
        return frame
    path = _history_with(inputs, "answered.csv", change)
    _ingest(capsys, inputs, path, names=("answered.csv", "line 11", "answered", "contacts"))


def test_answered_and_abandoned_more_than_offered(capsys, inputs):
    def change(frame):
        frame["answered"] = frame["contacts"] - 2
        frame["abandoned"] = 2
        frame.loc[12, "abandoned"] = 3
        return frame
    path = _history_with(inputs, "abandoned.csv", change)
    _ingest(capsys, inputs, path, names=("abandoned.csv", "line 14", "answered", "abandoned",
                                         "contacts"))


def test_abandoned_more_than_offered(capsys, inputs):
    def change(frame):
        frame["abandoned"] = 0
        frame.loc[20, "abandoned"] = 1000
        return frame
    path = _history_with(inputs, "abandoned.csv", change)
    _ingest(capsys, inputs, path, names=("abandoned.csv", "line 22", "abandoned", "contacts"))


# -- absurd and missing values -------------------------------------------------------

def test_empty_answered_cell(capsys, inputs):
    """Accepted: an empty answered cell reads as 0, and the note names the column and line."""
    def change(frame):
        frame["answered"] = frame["contacts"].astype(object)
        frame.loc[3, "answered"] = None
        return frame
    path = _history_with(inputs, "blank.csv", change)
    result, out = _accepted(capsys, inputs, path)
    assert out["contacts"].sum() == TOTAL
    assert out["answered"].sum() == TOTAL - history_frame().loc[3, "contacts"]
    assert "1 empty cell in column 'answered' (first: line 5) read as 0" in result.err


def test_a_billion_contacts_in_a_row(capsys, inputs):
    path = _history_with(inputs, "huge.csv", _set(3, "contacts", 1e9))
    _ingest(capsys, inputs, path, names=("huge.csv", "line 5", "contacts", "100,000"))


def test_empty_contacts_cell(capsys, inputs):
    path = _history_with(inputs, "empty.csv", _set(3, "contacts", None))
    _ingest(capsys, inputs, path, names=("empty.csv", "line 5", "contacts"))


def test_garbage_text_in_contacts(capsys, inputs):
    def change(frame):
        frame["contacts"] = frame["contacts"].astype(object)
        frame.loc[6, "contacts"] = "lots"
        return frame
    path = _history_with(inputs, "garbage.csv", change)
    _ingest(capsys, inputs, path, names=("garbage.csv", "line 8", "contacts", "lots"))


def test_aht_of_1e12(capsys, inputs):
    path = _history_with(inputs, "aht.csv", _set(6, "aht_seconds", 1e12))
    _ingest(capsys, inputs, path, names=("aht.csv", "line 8", "aht_seconds"))


# -- huge text fields ----------------------------------------------------------------

def test_200_kb_text_in_an_unread_column_of_an_interval_file(capsys, inputs):
    """Accepted: a column the profile does not read may hold any text."""
    def change(frame):
        frame["remarks"] = "ok"
        frame.loc[4, "remarks"] = "y" * 200_000
        return frame
    path = _history_with(inputs, "remarks.csv", change)
    _result, out = _accepted(capsys, inputs, path)
    assert out["contacts"].sum() == TOTAL


def test_200_kb_chat_transcript_in_a_contact_log(capsys, inputs):
    """Accepted: a transcript the profile does not read, over csv's 128 KB field limit."""
    rows = list(LOG_ROWS)
    rows[2] = rows[2].replace(",thanks", ',"' + "word " * 40_000 + '"')
    path = _log(inputs, "chat.csv", rows)
    _result, out = _accepted(capsys, inputs, path)
    assert out["contacts"].sum() == 4
    assert out["answered"].sum() == 3


# -- the profile's date formats ------------------------------------------------------

PROFILE = """\
name: fuzz
kind: intervals
start: {{column: interval_start, format: "{fmt}"}}
columns: {{queue: queue, offered: contacts, aht: aht_seconds}}
"""


@pytest.mark.parametrize("fmt", ["%Y-%m-%d %H:%M:%Q", "%Y-%m-%d %H:%M:%S%", "%H:%M"])
def test_bad_strptime_format_in_the_profile(capsys, inputs, fmt):
    profile = inputs.write("profile.yaml", PROFILE.format(fmt=fmt))
    result = _ingest(capsys, inputs, inputs.history, "--profile", profile,
                     names=("profile.yaml", "start.format", fmt))
    assert "line 2" not in result.err


def test_bad_date_format_in_a_split_start(capsys, inputs):
    profile = inputs.write("profile.yaml", """\
name: fuzz
kind: contacts
start: {date: day, date_format: "%d/%q", time: clock}
columns: {queue: queue}
""")
    _ingest(capsys, inputs, inputs.history, "--profile", profile,
            names=("profile.yaml", "start.date_format", "%d/%q"))
