"""Property-based test of `wfm ingest` (hypothesis): random corruptions of a small valid
interval file -- deleted cells, garbage text, shuffled rows, duplicated rows, huge or
negative numbers, bad dates -- never produce a traceback or a hang. Either the import is
refused with exit 2 and a message naming the file and the row or column, or it succeeds
and its contact totals are those of the file's rows (a copied row counted once; rows
splitting a queue's interval added, as the note then says).

Examples are small (96 rows), derandomized (the same examples on every run, so CI is
repeatable) and bounded by a generous per-example deadline that only catches a hang.
"""

from __future__ import annotations

import re
import string
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.cli import main

COLUMNS = ("queue", "interval_start", "contacts", "aht_seconds", "answered", "abandoned")


def valid_frame() -> pd.DataFrame:
    """Two queues, one day of 30-minute intervals, as text cells (what a CSV holds)."""
    starts = pd.date_range("2026-09-21 00:00", periods=48, freq="30min")
    rows = []
    for q, queue in enumerate(("hotline", "chat")):
        for i, t in enumerate(starts):
            contacts = (i * 7 + q * 3) % 23
            abandoned = contacts // 5
            rows.append({"queue": queue, "interval_start": f"{t:%Y-%m-%d %H:%M:%S}",
                         "contacts": str(contacts), "aht_seconds": f"{180 + i * 3:.1f}",
                         "answered": str(contacts - abandoned), "abandoned": str(abandoned)})
    return pd.DataFrame(rows, columns=list(COLUMNS))


VALID = valid_frame()
ROWS = len(VALID)

garbage = st.text(alphabet=string.ascii_letters + string.punctuation + " 中文",
                  min_size=1, max_size=12).filter(
    lambda s: any(c.isalpha() for c in s) and s.strip() and "," not in s and '"' not in s)
bad_dates = st.sampled_from([
    "1970-01-01 08:00:00", "2099-01-01 08:00:00", "2026-02-30 08:00:00", "2026-09-21 08:07:00",
    "2026-09-21 25:00:00", "21/09/2026 08:00", "2026-09-22 08:15:00", "0000-00-00 00:00:00",
    "2026-09-21 09:00:00", "2026-10-05 10:30:00", "1999-12-31 23:30:00"])
huge = st.sampled_from(["1e9", "1000000000000", "1e300", "inf", "-inf", "nan", "-5", "-0.5",
                        "2.5", "99999999999999999999999"])

cell = st.tuples(st.integers(0, ROWS - 1), st.sampled_from(COLUMNS))
corruption = st.one_of(
    st.tuples(st.just("delete"), cell),
    st.tuples(st.just("garbage"), cell, garbage),
    st.tuples(st.just("huge"), st.integers(0, ROWS - 1),
              st.sampled_from(("contacts", "aht_seconds", "answered", "abandoned")), huge),
    st.tuples(st.just("date"), st.integers(0, ROWS - 1), bad_dates),
    st.tuples(st.just("shuffle"), st.integers(0, 2**16)),
    st.tuples(st.just("duplicate"), st.integers(0, ROWS - 1)),
)


def corrupt(frame: pd.DataFrame, ops: list[tuple]) -> pd.DataFrame:
    """The frame with each corruption applied in turn (rows indexed after earlier ones)."""
    out = frame.copy()
    for op in ops:
        kind = op[0]
        if kind == "delete":
            (row, column) = op[1]
            out.iloc[row % len(out), out.columns.get_loc(column)] = ""
        elif kind == "garbage":
            (row, column), text = op[1], op[2]
            out.iloc[row % len(out), out.columns.get_loc(column)] = text
        elif kind == "huge":
            out.iloc[op[1] % len(out), out.columns.get_loc(op[2])] = op[3]
        elif kind == "date":
            out.iloc[op[1] % len(out), out.columns.get_loc("interval_start")] = op[2]
        elif kind == "shuffle":
            out = out.sample(frac=1, random_state=op[1]).reset_index(drop=True)
        elif kind == "duplicate":
            out = pd.concat([out, out.iloc[[op[1] % len(out)]]], ignore_index=True)
    return out


def expected_contacts(frame: pd.DataFrame, notes: str) -> int:
    """The contacts of the file's rows: exact copies once, unless the note says rows
    repeating a queue and interval were added together."""
    rows = frame if "added together" in notes else frame.drop_duplicates()
    return int(pd.to_numeric(rows["contacts"]).sum())


