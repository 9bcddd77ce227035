"""Saved plans: reopen, rename, delete; rebuild the sample."""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.i18n import header, stamp, t
from planning import pipeline


def _table() -> None:
    ws = state.workspace()
    plans = ws.list_plans()
    st.caption(t("plans_caption", folder=str(ws.folder.resolve())))
    if plans.empty:
        st.info(t("no_plans"))
        return
    shown = plans.assign(created_at=plans["created_at"].map(stamp),
                         updated_at=plans["updated_at"].map(stamp))
    st.dataframe(shown[["name", "created_at", "updated_at", "source", "artifacts"]].rename(
        columns={"name": t("plan_name"), "created_at": t("created_at"),
                 "updated_at": t("updated_at"), "source": header("source"),
                 "artifacts": t("contents")}), hide_index=True)
    names = dict(zip(plans["plan_id"], plans["name"], strict=True))
    chosen = st.selectbox(t("plan"), list(names), format_func=names.get, key="manage_plan")
    c1, c2, c3 = st.columns(3)
    if c1.button(t("open_plan"), key="open_plan"):
        st.session_state["plan_id"] = chosen
        st.session_state.pop("step_status", None)
        st.rerun()
    new_name = c2.text_input(t("rename_to"), value=names[chosen], key=f"rename_{chosen}")
    if c2.button(t("rename"), key="rename_plan"):
        ws.rename_plan(chosen, new_name)
        st.session_state["plans_notice"] = t("renamed")
        st.rerun()
    sure = c3.checkbox(t("delete_confirm"), key=f"delete_sure_{chosen}")
    if c3.button(t("delete"), key="delete_plan", disabled=not sure):
        ws.delete_plan(chosen)
        if st.session_state.get("plan_id") == chosen:
            st.session_state.pop("plan_id", None)
            st.session_state.pop("step_status", None)
        st.session_state["plans_notice"] = t("deleted")
        st.rerun()


with state.page_guard():
    st.title(t("plans_title"))
    notice = st.session_state.pop("plans_notice", None)
    if notice:
        st.success(notice)
    _table()
    if state.workspace().find_plan(pipeline.SAMPLE_PLAN) is None and \
            st.button(t("new_sample"), key="rebuild_sample"):
        with st.spinner(t("building_sample")):
            st.session_state["plan_id"] = pipeline.open_sample_plan(state.workspace())
            st.session_state.pop("step_status", None)
        st.rerun()
