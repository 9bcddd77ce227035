"""What every page shares: the workspace, the open plan, cached frames, the error guard."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from planning import pipeline
from planning.workspace import Workspace, default_folder


@st.cache_resource(show_spinner=False)
def _workspace(folder: str) -> Workspace:
    return Workspace(folder)


def workspace() -> Workspace:
    """The workspace of the folder chosen in the sidebar (one object per folder)."""
    folder = st.session_state.get("workspace_folder") or str(default_folder())
    return _workspace(folder)


@st.cache_data(show_spinner=False, max_entries=64)
def _frame(_ws: Workspace, folder: str, plan_id: int, kind: str,
           version: str) -> pd.DataFrame | None:
    return _ws.load_frame(plan_id, kind)


def plan_id() -> int | None:
    """The plan open in this browser tab."""
    return st.session_state.get("plan_id")


def versions() -> dict[str, str]:
    """Saved time of each frame of the open plan (the cache key of its frames)."""
    pid = plan_id()
    return {} if pid is None else workspace().versions(pid)


def frame(kind: str) -> pd.DataFrame | None:
    """A frame of the open plan, from the cache when it has not changed."""
    pid = plan_id()
    if pid is None:
        return None
    version = versions().get(kind)
    if version is None:
        return None
    ws = workspace()
    return _frame(ws, str(ws.folder), pid, kind, version)


def settings() -> pipeline.PlanSettings:
    """The open plan's settings."""
    return pipeline.plan_settings(workspace(), plan_id())


def step_label(step: str) -> str:
    return t(f"step_{step}")


def require(kind: str, step: str) -> pd.DataFrame:
    """The frame, or a plain notice that the step is missing or not available; then stop."""
    data = frame(kind)
    if data is not None:
        return data
    note = st.session_state.get("step_status", {}).get(step, "")
    if note.startswith("unavailable"):
        st.info(t("step_unavailable", step=step_label(step)))
    elif note.startswith("blocked"):
        blocker = note.split(":", 1)[1].strip()
        st.info(t("step_blocked", step=step_label(step),
                  blocker=step_label(blocker) if blocker in pipeline.STEPS else blocker))
    else:
        if note.startswith("error:"):
            st.error(note.split(":", 1)[1].strip())
        elif note.startswith("waiting:"):
            blocker = note.split(":", 1)[1].strip()
            st.warning(t("step_waiting", step=step_label(step), blocker=step_label(blocker)))
        else:
            st.info(t("step_missing", step=step_label(step)))
        if st.button(t("run_missing"), key=f"run_missing_{step}"):
            compute(until=step)
            st.rerun()
    st.stop()


def compute(until: str = "projection", retry_failed: bool = True) -> dict[str, str]:
    """Run the open plan's missing steps with a progress bar per step."""
    pid = plan_id()
    bar = st.progress(0.0, text=t("computing", step=step_label(pipeline.STEPS[0])))

    def on(step: str, fraction: float) -> None:
        done = pipeline.STEPS.index(step) + fraction
        bar.progress(min(done / len(pipeline.STEPS), 1.0),
                     text=t("computing", step=step_label(step)))

    status = pipeline.run_plan(workspace(), pid, until=until, progress=on,
                               retry_failed=retry_failed)
    bar.empty()
    st.session_state.setdefault("step_status", {}).update(status)
    return status


def downloads(name: str, data: pd.DataFrame, key: str) -> None:
    """CSV and Excel download buttons for one frame."""
    left, right = st.columns(2)
    left.download_button(t("download_csv"), pipeline.to_csv_bytes(data),
                         file_name=f"{name}.csv", mime="text/csv", key=f"{key}_csv",
                         on_click="ignore")
    right.download_button(
        t("download_excel"), pipeline.to_excel_bytes({name: data}), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", on_click="ignore")


@contextmanager
def page_guard() -> Iterator[None]:
    """Show a planner's error as a message and anything else as a short notice, never a
    traceback (Streamlit's own stop/rerun signals pass through)."""
    try:
        yield
    except pipeline.StepUnavailable as exc:
        st.info(t("step_unavailable", step=step_label(exc.step)))
    except (ValueError, FileNotFoundError, KeyError) as exc:
        st.error(str(exc))
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        traceback.print_exc()
        st.error(t("unexpected_error", kind=type(exc).__name__, message=str(exc)[:300]))
