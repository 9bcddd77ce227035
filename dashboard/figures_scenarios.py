"""Scenario comparison: labels, the peak-day figure and the highlighted comparison table.

Pure functions from frames to a Plotly figure or a pandas Styler, testable without
a browser. Labels are kept here (English and Simplified Chinese) so the shared
label file is not edited by two people at once; `label` falls back to the app's
`t` for keys it does not hold.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.formatting import duration, num, pct, short_day
from dashboard.i18n import current_language, t
from planning.scenario_compare import ALL_QUEUES, DIRECTION, METRICS

LABELS: dict[str, tuple[str, str]] = {
    "page_scenarios": ("Scenarios", "情景对比"),
    "sc_title": ("Scenarios: compare peak-day plans", "情景：对比大促日方案"),
    "sc_intro": ("A scenario is a set of changes to a base plan: volume uplift, AHT, chatbot "
                 "deflection, targets, shrinkage, agents added or removed, overtime, opening "
                 "hours. Build one with the forms (its YAML is under Advanced), run it, and "
                 "compare the saved runs. Each run is saved in the workspace with its inputs.",
                 "情景是对基础方案的一组修改：话务量上浮、处理时长、机器人分流、服务目标、缺勤率、"
                 "增减坐席、加班、营业时间。可用表单构建（YAML 见“高级”），运行后对比已保存的结果。"
                 "每次运行连同输入一起保存在工作区。"),
    "sc_edit": ("Edit and run a scenario", "编辑并运行情景"),
    "sc_file": ("Start from", "起始文件"),
    "sc_yaml": ("Scenario (YAML)", "情景（YAML）"),
    "sc_check": ("Check", "检查"),
    "sc_run": ("Run and save", "运行并保存"),
    "sc_valid": ("The scenario is valid: {name}", "情景有效：{name}"),
    "sc_running": ("Running {name}: {step}…", "正在运行 {name}：{step}…"),
    "sc_done": ("Saved {name} as plan “{plan}”.", "已将 {name} 保存为方案「{plan}」。"),
    "sc_compare": ("Compare saved runs", "对比已保存的运行结果"),
    "sc_pick": ("Scenarios to compare (the first is the baseline)",
                "要对比的情景（第一个为基准）"),
    "sc_none": ("No scenario has been run in this workspace yet: run one above.",
                "此工作区尚未运行任何情景：请先在上方运行。"),
    "sc_table": ("Per queue and day; changes against the baseline are highlighted "
                 "(green better, red worse, blue different).",
                 "按队列和日期；与基准的差异已高亮（绿色更好，红色更差，蓝色为不同）。"),
    "sc_peak": ("Peak day {day}, interval by interval", "高峰日 {day}，逐时段"),
    "sc_short": ("Where the roster falls short", "排班不足之处"),
    "sc_meets": ("{name}: the roster meets every queue's targets.",
                 "{name}：排班满足所有队列的目标。"),
    "sc_short_n": ("{name}: short on {n} queue-day(s), {hours} agent-hours missing.",
                   "{name}：{n} 个队列日人手不足，缺 {hours} 人时。"),
    "sc_queue": ("Queue", "队列"),
    "sc_download": ("Download comparison CSV", "下载对比 CSV"),
    "scenario": ("Scenario", "情景"),
    "date": ("Day", "日期"),
    "contacts": ("Contacts", "来话量"),
    "required_staff": ("Required staff (peak)", "需求人数（峰值）"),
    "rostered_staff": ("Rostered staff (peak)", "排班人数（峰值）"),
    "rostered_agents": ("Agents rostered", "上班坐席数"),
    "required_staff_hours": ("Required staff hours", "需求人时"),
    "rostered_staff_hours": ("Rostered staff hours", "排班人时"),
    "paid_hours": ("Paid hours", "带薪工时"),
    "service_level": ("Service level", "服务水平"),
    "asa_seconds": ("ASA (s)", "平均应答时间（秒）"),
    "first_response_seconds": ("Chat first response (s)", "在线首次响应（秒）"),
    "abandon_rate": ("Abandonment", "放弃率"),
    "occupancy": ("Occupancy", "占用率"),
    "intervals_below_target": ("Intervals below target", "未达标时段"),
    "sc_agents": ("Agents on line", "在线坐席"),
    "sc_required": ("required", "需求"),
    "sc_scheduled": ("scheduled", "排班"),
    "sc_time": ("Time of day", "时刻"),
    "sc_peak_queues": ("Peak day {day}: staff hours required and rostered per queue",
                       "高峰日 {day}：各队列需求与排班人时"),
    "sc_staff_hours": ("Staff hours", "人时"),
    "sc_reason_closed": ("{queue}: {first}–{last} on {day} has {contacts} contacts but the "
                         "queue is closed in the shift templates; allow a night template or "
                         "open the queue",
                         "{queue}：{day} {first}–{last} 有 {contacts} 个来话，但班次模板中该队列"
                         "未开放；请增加夜班模板或开放该队列"),
    "sc_reason_short": ("{queue}: {first}–{last} on {day} is short of up to {agents} agents "
                        "({hours} agent-hours); add people who answer {queue} (temps, "
                        "overtime, cross-skilled agents) or a shift template for these hours",
                        "{queue}：{day} {first}–{last} 最多缺 {agents} 名坐席（{hours} 人时）；"
                        "请增加可接该队列的人手（临时工、加班、多技能坐席）或覆盖这些时段的班次模板"),
    "sc_reasons": ("Why each scenario falls short", "各情景人手不足的原因"),
    "sc_reasons_more": ("… and {n} more stretches", "……另有 {n} 段"),
    "sc_build": ("Build a scenario", "构建情景"),
    "sc_name": ("Name", "名称"),
    "sc_first_day": ("First day (YYYY-MM-DD)", "起始日期（YYYY-MM-DD）"),
    "sc_days": ("Days", "天数"),
    "sc_start_from": ("Start from", "起始情景"),
    "sc_uplift": ("Volume uplift (%)", "话务量上浮（%）"),
    "sc_uplift_on": ("on the event or day (YYYY-MM-DD)", "适用事件或日期（YYYY-MM-DD）"),
    "sc_for_queue": ("for queue", "适用队列"),
    "sc_aht": ("AHT change (%)", "处理时长变化（%）"),
    "sc_deflection": ("Chatbot deflection (%)", "机器人分流（%）"),
    "sc_target_queue": ("New target for queue", "修改目标的队列"),
    "sc_target_sl": ("Service level target (%)", "服务水平目标（%）"),
    "sc_target_seconds": ("answered within (s)", "应答时限（秒）"),
    "sc_shrinkage": ("Shrinkage (%)", "缺勤率（%）"),
    "sc_temps": ("Temporary agents", "临时坐席人数"),
    "sc_temp_template": ("their shift template", "其班次模板"),
    "sc_temp_queues": ("they answer", "其可接队列"),
    "sc_overtime": ("Overtime (extra hours per agent and week)", "加班（每人每周额外小时）"),
    "sc_remove": ("Agents removed", "减少坐席人数"),
    "sc_open_queue": ("Opening hours of queue", "修改营业时间的队列"),
    "sc_open_from": ("opens", "开始"),
    "sc_open_until": ("closes", "结束"),
    "sc_time_limit": ("Roster time limit (solver s)", "排班时间上限（求解秒数）"),
    "sc_build_button": ("Build the scenario", "生成情景"),
    "sc_advanced": ("Advanced: the same scenario as YAML (edit to change it)",
                    "高级：同一情景的 YAML（可编辑）"),
    "sc_run_all": ("Run the sample's Double 11 scenarios together", "一起运行示例的双十一情景"),
    "sc_running_all": ("Running {n} scenarios together: {step}…",
                       "正在一起运行 {n} 个情景：{step}…"),
    "sc_done_all": ("Saved {n} scenario runs.", "已保存 {n} 个情景运行结果。"),
    "sc_saved": ("Saved runs", "已保存的运行结果"),
    "sc_saved_at": ("Saved", "保存时间"),
    "sc_period": ("Cards for", "卡片范围"),
    "sc_peak_only": ("the peak day {day}", "高峰日 {day}"),
    "sc_horizon": ("the whole horizon", "整个周期"),
    "sc_cost": ("Cost per paid hour", "每计薪小时成本"),
    "sc_cost_card": ("Cost", "成本"),
    "sc_short_people": ("Short (agents, worst interval)", "人手缺口（人，最差时段）"),
    "sc_short_hours": ("Short (agent-hours)", "人手缺口（人时）"),
    "sc_pivot": ("Per scenario and day (★ the peak day)", "按情景和日期（★ 为高峰日）"),
    "sc_metric": ("Metric", "指标"),
    "sc_table_details": ("Every queue and day", "所有队列和日期"),
    "sc_any": ("all queues", "全部队列"),
    "sc_no_event": ("(none)", "（无）"),
}
RATES = ("service_level", "abandon_rate", "occupancy")
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
SECONDS = ("asa_seconds", "first_response_seconds")


def scenario_colours(names: list[str]) -> dict[str, str]:
    """One colour per scenario, by its place in the comparison, used by every view."""
    return {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(dict.fromkeys(names))}


def label(key: str, lang: str | None = None, **values: Any) -> str:
    """The label for `key` in the chosen language (the app's labels for other keys)."""
    lang = lang or current_language()
    pair = LABELS.get(key)
    if pair is None:
        return t(key, lang, **values)
    text = pair[1] if lang == "zh" else pair[0]
    return text.format(**values) if values else text


def peak_day_figure(intervals: pd.DataFrame, queue: str = ALL_QUEUES,
                    lang: str | None = None,
                    colours: dict[str, str] | None = None) -> go.Figure:
    """The peak day interval by interval, every scenario on one chart: contacts, agents
    on line required (dashed) and scheduled (solid), and projected service level.

    `intervals` is `planning.scenario_compare.peak_day_intervals` output.
    """
    rows = intervals[intervals["queue"] == queue].sort_values("interval_start")
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        row_heights=[0.3, 0.4, 0.3],
                        subplot_titles=(label("contacts", lang), label("sc_agents", lang),
                                        label("service_level", lang)))
    colours = colours or scenario_colours(list(rows["scenario"]))
    for i, (name, grp) in enumerate(rows.groupby("scenario", sort=False)):
        colour = colours.get(name, COLOURS[i % len(COLOURS)])
        fig.add_trace(go.Scatter(x=grp["interval_start"], y=grp["contacts"], name=name,
                                 legendgroup=name, line=dict(color=colour)), row=1, col=1)
        fig.add_trace(go.Scatter(x=grp["interval_start"], y=grp["required"],
                                 name=f"{name} – {label('sc_required', lang)}",
                                 legendgroup=name, showlegend=False,
                                 line=dict(color=colour, dash="dash")), row=2, col=1)
        fig.add_trace(go.Scatter(x=grp["interval_start"], y=grp["scheduled"],
                                 name=f"{name} – {label('sc_scheduled', lang)}",
                                 legendgroup=name, showlegend=False,
                                 line=dict(color=colour, shape="hv")), row=2, col=1)
        fig.add_trace(go.Scatter(x=grp["interval_start"], y=grp["service_level"],
                                 name=f"{name} – {label('service_level', lang)}",
                                 legendgroup=name, showlegend=False,
                                 line=dict(color=colour)), row=3, col=1)
    day = rows["interval_start"].min()
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05], row=3, col=1)
    fig.update_xaxes(title_text=label("sc_time", lang), tickformat="%H:%M", row=3, col=1)
    fig.update_xaxes(hoverformat="%H:%M")
    shown_queue = t("all_queues", lang) if queue == ALL_QUEUES else queue
    fig.update_layout(title=label("sc_peak", lang, day="" if pd.isna(day) else
                                  short_day(day, lang)) + f" · {shown_queue}",
                      hovermode="x unified", height=720, legend_title=label("scenario", lang),
                      margin=dict(t=70, b=40, l=10, r=10))
    return fig


