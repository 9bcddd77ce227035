"""The team on the Roster page: the invented starter team labelled as one, an agent list
uploaded from a file (CSV or Excel) to replace it, and the shift templates as a form."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.i18n import current_language, headers, t
from dashboard.messages import message_in
from planning.defaults import shifts_for_history
from planning.plans import invalidate, plan_inputs, save_agents, save_shifts_text, starter_team
from planning.team import apply_templates_table, read_agents_file, templates_table


def starter_team_note() -> int:
    """Say so when the open plan's team is invented; returns its size (0: a real team)."""
    count = starter_team(state.workspace(), state.plan_id())
    if count:
        st.warning(t("starter_team_label", count=count))
    return count


def _queues() -> list[str]:
    history = state.frame("history")
    return sorted(history["queue"].astype(str).unique()) if history is not None else []


def _agents_upload(count: int, editable: bool) -> None:
    ws, plan_id = state.workspace(), state.plan_id()
    upload = st.file_uploader(t("team_upload_label"), type=["csv", "txt", "xlsx"],
                              key=f"team_upload_{plan_id}", disabled=not editable)
    if upload is None:
        return
    try:
        agents = read_agents_file(upload.getvalue(), upload.name, _queues())
    except ValueError as exc:
        st.error(t("team_upload_error", message=message_in(str(exc), current_language())))
        return
    st.caption(t("team_upload_preview", count=len(agents)))
    st.dataframe(headers(agents.head(50)), hide_index=True)
    label = t("team_replace") if count else t("team_use_file")
    if st.button(label, key="replace_team", type="primary", disabled=not editable):
        state.check("edit", plan_id)
        save_agents(ws, plan_id, agents)
        invalidate(ws, plan_id, "roster")
        state.record("agents", plan_id, detail=f"{len(agents)} agents from {upload.name}")
        st.rerun()


def _templates_form(editable: bool) -> None:
    ws, plan_id = state.workspace(), state.plan_id()
    text = plan_inputs(ws, plan_id).shifts_yaml
    if not text:
        history = state.frame("history")
        if history is None:
            return
        text = shifts_for_history(history)
    st.markdown(f"**{t('templates_header')}**")
    st.caption(t("templates_help"))
    edited = st.data_editor(templates_table(text), num_rows="dynamic", hide_index=True,
                            disabled=not editable, key=f"templates_editor_{plan_id}")
    if st.button(t("templates_save"), key="save_templates", disabled=not editable):
        state.check("edit", plan_id)
        try:
            new_text = apply_templates_table(text, pd.DataFrame(edited))
        except ValueError as exc:
            st.error(t("templates_error", message=message_in(str(exc), current_language())))
            return
        save_shifts_text(ws, plan_id, new_text)
        invalidate(ws, plan_id, "roster")
        state.record("shifts", plan_id, detail="shift templates edited in the form")
        st.rerun()


def team_section() -> None:
    """The starter-team label, the agent-list upload and the shift-template form."""
    count = starter_team_note()
    editable = state.allowed("edit", state.plan_id())
    with st.expander(t("team_header"), expanded=bool(count)):
        _agents_upload(count, editable)
        _templates_form(editable)
