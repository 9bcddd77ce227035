"""Data page: the open plan's contact history, and importing a planner's own file.

A file no shipped or saved profile recognises is read by a column mapping: guessed
from its headers, shown as a form (role <- column) where the planner settles what
the guess could not, previewed, and saved as a named profile in the workspace so the
next file with the same headers is recognised.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures import daily_contacts_figure, intraday_figure
from dashboard.i18n import current_language, day, headers, minutes_label, num, t
from dashboard.messages import message_in, summary_in
from forecasting.history import HistoryError
from planning.contract import ImportReport
from planning.imports import (
    ColumnMapping,
    import_history,
    import_profiles,
    inspect_upload,
    mapping_profile_text,
    preview_rows,
    profile_source,
    profile_text,
    save_profile,
    saved_profiles,
)
from planning.plans import create_plan
from planning.settings import PlanSettings
from planning.steps import guess_calendar

KINDS = ("contacts", "intervals")


def _problem(exc: Exception) -> dict:
    """An import error as its parts, so the page can say where in the planner's language."""
    if isinstance(exc, HistoryError):
        return {"file": exc.file, "row": exc.row, "column": exc.column, "reason": exc.reason}
    return {"file": None, "row": None, "column": None, "reason": str(exc)}


@st.cache_data(show_spinner=False, max_entries=8)
def _import(digest: str, _data: bytes, file_name: str, profile: str | None,
            profile_yaml: str | None, interval: str, mapping: str | None = None,
            folder: str | None = None, saved: tuple[str, ...] = ()):
    """Parse an upload once per (file, profile, mapping, interval); errors are returned as
    their parts (file, row, column, reason), not raised."""
    try:
        known = saved_profiles(folder) if folder else []
        history, summary = import_history(
            _data, file_name, profile=profile, profile_yaml=profile_yaml or None,
            interval=interval, known=known,
            mapping=ColumnMapping.from_json(mapping) if mapping else None)
        return history, summary, None
    except (ValueError, FileNotFoundError) as exc:
        return None, None, _problem(exc)


@st.cache_data(show_spinner=False, max_entries=8)
def _inspect(digest: str, _data: bytes, file_name: str, folder: str,
             saved: tuple[str, ...]):
    """The recognised profile or the guessed mapping of an upload (or the problem)."""
    try:
        return inspect_upload(_data, file_name, known=saved_profiles(folder)).to_json(), None
    except (ValueError, FileNotFoundError) as exc:
        return None, _problem(exc)


def _where(problem: dict, lang: str) -> str:
    """File, row and column of a problem in the chosen language."""
    parts = []
    if problem.get("file"):
        parts.append(str(problem["file"]))
    row = problem.get("row")
    if row:
        line = re.fullmatch(r"line (\d+)", row)
        sheet = re.fullmatch(r"sheet '(.*)' row (\d+)", row)
        if line:
            parts.append(t("where_line", lang, line=line.group(1)))
        elif sheet:
            parts.append(t("where_sheet_row", lang, sheet=sheet.group(1), row=sheet.group(2)))
        else:
            parts.append(row)
    if problem.get("column"):
        parts.append(t("where_column", lang, column=problem["column"]))
    return ("，" if lang == "zh" else ", ").join(parts)


def _show_problem(problem: dict) -> None:
    lang = current_language()
    st.error(t("import_problem", where=_where(problem, lang) or "–",
               reason=message_in(str(problem["reason"]), lang)))


def _role_label(role: str) -> str:
    return t(f"role_{role}")


def _none_label(none: str):
    return lambda header: header or none


def _kind_label():
    lang = current_language()
    return lambda kind: t(f"kind_{kind}", lang)


