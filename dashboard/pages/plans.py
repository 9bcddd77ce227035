"""Saved plans: reopen, publish, rename, delete; rebuild the sample.

A planner publishes the plan the team should follow; everyone sees which plans are
published, when and by whom. Viewers only open plans; a published plan is deleted
by an admin (planning/access.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.i18n import header, stamp, t
from planning.plans import SAMPLE_PLAN, open_sample_plan


def _published(plans: pd.DataFrame) -> pd.Series:
    return plans["published_at"].map(
        lambda v: t("draft") if pd.isna(v) else f"{t('published')} {stamp(v)}")


def _table() -> None:
    ws = state.workspace()
    plans = ws.list_plans()
    st.caption(t("plans_caption", folder=str(ws.folder.resolve())))
    if plans.empty:
        st.info(t("no_plans"))
        return
    shown = plans.assign(created_at=plans["created_at"].map(stamp),
                         updated_at=plans["updated_at"].map(stamp),
                         published_at=_published(plans),
                         published_by=plans["published_by"].fillna(""))
    st.dataframe(shown[["name", "published_at", "published_by", "created_at", "updated_at",
                        "source", "artifacts"]].rename(
        columns={"name": t("plan_name"), "published_at": t("published"),
                 "published_by": t("published_by"), "created_at": t("created_at"),
                 "updated_at": t("updated_at"), "source": header("source"),
                 "artifacts": t("contents")}), hide_index=True)
    names = dict(zip(plans["plan_id"], plans["name"], strict=True))
    chosen = st.selectbox(t("plan"), list(names), format_func=names.get, key="manage_plan")
    info = ws.plan(chosen)
    if info.published_at is not None:
        note = t("published_note", when=stamp(info.published_at), user=info.published_by)
        if info.updated_at > info.published_at:
            note += " " + t("changed_since_published")
        st.caption(note)
    if st.button(t("open_plan"), key="open_plan"):
        st.session_state["plan_id"] = chosen
        st.session_state.pop("step_status", None)
        st.rerun()
    locked = state.read_only_note()
    c1, c2, c3 = st.columns(3)
    if info.published_at is None:
        if c1.button(t("publish"), key="publish_plan", type="primary",
                     disabled=not state.allowed("publish")):
            state.check("publish", chosen)
            ws.publish_plan(chosen, state.user().name)
            state.record("publish", chosen)
            st.session_state["plans_notice"] = t("plan_published", name=info.name)
            st.rerun()
    elif c1.button(t("unpublish"), key="unpublish_plan", disabled=not state.allowed("publish")):
        state.check("publish", chosen)
        ws.unpublish_plan(chosen)
        state.record("unpublish", chosen)
        st.session_state["plans_notice"] = t("plan_unpublished", name=info.name)
        st.rerun()
    new_name = c2.text_input(t("rename_to"), value=names[chosen], key=f"rename_{chosen}",
                             disabled=locked)
    if c2.button(t("rename"), key="rename_plan", disabled=locked):
        state.check("edit", chosen)
        ws.rename_plan(chosen, new_name)
        state.record("rename", chosen, detail=f"{info.name} -> {new_name.strip()}")
        st.session_state["plans_notice"] = t("renamed")
        st.rerun()
    reason = state.why_not("delete", chosen)
    if reason and not locked:
        c3.caption(reason)
    sure = c3.checkbox(t("delete_confirm"), key=f"delete_sure_{chosen}",
                       disabled=reason is not None)
    if c3.button(t("delete"), key="delete_plan", disabled=reason is not None or not sure):
        state.check("delete", chosen)
        ws.delete_plan(chosen)
        state.record("delete", chosen, plan_name=info.name,
                     detail=f"with {plans.set_index('plan_id').loc[chosen, 'artifacts']}")
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
    if state.workspace().find_plan(SAMPLE_PLAN) is None and state.allowed("edit") \
            and st.button(t("new_sample"), key="rebuild_sample"):
        state.check("edit")
        with st.spinner(t("building_sample")):
            st.session_state["plan_id"] = open_sample_plan(state.workspace())
            state.record("sample", st.session_state["plan_id"],
                         detail="the bundled sample, rebuilt")
            st.session_state.pop("step_status", None)
        st.rerun()
