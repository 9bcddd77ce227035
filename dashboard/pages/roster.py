"""Roster page: agents and shift templates editable, solve with a time limit, Gantt per
agent, coverage against requirements, rule violations and the gap to the lower bound."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures import coverage_figure, gantt_figure
from dashboard.formatting import duration, hours, solver_description
from dashboard.i18n import (
    current_language,
    day,
    from_headers,
    headers,
    num,
    pct,
    status,
    t,
    table,
)
from dashboard.team import team_section
from planning.contract import RosterSummary, StepState
from planning.defaults import DEFAULT_INTERVAL_MINUTES
from planning.exports import to_csv_bytes, to_excel_bytes
from planning.plans import (
    kept_results,
    kept_roster_summary,
    plan_inputs,
    roster_summary,
    save_agents,
    save_settings,
    save_shifts_text,
    set_pseudonymise_agents,
)
from planning.steps import parse_shifts
from scheduling.frames import interval_minutes


def _summary(roster: pd.DataFrame, summary: RosterSummary,
             coverage: pd.DataFrame | None) -> None:
    working = roster.dropna(subset=["start", "end"])
    cols = st.columns(5)
    cols[0].metric(t("roster_status"), status(summary.status or "–"))
    under = summary.under_hours
    if under is None and coverage is not None and "under" in coverage.columns:
        minutes = interval_minutes(coverage, default=DEFAULT_INTERVAL_MINUTES)
        under = float(coverage["under"].sum()) * minutes / 60
    cols[1].metric(t("roster_under"), hours(under), help=t("roster_under_help"))
    cols[2].metric(t("roster_avoidable"), pct(summary.gap), help=t("roster_avoidable_help"))
    paid = summary.paid_hours
    if paid is None:
        paid = ((pd.to_datetime(working["end"]) - pd.to_datetime(working["start"]))
                .dt.total_seconds().sum() / 3600)
    cols[3].metric(t("roster_hours"), num(paid))
    cols[4].metric(t("roster_agents"), num(working["agent_id"].nunique()))
    note = solver_description(summary.decomposition)
    if summary.seconds is not None:
        note += f" · {duration(summary.seconds)}"
    if note:
        st.caption(note)
    if summary.over_cap:
        st.info(t("roster_over_cap", seconds=duration(summary.seconds),
                  limit=duration(summary.time_limit)))


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


def _coverage(coverage: pd.DataFrame | None) -> None:
    if coverage is None:
        return
    st.subheader(t("coverage"))
    queue = st.selectbox(t("queue"), sorted(coverage["queue"].astype(str).unique()),
                         key="coverage_queue")
    st.plotly_chart(coverage_figure(coverage, queue), width="stretch")


def _violations(violations: pd.DataFrame | None) -> None:
    st.subheader(t("violations"))
    if violations is None or violations.empty:
        st.success(t("no_violations"))
    else:
        st.dataframe(table(violations), hide_index=True)


def _per_agent(roster: pd.DataFrame) -> None:
    st.subheader(t("per_agent"))
    agents = sorted(roster["agent_id"].astype(str).unique())
    agent = st.selectbox(t("agent"), agents, key="roster_agent")
    mine = roster[roster["agent_id"].astype(str) == agent]
    st.dataframe(table(mine), hide_index=True)
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


def _failure() -> str | None:
    """The roster step's error (kept with the plan, or from this session's run) in the
    chosen language, if its last solve failed."""
    error = plan_inputs(state.workspace(), state.plan_id()).step_error
    if error is not None and error.step == "roster":
        return state.shown_error(error.message)
    status = (st.session_state.get("step_status") or {}).get("roster")
    if status is not None and status.state is StepState.ERROR and status.message:
        return state.shown_error(status.message)
    return None


def _shown(roster: pd.DataFrame, summary: RosterSummary, coverage: pd.DataFrame | None,
           violations: pd.DataFrame | None) -> None:
    _summary(roster, summary, coverage)
    _gantt(roster)
    _coverage(coverage)
    _violations(violations)
    state.downloads("roster", roster, "dl_roster")
    _per_agent(roster)
    st.divider()


with state.page_guard():
    st.title(t("roster_title"))
    ws_, plan_ = state.workspace(), state.plan_id()
    have_roster = state.frame("roster") is not None
    kept = {} if have_roster else kept_results(ws_, plan_)
    if have_roster:
        _shown(state.frame("roster"), roster_summary(ws_, plan_), state.frame("coverage"),
               state.frame("violations"))
    elif "roster" in kept:
        failure = _failure()
        if failure:
            st.error(f"{t('out_of_date')} {t('solve_failed')} {failure}")
        else:
            st.warning(t("out_of_date"))
        _shown(kept["roster"], kept_roster_summary(ws_, plan_), kept.get("coverage"),
               kept.get("violations"))
    team_section()
    with st.expander(t("agents_table") + " · " + t("shifts_yaml"),
                     expanded=not have_roster):
        _inputs()
    if not have_roster and "roster" not in kept:
        state.require("roster", "roster")
