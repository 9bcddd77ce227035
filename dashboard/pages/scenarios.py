"""Scenarios page: pick or edit a scenario, run it with progress, compare saved runs per
queue and day with the differences highlighted, and see the peak day on one chart."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures_scenarios import comparison_table, label, peak_day_figure
from dashboard.i18n import headers
from planning.exports import to_csv_bytes
from planning.sample import SAMPLE_DIR
from planning.scenario_compare import ALL_QUEUES, compare_scenarios, peak_day, peak_day_intervals
from planning.scenario_run import run_scenario, save_scenario, scenario_plans
from planning.scenarios import ScenarioError, parse_scenario
from planning.workspace import Workspace

SCENARIO_DIR = SAMPLE_DIR / "scenarios"


@st.cache_data(show_spinner=False, max_entries=64)
def _load(_ws: Workspace, folder: str, plan_id: int, kind: str,
          version: str) -> pd.DataFrame | None:
    return _ws.load_frame(plan_id, kind)


def _frame(ws: Workspace, plan_id: int, kind: str) -> pd.DataFrame | None:
    version = ws.versions(plan_id).get(kind)
    return None if version is None else _load(ws, str(ws.folder), plan_id, kind, version)


def _editor(ws: Workspace) -> None:
    st.subheader(label("sc_edit"))
    files = {p.name: p for p in sorted(SCENARIO_DIR.glob("*.yaml"))}
    if not files:
        st.info(label("sc_none"))
        return
    chosen = st.selectbox(label("sc_file"), list(files), key="sc_file")
    text = st.text_area(label("sc_yaml"), value=files[chosen].read_text(encoding="utf-8"),
                        height=360, key=f"sc_text_{chosen}")
    locked = state.read_only_note()
    check, run = st.columns(2)
    checked = check.button(label("sc_check"), key="sc_check")
    started = run.button(label("sc_run"), key="sc_run", type="primary", disabled=locked)
    if not (checked or started):
        return
    try:
        scenario = parse_scenario(text, source=chosen, folder=SCENARIO_DIR)
    except ScenarioError as exc:
        st.error(str(exc))
        return
    if checked:
        st.success(label("sc_valid", name=scenario.name))
        return
    state.check("edit")
    bar, on = state.step_progress(
        lambda step: label("sc_running", name=scenario.name, step=state.step_label(step)))

    try:
        result = run_scenario(scenario, ws, progress=on)
    except ValueError as exc:
        bar.empty()
        st.error(str(exc))
        return
    plan_id = save_scenario(ws, result, user=state.user().name)
    bar.empty()
    picked = list(st.session_state.get("sc_pick") or [])
    st.session_state["sc_pick"] = [p for p in picked if p != plan_id] + [plan_id]
    st.session_state["sc_notice"] = label("sc_done", name=scenario.name,
                                          plan=scenario.plan_name)
    st.rerun()


def _comparison(ws: Workspace) -> None:
    st.subheader(label("sc_compare"))
    saved = scenario_plans(ws).sort_values("plan_id")
    if saved.empty:
        st.info(label("sc_none"))
        return
    names = dict(zip(saved["plan_id"].astype(int), saved["scenario"], strict=True))
    picked = [p for p in st.session_state.get("sc_pick") or [] if p in names]
    st.session_state["sc_pick"] = picked or list(names)[:3]
    chosen = st.multiselect(label("sc_pick"), list(names), format_func=names.get,
                            key="sc_pick")
    if not chosen:
        return
    dailies = [_frame(ws, pid, "scenario_daily") for pid in chosen]
    comparison = compare_scenarios(dailies)
    queues = [ALL_QUEUES, *sorted(set(comparison["queue"]) - {ALL_QUEUES})]
    queue = st.selectbox(label("sc_queue"), queues, key="sc_queue")
    st.caption(label("sc_table"))
    shown = comparison[comparison["queue"] == queue]
    st.dataframe(comparison_table(shown), hide_index=True)
    st.download_button(label("sc_download"), to_csv_bytes(comparison),
                       file_name="comparison.csv", mime="text/csv", key="sc_download",
                       on_click="ignore")
    day = peak_day(dailies[0])
    projections = {names[pid]: _frame(ws, pid, "projection") for pid in chosen}
    intervals = peak_day_intervals({n: p for n, p in projections.items() if p is not None}, day)
    st.plotly_chart(peak_day_figure(intervals, queue), key="sc_peak_chart")
    st.markdown(f"**{label('sc_short')}**")
    for pid in chosen:
        short = _frame(ws, pid, "shortfall")
        if short is None or short.empty:
            st.success(label("sc_meets", name=names[pid]))
            continue
        st.warning(label("sc_short_n", name=names[pid], n=len(short),
                         hours=f"{short['missing_agent_hours'].sum():,.0f}"))
        with st.expander(names[pid]):
            st.dataframe(headers(short), hide_index=True)


with state.page_guard():
    st.title(label("sc_title"))
    st.caption(label("sc_intro"))
    notice = st.session_state.pop("sc_notice", None)
    if notice:
        st.success(notice)
    workspace = state.workspace()
    _editor(workspace)
    _comparison(workspace)
