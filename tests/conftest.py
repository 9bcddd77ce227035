from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture()
def local_server():
    """The app as `streamlit run app.py --server.address localhost` serves it: on this
    computer only, so a workspace without users needs no sign-in (dashboard/auth.py).
    The dashboard test files apply it with `pytestmark`."""
    from streamlit import config as streamlit_config

    old = streamlit_config.get_option("server.address")
    streamlit_config.set_option("server.address", "localhost")
    yield
    streamlit_config.set_option("server.address", old)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The read-only real data beside the project (../shared/data)."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled sample in data/sample."""
    return ROOT / "data" / "sample"


@pytest.fixture()
def plan(tmp_path, monkeypatch):
    """A hand-built week saved as a plan in a fresh workspace (the dashboard tests' plan)."""
    from dashboard_helpers import hand_built_plan

    from planning.workspace import Workspace

    folder = tmp_path / "workspace"
    monkeypatch.setenv("WFM_WORKSPACE", str(folder))
    ws = Workspace(folder)
    return ws, hand_built_plan(ws)
