"""Scenarios page: build a scenario with forms (its YAML as an advanced view), run it or
the sample's Double 11 scenarios together, list saved runs with their headline numbers,
and compare runs: cards per scenario, scenario x day, the peak day per queue and
interval by interval, and why each falls short, in words; one colour per scenario."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import yaml

from dashboard import state
from dashboard.figures_scenarios import (
    PIVOT_METRICS,
    comparison_table,
    day_pivot,
    label,
    peak_day_figure,
    peak_queue_figure,
    queue_label,
    reason_text,
    scenario_colours,
)
from dashboard.formatting import (
    current_language,
    duration,
    hours,
    nobody_note,
    num,
    pct,
    short_day,
    stamp,
)
from planning.exports import to_csv_bytes
from planning.sample import SAMPLE_DIR
from planning.scenario_compare import (
    ALL_QUEUES,
    compare_scenarios,
    headline,
    peak_day,
    peak_day_intervals,
    shortfall_reasons,
)
from planning.scenario_form import ScenarioForm, scenario_text
from planning.scenario_run import run_scenario, run_scenarios
from planning.scenario_store import save_scenario, scenario_plans
from planning.scenarios import (
    ScenarioError,
    parse_scenario,
    read_scenario,
)
from planning.workspace import Workspace

SCENARIO_DIR = SAMPLE_DIR / "scenarios"
SHOWN_REASONS = 6
ANY = "all"


@st.cache_data(show_spinner=False, max_entries=64)
def _load(_ws: Workspace, folder: str, plan_id: int, kind: str,
          version: str) -> pd.DataFrame | None:
    return _ws.load_frame(plan_id, kind)


def _frame(ws: Workspace, plan_id: int, kind: str) -> pd.DataFrame | None:
    version = ws.versions(plan_id).get(kind)
    return None if version is None else _load(ws, str(ws.folder), plan_id, kind, version)


# building and running -------------------------------------------------------------

def _base_facts(text: str) -> tuple[list[str], list[str], list[str]]:
    """Queues, channels and shift templates of a starting scenario's base (the sample's
    files unless the scenario names others)."""
    try:
        scenario = parse_scenario(text, folder=SCENARIO_DIR)
        shifts = (SCENARIO_DIR / scenario.base.get("shifts", "../shifts.yaml")).read_text(
            encoding="utf-8")
        queues = pd.read_csv(SCENARIO_DIR / scenario.base.get("queues", "../queues.csv"))
    except (ScenarioError, OSError, ValueError):
        return [], [], []
    templates = list((yaml.safe_load(shifts) or {}).get("templates") or {})
    templates += list((scenario.shifts or {}).get("templates") or {})
    return (queues["queue"].astype(str).tolist(),
            sorted(set(queues["channel"].astype(str))), list(dict.fromkeys(templates)))


def _form(files: dict[str, object]) -> None:
    st.subheader(label("sc_build"))
    chosen = st.selectbox(label("sc_start_from"), list(files), key="sc_file")
    start_text = files[chosen].read_text(encoding="utf-8")  # type: ignore[attr-defined]
    queues, channels, templates = _base_facts(start_text)
    channels = [c for c in channels if c not in queues]
    targets = [ANY, *channels, *queues]
    lang = current_language()  # format functions keep the language they were made in

    def queue_name(value: str) -> str:
        return label("sc_any", lang) if value == ANY else value

    def or_none(value: str) -> str:
        return value or label("sc_no_event", lang)

    with st.form("sc_form"):
        c1, c2, c3 = st.columns([2, 1, 1])
        name = c1.text_input(label("sc_name"), value="", key="sc_name",
                             placeholder=yaml.safe_load(start_text).get("name", ""))
        first_day = c2.text_input(label("sc_first_day"), value="", key="sc_first_day",
                                  placeholder=str((yaml.safe_load(start_text).get("horizon")
                                                   or {}).get("start", "")))
        days = c3.number_input(label("sc_days"), value=0, min_value=0, max_value=62,
                               key="sc_days", help="0 = as in the starting scenario")
        c1, c2, c3 = st.columns(3)
        uplift = c1.number_input(label("sc_uplift"), value=0.0, step=5.0, key="sc_uplift")
        uplift_queue = c2.selectbox(label("sc_for_queue"), targets, format_func=queue_name,
                                    key="sc_uplift_queue")
        uplift_on = c3.text_input(label("sc_uplift_on"), value="double11", key="sc_uplift_on")
        c1, c2, c3, c4 = st.columns(4)
        aht = c1.number_input(label("sc_aht"), value=0.0, step=5.0, key="sc_aht")
        aht_queue = c2.selectbox(label("sc_for_queue"), targets, format_func=queue_name,
                                 key="sc_aht_queue")
        deflection = c3.number_input(label("sc_deflection"), value=0.0, min_value=0.0,
                                     max_value=95.0, step=5.0, key="sc_deflection")
        deflection_queue = c4.selectbox(label("sc_for_queue"), [*channels, *queues],
                                        format_func=queue_name, key="sc_deflection_queue")
        c1, c2, c3, c4, c5 = st.columns(5)
        target_queue = c1.selectbox(label("sc_target_queue"), ["", *queues],
                                    format_func=or_none,
                                    key="sc_target_queue")
        target_sl = c2.number_input(label("sc_target_sl"), value=0.0, min_value=0.0,
                                    max_value=100.0, step=5.0, key="sc_target_sl")
        target_seconds = c3.number_input(label("sc_target_seconds"), value=0.0, min_value=0.0,
                                         step=10.0, key="sc_target_seconds")
        shrinkage = c4.number_input(label("sc_shrinkage"), value=0.0, min_value=0.0,
                                    max_value=90.0, step=1.0, key="sc_shrinkage",
                                    help="0 = unchanged")
        shrinkage_queue = c5.selectbox(label("sc_for_queue"), targets, format_func=queue_name,
                                       key="sc_shrinkage_queue")
        c1, c2, c3, c4, c5 = st.columns(5)
        temps = c1.number_input(label("sc_temps"), value=0, min_value=0, max_value=500,
                                step=5, key="sc_temps")
        template = c2.selectbox(label("sc_temp_template"), templates or [""],
                                key="sc_temp_template")
        temp_queues = c3.multiselect(label("sc_temp_queues"), queues,
                                     default=[q for q in queues if "chat" in q][:2],
                                     key="sc_temp_queues")
        overtime = c4.number_input(label("sc_overtime"), value=0.0, min_value=0.0,
                                   max_value=40.0, step=1.0, key="sc_overtime")
        remove = c5.number_input(label("sc_remove"), value=0, min_value=0, step=1,
                                 key="sc_remove")
        c1, c2, c3, c4 = st.columns(4)
        open_queue = c1.selectbox(label("sc_open_queue"), ["", *queues],
                                  format_func=or_none,
                                  key="sc_open_queue")
        open_from = c2.text_input(label("sc_open_from"), value="00:00", key="sc_open_from")
        open_until = c3.text_input(label("sc_open_until"), value="24:00", key="sc_open_until")
        limit = c4.number_input(label("sc_time_limit"), value=0.0, min_value=0.0,
                                max_value=600.0, step=5.0, key="sc_time_limit",
                                help="0 = as in the starting scenario")
        # building only writes the scenario's YAML on screen: a viewer may try it too
        built = st.form_submit_button(label("sc_build_button"), key="sc_build")
    if built or "sc_built" not in st.session_state or st.session_state.get(
            "sc_built_from") != chosen:
        form = ScenarioForm(
            name=name, horizon_start=first_day.strip(), horizon_days=int(days),
            uplift_percent=float(uplift), uplift_queue=uplift_queue,
            uplift_on=uplift_on.strip(), aht_percent=float(aht), aht_queue=aht_queue,
            deflection_percent=float(deflection), deflection_queue=deflection_queue,
            target_queue=target_queue,
            target_service_level_percent=float(target_sl) or None,
            target_seconds=float(target_seconds) or None,
            shrinkage_percent=float(shrinkage) or None, shrinkage_queue=shrinkage_queue,
            temps=int(temps), temp_template=template or "", temp_queues=tuple(temp_queues),
            overtime_hours_week=float(overtime), remove_agents=int(remove),
            open_queue=open_queue, open_from=open_from.strip(), open_until=open_until.strip(),
            roster_time_limit=float(limit) or None)
        st.session_state["sc_built"] = scenario_text(form, start_text)
        st.session_state["sc_built_from"] = chosen
        st.session_state["sc_yaml_text"] = st.session_state["sc_built"]
    with st.expander(label("sc_advanced")):
        st.text_area(label("sc_yaml"), height=320, key="sc_yaml_text")
    _run_buttons(files)


def _run_buttons(files: dict[str, object]) -> None:
    ws = state.workspace()
    locked = state.read_only_note()
    check, run, together = st.columns(3)
    checked = check.button(label("sc_check"), key="sc_check")
    started = run.button(label("sc_run"), key="sc_run", type="primary", disabled=locked)
    all_sample = together.button(label("sc_run_all"), key="sc_run_all", disabled=locked)
    if all_sample:
        _run_together(ws, [read_scenario(p) for p in files.values()])  # type: ignore[arg-type]
        return
    if not (checked or started):
        return
    text = st.session_state.get("sc_yaml_text") or ""
    try:
        scenario = parse_scenario(text, source=st.session_state.get("sc_file", "scenario"),
                                  folder=SCENARIO_DIR)
    except ScenarioError as exc:
        st.error(state.shown_error(exc))
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
        st.error(state.shown_error(exc))
        return
    plan_id = save_scenario(ws, result, user=state.user().name)
    bar.empty()
    picked = list(st.session_state.get("sc_pick") or [])
    st.session_state["sc_pick"] = [p for p in picked if p != plan_id] + [plan_id]
    st.session_state["sc_notice"] = label("sc_done", name=scenario.name,
                                          plan=scenario.plan_name)
    st.rerun()


def _run_together(ws: Workspace, scenarios: list) -> None:
    state.check("edit")
    bar, on = state.step_progress(
        lambda step: label("sc_running_all", n=len(scenarios), step=state.step_label(step)))
    try:
        results = run_scenarios(scenarios, ws, processes=2, progress=on,
                                mapper=state.cluster().mapper())
    except ValueError as exc:
        bar.empty()
        st.error(state.shown_error(exc))
        return
    ids = [save_scenario(ws, r, user=state.user().name) for r in results]
    bar.empty()
    st.session_state["sc_pick"] = ids
    st.session_state["sc_notice"] = label("sc_done_all", n=len(ids))
    st.rerun()


# saved runs and the comparison -----------------------------------------------------

def _headlines(ws: Workspace, plan_id: int, day: pd.Timestamp | None) -> dict[str, float]:
    daily = _frame(ws, plan_id, "scenario_daily")
    return headline(daily, _frame(ws, plan_id, "projection"), _frame(ws, plan_id, "coverage"),
                    _frame(ws, plan_id, "queue_settings"), day)


def _saved(ws: Workspace, saved: pd.DataFrame) -> None:
    st.subheader(label("sc_saved"))
    rows = []
    for rec in saved.itertuples(index=False):
        daily = _frame(ws, int(rec.plan_id), "scenario_daily")
        if daily is None:
            continue
        h = _headlines(ws, int(rec.plan_id), None)
        rows.append({label("scenario"): rec.scenario,
                     label("sc_saved_at"): stamp(rec.updated_at),
                     label("contacts"): num(h["contacts"]),
                     label("service_level"): pct(h["service_level"]),
                     label("sc_short_hours"): hours(h["missing_agent_hours"]),
                     label("paid_hours"): num(h["paid_hours"])})
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def _cards(ws: Workspace, chosen: list[int], names: dict[int, str], colours: dict[str, str],
           day: pd.Timestamp | None, cost: float) -> None:
    for pid in chosen:
        h = _headlines(ws, pid, day)
        colour = colours[names[pid]]
        st.markdown(f"<span style='color:{colour}'>■</span> **{names[pid]}**",
                    unsafe_allow_html=True)
        cols = st.columns(8)
        cols[0].metric(label("service_level"), pct(h["service_level"]))
        nobody = int(h["no_wait_intervals"])
        cols[1].metric(label("asa_seconds"), duration(h["asa_seconds"]),
                       help=nobody_note(nobody) if nobody else None)
        cols[2].metric(label("abandon_rate"), pct(h["abandon_rate"]))
        cols[3].metric(label("first_response_seconds"), duration(h["first_response_seconds"]))
        cols[4].metric(label("sc_short_people"), num(h["missing_agents_max"]))
        cols[5].metric(label("sc_short_hours"), hours(h["missing_agent_hours"]))
        cols[6].metric(label("paid_hours"), num(h["paid_hours"]))
        cols[7].metric(label("sc_cost_card"), num(h["paid_hours"] * cost))
        if nobody:
            st.caption(nobody_note(nobody))


def _reasons(ws: Workspace, chosen: list[int], names: dict[int, str],
             colours: dict[str, str]) -> None:
    st.markdown(f"**{label('sc_reasons')}**")
    for pid in chosen:
        coverage, requirements = _frame(ws, pid, "coverage"), _frame(ws, pid, "requirements")
        if coverage is None or requirements is None:
            continue
        reasons = shortfall_reasons(coverage, requirements)
        head = f"<span style='color:{colours[names[pid]]}'>■</span> **{names[pid]}**"
        if reasons.empty:
            st.markdown(head, unsafe_allow_html=True)
            st.success(label("sc_meets", name=names[pid]))
            continue
        st.markdown(head + " · " + label(
            "sc_short_n", name="", n=reasons[["queue", "date"]].drop_duplicates().shape[0],
            hours=num(reasons["missing_agent_hours"].sum())).lstrip(": ："),
            unsafe_allow_html=True)
        lines = [f"- {reason_text(r)}" for r in reasons.head(SHOWN_REASONS).itertuples()]
        if len(reasons) > SHOWN_REASONS:
            lines.append(f"- {label('sc_reasons_more', n=len(reasons) - SHOWN_REASONS)}")
        st.markdown("\n".join(lines))


def _comparison(ws: Workspace) -> None:
    st.subheader(label("sc_compare"))
    saved = scenario_plans(ws).sort_values("plan_id")
    if saved.empty:
        st.info(label("sc_none"))
        return
    _saved(ws, saved)
    names = dict(zip(saved["plan_id"].astype(int), saved["scenario"], strict=True))
    picked = [p for p in st.session_state.get("sc_pick") or [] if p in names]
    st.session_state["sc_pick"] = picked or list(names)[:3]
    chosen = st.multiselect(label("sc_pick"), list(names), format_func=names.get,
                            key="sc_pick")
    if not chosen:
        return
    colours = scenario_colours([names[p] for p in chosen])
    lang = current_language()
    dailies = [_frame(ws, pid, "scenario_daily") for pid in chosen]
    comparison = compare_scenarios(dailies)
    day = peak_day(dailies[0])
    left, right = st.columns([3, 1])
    period = left.radio(label("sc_period"), ["peak", "horizon"], horizontal=True,
                        format_func=lambda p: label("sc_peak_only", lang, day=short_day(day, lang))
                        if p == "peak" else label("sc_horizon", lang), key="sc_period")
    cost = right.number_input(label("sc_cost"), value=60.0, min_value=0.0, step=5.0,
                              key="sc_cost_per_hour")
    _cards(ws, chosen, names, colours, day if period == "peak" else None, cost)
    queues = [ALL_QUEUES, *sorted(set(comparison["queue"]) - {ALL_QUEUES})]
    c1, c2 = st.columns(2)
    queue = c1.selectbox(label("sc_queue"), queues,
                         format_func=lambda q: queue_label(q, lang), key="sc_queue")
    metric = c2.selectbox(label("sc_metric"), list(PIVOT_METRICS),
                          format_func=lambda m: label(m, lang), key="sc_metric")
    st.markdown(f"**{label('sc_pivot')}**")
    st.dataframe(day_pivot(comparison, metric, queue))
    st.plotly_chart(peak_queue_figure(comparison, day, colours), key="sc_peak_queues")
    projections = {names[pid]: _frame(ws, pid, "projection") for pid in chosen}
    intervals = peak_day_intervals({n: p for n, p in projections.items() if p is not None}, day)
    st.plotly_chart(peak_day_figure(intervals, queue, colours=colours), key="sc_peak_chart")
    _reasons(ws, chosen, names, colours)
    with st.expander(label("sc_table_details")):
        st.caption(label("sc_table"))
        st.dataframe(comparison_table(comparison[comparison["queue"] == queue]),
                     hide_index=True)
        st.download_button(label("sc_download"), to_csv_bytes(comparison),
                           file_name="comparison.csv", mime="text/csv", key="sc_download",
                           on_click="ignore")


with state.page_guard():
    st.title(label("sc_title"))
    st.caption(label("sc_intro"))
    notice = st.session_state.pop("sc_notice", None)
    if notice:
        st.success(notice)
    workspace = state.workspace()
    sample_files = {p.name: p for p in sorted(SCENARIO_DIR.glob("*.yaml"))}
    if sample_files:
        _form(sample_files)
    else:
        st.info(label("sc_none"))
    _comparison(workspace)
