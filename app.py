"""The Streamlit entry point: `streamlit run app.py`.

Asks who is there first (dashboard/auth.py: sign-in when the workspace has users
or an identity provider is set up, else single-user mode on this computer), then
opens on the bundled sample with every step computed (built once, then kept in
the workspace), with the shared sidebar: language, user, workspace folder, plan.
"""

import os

import pandas as pd
import streamlit as st

from dashboard import auth, state
from dashboard.i18n import LANGUAGES, t
from planning.contract import StepState
from planning.plans import open_sample_plan, plan_status, run_plan
from planning.roles import User

st.set_page_config(page_title="wfm planner", layout="wide")
# Pages catch errors themselves; should anything slip through, show its type, never a
# traceback (WFM_DEBUG=1 shows the details, as for the `wfm` command).
if not os.environ.get("WFM_DEBUG"):
    st.set_option("client.showErrorDetails", "type")

with st.sidebar:
    st.selectbox(t("language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang")


def _who() -> User | None:
    """The signed-in user; None (with the sign-in form or the refusal shown) if nobody."""
    user = None
    with state.page_guard():
        user = auth.sign_in()
    state.set_user(user)
    return user


def _plan_chosen() -> None:
    st.session_state["plan_id"] = st.session_state["plan_select"]
    st.session_state.pop("step_status", None)


def _open_plan() -> None:
    ws = state.workspace()
    plans = ws.list_plans()
    if plans.empty and not state.allowed("edit"):
        st.info(t("no_plans_viewer"))
        return
    if plans.empty:
        state.check("edit")
        with st.status(t("building_sample"), expanded=True) as box:
            _, on = state.step_progress(
                lambda step: t("computing", step=state.step_label(step)))
            plan_id = open_sample_plan(ws, compute=False)
            state.record("sample", plan_id, detail="the bundled sample, built on first start")
            status = run_plan(ws, plan_id, progress=on)
            st.session_state["step_status"] = status
            failed = any(v.failed for v in status.values())
            box.update(label=t("sample_ready"), state="error" if failed else "complete",
                       expanded=False)
        plans = ws.list_plans()
    ids = plans["plan_id"].tolist()
    names = {pid: name + (f" · {t('published')}" if pd.notna(when) else "")
             for pid, name, when in zip(plans["plan_id"], plans["name"],
                                        plans["published_at"], strict=True)}
    if st.session_state.get("plan_id") not in ids:
        st.session_state["plan_id"] = ids[0]
        st.session_state.pop("step_status", None)
    st.session_state["plan_select"] = st.session_state["plan_id"]
    with st.sidebar:
        st.selectbox(t("plan"), ids, format_func=names.get, key="plan_select",
                     on_change=_plan_chosen)
    if "step_status" not in st.session_state:
        known = plan_status(ws, st.session_state["plan_id"])
        if any(v.state is StepState.MISSING for v in known.values()) and state.allowed("edit"):
            known = state.compute(retry_failed=False)
        st.session_state["step_status"] = known


def _pages() -> list:
    pages = [
        st.Page("dashboard/pages/data.py", title=t("page_data"), url_path="data", default=True),
        st.Page("dashboard/pages/forecast.py", title=t("page_forecast"), url_path="forecast"),
        st.Page("dashboard/pages/requirements.py", title=t("page_requirements"),
                url_path="requirements"),
        st.Page("dashboard/pages/roster.py", title=t("page_roster"), url_path="roster"),
        st.Page("dashboard/pages/response_times.py", title=t("page_response"),
                url_path="response-times"),
        st.Page("dashboard/pages/plans.py", title=t("page_plans"), url_path="plans"),
        st.Page("dashboard/pages/scenarios.py", title=t("page_scenarios"),
                url_path="scenarios"),
        st.Page("dashboard/pages/today.py", title=t("page_today"), url_path="today"),
        st.Page("dashboard/pages/capacity.py", title=t("page_capacity"), url_path="capacity"),
    ]
    if state.allowed("manage_users"):  # the admin page is not even listed for others
        pages.append(st.Page("dashboard/pages/admin.py", title=t("page_admin"),
                             url_path="admin"))
    return pages


def main() -> None:
    user = _who()
    if user is None:
        return
    with st.sidebar:
        auth.sidebar(user)
    with state.page_guard():
        _open_plan()
    st.navigation(_pages()).run()


main()