def change_colours(comparison: pd.DataFrame) -> pd.DataFrame:
    """CSS per cell of the metric columns: green where the scenario is better than the
    baseline, red where worse, blue where different without a better direction."""
    styles = pd.DataFrame("", index=comparison.index, columns=comparison.columns)
    for metric in METRICS:
        change = f"{metric}_change"
        if metric not in comparison.columns or change not in comparison.columns:
            continue
        delta = comparison[change].astype(float)
        tolerance = 0.0005 if metric in RATES else 0.05
        moved = delta.abs() > tolerance
        sign = np.sign(delta) * DIRECTION.get(metric, 0)
        colour = np.where(sign > 0, "background-color: #d4f4dd",
                          np.where(sign < 0, "background-color: #fbd5d5",
                                   "background-color: #dbe9fb"))
        styles[metric] = np.where(moved.fillna(False), colour, "")
    return styles


def _number(metric: str, lang: str | None = None) -> Any:
    """Cell formatter: rates as percentages, times in s or m:ss, counts whole, hours and
    staff with one decimal; never ∞ or NaN."""
    def fmt(value: Any) -> str:
        if metric in RATES:
            return pct(value, lang=lang)
        if metric in SECONDS:
            return duration(value, lang)
        if metric in ("rostered_agents", "intervals_below_target", "contacts"):
            return num(value, 0, lang)
        return num(value, 1, lang)
    return fmt


