"""Customer data stays out: a contact log full of identifiers goes through `wfm ingest`,
the upload path and the planning pipeline into a real DuckDB workspace, and then every
byte written (and everything printed) is searched for those identifiers.

Also: error messages name file, row and column but never quote an identifier, and
agent names can be replaced by keyed pseudonyms.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import stat
from pathlib import Path

import pandas as pd
import pytest

from forecasting.history import HistoryError, ingest
from planning import privacy
from planning.cli import main
from planning.contract import StepState, StepStatus
from planning.imports import import_history
from planning.plans import (
    STEPS,
    create_plan,
    plan_settings,
    run_plan,
    save_agents,
    set_pseudonymise_agents,
)
from planning.settings import PlanSettings
from planning.workspace import Workspace

PROFILE = """\
name: crm_export
kind: contacts
start: {column: arrival, format: "%Y-%m-%d %H:%M:%S"}
columns:
  queue: queue
  channel: channel
  handle_time: handle_seconds
  wait_time: wait_seconds
  outcome: outcome
  agent: agent
outcomes:
  answered: [answered]
  abandoned: [abandoned]
"""
FIRST = ["Zhang", "Wang", "Li", "Zhao", "María", "Olusegun", "Ingrid", "Priya"]
LAST = ["Wei", "Fang", "Jing", "Lei", "Fernández", "Adeyemi", "Johansson", "Raghunathan"]
AGENTS = ["Chen Xiaoming", "Sofia Rossi", "Liu Yang", "Tomasz Nowak"]
QUEUES = ["sales", "support"]


def contact_log(rows: int = 1200, days: int = 14, seed: int = 7) -> tuple[pd.DataFrame, list]:
    """A CRM export: the planning columns next to phone numbers, customer ids, names,
    e-mail addresses and chat text. Returns the log and every identifier in it."""
    rng = random.Random(seed)
    records, secrets = [], []
    for i in range(rows):
        day = pd.Timestamp("2026-10-05") + pd.Timedelta(days=i % days)
        arrival = day + pd.Timedelta(seconds=rng.randrange(8 * 3600, 20 * 3600))
        answered = rng.random() < 0.9
        phone = f"+86 139 {rng.randrange(10**4):04d} {i:04d}"
        mobile = f"1380013{i:04d}"
        customer = f"CUST-{900000 + i:08d}"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}-{i:04d}"
        email = f"client{i:04d}@example.cn"
        chat = f"my order Z{i:05d}Q never came, please call me back"
        agent = AGENTS[i % len(AGENTS)]
        records.append({
            "interaction_id": f"IX{i:09d}", "caller_phone": phone, "mobile": mobile,
            "customer_id": customer, "customer_name": name, "email": email,
            "arrival": f"{arrival:%Y-%m-%d %H:%M:%S}", "queue": QUEUES[i % 2],
            "channel": "voice" if i % 2 else "chat",
            "handle_seconds": rng.randrange(60, 600) if answered else "",
            "wait_seconds": rng.randrange(0, 120), "outcome":
            "answered" if answered else "abandoned", "agent": agent if answered else "",
            "transcript": chat,
        })
        secrets += [f"IX{i:09d}", phone, mobile, customer, name, email, f"Z{i:05d}Q"]
    secrets += AGENTS + ["never came, please call me back"]
    return pd.DataFrame(records), secrets


def _pattern(secrets: list[str]) -> re.Pattern[bytes]:
    """Every identifier of the log, as shapes (any phone number of its layout, any
    customer id ...) plus the literal names: one linear scan per blob."""
    names = "|".join(FIRST) + ")(?: | )(?:" + "|".join(LAST)
    literal = "|".join(re.escape(s) for s in secrets)
    text = (r"\+86 139 \d{4} \d{4}|1380013\d{4}|CUST-\d{8}|IX\d{9}|client\d{4}@example"
            r"|Z\d{5}Q|call me back|(?:" + names + ")" + (f"|{literal}" if literal else ""))
    return re.compile(text.encode("utf-8"))


def leaks(blob: bytes | str, extra: list[str] = ()) -> list[str]:
    """The customer identifiers (and `extra` strings, e.g. agent names) found in `blob`."""
    data = blob.encode("utf-8") if isinstance(blob, str) else blob
    return sorted({m.decode("utf-8", "replace") for m in _pattern(
        list(AGENTS) + list(extra)).findall(data)})


def files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def workspace_text(ws: Workspace) -> str:
    """Everything a workspace holds, decoded: each plan's inputs and every saved frame
    as CSV (the frames are compressed Parquet inside DuckDB, so the raw bytes alone
    would not show a stored name)."""
    parts = []
    for plan in ws.list_plans().itertuples():
        info = ws.plan(int(plan.plan_id))
        parts.append(json.dumps([info.name, info.source, info.inputs], default=str,
                                ensure_ascii=False))
        for kind in ws.versions(info.plan_id):
            frame = ws.load_frame(info.plan_id, kind)
            parts.append(frame.to_csv(index=False))
            parts.append(json.dumps(ws.frame_meta(info.plan_id, kind), default=str))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def log() -> tuple[pd.DataFrame, list[str]]:
    return contact_log()


@pytest.fixture
def files(tmp_path: Path, log) -> dict[str, Path]:
    frame, _ = log
    folder = tmp_path / "in"
    folder.mkdir()
    profile = folder / "crm.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    csv = folder / "contacts.csv"
    frame.to_csv(csv, index=False)
    xlsx = folder / "contacts.xlsx"
    frame.to_excel(xlsx, index=False)
    return {"profile": profile, "csv": csv, "xlsx": xlsx}


def test_the_log_really_holds_the_identifiers(files, log) -> None:
    _, secrets = log
    pattern = _pattern(list(AGENTS))
    assert [s for s in secrets if not pattern.search(s.encode("utf-8"))] == []
    found = leaks(files["csv"].read_bytes())
    assert len(found) > 6 * 1200 and "CUST-00900017" in found and "Liu Yang" in found
    # The xlsx is zipped: the scan of its bytes would miss them, so only the csv is a
    # positive control; the workbook is checked through what the importer writes.


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_wfm_ingest_writes_and_prints_no_identifier(
        kind: str, suffix: str, files, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / f"history{suffix}"
    code = main(["ingest", str(files[kind]), "--profile", str(files["profile"]),
                 "--interval", "60min", "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "1,200 rows read" in captured.err
    history = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert history["contacts"].sum() == 1200 and set(history["queue"]) == set(QUEUES)
    assert history["agents"].max() >= 1  # agent names were counted ...
    for path in files_under(out_dir):  # ... and nothing identifying was written
        assert leaks(path.read_bytes()) == [], path
    assert leaks(captured.out + captured.err) == []


@pytest.mark.slow
def test_upload_to_workspace_and_plan_keeps_no_identifier(files, tmp_path: Path) -> None:
    """The dashboard's path: upload bytes -> import_history -> a saved plan, forecast,
    requirements, roster (agents with real names, pseudonymised) and projection."""
    folder = tmp_path / "ws"
    ws = Workspace(folder)
    history, summary = import_history(files["csv"].read_bytes(), "contacts.csv",
                                      profile=str(files["profile"]), interval="60min")
    # What the Data page caches (st.cache_data pickles the return value) holds nothing
    # identifying either.
    assert leaks(pickle.dumps((history, summary, None))) == []
    assert summary.rows_read == 1200 and summary.file == "contacts.csv"
    agents = pd.DataFrame({
        "agent_id": [f"A{i:02d}" for i in range(1, 9)],
        "name": AGENTS + ["Ana Souza", "Kwame Mensah", "Yuki Tanaka", "Omar Haddad"],
        "queues": "sales;support", "min_hours_week": 0, "max_hours_week": 40,
        "max_days_week": 5, "unavailable": ""})
    settings = PlanSettings(forecast_days=7, model="profile", backtest_folds=0,
                            roster_time_limit=5.0, pseudonymise_agents=True)
    plan_id = create_plan(
        ws, "Week 42", history, source="upload:contacts.csv", agents=agents,
        settings=settings, import_summary=summary)
    status = run_plan(ws, plan_id)
    assert status == {step: StepStatus(StepState.DONE) for step in STEPS}, status
    names = list(agents["name"])
    stored = workspace_text(ws)
    assert "sales" in stored and "A08" in stored  # the scan sees what is stored
    assert leaks(stored, names) == []
    roster = ws.load_frame(plan_id, "roster")
    saved = ws.load_frame(plan_id, "agents")
    assert set(roster["agent_id"]) <= set(saved["agent_id"])  # joins still hold
    assert saved["name"].map(privacy.is_pseudonym).all()
    for path in files_under(folder):
        assert leaks(path.read_bytes(), names) == [], path


def test_error_on_a_row_with_a_phone_number_names_row_not_number(
        tmp_path: Path, log, files, capsys: pytest.CaptureFixture[str]) -> None:
    frame, _ = log
    bad = frame.head(30).copy()
    bad.loc[17, "arrival"] = bad.loc[17, "caller_phone"]  # pasted into the wrong column
    path = tmp_path / "calls.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(HistoryError) as info:
        ingest(path, profile=files["profile"])
    err = info.value
    assert (err.file, err.row, err.column) == (str(path), "line 19", "arrival")
    assert "+99 999 9999 9999" in str(err)  # its shape, to see what went wrong
    assert leaks(str(err)) == []
    code = main(["ingest", str(path), "--profile", str(files["profile"]),
                 "-o", str(tmp_path / "h.csv")])
    captured = capsys.readouterr()
    assert code == 2 and "line 19, column 'arrival'" in captured.err
    assert leaks(captured.out + captured.err) == []
    # the same upload through the dashboard's path names the upload, not a temp file
    with pytest.raises(ValueError) as upload:
        import_history(path.read_bytes(), "calls.csv", profile=str(files["profile"]))
    assert str(upload.value).startswith("calls.csv, line 19, column 'arrival': ")
    assert leaks(str(upload.value)) == []
    bad.loc[17, "arrival"] = frame.loc[17, "arrival"]
    bad.loc[22, "outcome"] = bad.loc[22, "transcript"]
    bad.to_csv(path, index=False)
    with pytest.raises(HistoryError) as info:
        ingest(path, profile=files["profile"])
    assert (info.value.row, info.value.column) == ("line 24", "outcome")
    assert "unknown outcome a text of" in str(info.value)
    assert leaks(str(info.value)) == []


def test_profile_pointing_at_an_id_column_for_queues_is_refused(tmp_path: Path, log) -> None:
    frame, _ = log
    path = tmp_path / "calls.csv"
    frame.to_csv(path, index=False)
    profile = tmp_path / "wrong.yaml"
    profile.write_text(PROFILE.replace("queue: queue", "queue: mobile"), encoding="utf-8")
    with pytest.raises(HistoryError) as info:
        ingest(path, profile=profile)
    assert info.value.column == "mobile"
    assert "holds 1,200 different values; expected at most 1,000 queues" in str(info.value)
    assert leaks(str(info.value)) == []


def test_file_without_a_header_does_not_echo_its_first_row(tmp_path: Path, log, files) -> None:
    frame, _ = log
    path = tmp_path / "no_header.csv"
    frame.head(20).to_csv(path, index=False, header=False)
    for profile in (None, files["profile"]):
        with pytest.raises(HistoryError) as info:
            ingest(path, profile=profile)
        assert str(path) in str(info.value) and "line 1" in str(info.value)
        assert leaks(str(info.value)) == []


def test_shapes_keep_planning_values_readable() -> None:
    from forecasting.history.errors import scrub, shown

    assert shown("TRANSFER") == "'TRANSFER'" and shown("8:O9:16") == "'8:O9:16'"
    assert "'+99 999 9999 9999'" in shown("+86 139 1234 5678")
    assert "'AAAA9999@AAAAAAA.AA'" in shown("john1234@example.cn")
    assert "13800138000" not in shown(13800138000)
    assert shown("please call me back on my mobile").startswith("a text of 32 characters")
    text = scrub("CSV parse error: Expected 3 columns, got 4: 2026-10-05,13800138000,Li Wei")
    assert text == "CSV parse error: Expected 3 columns, got 4"


# agent names --------------------------------------------------------------

def test_pseudonyms_are_keyed_stable_and_keep_agent_ids(tmp_path: Path) -> None:
    key = privacy.workspace_key(tmp_path)
    assert stat.S_IMODE((tmp_path / privacy.KEY_FILE).stat().st_mode) == 0o600
    assert privacy.workspace_key(tmp_path) == key and len(key) == 32
    (tmp_path / "elsewhere").mkdir()
    other = privacy.workspace_key(tmp_path / "elsewhere")
    agents = pd.DataFrame({"agent_id": ["A1", "A2", "A3", "A4"],
                           "name": ["Li Na", "li  NA", "Wang Fang", ""], "team": "T1"})
    out = privacy.pseudonymise_agents(agents, key)
    assert out["agent_id"].tolist() == agents["agent_id"].tolist()
    assert out["team"].tolist() == ["T1"] * 4
    assert out["name"][0] == out["name"][1] != out["name"][2]  # one person, one pseudonym
    assert out["name"][3] == ""
    assert all(privacy.is_pseudonym(n) for n in out["name"][:3])
    assert privacy.pseudonymise_agents(out, key).equals(out)  # twice changes nothing
    assert privacy.pseudonymise_agents(agents, other)["name"][0] != out["name"][0]
    # an independent computation of the documented formula
    import base64
    import hashlib
    import hmac
    digest = hmac.new(key, b"li na", hashlib.sha256).digest()
    assert out["name"][0] == "Agent " + base64.b32encode(digest)[:10].decode()


def test_loose_key_file_is_tightened_and_a_damaged_one_refused(tmp_path: Path) -> None:
    privacy.workspace_key(tmp_path)
    path = tmp_path / privacy.KEY_FILE
    os.chmod(path, 0o644)
    privacy.workspace_key(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_bytes(b"short")
    with pytest.raises(ValueError, match="pseudonym key has 5 bytes"):
        privacy.workspace_key(tmp_path)


def test_turning_pseudonyms_on_replaces_saved_names(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    stamps = pd.date_range("2026-10-05", periods=48, freq="30min")
    history = pd.DataFrame({"queue": "q", "interval_start": stamps, "contacts": 1,
                            "aht_seconds": 100.0})
    agents = pd.DataFrame({"agent_id": ["A1", "A2"], "name": ["Sofia Rossi", "Liu Yang"],
                           "queues": "q"})
    plan_id = create_plan(ws, "p", history, source="test", agents=agents)
    assert ws.load_frame(plan_id, "agents")["name"].tolist() == ["Sofia Rossi", "Liu Yang"]
    set_pseudonymise_agents(ws, plan_id, True)
    assert plan_settings(ws, plan_id).pseudonymise_agents
    saved = ws.load_frame(plan_id, "agents")
    assert saved["agent_id"].tolist() == ["A1", "A2"]
    assert saved["name"].map(privacy.is_pseudonym).all()
    edited = saved.assign(name=["Sofia Rossi", "Omar Haddad"])  # a planner types names
    stored = save_agents(ws, plan_id, edited)
    assert stored["name"][0] == saved["name"][0] and privacy.is_pseudonym(stored["name"][1])
    assert "Omar Haddad" not in workspace_text(ws)
    set_pseudonymise_agents(ws, plan_id, False)
    assert save_agents(ws, plan_id, edited)["name"][1] == "Omar Haddad"


def test_no_replaced_name_or_deleted_plan_lingers_in_the_database_file(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    stamps = pd.date_range("2026-10-05", periods=48, freq="30min")
    history = pd.DataFrame({"queue": "q", "interval_start": stamps, "contacts": 1,
                            "aht_seconds": 100.0})
    names = ["Sofia Rossi", "Liu Yang"]
    agents = pd.DataFrame({"agent_id": ["A1", "A2"], "name": names, "queues": "q"})
    plan_id = create_plan(ws, "p", history, source="test", agents=agents)
    doomed = create_plan(ws, "Omar Haddad's plan", history, source="test")

    def in_file(text: str) -> bool:
        return text.encode() in ws.db_path.read_bytes()

    assert all(in_file(n) for n in names) and in_file("Omar Haddad")  # the scan can see them
    set_pseudonymise_agents(ws, plan_id, True)
    ws.delete_plan(doomed)
    assert not any(in_file(n) for n in [*names, "Omar Haddad"])
    assert ws.load_frame(plan_id, "agents")["agent_id"].tolist() == ["A1", "A2"]
    assert ws.list_plans()["name"].tolist() == ["p"]
    assert len(ws.load_frame(plan_id, "history")) == 48
