"""Roster page: agents and shift templates editable, solve with a time limit, Gantt per
agent, coverage against requirements, rule violations and the gap to the lower bound."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures import coverage_figure, gantt_figure
from dashboard.i18n import current_language, day, from_headers, headers, num, pct, status, t
from dashboard.team import team_section
from planning.defaults import DEFAULT_INTERVAL_MINUTES
from planning.exports import to_csv_bytes, to_excel_bytes
from planning.plans import (
    plan_inputs,
    roster_summary,
    save_agents,
    save_settings,
    save_shifts_text,
    set_pseudonymise_agents,
)
from planning.steps import parse_shifts
from scheduling.frames import interval_minutes


def _summary(roster: pd.DataFrame) -> None:
    summary = roster_summary(state.workspace(), state.plan_id())
    coverage = state.frame("coverage")
    working = roster.dropna(subset=["start", "end"])
    cols = st.columns(5)
    cols[0].metric(t("roster_status"), status(summary.status or "–"))
    under = summary.under_hours
    if under is None and coverage is not None and "under" in coverage.columns:
        minutes = interval_minutes(coverage, default=DEFAULT_INTERVAL_MINUTES)
        under = float(coverage["under"].sum()) * minutes / 60
    cols[1].metric(t("roster_under"), num(under, 1) if under is not None else "–")
    value, bound = summary.under_weighted, summary.under_bound
    cols[2].metric(t("roster_lower"), num(bound) if bound is not None else "–",
                   help=t("roster_lower_help", value=num(value), bound=num(bound)))
    gap = summary.gap
    cols[3].metric(t("roster_gap"), pct(gap) if gap is not None else "–")
    hours = summary.paid_hours
    if hours is None:
        hours = ((pd.to_datetime(working["end"]) - pd.to_datetime(working["start"]))
                 .dt.total_seconds().sum() / 3600)
    cols[4].metric(t("roster_hours"), num(hours))
    note = f"{t('roster_agents')}: {num(working['agent_id'].nunique())}"
    if summary.decomposition:
        note += f" · {summary.decomposition}"
    if summary.seconds is not None:
        note += f" · {num(summary.seconds, 1)} s"
    st.caption(note)


def _day_label():
    lang = current_language()
    return lambda value: day(value, lang)


def _gantt(roster: pd.DataFrame) -> None:
    working = roster.dropna(subset=["start", "end"])
    days = sorted(pd.to_datetime(working["date"]).dt.normalize().unique())
    if not days:
        return
    shown = st.selectbox(t("gantt_day"), days, format_func=_day_label(), key="gantt_day")
    part = working[pd.to_datetime(working["date"]).dt.normalize() == shown]
    st.plotly_chart(gantt_figure(part), width="stretch")


def _coverage() -> None:
    coverage = state.frame("coverage")
    if coverage is None:
        return
    st.subheader(t("coverage"))
    queue = st.selectbox(t("queue"), sorted(coverage["queue"].astype(str).unique()),
                         key="coverage_queue")
    st.plotly_chart(coverage_figure(coverage, queue), width="stretch")


def _violations() -> None:
    st.subheader(t("violations"))
    violations = state.frame("violations")
    if violations is None or violations.empty:
        st.success(t("no_violations"))
    else:
        st.dataframe(headers(violations), hide_index=True)


def _per_agent(roster: pd.DataFrame) -> None:
    st.subheader(t("per_agent"))
    agents = sorted(roster["agent_id"].astype(str).unique())
    agent = st.selectbox(t("agent"), agents, key="roster_agent")
    mine = roster[roster["agent_id"].astype(str) == agent]
    st.dataframe(headers(mine), hide_index=True)
    left, right = st.columns(2)
    left.download_button(t("download_agent"), to_csv_bytes(mine),
                         file_name=f"roster_{agent}.csv", mime="text/csv",
                         key="dl_agent_csv", on_click="ignore")
    sheets = {a: roster[roster["agent_id"].astype(str) == a] for a in agents}
    right.download_button(
        t("download_all_agents"), to_excel_bytes(sheets),
        file_name="roster_per_agent.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl_agents_xlsx", on_click="ignore")


def _inputs() -> None:
    ws, plan_id = state.workspace(), state.plan_id()
    settings = state.settings()
    agents = state.frame("agents")
    st.subheader(t("agents_table"))
    locked = state.read_only_note()
    agents = agents if agents is not None else pd.DataFrame()
    edited_agents = st.data_editor(headers(agents), num_rows="fixed" if locked else "dynamic",
                                   hide_index=True, disabled=locked,
                                   key=f"agents_editor_{plan_id}_{current_language()}")
    pseudonyms = st.checkbox(t("pseudonymise_agents"), value=settings.pseudonymise_agents,
                             help=t("pseudonymise_help"), key=f"pseudonyms_{plan_id}",
                             disabled=locked or settings.pseudonymise_agents)
    if pseudonyms and not settings.pseudonymise_agents:
        state.check("edit", plan_id)
        set_pseudonymise_agents(ws, plan_id, True)
        state.record("agents", plan_id, detail="agent names replaced by pseudonyms")
        st.rerun()
    shifts_text = plan_inputs(ws, plan_id).shifts_yaml or ""
    edited_shifts = st.text_area(t("shifts_yaml"), value=shifts_text, height=260,
                                 key=f"shifts_editor_{plan_id}", disabled=locked)
    limit = st.number_input(t("time_limit"), min_value=5, max_value=600,
                            value=int(settings.roster_time_limit), step=5, key="time_limit",
                            disabled=locked)
    if st.button(t("solve"), type="primary", key="solve_roster", disabled=locked):
        state.check("edit", plan_id)
        if edited_shifts.strip():
            parse_shifts(edited_shifts)  # refuse bad YAML before saving it
        new_agents = save_agents(
            ws, plan_id, from_headers(pd.DataFrame(edited_agents), agents.columns))
        state.record("agents", plan_id, detail=f"{len(new_agents)} agents")
        save_shifts_text(ws, plan_id, edited_shifts or None)
        if edited_shifts != shifts_text:
            state.record("shifts", plan_id, detail="shift templates edited")
        settings.roster_time_limit = float(limit)
        save_settings(ws, plan_id, settings, stale_from="roster")
        with st.status(t("solving"), expanded=True) as box:
            state.compute()
            box.update(label=t("solved"), state="complete", expanded=False)
        st.rerun()


with state.page_guard():
    st.title(t("roster_title"))
    have_roster = state.frame("roster") is not None
    if have_roster:
        roster = state.frame("roster")
        _summary(roster)
        _gantt(roster)
        _coverage()
        _violations()
        state.downloads("roster", roster, "dl_roster")
        _per_agent(roster)
        st.divider()
    team_section()
    with st.expander(t("agents_table") + " · " + t("shifts_yaml"), expanded=not have_roster):
        _inputs()
    if not have_roster:
        state.require("roster", "roster")