def comparison_table(comparison: pd.DataFrame, lang: str | None = None) -> Any:
    """The comparison frame as a Styler: metric columns with changes highlighted, rates as
    percentages, change columns hidden, headers in the chosen language."""
    shown = [c for c in ("scenario", "queue", "date", *METRICS) if c in comparison.columns]
    frame = comparison.reset_index(drop=True)
    styles = change_colours(frame)[shown]
    view = frame[shown].copy()
    view["date"] = pd.to_datetime(view["date"]).map(lambda d: short_day(d, lang))
    if "queue" in view.columns:
        view["queue"] = view["queue"].map(lambda q: queue_label(q, lang))
    names = {c: label(c, lang) if c != "queue" else label("sc_queue", lang) for c in shown}
    formats = {names[c]: _number(c, lang) for c in METRICS if c in shown}
    styles.columns = [names[c] for c in shown]
    return (view.rename(columns=names).style
            .apply(lambda _: styles, axis=None)
            .format(formats, na_rep="–"))


def queue_label(queue: Any, lang: str | None = None) -> str:
    """A queue as shown: its own name, "all queues" in the chosen language."""
    return t("all_queues", lang) if str(queue) == ALL_QUEUES else str(queue)


PIVOT_METRICS = ("service_level", "asa_seconds", "first_response_seconds", "abandon_rate",
                 "contacts", "required_staff", "rostered_staff", "required_staff_hours",
                 "rostered_staff_hours", "paid_hours", "intervals_below_target")