def _mapping_form(found: ColumnMapping, key: str, file_name: str) -> ColumnMapping | None:
    """The role <- column form, pre-filled with the guess; None until the required roles
    have a column."""
    unsettled = bool(found.candidates or found.kinds)
    lacking = [r for r in found.missing() if r not in found.candidates]
    if lacking and not found.kinds:
        # the first problem: no header looks like a required role
        _show_problem({"file": file_name, "row": f"line {found.skip_rows + 1}", "column": None,
                       "reason": t("mapping_missing",
                                   roles=", ".join(_role_label(r) for r in lacking))})
    with st.expander(t("mapping_header"), expanded=True):
        if unsettled:
            listed = "; ".join(f"{_role_label(r)}: {' / '.join(h)}"
                               for r, h in found.candidates.items())
            if found.kinds:
                listed = "; ".join(x for x in (t("mapping_kind_both"), listed) if x)
            st.warning(t("mapping_ambiguous", candidates=listed))
        else:
            st.caption(t("mapping_guessed"))
        kind = st.radio(t("mapping_kind"), KINDS, index=KINDS.index(found.kind),
                        format_func=_kind_label(), horizontal=True, key=f"map_kind_{key}")
        draft = ColumnMapping(kind=kind, roles=dict(found.roles), headers=found.headers,
                              skip_rows=found.skip_rows)
        options = ["", *found.headers]
        roles: dict[str, str] = {}
        columns = st.columns(4)
        for i, role in enumerate(draft.form_roles()):
            default = found.roles.get(role, "")
            hint = (t("mapping_candidates", headers=" / ".join(found.candidates[role]))
                    if role in found.candidates else None)
            choice = columns[i % 4].selectbox(
                _role_label(role), options,
                index=options.index(default) if default in options else 0,
                format_func=_none_label(t("mapping_none")), help=hint,
                key=f"map_{role}_{kind}_{key}")
            if choice:
                roles[role] = choice
        draft.roles = roles
        missing = draft.missing()
        if missing:
            st.info(t("mapping_missing", roles=", ".join(_role_label(r) for r in missing)))
            return None
        return draft


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
    folder = str(state.workspace().folder)
    profiles = import_profiles(folder)
    left, right = st.columns(2)
    choice = left.selectbox(t("profile"), ["", *profiles], key="profile",
                            format_func=_profile_label(t("profile_auto")))
    interval = right.selectbox(t("interval"), ["30min", "15min", "60min"], key="interval",
                               format_func=_minutes_label())
    profile_yaml = None
    with st.expander(t("profile_edit")):
        start_text = profile_text(choice, folder) if choice else ""
        text = st.text_area("YAML", value=start_text, height=240, key=f"profile_yaml_{choice}")
        if st.checkbox(t("profile_custom"), key="use_custom_profile"):
            profile_yaml = text
    if upload is None:
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    saved = tuple(p.name for p in saved_profiles(folder))
    mapping = None
    if not choice and profile_yaml is None:
        found_json, problem = _inspect(digest, data, upload.name, folder, saved)
        if problem:
            _show_problem(problem)
            return
        found = ColumnMapping.from_json(found_json)
        own = False
        if found.recognised:
            st.info(t("mapping_recognised", name=found.recognised))
            own = st.checkbox(t("mapping_own"), key=f"mapping_own_{digest[:12]}")
            if own:
                found = ColumnMapping.from_json(_inspect_guess(digest, data, upload.name))
        if not found.recognised or own:
            mapping = _mapping_form(found, digest[:12], upload.name)
            if mapping is None:
                return
    with st.spinner(t("import_preview")):
        history, summary, problem = _import(digest, data, upload.name,
                                            profile_source(choice, folder) if choice else None,
                                            profile_yaml, interval,
                                            mapping.to_json() if mapping else None,
                                            folder, saved)
    if problem:
        _show_problem(problem)
        return
    if mapping is not None:
        rows = _preview_rows(digest, data, upload.name, mapping.to_json())
        if rows is not None:
            st.markdown(f"**{t('mapping_preview')}**")
            st.dataframe(rows.rename(columns=lambda role: t(f"role_{role}")),
                         hide_index=True)
    _show_summary(summary)
    st.markdown(f"**{t('import_preview')}**")
    st.dataframe(headers(history.head(200)), hide_index=True)
    if mapping is not None:
        _save_mapping(data, upload.name, mapping)
    settings = _calendar_choice(history, digest[:12], summary.timezone)
    suggested = state.workspace().unique_name(Path(upload.name).stem)
    name = st.text_input(t("plan_name"), value=suggested, key="new_plan_name")
    if st.button(t("save_as_plan"), type="primary", key="save_upload"):
        state.check("edit")
        ws = state.workspace()
        plan_id = create_plan(ws, name, history, source=f"upload:{upload.name}",
                              settings=settings, import_summary=summary)
        state.record("import", plan_id, detail=f"{summary.file or upload.name}: "
                     f"{len(history)} intervals, "
                     f"{history['queue'].nunique()} queues")
        st.session_state["plan_id"] = plan_id
        st.session_state.pop("step_status", None)
        st.session_state["step_status"] = state.compute()
        st.success(t("saved_plan", name=name))
        st.rerun()


