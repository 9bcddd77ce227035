"""Saved plans in the DuckDB workspace: save, reopen, rename, delete, concurrent writers."""

from __future__ import annotations

import multiprocessing
import threading

import duckdb
import numpy as np
import pandas as pd
import pytest

from planning.workspace import Workspace, WorkspaceError


def _forecast(n: int = 96, scale: float = 1.0) -> pd.DataFrame:
    start = pd.Timestamp("2026-10-19")
    return pd.DataFrame({
        "queue": pd.array(["email"] * n, dtype="string"),
        "interval_start": pd.date_range(start, periods=n, freq="15min"),
        "contacts": np.arange(n, dtype=float) * scale,
        "contacts_lo": np.arange(n, dtype=float) * scale * 0.9,
        "contacts_hi": np.arange(n, dtype=float) * scale * 1.1,
        "aht_seconds": np.full(n, 300.0),
        "model": ["weekly_naive"] * n,
    })


def test_save_reopen_rename_delete(tmp_path):
    ws = Workspace(tmp_path / "ws")
    plan_id = ws.create_plan("Week 43", source="sample", inputs={"forecast_days": 7})
    frame = _forecast()
    ws.save_frame(plan_id, "forecast", frame, meta={"model": "weekly_naive"})

    reopened = Workspace(tmp_path / "ws")  # as after an app restart
    back = reopened.load_frame(plan_id, "forecast")
    pd.testing.assert_frame_equal(back, frame)
    assert reopened.frame_meta(plan_id, "forecast") == {"model": "weekly_naive"}
    assert reopened.plan(plan_id).inputs == {"forecast_days": 7}
    assert reopened.load_frame(plan_id, "roster") is None

    listed = reopened.list_plans()
    assert listed["name"].tolist() == ["Week 43"]
    assert listed["artifacts"].tolist() == ["forecast"]

    reopened.rename_plan(plan_id, "Week 43 final")
    assert reopened.find_plan("Week 43") is None
    assert reopened.find_plan("Week 43 final").plan_id == plan_id

    reopened.delete_plan(plan_id)
    assert reopened.list_plans().empty
    assert reopened.load_frame(plan_id, "forecast") is None
    with pytest.raises(WorkspaceError, match="no plan with id"):
        reopened.plan(plan_id)


def test_names_are_unique_and_checked(tmp_path):
    ws = Workspace(tmp_path)
    first = ws.create_plan("Double 11")
    second = ws.create_plan(ws.unique_name("Double 11"))
    assert ws.plan(second).name == "Double 11 (2)"
    with pytest.raises(WorkspaceError, match="already exists"):
        ws.create_plan("Double 11")
    with pytest.raises(WorkspaceError, match="already exists"):
        ws.rename_plan(second, "Double 11")
    with pytest.raises(WorkspaceError, match="needs a name"):
        ws.rename_plan(first, "   ")
    with pytest.raises(WorkspaceError, match="lower-case"):
        ws.save_frame(first, "Bad Kind", _forecast())


def test_replacing_a_frame_and_updating_inputs(tmp_path):
    ws = Workspace(tmp_path)
    plan_id = ws.create_plan("p")
    ws.save_frame(plan_id, "forecast", _forecast(scale=1.0))
    ws.save_frame(plan_id, "forecast", _forecast(scale=2.0))
    assert ws.load_frame(plan_id, "forecast")["contacts"].iloc[10] == 20.0
    assert ws.update_inputs(plan_id, roster_time_limit=20) == {"roster_time_limit": 20}
    assert ws.update_inputs(plan_id, model="auto") == {"roster_time_limit": 20, "model": "auto"}
    ws.save_frame(plan_id, "roster", pd.DataFrame({"agent_id": ["a1"]}))
    ws.drop_frames(plan_id, ["roster"])
    assert set(ws.versions(plan_id)) == {"forecast"}


@pytest.mark.slow
def test_two_threads_writing_at_once(tmp_path):
    """Two browser tabs are two threads of one Streamlit process."""
    ws_a, ws_b = Workspace(tmp_path), Workspace(tmp_path)
    errors: list[BaseException] = []

    def writer(ws: Workspace, tag: str) -> None:
        try:
            for i in range(15):
                plan_id = ws.create_plan(f"{tag}-{i}")
                ws.save_frame(plan_id, "forecast", _forecast(scale=i))
                ws.rename_plan(plan_id, f"{tag}-{i}-renamed")
                ws.list_plans()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w, t)) for w, t in ((ws_a, "a"), (ws_b, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    plans = Workspace(tmp_path).list_plans()
    assert len(plans) == 30
    assert plans["plan_id"].is_unique
    for row in plans.itertuples():
        scale = int(row.name.split("-")[1])
        assert Workspace(tmp_path).load_frame(row.plan_id, "forecast")["contacts"].iloc[1] == scale


def _process_writer(folder: str, tag: str, count: int) -> None:
    ws = Workspace(folder)
    for i in range(count):
        plan_id = ws.create_plan(f"{tag}-{i}")
        ws.save_frame(plan_id, "forecast", _forecast(scale=i))


@pytest.mark.slow
def test_two_processes_writing_at_once(tmp_path):
    """Two app processes (or the app and the CLI) share one workspace folder."""
    Workspace(tmp_path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_process_writer, args=(str(tmp_path), tag, 8))
             for tag in ("p", "q")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    ws = Workspace(tmp_path)
    plans = ws.list_plans()
    assert sorted(plans["name"]) == sorted([f"{t}-{i}" for t in "pq" for i in range(8)])
    # The file is a sound DuckDB database afterwards.
    con = duckdb.connect(str(ws.db_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM artifacts").fetchone()[0] == 16
    finally:
        con.close()