def day_pivot(comparison: pd.DataFrame, metric: str, queue: str = ALL_QUEUES,
              lang: str | None = None) -> pd.DataFrame:
    """Scenario x day for one metric and queue, every cell written for the planner
    (the peak day's column marked ★)."""
    rows = comparison[comparison["queue"] == queue]
    table = rows.pivot_table(index="scenario", columns="date", values=metric, aggfunc="first",
                             sort=False)
    table = table.reindex(list(dict.fromkeys(rows["scenario"])))
    fmt = _number(metric, lang)
    totals = rows[rows["queue"] == queue]
    peak = None
    if not totals.empty:
        first = totals[totals["scenario"] == totals["scenario"].iloc[0]]
        peak = pd.Timestamp(first.sort_values(["contacts", "date"], ascending=[False, True])
                            ["date"].iloc[0])
    out = table.apply(lambda col: col.map(fmt))
    out.columns = [short_day(c, lang) + (" ★" if peak is not None and pd.Timestamp(c) == peak
                                         else "") for c in table.columns]
    out.index.name = label("scenario", lang)
    return out


def peak_queue_figure(daily: pd.DataFrame, day: pd.Timestamp, colours: dict[str, str],
                      lang: str | None = None) -> go.Figure:
    """Required against rostered staff hours per queue on the peak day, one colour per
    scenario: bars rostered, diamonds required."""
    rows = daily[(daily["queue"] != ALL_QUEUES)
                 & (pd.to_datetime(daily["date"]) == pd.Timestamp(day))]
    fig = go.Figure()
    for name, grp in rows.groupby("scenario", sort=False):
        colour = colours.get(name, COLOURS[0])
        fig.add_trace(go.Bar(x=grp["queue"], y=grp["rostered_staff_hours"],
                             name=f"{name} – {label('sc_scheduled', lang)}",
                             marker_color=colour, legendgroup=name, offsetgroup=name))
        fig.add_trace(go.Scatter(x=grp["queue"], y=grp["required_staff_hours"],
                                 name=f"{name} – {label('sc_required', lang)}", mode="markers",
                                 marker=dict(symbol="diamond", size=12, color=colour,
                                             line=dict(color="black", width=1)),
                                 legendgroup=name, offsetgroup=name))
    fig.update_layout(title=label("sc_peak_queues", lang, day=short_day(day, lang)),
                      barmode="group", yaxis_title=label("sc_staff_hours", lang),
                      legend_title=label("scenario", lang), height=420,
                      margin=dict(t=60, b=40, l=10, r=10))
    return fig


def reason_text(reason: Any, lang: str | None = None) -> str:
    """One shortfall reason (a `planning.scenario_compare.shortfall_reasons` row) in
    words."""
    day_text = short_day(reason.date, lang)
    values = {"queue": reason.queue, "first": reason.first, "last": reason.last,
              "day": day_text, "contacts": num(reason.contacts, 0, lang),
              "agents": num(reason.missing_agents_max, 0, lang),
              "hours": num(reason.missing_agent_hours, 1, lang)}
    key = "sc_reason_closed" if reason.closed else "sc_reason_short"
    return label(key, lang, **values)