@st.cache_data(show_spinner=False, max_entries=8)
def _guess_calendar(digest: str, _history: pd.DataFrame, timezone: str | None
                    ) -> tuple[str | None, str]:
    return guess_calendar(_history, timezone)


def _calendar_choice(history: pd.DataFrame, key: str, timezone: str | None = None
                     ) -> PlanSettings:
    """The plan's holiday calendar, pre-filled with the guess from the history (and the
    import profile's time zone, when it names one)."""
    guessed, reason = _guess_calendar(key, history, timezone)
    st.markdown(f"**{t('calendar_header')}**")
    left, right = st.columns([1, 2])
    country = left.text_input(t("holiday_country"), value=guessed or "",
                              help=t("holiday_country_help"), key=f"upload_country_{key}")
    shopping = left.checkbox(t("shopping_events"), value=guessed == "CN",
                             key=f"upload_shopping_{key}")
    lang = current_language()
    right.caption(t("calendar_guessed", country=guessed, reason=message_in(reason, lang))
                  if guessed else t("calendar_no_guess", reason=message_in(reason, lang)))
    code = country.strip().upper() or None
    return PlanSettings(country=code, shopping=shopping, calendar_from_history=True,
                        country_reason=(f"guessed: {reason}" if code == guessed and guessed
                                        else "chosen"))


@st.cache_data(show_spinner=False, max_entries=8)
def _preview_rows(digest: str, _data: bytes, file_name: str,
                  mapping: str) -> pd.DataFrame | None:
    """The first rows of the file as the mapping reads them (None if they cannot be)."""
    try:
        return preview_rows(_data, file_name, ColumnMapping.from_json(mapping))
    except (ValueError, FileNotFoundError):
        return None


def _inspect_guess(digest: str, data: bytes, file_name: str) -> str:
    """The guessed mapping even when a saved profile recognises the file."""
    return inspect_upload(data, file_name, recognise=False).to_json()


def _save_mapping(data: bytes, file_name: str, mapping: ColumnMapping) -> None:
    left, right = st.columns([3, 1])
    name = left.text_input(t("mapping_name"), value=Path(file_name).stem,
                           key="mapping_name")
    right.write("")
    if right.button(t("mapping_save"), key="save_mapping",
                    disabled=not state.allowed("edit")):
        state.check("edit")
        try:
            text = mapping_profile_text(data, file_name, mapping)
            save_profile(state.workspace().folder, name, text)
        except (ValueError, FileNotFoundError) as exc:
            _show_problem(_problem(exc))
            return
        state.record("import", None, detail=f"column mapping {name} saved")
        st.success(t("mapping_saved", name=name))


def _show_summary(summary: ImportReport) -> None:
    read, used = summary.rows_read, summary.rows_used
    if read is not None:
        st.success(t("import_summary", read=num(read), used=num(used),
                     excluded=num(summary.rows_excluded)))
    if summary.text:
        st.text(summary_in(summary.text, current_language()))
    excluded = summary.excluded
    if excluded:
        with st.expander(t("import_excluded")):
            lang = current_language()
            st.dataframe(headers(pd.DataFrame({"reason": [message_in(r, lang)
                                                          for r in excluded],
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
