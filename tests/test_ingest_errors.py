"""Bad contact-history input: every error names the file, the row and the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.history import HistoryError, ingest, load_profile

HERE = Path(__file__).resolve().parent / "data" / "ingest"


def fails(path: Path, **kwargs) -> HistoryError:
    with pytest.raises(HistoryError) as info:
        ingest(path, **kwargs)
    assert isinstance(info.value, ValueError)
    assert str(path) in str(info.value)
    return info.value


def test_unparseable_timestamp() -> None:
    err = fails(HERE / "bank_bad_time.tsv")
    assert (err.row, err.column) == ("line 5", "vru_entry")
    assert "'8:O9:16'" in str(err) and "%H:%M:%S" in str(err)
    assert str(err).startswith(f"{HERE / 'bank_bad_time.tsv'}, line 5, column 'vru_entry': ")


def test_negative_handle_time() -> None:
    err = fails(HERE / "bank_negative_handle.tsv")
    assert (err.row, err.column) == ("line 6", "ser_time")
    assert "negative" in str(err) and "-104" in str(err)


def test_absurd_handle_time() -> None:
    err = fails(HERE / "bank_absurd_handle.tsv")
    assert (err.row, err.column) == ("line 7", "ser_time")
    assert "100000 s is more than 24 hours" in str(err)


def test_unknown_outcome() -> None:
    err = fails(HERE / "bank_unknown_outcome.tsv")
    assert (err.row, err.column) == ("line 4", "outcome")
    assert "unknown outcome 'TRANSFER'" in str(err) and "AGENT" in str(err)


def test_missing_required_column() -> None:
    err = fails(HERE / "genesys_missing_offered.csv", profile="genesys")
    assert (err.row, err.column) == ("line 1", "Offered")
    assert "missing column 'Offered' (offered)" in str(err)


def test_profile_that_does_not_fit_the_file() -> None:
    err = fails(HERE / "genesys_intervals.csv", profile="anonymous_bank")
    assert err.row == "line 1" and err.column == "date"
    assert "does the profile fit this file?" in str(err)
    assert "'Interval Start'" in str(err)


def test_unrecognised_headers() -> None:
    err = fails(HERE / "genesys_missing_offered.csv")
    assert "cannot tell how to read this file" in str(err) and "--profile" not in str(err)
    assert "no column looks like the start time" in str(err)


def test_empty_file() -> None:
    err = fails(HERE / "empty.csv")
    assert "the file is empty" in str(err)


def test_header_without_rows() -> None:
    err = fails(HERE / "genesys_header_only.csv")
    assert "has a header but no data rows" in str(err)


def test_blank_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\n\n  \n")
    assert "the file is empty" in str(fails(path))


@pytest.mark.parametrize("interval", ["20min", "1h", "30"])
def test_unknown_interval(interval: str) -> None:
    err = fails(HERE / "genesys_intervals.csv", interval=interval)
    assert f"unknown interval '{interval}'" in str(err) and "15min, 30min, 60min" in str(err)


def test_interval_finer_than_the_file() -> None:
    err = fails(HERE / "genesys_intervals.csv", interval="15min")
    assert "30-minute intervals, which cannot be split into 15min" in str(err)
    assert "expected an interval of 30min, 60min" in str(err)
    assert "--interval" not in str(err)  # the message reaches the Data page too


def test_daily_file_cannot_become_intervals(tmp_path: Path) -> None:
    path = tmp_path / "daily.csv"
    path.write_text("queue,interval_start,contacts,aht_seconds\nq,2026-03-02,5,60\n"
                    "q,2026-03-03,6,60\n")
    assert "daily totals" in str(fails(path))


def test_line_numbers_count_blank_lines_and_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "queue,interval_start,contacts,aht_seconds\n"
        "\"sales\nteam\",2026-03-02 08:00,1,60\n"
        "\n"
        "sales,2026-03-02 08:30,1,60\n"
        "sales,yesterday,1,60\n")
    err = fails(path)
    assert (err.row, err.column) == ("line 6", "interval_start")
    assert "'yesterday'" in str(err)


def test_row_with_wrong_number_of_fields(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("queue,interval_start,contacts,aht_seconds\nq,2026-03-02 08:00,1,60\n"
                    "q,2026-03-02 08:30\n")
    err = fails(path)
    assert err.row == "line 3" and "has 2 fields but the header has 4" in str(err)


def test_negative_count_and_fraction(tmp_path: Path) -> None:
    path = tmp_path / "neg.csv"
    path.write_text("queue,interval_start,contacts,aht_seconds\nq,2026-03-02 08:00,-1,60\n")
    err = fails(path)
    assert (err.row, err.column) == ("line 2", "contacts") and "negative" in str(err)
    path.write_text("queue,interval_start,contacts,aht_seconds\nq,2026-03-02 08:00,1.5,60\n")
    assert "expected a whole number" in str(fails(path))


def test_empty_queue(tmp_path: Path) -> None:
    path = tmp_path / "noqueue.csv"
    path.write_text("queue,interval_start,contacts,aht_seconds\nq,2026-03-02 08:00,1,60\n"
                    ",2026-03-02 08:30,1,60\n")
    err = fails(path)
    assert (err.row, err.column) == ("line 3", "queue") and "expected a queue name" in str(err)


def test_bad_duration_text(tmp_path: Path) -> None:
    path = tmp_path / "aht.csv"
    path.write_text("queue,interval_start,contacts,aht_seconds\nq,2026-03-02 08:00,1,sixty\n")
    err = fails(path)
    assert (err.row, err.column) == ("line 2", "aht_seconds")
    assert "expected seconds (a number) or H:MM:SS" in str(err)


def test_service_level_out_of_range(tmp_path: Path) -> None:
    path = tmp_path / "sl.csv"
    path.write_text("queue,interval_start,contacts,aht_seconds,service_level\n"
                    "q,2026-03-02 08:00,1,60,80\n")
    err = fails(path)
    assert (err.row, err.column) == ("line 2", "service_level") and "above 100%" in str(err)


def test_excel_error_names_the_sheet_row(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "calls"
    sheet.append(["queue", "interval_start", "contacts", "aht_seconds"])
    sheet.append([None])
    sheet.append(["q", "2026-03-02 08:00", 1, 60])
    sheet.append(["q", "not a time", 1, 60])
    path = tmp_path / "history.xlsx"
    book.save(path)
    err = fails(path)
    assert (err.row, err.column) == ("sheet 'calls' row 4", "interval_start")


def test_old_xls_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert "old Excel .xls" in str(fails(path))


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in str(fails(tmp_path / "nope.csv"))


def test_bad_profiles(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nkind: contacts\nstart: when\ncolums: {queue: q}\n")
    with pytest.raises(HistoryError, match="unknown setting 'colums'"):
        load_profile(path)
    path.write_text("name: x\nkind: calls\n")
    with pytest.raises(HistoryError, match="expected 'contacts'"):
        load_profile(path)
    path.write_text("kind: contacts\nstart: {date: d}\ncolumns: {queue: q}\n")
    with pytest.raises(HistoryError, match="both date and time"):
        load_profile(path)
    path.write_text("kind: [unclosed\n")
    with pytest.raises(HistoryError, match="not valid YAML"):
        load_profile(path)
    with pytest.raises(HistoryError, match="shipped profiles: anonymous_bank"):
        load_profile("no_such_profile")


def test_duplicate_column(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Queue,interval_start,contacts,aht_seconds,queue,notes,notes\n"
                    "q,2026-03-02 08:00,1,60,x,a,b\n")
    err = fails(path)
    assert (err.row, err.column) == ("line 1", "queue") and "2 columns are called" in str(err)
