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

from dashboard.i18n import current_language, t
from planning.scenario_compare import ALL_QUEUES, DIRECTION, METRICS

LABELS: dict[str, tuple[str, str]] = {
    "page_scenarios": ("Scenarios", "情景对比"),
    "sc_title": ("Scenarios: compare peak-day plans", "情景：对比大促日方案"),
    "sc_intro": ("A scenario is a YAML file of changes to a base plan: volume uplift, AHT, "
                 "chatbot deflection, targets, shrinkage, agents added or removed, overtime, "
                 "shift templates. Each run is saved in the workspace with its inputs.",
                 "情景是一份对基础方案的修改（YAML）：话务量上浮、处理时长、机器人分流、服务目标、"
                 "缺勤率、增减坐席、加班、班次模板。每次运行连同输入一起保存在工作区。"),
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
}
RATES = ("service_level", "abandon_rate", "occupancy")
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def label(key: str, lang: str | None = None, **values: Any) -> str:
    """The label for `key` in the chosen language (the app's labels for other keys)."""
    lang = lang or current_language()
    pair = LABELS.get(key)
    if pair is None:
        return t(key, lang, **values)
    text = pair[1] if lang == "zh" else pair[0]
    return text.format(**values) if values else text


def peak_day_figure(intervals: pd.DataFrame, queue: str = ALL_QUEUES,
                    lang: str | None = None) -> go.Figure:
    """The peak day interval by interval, every scenario on one chart: contacts, agents
    on line required (dashed) and scheduled (solid), and projected service level.

    `intervals` is `planning.scenario_compare.peak_day_intervals` output.
    """
    rows = intervals[intervals["queue"] == queue].sort_values("interval_start")
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        row_heights=[0.3, 0.4, 0.3],
                        subplot_titles=(label("contacts", lang), label("sc_agents", lang),
                                        label("service_level", lang)))
    for i, (name, grp) in enumerate(rows.groupby("scenario", sort=False)):
        colour = COLOURS[i % len(COLOURS)]
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
    fig.update_layout(title=label("sc_peak", lang, day="" if pd.isna(day) else
                                  str(pd.Timestamp(day).date())) + f" · {queue}",
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


def _number(metric: str) -> Any:
    """Cell formatter: rates as percentages, counts whole, an overloaded queue's
    infinite wait as ∞."""
    def fmt(value: Any) -> str:
        if value is None or value != value:
            return "–"
        if np.isinf(value):
            return "∞"
        if metric in RATES:
            return f"{value:.1%}"
        if metric in ("rostered_agents", "intervals_below_target"):
            return f"{value:,.0f}"
        return f"{value:,.1f}"
    return fmt


def comparison_table(comparison: pd.DataFrame, lang: str | None = None) -> Any:
    """The comparison frame as a Styler: metric columns with changes highlighted, rates as
    percentages, change columns hidden, headers in the chosen language."""
    shown = [c for c in ("scenario", "queue", "date", *METRICS) if c in comparison.columns]
    frame = comparison.reset_index(drop=True)
    styles = change_colours(frame)[shown]
    view = frame[shown].copy()
    view["date"] = pd.to_datetime(view["date"]).dt.strftime("%Y-%m-%d")
    names = {c: label(c, lang) if c != "queue" else label("sc_queue", lang) for c in shown}
    formats = {names[c]: _number(c) for c in METRICS if c in shown}
    styles.columns = [names[c] for c in shown]
    return (view.rename(columns=names).style
            .apply(lambda _: styles, axis=None)
            .format(formats, na_rep="–"))
