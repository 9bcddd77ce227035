"""`wfm` on a real Dask cluster: a `dask scheduler` and `dask worker` processes on
localhost, the same answers as in-process, and a worker killed mid-run."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from cluster_helpers import DaskProcesses

from planning.cli import main
from planning.cluster import run_tasks

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dask_processes(tmp_path_factory):
    procs = DaskProcesses(tmp_path_factory.mktemp("dask"))
    try:
        procs.add_worker()
        procs.add_worker()
        procs.wait_for_workers(2)
        yield procs
    finally:
        procs.stop()


@pytest.fixture(scope="module")
def short_history(tmp_path_factory, sample_dir):
    """The sample's four queues from July 2026 on (15-minute intervals)."""
    history = pd.read_csv(sample_dir / "history.csv", parse_dates=["interval_start"])
    path = tmp_path_factory.mktemp("history") / "history.csv"
    history[history["interval_start"] >= "2026-07-01"].to_csv(path, index=False)
    return path


def test_wfm_forecast_on_dask_processes_writes_the_in_process_file_byte_for_byte(
        dask_processes, short_history, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WFM_DASK_SCHEDULER", raising=False)
    args = ["forecast", str(short_history), "--start", "2026-10-19", "--days", "7",
            "--model", "auto"]
    assert main([*args, "--jobs", "1", "-o", str(tmp_path / "serial.csv")]) == 0
    assert main([*args, "--cluster", dask_processes.address,
                 "-o", str(tmp_path / "cluster.csv")]) == 0
    err = capsys.readouterr().err
    assert f"ran on Dask {dask_processes.address}: 2 worker(s)" in err
    serial = (tmp_path / "serial.csv").read_bytes()
    assert serial == (tmp_path / "cluster.csv").read_bytes()
    assert pd.read_csv(tmp_path / "serial.csv")["queue"].nunique() == 4


def test_wfm_backtest_on_dask_processes_scores_as_in_process(
        dask_processes, short_history, tmp_path, monkeypatch):
    monkeypatch.setenv("WFM_DASK_SCHEDULER", dask_processes.address)
    args = ["backtest", str(short_history), "--days", "7", "--folds", "2",
            "--models", "seasonal_naive,profile", "--no-event-windows"]
    assert main([*args, "--cluster", "none", "-o", str(tmp_path / "serial.csv")]) == 0
    assert main([*args, "-o", str(tmp_path / "cluster.csv")]) == 0  # from the variable
    serial = pd.read_csv(tmp_path / "serial.csv").drop(columns="fit_seconds")
    cluster = pd.read_csv(tmp_path / "cluster.csv").drop(columns="fit_seconds")
    pd.testing.assert_frame_equal(serial, cluster)
    assert set(serial["queue"]) == {"aftersales_chat", "email", "order_hotline",
                                    "presales_chat"}


def test_wfm_roster_of_three_sites_on_dask_processes_is_the_in_process_roster(
        dask_processes, tmp_path, capsys, monkeypatch):
    import yaml

    from scheduling.roster.synthetic import synthetic_requirements

    monkeypatch.delenv("WFM_DASK_SCHEDULER", raising=False)
    sites = ("sh", "cd", "xa")
    synthetic_requirements({f"{s}_chat": (480, 1200, 2.0) for s in sites},
                           start="2026-10-19", seed=2).to_csv(tmp_path / "req.csv",
                                                              index=False)
    pd.DataFrame({"agent_id": [f"{s}{i}" for s in sites for i in range(4)],
                  "name": [f"{s} {i}" for s in sites for i in range(4)],
                  "queues": [f"{s}_chat" for s in sites for _ in range(4)],
                  "min_hours_week": 24, "max_hours_week": 40, "max_days_week": 5,
                  "unavailable": "", "site": [s for s in sites for _ in range(4)]}
                 ).to_csv(tmp_path / "agents.csv", index=False)
    (tmp_path / "shifts.yaml").write_text(yaml.safe_dump({
        "queues": {f"{s}_chat": {"open": "08:00", "close": "20:00"} for s in sites},
        "templates": {"day": {"earliest_start": "08:00", "latest_start": "12:00",
                              "start_step": 60, "lengths": ["8:00"],
                              "breaks": [{"length": 30, "window": ["3:00", "5:00"]}]}},
        "rules": {"fairness": False}}), encoding="utf-8")
    args = ["roster", str(tmp_path / "req.csv"), "--agents", str(tmp_path / "agents.csv"),
            "--shifts", str(tmp_path / "shifts.yaml"), "--time-limit", "3", "--workers", "1"]
    assert main([*args, "-o", str(tmp_path / "serial.csv")]) == 0
    assert main([*args, "--cluster", dask_processes.address,
                 "-o", str(tmp_path / "cluster.csv")]) == 0
    out = capsys.readouterr()
    assert "3 models over 3 independent queue groups" in out.out
    assert f"queue groups solved on Dask {dask_processes.address}" in out.err
    assert (tmp_path / "serial.csv").read_bytes() == (tmp_path / "cluster.csv").read_bytes()
    assert pd.read_csv(tmp_path / "serial.csv")["agent_id"].nunique() == 12


def slow_square(x: int) -> tuple[int, str]:
    """A task long enough to be caught running when its worker is killed."""
    from distributed import get_worker

    time.sleep(1.5)
    return x * x, get_worker().address


def test_a_worker_killed_mid_run_loses_no_task(dask_processes):
    from distributed import Client

    with Client(dask_processes.address) as client:
        before = set(client.scheduler_info()["workers"])
        extra = dask_processes.add_worker()
        dask_processes.wait_for_workers(len(before) + 1)
        (doomed,) = set(client.scheduler_info()["workers"]) - before
        caught: list[str] = []

        def kill_once(fraction: float) -> None:
            if not caught and extra.poll() is None:
                caught.extend(client.processing(workers=[doomed]).get(doomed, []))
                dask_processes.kill(extra)

        results = run_tasks(slow_square, range(9), client=client, progress=kill_once)
        assert [value for value, _ in results] == [x * x for x in range(9)]
        assert caught, "the killed worker was running nothing; the test proved nothing"
        rerun = [int(str(key).rsplit("-", 1)[1]) for key in caught]
        assert all(results[i][1] != doomed for i in rerun)
        assert doomed not in client.scheduler_info()["workers"]
