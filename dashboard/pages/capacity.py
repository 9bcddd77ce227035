"""Capacity page: levers, limits and costs as forms (no YAML), the least-cost plan for
the Double 11 week as headline cards and charts, and the weekly hiring plan."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
import yaml

from dashboard import state
from dashboard.figures_capacity import compare_figure, hiring_figure, peak_day, staff_figure
from dashboard.i18n import day, headers, num, pct, t
from planning.capacity import parse_capacity, run_capacity
from planning.capacity_check import cut_summary
from planning.capacity_plans import (
    capacity_plans,
    compare_capacity,
    load_capacity,
    save_capacity,
    service_level_column,
)
from planning.hiring import parse_long_range, run_long_range
from planning.sample import SAMPLE_DIR
from scheduling.capacity import TARGET_MODES

CAPACITY_DIR = SAMPLE_DIR / "capacity"
SAMPLE_PEAK = CAPACITY_DIR / "double11_capacity.yaml"
SAMPLE_LONG = CAPACITY_DIR / "long_range.yaml"
TEMP_COLUMNS = ["template", "queues", "hourly_cost", "max_count", "max_hours_week",
                "max_days_week"]


def _sample(path: Any) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _levers_form() -> dict | None:
    """The capacity section from the forms; None until the planner asks for a plan."""
    raw = _sample(SAMPLE_PEAK)
    section = raw["capacity"]
    temps = pd.DataFrame([{**t_, "queues": ";".join(t_["queues"])} for t_ in section["temps"]])
    with st.form("cap_form"):
        st.markdown(f"**{t('cap_temps')}**")
        edited = st.data_editor(temps[TEMP_COLUMNS], num_rows="dynamic", hide_index=True,
                                key="cap_temps", width="stretch")
        ot = section["overtime"]
        allow = st.checkbox(t("cap_overtime"), value=True, key="cap_ot")
        cols = st.columns(4)
        ot_week = cols[0].number_input(t("cap_ot_week"), 0.0, 40.0,
                                       float(ot["max_hours_week"]), key="cap_ot_week")
        ot_day = cols[1].number_input(t("cap_ot_day"), 0.0, 12.0, float(ot["max_hours_day"]),
                                      key="cap_ot_day")
        ot_cost = cols[2].number_input(t("cap_ot_cost"), 0.0, 10_000.0,
                                       float(ot["hourly_cost"]), key="cap_ot_cost")
        ot_premium = cols[3].number_input(t("cap_ot_premium"), 0.0, 5.0, float(ot["premium"]),
                                          key="cap_ot_premium")
        st.markdown(f"**{t('cap_cross')}**")
        cross = st.data_editor(pd.DataFrame(section["cross_skill"]), num_rows="dynamic",
                               hide_index=True, key="cap_cross", width="stretch")
        st.markdown(f"**{t('cap_outsourcer')}**")
        outsourcer = st.data_editor(
            pd.DataFrame(section.get("outsourcer") or [],
                         columns=["queue", "max_agents", "hourly_cost"]),
            num_rows="dynamic", hide_index=True, key="cap_outsourcer", width="stretch")
        opening = st.multiselect(t("cap_opening"), ["presales_chat", "aftersales_chat",
                                                    "order_hotline", "email"],
                                 default=list(section["opening_hours"]), key="cap_opening")
        modes = [t(f"cap_target_{m}") for m in TARGET_MODES]
        chosen = st.selectbox(t("cap_target"), modes,
                              index=list(TARGET_MODES).index(section.get("target", "interval")),
                              key="cap_target")
        target = TARGET_MODES[modes.index(chosen)] if chosen in modes else "interval"
        check = st.checkbox(t("cap_check"), value=False, key="cap_check_roster")
        go = st.form_submit_button(t("cap_run"))
    if not go:
        return None
    rows = edited.dropna(subset=["template"]).to_dict("records")
    section["temps"] = [{**r, "queues": [q.strip() for q in str(r["queues"]).split(";")
                                         if q.strip()],
                         "max_count": int(r["max_count"]),
                         "max_days_week": int(r["max_days_week"]),
                         "prefix": f"T{i + 1}"} for i, r in enumerate(rows)]
    section["overtime"] = ({"max_hours_week": ot_week, "max_hours_day": ot_day,
                            "hourly_cost": ot_cost, "premium": ot_premium} if allow else None)
    if section["overtime"] is None:
        section.pop("overtime")
    section["cross_skill"] = [{**r, "max_people": int(r["max_people"])}
                              for r in cross.dropna(subset=["from", "to"]).to_dict("records")]
    section["outsourcer"] = outsourcer.dropna(subset=["queue"]).to_dict("records")
    section["opening_hours"] = {q: {"open": "00:00", "close": "24:00"} for q in opening}
    section["check"] = bool(check)
    section["target"] = str(target)
    raw["capacity"] = section
    return raw


def _run_peak(raw: dict) -> None:
    text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
    spec = parse_capacity(text, source="capacity form", folder=CAPACITY_DIR)
    with st.status(t("cap_running", step="…"), expanded=False) as box:
        bar = st.progress(0.0)

        def on(step: str, fraction: float) -> None:
            box.update(label=t("cap_running", step=t(f"cap_step_{step.replace('-', '_')}")))
            bar.progress(min(max(fraction, 0.0), 1.0))
        result = run_capacity(spec, progress=on, mapper=state.cluster().mapper())
        box.update(state="complete")
    plan = result.plan
    st.session_state["capacity"] = {
        "levers": plan.levers, "daily": result.daily, "reasons": plan.reasons,
        "planned": plan.planned, "cost": plan.cost, "gap": plan.gap,
        "temps": int(sum(plan.temps.values())),
        "overtime_hours": float(sum(plan.overtime_hours.values())),
        "target": spec.target, "yaml": text, "name": spec.scenario.name,
        "cuts": cut_summary(result)}


def show_peak(answer: dict) -> None:
    """Headline cards, the daily service level table and the peak-day staff chart."""
    daily = answer["daily"]
    sl = daily[service_level_column(daily)]
    met = int((sl >= daily["target_service_level"] - 1e-9).sum())
    cols = st.columns(5)
    cols[0].metric(t("cap_card_temps"), num(answer["temps"]))
    cols[1].metric(t("cap_card_ot"), num(answer["overtime_hours"], 1))
    cols[2].metric(t("cap_card_cost"), num(answer["cost"]))
    cols[3].metric(t("cap_card_sl"), pct(float(sl.min()) if len(sl) else None))
    cols[4].metric(t("cap_card_met"), f"{met} / {len(daily)}")
    gap = answer.get("gap")
    st.caption(f"{t('cap_card_gap')}: {pct(gap)}" if gap is not None and gap == gap
               else t("cap_no_bound"))
    if answer.get("cuts"):
        st.caption(t("cap_trimmed") + "; ".join(
            t("cap_trim_row", lever=row["lever"], before=row["before"], after=row["after"],
              unit=t("cap_trim_ot" if row["overtime"] else "cap_trim_temps"))
            + (t("cap_trim_minimal") if row["minimal"] else "") for row in answer["cuts"]))
    st.markdown(f"**{t('cap_daily')}**")
    shown = daily[["queue", "date", "target_service_level", "service_level_planned",
                   "service_level_rostered", "shortfall_staff_hours", "cost"]]
    st.dataframe(headers(shown).style.format(
        {c: (lambda v: pct(v)) for c in headers(shown).columns
         if "service" in c.lower() or "服务" in c}, na_rep="–"), hide_index=True)
    planned = answer["planned"]
    peak = peak_day(planned)
    if peak is not None:
        queues = ["", *sorted(planned["queue"].astype(str).unique())]
        everything = t("all_queues")  # bound now: the label of this run's language
        queue = st.selectbox(t("queue"), queues, key="cap_queue",
                             format_func=lambda q: q or everything)
        st.markdown(f"**{t('cap_staff_day', day=day(peak))}**")
        st.plotly_chart(staff_figure(planned, peak, queue or None), width="stretch")
    st.markdown(f"**{t('cap_levers')}**")
    st.dataframe(headers(answer["levers"]), hide_index=True)
    st.markdown(f"**{t('cap_reasons')}**")
    if answer["reasons"].empty:
        st.success(t("cap_all_reached"))
    else:
        st.dataframe(headers(answer["reasons"]), hide_index=True)


def _long_range() -> None:
    st.subheader(t("cap_long"))
    raw = _sample(SAMPLE_LONG)
    with st.form("cap_long_form"):
        cols = st.columns(4)
        raw["headcount"] = cols[0].number_input(t("cap_headcount"), 0.0, 10_000.0,
                                                float(raw["headcount"]), key="cap_head")
        raw["attrition_per_week"] = cols[1].number_input(
            t("cap_attrition"), 0.0, 0.5, float(raw["attrition_per_week"]), step=0.001,
            format="%.3f", key="cap_attr")
        raw["lead_time_weeks"] = int(cols[2].number_input(
            t("cap_lead"), 0, 26, int(raw["lead_time_weeks"]), key="cap_lead"))
        raw["training_weeks"] = int(cols[3].number_input(
            t("cap_training"), 0, 26, int(raw["training_weeks"]), key="cap_train"))
        ramp = st.text_input(t("cap_ramp"), ", ".join(f"{r:g}" for r in raw["ramp"]),
                             key="cap_ramp")
        cols = st.columns(4)
        low = int(cols[0].number_input(t("cap_class_min"), 0, 500,
                                       int(raw["class_size"]["min"]), key="cap_min"))
        high = int(cols[1].number_input(t("cap_class_max"), 1, 500,
                                        int(raw["class_size"]["max"]), key="cap_max"))
        raw["cost_per_hire"] = cols[2].number_input(t("cap_hire_cost"), 0.0, 1e6,
                                                    float(raw["cost_per_hire"]), key="cap_hc")
        raw["cost_per_fte_week"] = cols[3].number_input(
            t("cap_fte_cost"), 0.0, 1e6, float(raw["cost_per_fte_week"]), key="cap_fc")
        cols = st.columns(2)
        raw["temps"]["cost_per_week"] = cols[0].number_input(
            t("cap_temp_cost"), 0.0, 1e6, float(raw["temps"]["cost_per_week"]), key="cap_tc")
        peak_temps = cols[1].number_input(t("cap_temp_avail"), 0.0, 10_000.0,
                                          float(raw["temps"]["weeks"][0]["available"]),
                                          key="cap_ta")
        go = st.form_submit_button(t("cap_plan_hiring"))
    if go:
        try:
            raw["ramp"] = [float(v) for v in ramp.replace(";", ",").split(",") if v.strip()]
        except ValueError:
            raise ValueError(f"{t('cap_ramp')}: {ramp!r}") from None
        raw["class_size"] = {"min": low, "max": high}
        raw["temps"]["weeks"][0]["available"] = peak_temps
        spec = parse_long_range(yaml.safe_dump(raw, sort_keys=False), source="hiring form",
                                folder=CAPACITY_DIR)
        result = run_long_range(spec)
        st.session_state["capacity_hiring"] = {"hiring": result.hiring,
                                               "weekly": result.weekly,
                                               "summary": result.summary}
    answer = st.session_state.get("capacity_hiring")
    if answer:
        show_hiring(answer)


def show_hiring(answer: dict) -> None:
    """Cards, the weekly FTE chart with classes marked, and the classes table."""
    summary, weekly, hiring = answer["summary"], answer["weekly"], answer["hiring"]
    cols = st.columns(4)
    cols[0].metric(t("cap_classes"), num(summary["classes"]))
    cols[1].metric(t("cap_hires"), num(summary["hires"]))
    cols[2].metric(t("cap_card_cost"), num(summary["cost"]))
    cols[3].metric(t("cap_shortfall_weeks"), num(summary["shortfall_fte_weeks"], 1))
    st.plotly_chart(hiring_figure(weekly, hiring), width="stretch")
    st.dataframe(headers(hiring), hide_index=True)


def main() -> None:
    st.title(t("cap_title"))
    st.caption(t("cap_intro"))
    st.subheader(t("cap_peak"))
    raw = _levers_form()
    if raw is not None:
        _run_peak(raw)
    answer = st.session_state.get("capacity")
    if answer:
        show_peak(answer)
        _save(answer)
    _compare()
    _long_range()


def _save(answer: dict) -> None:
    """Save the answer in the workspace, like a scenario run."""
    ws = state.workspace()
    locked = not state.allowed("edit")
    with st.form("cap_save_form"):
        name = st.text_input(t("cap_save_name"), f"Capacity: {answer.get('name', '')}",
                             key="cap_save_name", disabled=locked)
        go = st.form_submit_button(t("cap_save"), disabled=locked)
    if go:
        state.check("edit")
        who = state.user()
        plan_id = save_capacity(ws, answer, name, yaml_text=answer.get("yaml", ""),
                                user=who.name if who else None)
        st.success(t("cap_saved", name=ws.plan(plan_id).name))


def _compare() -> None:
    """Saved capacity plans side by side: headline figures and service level by day."""
    st.subheader(t("cap_compare"))
    ws = state.workspace()
    saved = capacity_plans(ws)
    if saved.empty:
        st.caption(t("cap_compare_none"))
        return
    names = dict(zip(saved["plan_id"].astype(int), saved["name"], strict=True))
    chosen = st.multiselect(t("cap_compare_pick"), list(names), default=list(names)[:2],
                            format_func=lambda i: names[i], key="cap_compare_pick")
    if not chosen:
        return
    headline, per_day = compare_capacity({names[i]: load_capacity(ws, i) for i in chosen})
    shown = headline.assign(
        target=headline["target"].map(lambda m: t(f"cap_target_{m}")),
        overtime_hours=headline["overtime_hours"].map(lambda v: num(v, 1)),
        cost=headline["cost"].map(num), gap=headline["gap"].map(pct),
        lowest_service_level=headline["lowest_service_level"].map(pct))
    st.dataframe(headers(shown), hide_index=True)
    st.markdown(f"**{t('cap_compare_days')}**")
    st.plotly_chart(compare_figure(per_day), width="stretch")


with state.page_guard():
    main()