def _ingest(frame: pd.DataFrame, path: Path, capsys: pytest.CaptureFixture
            ) -> tuple[int, str, Path, Path]:
    """`wfm ingest` of `frame` written to `path`: (exit status, stderr, path, output).
    Never a traceback; a refusal exits 2 naming the file."""
    path.write_text(frame.to_csv(index=False), encoding="utf-8")
    out = path.with_name("out.csv")
    out.unlink(missing_ok=True)
    capsys.readouterr()
    code = main(["ingest", str(path), "-o", str(out)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "unexpected error" not in err, err
    if code != 0:
        assert code == 2, err
        assert str(path) in err, err
    return code, err, path, out


@settings(max_examples=80, deadline=timedelta(seconds=60), derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(corruption, min_size=1, max_size=3))
def test_corrupted_interval_file(tmp_path: Path, capsys: pytest.CaptureFixture,
                                 ops: list[tuple]) -> None:
    frame = corrupt(VALID, ops)
    code, err, path, out = _ingest(frame, tmp_path / "history.csv", capsys)
    if code != 0:
        assert "line " in err or "column " in err, err
        return
    written = pd.read_csv(out)
    assert written["contacts"].sum() == expected_contacts(frame, err), (ops, err)
    assert (written["contacts"] >= 0).all()
    if "answered" in written:
        assert (written["answered"] <= written["contacts"]).all()
    assert written["interval_start"].nunique() % 48 == 0  # whole days of 30-minute intervals
    assert np.isfinite(written["aht_seconds"].dropna()).all()


def test_the_valid_file_imports_whole(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "history.csv"
    path.write_text(VALID.to_csv(index=False), encoding="utf-8")
    assert main(["ingest", str(path), "-o", str(tmp_path / "out.csv")]) == 0
    written = pd.read_csv(tmp_path / "out.csv")
    assert written["contacts"].sum() == pd.to_numeric(VALID["contacts"]).sum()
    assert len(written) == ROWS


START = pd.Timestamp("2026-09-21 08:00")
LOG_COLUMNS = ("contact_id", "start_time", "queue", "handle_seconds", "wait_seconds", "outcome")


def valid_log() -> pd.DataFrame:
    """60 contacts of two queues over one morning, as text cells."""
    rows = []
    for i in range(60):
        answered = i % 4 != 3
        rows.append({"contact_id": f"c{i + 1}",
                     "start_time": f"{START + pd.Timedelta(seconds=97 * i):%Y-%m-%d %H:%M:%S}",
                     "queue": ("hotline", "chat")[i % 2],
                     "handle_seconds": str(60 + 7 * i) if answered else "",
                     "wait_seconds": str(i % 40),
                     "outcome": "answered" if answered else "abandoned"})
    return pd.DataFrame(rows, columns=list(LOG_COLUMNS))


LOG = valid_log()
log_corruption = st.one_of(
    st.tuples(st.just("delete"), st.tuples(st.integers(0, len(LOG) - 1),
                                           st.sampled_from(LOG_COLUMNS))),
    st.tuples(st.just("garbage"), st.tuples(st.integers(0, len(LOG) - 1),
                                            st.sampled_from(LOG_COLUMNS)), garbage),
    st.tuples(st.just("huge"), st.integers(0, len(LOG) - 1),
              st.sampled_from(("handle_seconds", "wait_seconds")), huge),
    st.tuples(st.just("shuffle"), st.integers(0, 2**16)),
    st.tuples(st.just("duplicate"), st.integers(0, len(LOG) - 1)),
)


def _corrupt_log(frame: pd.DataFrame, ops: list[tuple]) -> pd.DataFrame:
    out = frame.copy()
    for op in ops:
        if op[0] in ("delete", "garbage"):
            (row, column) = op[1]
            out.iloc[row % len(out), out.columns.get_loc(column)] = \
                "" if op[0] == "delete" else op[2]
        elif op[0] == "huge":
            out.iloc[op[1] % len(out), out.columns.get_loc(op[2])] = op[3]
        elif op[0] == "date":
            out.iloc[op[1] % len(out), out.columns.get_loc("start_time")] = op[2]
        else:
            out = corrupt(out, [op])
    return out


@settings(max_examples=60, deadline=timedelta(seconds=60), derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(st.one_of(log_corruption,
                              st.tuples(st.just("date"), st.integers(0, len(LOG) - 1),
                                        bad_dates)), min_size=1, max_size=3))
def test_corrupted_contact_log(tmp_path: Path, capsys: pytest.CaptureFixture,
                               ops: list[tuple]) -> None:
    frame = _corrupt_log(LOG, ops)
    code, err, path, out = _ingest(frame, tmp_path / "calls.csv", capsys)
    if code != 0:
        return
    written = pd.read_csv(out)
    # every record is a contact or excluded with its reason (a copy of a contact id among them)
    excluded = int(re.search(r"([\d,]+) excluded", err)[1].replace(",", ""))
    assert written["contacts"].sum() == len(frame) - excluded, (ops, err)
    assert written["contacts"].sum() <= len(frame.drop_duplicates()), (ops, err)
