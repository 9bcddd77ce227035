"""`wfm ingest` through planning.cli.main: exit codes, output file, summary on stderr."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planning.cli import main

HERE = Path(__file__).resolve().parent / "data" / "ingest"


def test_bank_log_without_a_profile(shared_data: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "h.csv"
    code = main(["ingest", str(shared_data / "anonymous_bank_feb1999_calls.tsv"),
                 "--interval", "30min", "-o", str(out)])
    assert code == 0
    err = capsys.readouterr().err
    assert "33,344 rows read; 31,125 contacts used; 2,219 excluded" in err
    assert "Traceback" not in err
    history = pd.read_csv(out, parse_dates=["interval_start"])
    assert list(history.columns[:4]) == ["queue", "interval_start", "contacts", "aht_seconds"]
    assert history.groupby("queue")["contacts"].sum()["PS"] == 20_027
    assert len(history) == 6 * 28 * 48
    assert history.loc[history["contacts"] == 0, "aht_seconds"].isna().all()


def test_parquet_output_and_named_profile(tmp_path: Path) -> None:
    out = tmp_path / "h.parquet"
    assert main(["ingest", str(HERE / "injixo_gbk.csv"), "--profile", "injixo",
                 "-o", str(out)]) == 0
    history = pd.read_parquet(out)
    assert set(history["queue"]) == {"售前咨询", "售后服务"}
    assert history["contacts"].sum() == 36


def test_own_yaml_profile_path(tmp_path: Path) -> None:
    out = tmp_path / "h.csv"
    assert main(["ingest", str(HERE / "chat_log_bom.csv"), "--profile",
                 str(HERE / "chat_log.yaml"), "--interval", "60min", "-o", str(out)]) == 0
    text = out.read_text()
    assert "example.com" not in text and "Customer" not in text


@pytest.mark.parametrize(("args", "message"), [
    (["bank_bad_time.tsv"], "line 5, column 'vru_entry'"),
    (["bank_negative_handle.tsv"], "line 6, column 'ser_time'"),
    (["empty.csv"], "the file is empty"),
    (["genesys_intervals.csv", "--interval", "20min"], "unknown interval '20min'"),
    (["genesys_intervals.csv", "--profile", "anonymous_bank"], "does the profile fit"),
    (["nope.csv"], "no such file"),
])
def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path, args: list[str], message: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "h.csv"
    code = main(["ingest", str(HERE / args[0]), *args[1:], "-o", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("wfm ingest: error: ") and message in err
    assert "Traceback" not in err
    assert not out.exists()


def test_bad_output_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ingest", str(HERE / "genesys_intervals.csv"), "-o", str(tmp_path / "h.xlsx")])
    assert code == 2 and ".csv or .parquet" in capsys.readouterr().err


def test_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["ingest", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "Example:\n  wfm ingest " in out and "anonymous_bank, genesys, injixo, wfm" in out
