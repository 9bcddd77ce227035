"""Data page: the open plan's contact history, and importing a planner's own file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures import daily_contacts_figure, intraday_figure
from dashboard.i18n import current_language, day, headers, minutes_label, num, t
from planning.contract import ImportReport
from planning.imports import import_history, import_profiles, profile_text
from planning.plans import create_plan
from planning.settings import PlanSettings


@st.cache_data(show_spinner=False, max_entries=8)
def _import(digest: str, _data: bytes, file_name: str, profile: str | None,
            profile_yaml: str | None, interval: str):
    """Parse an upload once per (file, profile, interval); errors are returned, not raised."""
    try:
        history, summary = import_history(_data, file_name, profile=profile,
                                          profile_yaml=profile_yaml or None,
                                          interval=interval)
        return history, summary, None
    except (ValueError, FileNotFoundError) as exc:
        return None, None, str(exc)


def _profile_label(auto: str):
    # Built with the label already translated: AppTest calls it outside the session.
    return lambda name: name or auto


def _minutes_label():
    lang = current_language()
    return lambda freq: minutes_label(freq, lang)


def _upload_section() -> None:
    st.subheader(t("upload_header"))
    if state.read_only_note():
        return
    upload = st.file_uploader(t("upload_label"),
                              type=["csv", "tsv", "txt", "xlsx", "xls", "parquet", "gz"],
                              key="upload")
    profiles = import_profiles()
    left, right = st.columns(2)
    choice = left.selectbox(t("profile"), ["", *profiles], key="profile",
                            format_func=_profile_label(t("profile_auto")))
    interval = right.selectbox(t("interval"), ["30min", "15min", "60min"], key="interval",
                               format_func=_minutes_label())
    profile_yaml = None
    with st.expander(t("profile_edit")):
        start_text = profile_text(choice) if choice else ""
        text = st.text_area("YAML", value=start_text, height=240, key=f"profile_yaml_{choice}")
        if st.checkbox(t("profile_custom"), key="use_custom_profile"):
            profile_yaml = text
    if upload is None:
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    with st.spinner(t("import_preview")):
        history, summary, error = _import(digest, data, upload.name, choice or None,
                                          profile_yaml, interval)
    if error:
        st.error(t("import_error", message=error))
        return
    _show_summary(summary)
    st.markdown(f"**{t('import_preview')}**")
    st.dataframe(headers(history.head(200)), hide_index=True)
    suggested = state.workspace().unique_name(Path(upload.name).stem)
    name = st.text_input(t("plan_name"), value=suggested, key="new_plan_name")
    if st.button(t("save_as_plan"), type="primary", key="save_upload"):
        state.check("edit")
        ws = state.workspace()
        plan_id = create_plan(ws, name, history, source=f"upload:{upload.name}",
                              settings=PlanSettings(), import_summary=summary)
        state.record("import", plan_id, detail=f"{summary.file or upload.name}: "
                     f"{len(history)} intervals, "
                     f"{history['queue'].nunique()} queues")
        st.session_state["plan_id"] = plan_id
        st.session_state.pop("step_status", None)
        st.session_state["step_status"] = state.compute()
        st.success(t("saved_plan", name=name))
        st.rerun()


def _show_summary(summary: ImportReport) -> None:
    read, used = summary.rows_read, summary.rows_used
    if read is not None:
        st.success(t("import_summary", read=num(read), used=num(used),
                     excluded=num(summary.rows_excluded)))
    if summary.text:
        st.text(summary.text)
    excluded = summary.excluded
    if excluded:
        with st.expander(t("import_excluded")):
            st.dataframe(headers(pd.DataFrame({"reason": list(excluded),
                                               "rows": list(excluded.values())})),
                         hide_index=True)


def _history_section() -> None:
    history = state.frame("history")
    if history is None:
        st.info(t("no_plans"))
        return
    info = state.workspace().plan(state.plan_id())
    st.caption(t("data_caption", plan=info.name, rows=num(len(history)),
                 first=day(history["interval_start"].min()),
                 last=day(history["interval_start"].max()),
                 queues=history["queue"].nunique()))
    totals = history.groupby("queue")["contacts"].sum()
    cols = st.columns(min(len(totals), 6))
    for i, (queue, total) in enumerate(totals.items()):
        cols[i % len(cols)].metric(str(queue), num(total))
    st.plotly_chart(daily_contacts_figure(history), width="stretch")
    queue = st.selectbox(t("queue"), sorted(totals.index.astype(str)), key="data_queue")
    st.plotly_chart(intraday_figure(history, queue), width="stretch")


with state.page_guard():
    st.title(t("data_title"))
    _history_section()
    st.divider()
    _upload_section()
