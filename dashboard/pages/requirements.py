"""Requirements page: staff needed per queue, day and interval; queue settings editable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures import requirements_heatmap
from dashboard.i18n import current_language, from_headers, header, headers, num, t
from planning.defaults import DEFAULT_INTERVAL_MINUTES, check_queue_settings
from planning.plans import invalidate
from scheduling.frames import interval_minutes


def _metrics(requirements: pd.DataFrame) -> None:
    minutes = interval_minutes(requirements, default=DEFAULT_INTERVAL_MINUTES)
    per_interval = requirements.groupby("interval_start")["staff"].sum()
    hours = requirements["staff"].sum() * minutes / 60.0
    cols = st.columns(2 + min(requirements["queue"].nunique(), 4))
    cols[0].metric(t("req_peak"), num(per_interval.max()))
    cols[1].metric(t("req_hours"), num(hours))
    peaks = requirements.groupby("queue")["staff"].max()
    for i, (queue, peak) in enumerate(peaks.items()):
        if 2 + i < len(cols):
            cols[2 + i].metric(f"{queue} · {t('req_peak')}", num(peak))


def _notes() -> None:
    """What the staffing assumed (intervals missing inside a day get no staff)."""
    meta = state.workspace().frame_meta(state.plan_id(), "requirements") or {}
    for note in meta.get("notes") or []:
        st.warning(t("req_note", note=state.shown_error(note)))


def _settings_editor() -> None:
    st.subheader(t("queue_settings"))
    current = state.frame("queue_settings")
    if current is None:
        return
    st.caption(t("queue_settings_help"))
    locked = state.read_only_note()
    rates = {header(c): st.column_config.NumberColumn(format="percent")  # 0.8 shown as 80%
             for c in ("service_level", "max_occupancy", "shrinkage") if c in current.columns}
    edited = st.data_editor(headers(current), hide_index=True, column_config=rates,
                            disabled=True if locked else [header("queue")],
                            key=f"queue_settings_editor_{state.plan_id()}_{current_language()}")
    if st.button(t("save_settings"), key="save_queue_settings", disabled=locked):
        state.check("edit", state.plan_id())
        checked = check_queue_settings(from_headers(pd.DataFrame(edited), current.columns))
        ws = state.workspace()
        ws.save_frame(state.plan_id(), "queue_settings", checked)
        state.record("queue_settings", state.plan_id(),
                     detail=f"{len(checked)} queues: {', '.join(map(str, checked['queue']))}")
        invalidate(ws, state.plan_id(), "requirements")
        state.compute()
        st.session_state["queue_settings_saved"] = True
        st.rerun()
    if st.session_state.pop("queue_settings_saved", False):
        st.success(t("settings_saved"))


with state.page_guard():
    st.title(t("req_title"))
    requirements = state.require("requirements", "requirements")
    _notes()
    _metrics(requirements)
    queue = st.selectbox(t("queue"), sorted(requirements["queue"].astype(str).unique()),
                         key="req_queue")
    st.plotly_chart(requirements_heatmap(requirements, queue), width="stretch")
    state.downloads("requirements", requirements, "dl_requirements")
    _settings_editor()
