"""What every page shares: the workspace, the signed-in user and what they may do, the
open plan, cached frames, the audit trail, the error guard."""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from dashboard.i18n import current_language, t
from dashboard.messages import message_in
from planning import access, audit
from planning.cluster import ENV, Cluster, ClusterError, shared_cluster, workers
from planning.contract import StepState, StepStatus
from planning.exports import to_csv_bytes, to_excel_bytes
from planning.plans import STEPS, plan_settings, run_plan
from planning.roles import User
from planning.settings import PlanSettings
from planning.workspace import PlanInfo, Workspace, default_folder

_USER = "wfm_user"


@st.cache_resource(show_spinner=False)
def _workspace(folder: str) -> Workspace:
    return Workspace(folder)


def folder() -> str:
    """The workspace folder chosen in the sidebar (else $WFM_WORKSPACE or ./workspace)."""
    return st.session_state.get("workspace_folder") or str(default_folder())


def workspace() -> Workspace:
    """The workspace of the folder chosen in the sidebar (one object per folder)."""
    return _workspace(folder())


def cluster_name() -> str:
    """The Dask cluster chosen in the sidebar (else $WFM_DASK_SCHEDULER; empty: none)."""
    return st.session_state.get("cluster_name", os.environ.get(ENV, ""))


def cluster() -> Cluster:
    """Where the steps' independent parts run: the sidebar's cluster, connected once per
    server; this process when none is named, or (with a warning saying why) when the
    named one cannot be used. Only this process writes the workspace."""
    try:
        return shared_cluster(st.session_state.get("cluster_name"), source=t("cluster"))
    except ClusterError as exc:
        st.warning(t("cluster_unavailable", error=shown_error(exc)))
        return Cluster()


def cluster_caption() -> str:
    """One line for the sidebar: where the work runs."""
    found = cluster()
    if found.client is None:
        return t("cluster_none")
    count, threads = workers(found)
    return t("cluster_status", where=found.address, workers=count, threads=threads)


# who is using the app ------------------------------------------------------

def set_user(user: User | None) -> None:
    """Called by app.py on every run once the user is known (see dashboard/auth.py)."""
    st.session_state[_USER] = user


def user() -> User | None:
    """The signed-in user (or the person at this computer in single-user mode)."""
    return st.session_state.get(_USER)


def _plan_info(plan: int | None) -> PlanInfo | None:
    return None if plan is None else workspace().plan(plan)


def why_not(action: str, plan: int | None = None) -> str | None:
    """Why the user may not do `action` (on plan id `plan`), or None."""
    return access.why_not(user(), action, _plan_info(plan))


def allowed(action: str, plan: int | None = None) -> bool:
    """Whether the user may do `action`: pages disable controls that they may not use."""
    return why_not(action, plan) is None


def check(action: str, plan: int | None = None) -> None:
    """Refuse (AccessDenied, shown by page_guard) unless the user may do `action`; called
    before every change, whatever the controls on screen allow."""
    access.require(user(), action, _plan_info(plan))


def read_only_note(action: str = "edit") -> bool:
    """Say why this page's changes are off for the user; True when they are."""
    reason = why_not(action)
    if reason is not None:
        st.info(t("read_only", reason=reason))
        return True
    return False


def record(action: str, plan: int | None = None, detail: str = "",
           plan_name: str | None = None) -> None:
    """Add a row to the workspace's audit trail under the signed-in user."""
    who = user()
    audit.record(workspace(), who.name if who else "?", action, plan_id=plan,
                 plan_name=plan_name, detail=detail)


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


def settings() -> PlanSettings:
    """The open plan's settings."""
    return plan_settings(workspace(), plan_id())


def shown_error(message: object) -> str:
    """An error message from the libraries (a step's, a validation's) in the language
    chosen in the sidebar, naming the same file, row, column, queue or agent."""
    return message_in(str(message), current_language())


def step_label(step: str) -> str:
    return t(f"step_{step}")


def require(kind: str, step: str) -> pd.DataFrame:
    """The frame, or a plain notice that the step failed, waits or is missing; then stop."""
    data = frame(kind)
    if data is not None:
        return data
    note: StepStatus | None = st.session_state.get("step_status", {}).get(step)
    if note is not None and note.state is StepState.ERROR:
        st.error(shown_error(note.message))
    elif note is not None and note.state is StepState.WAITING:
        st.warning(t("step_waiting", step=step_label(step),
                     blocker=step_label(note.waiting_for)))
    else:
        st.info(t("step_missing", step=step_label(step)))
    if allowed("edit"):
        if st.button(t("run_missing"), key=f"run_missing_{step}"):
            compute(until=step)
            st.rerun()
    else:
        read_only_note()
    st.stop()


def step_progress(text: Callable[[str], str]) -> tuple[object, Callable[[str, float], None]]:
    """A progress bar over the plan's steps and the callback that moves it.

    The callback may be called from the roster solver's worker threads (CP-SAT reports
    solutions from whichever worker found them), so it carries this page's script context
    to the thread that calls it; without it Streamlit refuses the update."""
    bar = st.progress(0.0, text=text(STEPS[0]))
    ctx = get_script_run_ctx()

    def on(step: str, fraction: float) -> None:
        if ctx is not None and get_script_run_ctx(suppress_warning=True) is None:
            add_script_run_ctx(threading.current_thread(), ctx)
        done = (STEPS.index(step) + min(max(float(fraction), 0.0), 1.0))
        bar.progress(min(done / len(STEPS), 1.0), text=text(step))

    return bar, on


def compute(until: str = "projection", retry_failed: bool = True) -> dict[str, StepStatus]:
    """Run the open plan's missing steps with a progress bar per step; each step that
    ran is recorded in the audit trail."""
    pid = plan_id()
    check("edit", pid)
    bar, on = step_progress(lambda step: t("computing", step=step_label(step)))
    status = run_plan(workspace(), pid, until=until, progress=on, retry_failed=retry_failed,
                      mapper=cluster().mapper())
    bar.empty()
    st.session_state.setdefault("step_status", {}).update(status)
    for step, outcome in status.items():
        if outcome.state is StepState.DONE:
            record(step, pid, detail="computed")
        elif outcome.failed:
            record(step, pid, detail=str(outcome)[:300])
    return status


def downloads(name: str, data: pd.DataFrame, key: str) -> None:
    """CSV and Excel download buttons for one frame."""
    left, right = st.columns(2)
    left.download_button(t("download_csv"), to_csv_bytes(data),
                         file_name=f"{name}.csv", mime="text/csv", key=f"{key}_csv",
                         on_click="ignore")
    right.download_button(
        t("download_excel"), to_excel_bytes({name: data}), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", on_click="ignore")


@contextmanager
def page_guard() -> Iterator[None]:
    """Show a planner's error as a message and anything else as a short notice, never a
    traceback (Streamlit's own stop/rerun signals pass through)."""
    try:
        yield
    except PermissionError as exc:
        st.error(shown_error(exc))
    except (ValueError, FileNotFoundError, KeyError) as exc:
        st.error(shown_error(exc))
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        traceback.print_exc()
        st.error(t("unexpected_error", kind=type(exc).__name__,
                   message=shown_error(str(exc)[:300])))
