"""planning.cluster: naming a cluster, mapping in order in-process and on a LocalCluster,
and the messages a planner sees when the cluster cannot be used."""

from __future__ import annotations

import pytest
from cluster_helpers import free_port

from planning import cluster as cluster_module
from planning.cli import main
from planning.cluster import ClusterError, cluster_address, open_cluster, run_tasks


@pytest.fixture(scope="module")
def client():
    """A small in-process LocalCluster (threads, no worker processes)."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        yield client


def test_nothing_named_means_in_process():
    assert cluster_address(None, env={}) is None
    assert cluster_address("none", env={"WFM_DASK_SCHEDULER": "local"}) is None
    assert cluster_address("", env={}) is None


def test_the_option_wins_over_the_environment_variable():
    env = {"WFM_DASK_SCHEDULER": "tcp://10.0.0.5:8786"}
    assert cluster_address(None, env=env) == "tcp://10.0.0.5:8786"
    assert cluster_address("local", env=env) == "local"
    assert cluster_address("LOCAL:3", env=env) == "local:3"
    assert cluster_address("sched.example:8786", env={}) == "tcp://sched.example:8786"


@pytest.mark.parametrize(("value", "words"), [
    ("locale", "is not a cluster"), ("http://x:8787", "is not a cluster"),
    ("local:0", "local:1 to local:256"),
])
def test_a_value_that_is_no_cluster_is_refused_naming_the_option(value, words):
    with pytest.raises(ClusterError, match=f"--cluster: .*{words}"):
        cluster_address(value, env={})


def test_a_bad_environment_variable_is_named_in_the_message():
    with pytest.raises(ClusterError, match="WFM_DASK_SCHEDULER: 'ftp://x' is not"):
        cluster_address(None, env={"WFM_DASK_SCHEDULER": "ftp://x"})


def _square(x: int) -> int:
    return x * x


def _fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("queue 3: no model could be fitted")
    return x


def test_run_tasks_returns_results_in_order_in_process_and_on_a_cluster(client):
    seen: list[float] = []
    serial = run_tasks(_square, range(11))
    # a window of 3 keeps most tasks waiting on the client: order must still hold
    on_cluster = run_tasks(_square, range(11), client=client, progress=seen.append,
                           window=3)
    assert serial == on_cluster == [x * x for x in range(11)]
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 11
    assert run_tasks(_square, [], client=client) == []


def test_a_task_error_reaches_the_caller_as_itself(client):
    with pytest.raises(ValueError, match="queue 3: no model"):
        run_tasks(_fail_on_three, range(8), client=client)


def test_the_forecast_library_through_the_mapper_matches_its_own_loop(client, sample_dir):
    import pandas as pd

    from forecasting.forecaster import forecast

    history = pd.read_csv(sample_dir / "history.csv", parse_dates=["interval_start"])
    history = history[history["interval_start"] >= "2026-08-01"]
    own = forecast(history, "2026-10-19", 3, model="weekday_mean")
    mapped = forecast(history, "2026-10-19", 3, model="weekday_mean",
                      mapper=lambda fn, items: run_tasks(fn, items, client=client))
    pd.testing.assert_frame_equal(own.forecast, mapped.forecast)
    assert own.notes == mapped.notes and own.models == mapped.models


def test_in_process_cluster_describes_itself_and_gives_no_mapper(monkeypatch):
    monkeypatch.delenv("WFM_DASK_SCHEDULER", raising=False)
    with open_cluster(None) as cluster:
        assert cluster.client is None and cluster.mapper() is None
        assert cluster.describe() == "in this process"
        assert cluster.map(_square, [2, 3]) == [4, 9]


def test_wfm_with_a_scheduler_nobody_runs_says_how_to_start_one(
        monkeypatch, capsys, sample_dir, tmp_path):
    monkeypatch.setattr(cluster_module, "CONNECT_SECONDS", 1)
    address = f"tcp://127.0.0.1:{free_port()}"
    code = main(["forecast", str(sample_dir / "history.csv"), "--start", "2026-10-19",
                 "--days", "1", "--cluster", address, "-o", str(tmp_path / "f.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--cluster {address}: no Dask scheduler answered" in err
    assert "dask scheduler" in err and "Traceback" not in err
    assert not (tmp_path / "f.csv").exists()


def test_wfm_with_a_bad_cluster_value_exits_2_naming_the_option(capsys, sample_dir):
    code = main(["backtest", str(sample_dir / "history.csv"), "--cluster", "nowhere"])
    assert code == 2
    assert "--cluster: 'nowhere' is not a cluster" in capsys.readouterr().err


def _exit_worker(x: int) -> int:
    import os

    if x == 1:
        os._exit(1)  # the worker process dies with the task
    return x


@pytest.mark.slow
def test_a_task_that_keeps_killing_its_worker_is_reported_clearly():
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                         dashboard_address=":0") as cluster, Client(cluster) as client, \
            pytest.raises(ClusterError, match="lost with its worker several times"):
        run_tasks(_exit_worker, [0, 1, 2], client=client)
