"""Today page: actual against forecast against reforecast per queue, the projected service
level for the rest of the day with and without the proposed changes, and the changes
to accept agent by agent. A new actuals upload refreshes it."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures_intraday import service_level_figure, today_figure
from dashboard.i18n import day, headers, num, pct, t
from dashboard.team import starter_team_note
from forecasting.intraday import IntradayInputError
from planning import intraday, uploads
from planning.intraday import read_actuals
from scheduling.intraday import ReplanOptions

RESULT = "today_result"
EVENT_DAY_SD = 3.0  # on an event day a steady break beyond 3 robust sds is followed


def _days(forecast: pd.DataFrame, roster: pd.DataFrame) -> list[pd.Timestamp]:
    days = set(pd.to_datetime(forecast["interval_start"]).dt.normalize())
    rostered = set(pd.to_datetime(roster["date"]).dt.normalize())
    return sorted(days & rostered) or sorted(days)


def _upload() -> None:
    """A new file replaces the actuals (and so the result) of this tab; a file that
    cannot be read is kept as a message for the page to show."""
    data = st.session_state.get("today_upload")
    st.session_state.pop(RESULT, None)
    st.session_state.pop("today_upload_error", None)
    if data is None:
        return
    raw = data.getvalue()
    try:
        name = uploads.check_upload(raw, data.name)
        frame = read_actuals(raw, name)
    except ValueError as exc:
        st.session_state["today_upload_error"] = str(exc)
        return
    st.session_state["today_actuals"] = frame
    st.session_state["today_actuals_name"] = name


def _key(actuals: pd.DataFrame, now: pd.Timestamp, event_day: bool) -> str:
    versions = state.versions()
    text = "|".join([str(state.plan_id()), str(now), str(event_day),
                     versions.get("forecast", ""),
                     versions.get("roster", ""),
                     pd.util.hash_pandas_object(actuals, index=False).to_numpy().tobytes().hex()])
    return hashlib.sha256(text.encode()).hexdigest()


def _compute(actuals: pd.DataFrame, now: pd.Timestamp,
             event_day: bool = False) -> intraday.IntradayOutcome:
    key = _key(actuals, now, event_day)
    saved = st.session_state.get(RESULT)
    if saved is not None and saved[0] == key:
        return saved[1]
    history = state.require("history", "forecast")
    forecast = state.require("forecast", "forecast")
    roster = state.require("roster", "roster")
    settings = state.frame("queue_settings")
    agents = intraday.plan_agents(state.frame("agents"))
    info = state.workspace().plan(state.plan_id())
    shifts = intraday.plan_shifts(info.inputs.get("shifts_yaml"))
    name = st.session_state.get("today_actuals_name", "actuals")
    try:
        with st.spinner(t("today_computing")):
            outcome = intraday.run_intraday(
                history, forecast, actuals, now,
                roster=roster if settings is not None else None, agents=agents,
                shifts=shifts, queue_settings=settings, options=ReplanOptions(),
                event_threshold=EVENT_DAY_SD if event_day else None)
    except IntradayInputError as exc:
        if exc.source == "now":  # the message names now itself
            raise ValueError(str(exc)) from None
        where = name if exc.source == "actuals" else exc.source
        # "FILE, row 3, column x: reason", or "FILE: reason" without a row or column
        joint = ", " if exc.row is not None or exc.column else ": "
        raise ValueError(f"{where}{joint}{exc}") from None
    st.session_state[RESULT] = (key, outcome)
    st.session_state.pop("today_accepted", None)
    return outcome


def _chart(outcome: intraday.IntradayOutcome, now: pd.Timestamp) -> None:
    frame = outcome.reforecast.frame
    summary = outcome.reforecast.summary.set_index("queue")
    queue = st.selectbox(t("queue"), sorted(frame["queue"].astype(str).unique()),
                         key="today_queue")
    cols = st.columns(2)
    if queue in summary.index:
        row = summary.loc[queue]
        change = float(row["ratio"]) - 1.0
        cols[0].metric(t("today_ratio"), ("+" if change > 0 else "") + pct(change))
        cols[1].metric(t("today_rest_contacts"), num(row["rest_of_day_reforecast"]))
    st.plotly_chart(today_figure(frame, queue, now), width="stretch")


def _changes(outcome: intraday.IntradayOutcome, now: pd.Timestamp) -> None:
    result = outcome.replan
    if result is None:
        return
    roster = state.frame("roster")
    settings = state.frame("queue_settings")
    st.subheader(t("today_changes"))
    per_agent = intraday.agent_changes(
        result.changes, lambda r: t(f"today_change_{r['change']}"
                                    + ("_paid" if r.get("overtime_minutes", 0) > 0 else ""),
                                    start=r["from"], end=r["to"], queue=r["queue"],
                                    minutes=int(r.get("overtime_minutes", 0))))
    accepted: list[str] = []
    if per_agent.empty:
        st.success(t("today_no_changes"))
    else:
        st.caption(t("today_changes_help"))
        table = per_agent.assign(accept=per_agent["agent_id"].isin(
            st.session_state.get("today_accepted", [])))
        edited = st.data_editor(
            headers(table[["accept", "agent_id", "changes"]]).rename(
                columns={"accept": t("today_accept")}),
            hide_index=True, key="today_editor",
            disabled=[c for c in headers(table[["agent_id", "changes"]]).columns])
        ticks = edited[t("today_accept")].to_numpy(dtype=bool)
        accepted = list(table.loc[ticks, "agent_id"])
        st.session_state["today_accepted"] = accepted
    share = result.agents_changed / max(result.agents_today, 1)
    st.metric(t("today_changed"), f"{num(result.agents_changed)} / {num(result.agents_today)}"
              f" ({pct(share)})")
    chosen = intraday.accepted_roster(roster, result, accepted) if accepted else None
    levels = intraday.service_levels(result, outcome.reforecast.frame, settings, now, chosen)
    st.plotly_chart(service_level_figure(levels), width="stretch")
    shown = levels.rename(columns={"without": t("today_sl_without"),
                                   "proposed": t("today_sl_proposed"),
                                   "accepted": t("today_sl_accepted")})
    st.dataframe(headers(shown).style.format(
        {t("today_sl_without"): pct, t("today_sl_proposed"): pct,
         t("today_sl_accepted"): pct, t("contacts"): num}), hide_index=True)
    state.downloads("changes", result.changes, "dl_today_changes")
    if chosen is not None:
        state.downloads("roster_with_accepted_changes", chosen, "dl_today_roster")


with state.page_guard():
    st.title(t("today_title"))
    st.caption(t("today_intro"))
    forecast = state.require("forecast", "forecast")
    roster = state.require("roster", "roster")
    starter_team_note()
    days = _days(forecast, roster)
    left, right = st.columns(2)
    chosen_day = left.selectbox(t("today_day"), days, format_func=day, key="today_day")
    clock = right.time_input(t("today_now"), value=pd.Timestamp("12:00").time(),
                             step=900, key="today_now")
    now = pd.Timestamp(chosen_day) + pd.Timedelta(hours=clock.hour, minutes=clock.minute)
    st.file_uploader(t("today_actuals"), type=["csv", "xlsx", "parquet"], key="today_upload",
                     on_change=_upload)
    event_day = st.checkbox(t("today_event_day"), key="today_event_day",
                            help=t("today_event_day_help"))
    if st.session_state.get("today_upload_error"):
        st.error(state.shown_error(st.session_state["today_upload_error"]))
    actuals = st.session_state.get("today_actuals")
    if actuals is None:
        st.info(t("today_no_actuals"))
        if st.button(t("today_example"), key="today_example"):
            st.session_state["today_actuals"] = intraday.example_actuals(forecast, now)
            st.rerun()
    else:
        outcome = _compute(actuals, now, event_day)
        summary = outcome.reforecast.summary
        for r in summary.itertuples(index=False):
            if r.event:
                st.info(t("today_event", queue=r.queue, share=pct(r.recent_ratio),
                          ratio=pct(r.ratio)))
            elif r.actual_intervals == 0:
                st.info(t("today_queue_no_actuals", queue=r.queue))
        for note in outcome.notes[len(outcome.reforecast.notes):]:  # the re-plan's notes
            st.info(t("today_replan_kept") if note.startswith("the changes found would not")
                    else note)
        _chart(outcome, now)
        _changes(outcome, now)
        state.downloads("reforecast", outcome.reforecast.frame, "dl_reforecast")
