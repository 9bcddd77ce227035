"""Admin page: the workspace's users and roles, and the audit trail (filter, export).

Only in the navigation for admins; the page checks the role again itself."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.i18n import headers, num, stamp, t
from planning import audit, roles, users
from planning.exports import to_csv_bytes


def _role_label(role: str) -> str:
    return t(f"role_{role}")


def _users() -> None:
    ws = state.workspace()
    me = state.user()
    st.subheader(t("users_header"))
    table = users.list_users(ws)
    if table.empty:
        st.info(t("no_users"))
    else:
        shown = table.assign(created_at=table["created_at"].map(stamp),
                             disabled_at=table["disabled_at"].map(
                                 lambda v: "" if pd.isna(v) else stamp(v)),
                             role=table["role"].map(_role_label))
        st.dataframe(headers(shown), hide_index=True)
    notice = st.session_state.pop("admin_notice", None)
    if notice:
        st.success(notice)
    with st.form("add_user_form", clear_on_submit=True):
        st.markdown(f"**{t('add_user')}**")
        c1, c2, c3 = st.columns(3)
        name = c1.text_input(t("user_name"), key="new_user_name")
        role = c2.selectbox(t("role"), roles.ROLES, format_func=_role_label, key="new_user_role")
        password = c3.text_input(t("password"), type="password", key="new_user_password")
        oidc_only = st.checkbox(t("oidc_only"), key="new_user_oidc")
        if st.form_submit_button(t("add_user")):
            state.check("manage_users")
            if table.empty and role != "admin":
                st.error(t("first_user_admin"))
            else:
                user = users.add_user(ws, name, role, None if oidc_only else password,
                                      by=me)
                st.session_state["admin_notice"] = t("user_added", user=user.name,
                                                     role=_role_label(user.role))
                st.rerun()
    if table.empty:
        return
    st.markdown(f"**{t('change_user')}**")
    names = table["user_name"].tolist()
    who = st.selectbox(t("user_name"), names, key="change_user")
    row = table.set_index("user_name").loc[who]
    c1, c2, c3 = st.columns(3)
    new_role = c1.selectbox(t("new_role"), roles.ROLES, index=roles.ROLES.index(row["role"]),
                            format_func=_role_label, key=f"role_of_{who}")
    if c1.button(t("set_role"), key="set_role"):
        state.check("manage_users")
        users.set_role(ws, who, new_role, by=me)
        _changed(who)
    new_password = c2.text_input(t("new_password"), type="password", key=f"password_of_{who}")
    if c2.button(t("set_password"), key="set_password"):
        state.check("manage_users")
        users.set_password(ws, who, new_password, by=me)
        _changed(who)
    if pd.isna(row["disabled_at"]):
        if c3.button(t("disable_user"), key="disable_user"):
            state.check("manage_users")
            users.disable(ws, who, by=me)
            _changed(who)
    elif c3.button(t("enable_user"), key="enable_user"):
        state.check("manage_users")
        users.enable(ws, who, by=me)
        _changed(who)


def _changed(who: str) -> None:
    st.session_state["admin_notice"] = t("user_changed", user=who)
    st.rerun()


def _everyone(label: str):
    return lambda value: value or label


def _trail() -> None:
    ws = state.workspace()
    st.subheader(t("audit_header"))
    everything = audit.trail(ws)
    c1, c2, c3, c4, c5 = st.columns(5)
    who = c1.selectbox(t("audit_filter_user"), ["", *sorted(everything["user_name"].unique())],
                       format_func=_everyone(t("everyone")), key="audit_user")
    what = c2.selectbox(t("audit_filter_action"), ["", *sorted(everything["action"].unique())],
                        format_func=_everyone(t("any_action")), key="audit_action")
    plan = c3.text_input(t("audit_filter_plan"), key="audit_plan")
    since = c4.date_input(t("audit_since"), value=None, key="audit_since")
    until = c5.date_input(t("audit_until"), value=None, key="audit_until")
    rows = audit.trail(ws, user=who or None, action=what or None, plan=plan.strip() or None,
                       since=since, until=until + dt.timedelta(days=1) if until else None)
    st.caption(t("audit_rows", rows=num(len(rows))))
    shown = rows.drop(columns="audit_id").assign(logged_at=rows["logged_at"].map(stamp))
    st.dataframe(headers(shown), hide_index=True)
    st.download_button(t("audit_download"), to_csv_bytes(rows),
                       file_name="audit.csv", mime="text/csv", key="audit_csv",
                       on_click="ignore")


with state.page_guard():
    st.title(t("admin_title"))
    if not state.allowed("manage_users"):
        st.error(t("admin_only") + " " + (state.why_not("manage_users") or ""))
        st.stop()
    _users()
    st.divider()
    _trail()
