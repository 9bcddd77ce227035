"""Saving a plan is one transaction: a kill at any moment leaves the old plan or the new
one, whole (real DuckDB, a real process killed mid-save); a published plan is never
replaced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from planning.workspace import Workspace

KINDS = ("forecast", "requirements", "roster", "coverage", "projection")
ROWS = 60_000


def _frames(version: int) -> dict[str, pd.DataFrame]:
    return {kind: pd.DataFrame({"version": [version] * ROWS, "value": range(ROWS)})
            for kind in KINDS}


SAVER = textwrap.dedent(f"""
    import sys
    import pandas as pd
    from planning.workspace import Workspace
    ws = Workspace(sys.argv[1])
    frames = {{kind: pd.DataFrame({{"version": [2] * {ROWS}, "value": range({ROWS})}})
              for kind in {KINDS!r}}}
    print("saving", flush=True)
    while True:
        saved = ws.replace_plan("Scenario: peak", frames, source="scenario")
        print("saved", saved.plan_id, flush=True)
""")


def _versions(folder: Path) -> set[tuple[str, int]]:
    ws = Workspace(folder)
    plan = ws.find_plan("Scenario: peak")
    assert plan is not None, "the plan is gone"
    found = set()
    for kind in KINDS:
        frame = ws.load_frame(plan.plan_id, kind)
        assert frame is not None, f"{kind} missing after the kill"
        assert len(frame) == ROWS
        found.add((kind, int(frame["version"].iloc[0])))
    return {v for _, v in found}


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8, 1.5])
def test_a_kill_mid_save_leaves_one_whole_plan(tmp_path, delay):
    folder = tmp_path / "workspace"
    ws = Workspace(folder)
    ws.replace_plan("Scenario: peak", _frames(1), source="scenario")
    proc = subprocess.Popen([sys.executable, "-c", SAVER, str(folder)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "saving"
        time.sleep(delay)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    versions = _versions(folder)
    assert len(versions) == 1, f"frames of two versions mixed: {versions}"
    assert len(Workspace(folder).list_plans()) == 1


def test_re_saving_never_replaces_a_published_plan(tmp_path):
    ws = Workspace(tmp_path / "workspace")
    first = ws.replace_plan("Scenario: peak", _frames(1), source="scenario")
    ws.publish_plan(first.plan_id, "lead")
    again = ws.replace_plan("Scenario: peak", _frames(2), source="scenario")
    assert again.kept_published == first.plan_id and again.replaced is None
    assert again.name == "Scenario: peak (2)"
    assert ws.plan(first.plan_id).published_by == "lead"
    assert int(ws.load_frame(first.plan_id, "roster")["version"].iloc[0]) == 1


def test_re_saving_a_draft_replaces_it(tmp_path):
    ws = Workspace(tmp_path / "workspace")
    first = ws.replace_plan("Scenario: peak", _frames(1), source="scenario")
    again = ws.replace_plan("Scenario: peak", _frames(2), source="scenario")
    assert again.replaced == first.plan_id and again.name == "Scenario: peak"
    assert len(ws.list_plans()) == 1


def test_a_failure_inside_atomic_changes_nothing(tmp_path):
    ws = Workspace(tmp_path / "workspace")
    plan_id = ws.create_plan("p")
    with pytest.raises(RuntimeError), ws.atomic():
        ws.save_frame(plan_id, "forecast", _frames(1)["forecast"])
        ws.rename_plan(plan_id, "q")
        raise RuntimeError("killed")
    assert ws.find_plan("p") is not None and ws.load_frame(plan_id, "forecast") is None


def test_workspace_file_is_readable_by_its_owner_only(tmp_path):
    ws = Workspace(tmp_path / "workspace")
    ws.create_plan("p")
    for path in ws.folder.iterdir():
        if path.name.startswith("wfm.duckdb"):
            assert path.stat().st_mode & 0o077 == 0, (path, oct(path.stat().st_mode))
