"""The dashboard runs on the cluster named in its sidebar and shows it."""

from __future__ import annotations

import pytest
from dashboard_helpers import open_page

from dashboard.i18n import t
from planning import cluster as cluster_module

pytestmark = pytest.mark.usefixtures("local_server")


@pytest.fixture()
def scheduler():
    """An in-process LocalCluster's scheduler address (reachable from this process)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster:
        yield cluster.scheduler_address
        cluster_module.close_shared()


def _captions(at) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def test_without_a_cluster_the_sidebar_says_it_runs_here(plan, monkeypatch):
    monkeypatch.delenv("WFM_DASK_SCHEDULER", raising=False)
    _, plan_id = plan
    at = open_page("data", plan_id)
    assert t("cluster_none", "en") in _captions(at)
    assert [b.value for b in at.sidebar.text_input if b.label == t("cluster", "en")] == [""]


def test_the_cluster_named_in_the_settings_is_used_and_shown(plan, scheduler, monkeypatch):
    monkeypatch.setenv("WFM_DASK_SCHEDULER", scheduler)
    _, plan_id = plan
    at = open_page("data", plan_id, lang="zh")
    shown = t("cluster_status", "zh", where=scheduler, workers=2, threads=2)
    assert shown in _captions(at), [w.value for w in at.warning]
    found = cluster_module.shared_cluster(scheduler)
    assert found.map(abs, [-1, -2]) == [1, 2]


def test_a_cluster_that_cannot_be_reached_is_said_and_the_page_still_works(
        plan, monkeypatch):
    from cluster_helpers import free_port

    monkeypatch.setattr(cluster_module, "CONNECT_SECONDS", 1)
    monkeypatch.setenv("WFM_DASK_SCHEDULER", f"tcp://127.0.0.1:{free_port()}")
    _, plan_id = plan
    at = open_page("data", plan_id)
    assert any("no Dask scheduler answered" in w.value for w in at.warning)
    assert t("cluster_none", "en") in _captions(at)
    assert not at.exception
