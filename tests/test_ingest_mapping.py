"""Exports as planners' tools write them, imported without a profile: the columns, units,
channels and outcomes are guessed from English or Chinese headers and values; two
possible readings stop the import and list the candidates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from forecasting.history import HistoryError, MappingError, guess_mapping, ingest, load_profile
from forecasting.history.headers import match_headers, normal_header
from forecasting.history.mapping import duration_unit
from planning.cli import main
from planning.imports import import_history, inspect_upload
from planning.plans import create_plan
from planning.settings import PlanSettings
from planning.workspace import Workspace

ROWS = 300
SECRET = re.compile(rb"\+86 139 \d{4} \d{4}|CUST-\d{8}|Customer \w+ \d{4}|call me back|"
                    rb"Chen Xiaoming|Sofia Rossi")


def identifier_log(rows: int = 400) -> pd.DataFrame:
    """A CRM export: the planning columns beside phone numbers, customer ids and names,
    agent names and chat text."""
    log = generic_log().head(rows).rename(columns={"start_time": "arrival"})
    n = len(log)
    log.insert(0, "caller_phone", [f"+86 139 {i % 9000 + 1000:04d} {i:04d}" for i in range(n)])
    log.insert(1, "customer_id", [f"CUST-{900000 + i:08d}" for i in range(n)])
    log.insert(2, "customer_name", [f"Customer Li {i:04d}" for i in range(n)])
    log["agent"] = np.where(log["outcome"] == "answered",
                            np.where(np.arange(n) % 2, "Chen Xiaoming", "Sofia Rossi"), "")
    log["notes"] = [f"order {i} never came, please call me back" for i in range(n)]
    return log


def leaks(blob: bytes | str) -> list[bytes]:
    """The identifiers of `identifier_log` found in `blob`."""
    data = blob.encode("utf-8") if isinstance(blob, str) else blob
    return sorted(set(SECRET.findall(data)))


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def workspace_text(ws: Workspace) -> str:
    """Everything a workspace holds, decoded (its frames are compressed inside DuckDB)."""
    parts = []
    for plan in ws.list_plans().itertuples():
        info = ws.plan(int(plan.plan_id))
        parts.append(json.dumps([info.name, info.source, info.inputs], default=str,
                                ensure_ascii=False))
        for kind in ws.versions(info.plan_id):
            parts.append(ws.load_frame(info.plan_id, kind).to_csv(index=False))
    return "\n".join(parts)


def generic_log(seed: int = 1) -> pd.DataFrame:
    """A plain English export: one row per contact over three days."""
    rng = np.random.default_rng(seed)
    seconds = np.sort(rng.integers(8 * 3600, 20 * 3600, ROWS)) + 86400 * (np.arange(ROWS) % 3)
    start = pd.Timestamp("2026-03-02") + pd.to_timedelta(seconds, unit="s")
    answered = rng.random(ROWS) < 0.85
    return pd.DataFrame({
        "start_time": start.strftime("%Y-%m-%d %H:%M:%S"),
        "queue": np.where(np.arange(ROWS) % 2, "sales", "support"),
        "channel": np.where(np.arange(ROWS) % 2, "phone", "chat"),
        "handle_seconds": np.where(answered, rng.integers(60, 900, ROWS), 0),
        "wait_seconds": rng.integers(0, 120, ROWS),
        "outcome": np.where(answered, "answered", "abandoned"),
    })


def check_totals(history: pd.DataFrame, log: pd.DataFrame, queues: dict[str, str]) -> None:
    per_queue = history.groupby("queue")["contacts"].sum()
    for raw, name in queues.items():
        assert per_queue[name] == (log["queue"] == raw).sum()


def test_english_generic_csv_needs_no_profile(tmp_path: Path) -> None:
    log = generic_log()
    path = tmp_path / "export.csv"
    log.to_csv(path, index=False)
    result = ingest(path)
    assert result.summary.profile == "guessed" and result.summary.kind == "contacts"
    assert result.channels == {"sales": "voice", "support": "chat"}
    check_totals(result.history, log, {"sales": "sales", "support": "support"})
    answered = log["outcome"] == "answered"
    assert result.history["answered"].sum() == answered.sum()
    assert result.history["abandoned"].sum() == (~answered).sum()
    mean = (result.history["aht_seconds"] * result.history["answered"]).sum() \
        / result.history["answered"].sum()
    assert mean == pytest.approx(log.loc[answered, "handle_seconds"].mean())


def test_arrived_at_with_agent_column(tmp_path: Path) -> None:
    log = generic_log().rename(columns={"start_time": "arrived_at"})
    log["agent"] = np.where(log["outcome"] == "answered", "Agent " + (log.index % 4)
                            .astype(str), "")
    path = tmp_path / "export.csv"
    log.to_csv(path, index=False)
    result = ingest(path)
    assert "agents" in result.history.columns
    assert result.history["agents"].max() <= 4


def test_gbk_chinese_export_with_chinese_channels_and_outcomes(tmp_path: Path) -> None:
    log = generic_log()
    zh = pd.DataFrame({
        "开始时间": log["start_time"],
        "技能组": log["queue"].map({"sales": "售前", "support": "售后"}),
        "渠道": log["channel"].map({"phone": "电话", "chat": "在线"}),
        "处理时长": log["handle_seconds"],
        "等待时长": log["wait_seconds"],
        "结果": log["outcome"].map({"answered": "接通", "abandoned": "放弃"}),
    })
    path = tmp_path / "导出.csv"
    zh.to_csv(path, index=False, encoding="gbk")
    result = ingest(path)
    assert result.channels == {"售前": "voice", "售后": "chat"}
    assert result.history["contacts"].sum() == ROWS
    assert result.history["abandoned"].sum() == (log["outcome"] == "abandoned").sum()


def test_excel_export_with_a_title_row(tmp_path: Path) -> None:
    log = generic_log()
    path = tmp_path / "report.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([["Contact report, March 2026"]]).to_excel(
            writer, index=False, header=False, startrow=0)
        log.to_excel(writer, index=False, startrow=2)
    result = ingest(path)
    assert result.history["contacts"].sum() == ROWS
    assert any("header is on row 3" in note for note in result.summary.notes)


def test_duration_units_from_headers_and_values(tmp_path: Path) -> None:
    log = generic_log()
    clock = log.assign(handle_seconds=pd.to_datetime(log["handle_seconds"], unit="s")
                       .dt.strftime("%H:%M:%S")).rename(columns={"handle_seconds": "talk_time"})
    clock.to_csv(tmp_path / "clock.csv", index=False)
    millis = log.assign(handle_seconds=log["handle_seconds"] * 1000,
                        wait_seconds=log["wait_seconds"] * 1000).rename(
        columns={"handle_seconds": "handle_time", "wait_seconds": "wait_time"})
    millis.to_csv(tmp_path / "ms.csv", index=False)
    plain = ingest(tmp_path / "clock.csv").history
    from_ms = ingest(tmp_path / "ms.csv").history
    reference = ingest(_write(tmp_path / "s.csv", log)).history
    for other in (plain, from_ms):
        pd.testing.assert_series_equal(other["aht_seconds"], reference["aht_seconds"])
    assert normal_header("处理时长（秒）") == ("处理时长", "seconds")
    assert normal_header("Talk Time (min)") == ("talk time", "minutes")
    import pyarrow as pa
    assert duration_unit(pa.array([1.5, 2.25, 3.0]), None)[0] == "minutes"


def _write(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


def test_two_start_columns_stop_and_list_the_candidates(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    log = generic_log().rename(columns={"start_time": "created_time"})
    log["arrival_time"] = log["created_time"]
    path = _write(tmp_path / "two.csv", log)
    with pytest.raises(MappingError) as info:
        ingest(path)
    assert info.value.candidates == {"start": ("created_time", "arrival_time")}
    assert "--profile" not in str(info.value)  # the library's message reaches the page too
    out = tmp_path / "h.csv"
    assert main(["ingest", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "created_time, arrival_time" in err and "--profile" in err
    assert not out.exists()
    assert main(["profile", "guess", str(path), "-o", str(tmp_path / "p.yaml")]) == 2


def test_profile_guess_writes_a_profile_ingest_reads(tmp_path: Path) -> None:
    log = generic_log()
    path = _write(tmp_path / "export.csv", log)
    profile = tmp_path / "profile.yaml"
    assert main(["profile", "guess", str(path), "-o", str(profile)]) == 0
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    assert data["columns"]["queue"] == "queue" and data["start"] == "start_time"
    assert data["channel_values"] == {"chat": "chat", "phone": "voice"}
    assert load_profile(profile).outcomes["answered"] == ("answered",)
    out_guess, out_profile = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["ingest", str(path), "-o", str(out_guess)]) == 0
    assert main(["ingest", str(path), "--profile", str(profile), "-o", str(out_profile)]) == 0
    assert out_guess.read_bytes() == out_profile.read_bytes()


def test_interval_file_in_chinese(tmp_path: Path) -> None:
    starts = pd.date_range("2026-03-02", periods=96, freq="30min")
    frame = pd.DataFrame({"时段": starts.strftime("%Y-%m-%d %H:%M"), "技能组": "热线",
                          "进线量": np.arange(96) % 7,
                          "接通量": np.minimum(np.arange(96) % 7, np.arange(96) % 5)})
    path = _write(tmp_path / "intervals.csv", frame)
    guess = guess_mapping(path)
    assert guess.kind == "intervals" and guess.roles["offered"] == "进线量"
    result = ingest(path)
    assert result.summary.kind == "intervals" and result.summary.interval == "30min"
    assert result.history["contacts"].sum() == frame["进线量"].sum()


def test_synonyms_leave_identifier_columns_alone() -> None:
    found = match_headers(["caller_phone", "customer_name", "transcript", "email", "mobile",
                           "queue_seconds", "queue", "客户电话", "客户姓名", "备注"])
    assert found == {"queue": ["queue"], "wait_time": ["queue_seconds"]}


def test_contact_log_with_identifiers_leaves_none_behind(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    frame = identifier_log()
    assert leaks(frame.to_csv(index=False))  # the scan sees the identifiers
    folder = tmp_path / "in"
    folder.mkdir()
    path = _write(folder / "crm.csv", frame)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["ingest", str(path), "-o", str(out / "history.csv")]) == 0
    assert main(["profile", "guess", str(path), "-o", str(out / "profile.yaml")]) == 0
    printed = capsys.readouterr()
    assert leaks(printed.out + printed.err) == []
    for written in files_under(out):
        assert leaks(written.read_bytes()) == [], written
    ws = Workspace(tmp_path / "ws")
    history, summary = import_history(path.read_bytes(), "crm.csv")
    assert summary.profile == "guessed" and summary.rows_read == ROWS
    create_plan(ws, "crm", history, source="upload:crm.csv",
                settings=PlanSettings(), import_summary=summary)
    assert leaks(workspace_text(ws)) == []
    for written in files_under(tmp_path / "ws"):
        assert leaks(written.read_bytes()) == [], written


def test_a_csv_with_a_title_line_and_one_without_headers(tmp_path: Path) -> None:
    log = generic_log()
    path = tmp_path / "titled.csv"
    path.write_text("Contact report for March\n" + log.to_csv(index=False), encoding="utf-8")
    assert ingest(path).history["contacts"].sum() == ROWS
    frame = identifier_log()
    bare = tmp_path / "bare.csv"
    frame.to_csv(bare, index=False, header=False)
    with pytest.raises(HistoryError) as info:
        import_history(bare.read_bytes(), "bare.csv")
    assert leaks(str(info.value)) == []
    with pytest.raises(HistoryError) as info:
        inspect_upload(bare.read_bytes(), "bare.csv")
    assert leaks(str(info.value)) == [] and "bare.csv" in str(info.value)


def test_a_chinese_upload_plans_through_requirements(tmp_path: Path) -> None:
    """The GBK export whose channel values once stopped the plan on the Requirements page."""
    from planning.contract import StepState
    from planning.plans import run_plan
    from planning.steps import guess_calendar

    log = pd.concat([generic_log(seed) for seed in range(5)], ignore_index=True)
    log["start_time"] = (pd.to_datetime(log["start_time"])
                         + pd.to_timedelta((log.index // ROWS) * 3, unit="D")).astype(str)
    zh = pd.DataFrame({"开始时间": log["start_time"],
                       "技能组": log["queue"].map({"sales": "售前", "support": "售后"}),
                       "渠道": log["channel"].map({"phone": "电话", "chat": "在线"}),
                       "处理时长": log["handle_seconds"], "等待时长": log["wait_seconds"],
                       "结果": log["outcome"].map({"answered": "接通", "abandoned": "放弃"})})
    path = tmp_path / "导出.csv"
    zh.to_csv(path, index=False, encoding="gbk")
    history, summary = import_history(path.read_bytes(), "导出.csv")
    country, _reason = guess_calendar(history)
    assert country == "CN"
    ws = Workspace(tmp_path / "ws")
    settings = PlanSettings(model="profile", backtest_folds=0, forecast_days=2,
                            country=country, calendar_from_history=True)
    plan_id = create_plan(ws, "zh", history, source="upload:导出.csv", settings=settings,
                          import_summary=summary)
    status = run_plan(ws, plan_id, until="requirements")
    assert status["requirements"].state == StepState.DONE, status
    channels = ws.load_frame(plan_id, "queue_settings").set_index("queue")["channel"]
    assert channels.to_dict() == {"售前": "voice", "售后": "chat"}


def test_values_first_seen_late_in_a_long_file_are_known(tmp_path: Path) -> None:
    log = pd.concat([generic_log(seed) for seed in range(25)], ignore_index=True)
    log.loc[len(log) - 1, ["channel", "outcome"]] = ["邮件", "未接"]
    result = ingest(_write(tmp_path / "long.csv", log))
    assert result.history["contacts"].sum() == len(log)
    assert "email" in result.channels.values()
    with pytest.raises(HistoryError) as info:
        log.loc[len(log) - 1, "channel"] = "fax"
        ingest(_write(tmp_path / "fax.csv", log))
    assert info.value.row == f"line {len(log) + 1}" and info.value.column == "channel"


def test_an_identifier_column_chosen_as_outcome_is_refused_unquoted(tmp_path: Path) -> None:
    from forecasting.history import build_profile
    from forecasting.history.read import open_source

    frame = identifier_log()
    frame["status"] = np.where(frame.index % 2, "answered", frame["customer_name"])
    path = _write(tmp_path / "crm.csv", frame.drop(columns=["outcome"]))
    roles = {"start": "arrival", "queue": "queue", "outcome": "status"}
    with pytest.raises(HistoryError) as info:
        build_profile("contacts", roles, open_source(path))
    assert info.value.column == "status" and leaks(str(info.value)) == []


def test_the_profile_time_zone_reaches_the_calendar_guess(tmp_path: Path) -> None:
    """A profile that names its time zone says which country's holidays to pre-fill."""
    from planning.steps import guess_calendar

    log = generic_log()
    path = tmp_path / "export.csv"
    log.to_csv(path, index=False)
    guessed = profile_text_for(path)
    history, report = import_history(path, "export.csv",
                                     profile_yaml=guessed + "timezone: Asia/Jerusalem\n")
    assert report.timezone == "Asia/Jerusalem"
    country, reason = guess_calendar(history, report.timezone)
    assert country == "IL" and "Asia/Jerusalem" in reason
    history, report = import_history(path, "export.csv", profile_yaml=guessed)
    assert report.timezone is None


def profile_text_for(path: Path) -> str:
    """The YAML that `wfm profile guess` writes for `path`."""
    out = path.with_suffix(".yaml")
    assert main(["profile", "guess", str(path), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")
