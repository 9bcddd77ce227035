"""Capacity page figures: required vs planned staff per interval on a day, and weekly
FTE required vs available with the hiring classes marked. Pure functions from frames
to Plotly figures, testable without a browser."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import t


def peak_day(planned: pd.DataFrame) -> pd.Timestamp | None:
    """The day with the most staff required over all queues (None when empty)."""
    if planned.empty:
        return None
    day = pd.to_datetime(planned["interval_start"]).dt.normalize()
    return pd.Timestamp(planned.groupby(day)["required"].sum().idxmax())


def staff_figure(planned: pd.DataFrame, day: pd.Timestamp, queue: str | None = None
                 ) -> go.Figure:
    """Required and planned staff per interval on `day` (one queue, or all summed);
    intervals left short shaded."""
    frame = planned.copy()
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    frame = frame[frame["interval_start"].dt.normalize() == pd.Timestamp(day).normalize()]
    if queue:
        frame = frame[frame["queue"] == queue]
    per = frame.groupby("interval_start")[["required", "planned", "shortfall"]].sum()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=per.index, y=per["required"], name=t("cap_required"),
                             mode="lines", line={"shape": "hv", "color": "#d62728"}))
    fig.add_trace(go.Scatter(x=per.index, y=per["planned"], name=t("cap_planned"),
                             mode="lines", line={"shape": "hv", "color": "#1f77b4"}))
    short = per[per["shortfall"] > 1e-6]
    if not short.empty:
        fig.add_trace(go.Bar(x=short.index, y=short["shortfall"], name=t("cap_short"),
                             marker_color="rgba(214,39,40,0.35)"))
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      yaxis_title=t("staff"), legend={"orientation": "h"})
    return fig


def hiring_figure(weekly: pd.DataFrame, hiring: pd.DataFrame) -> go.Figure:
    """Weekly FTE required against productive FTE plus temps; each class's start week
    marked with its size."""
    week = pd.to_datetime(weekly["week_start"])
    fig = go.Figure()
    fig.add_trace(go.Bar(x=week, y=weekly["productive_fte"], name=t("cap_productive"),
                         marker_color="#1f77b4"))
    fig.add_trace(go.Bar(x=week, y=weekly["temps"], name=t("cap_temps_fte"),
                         marker_color="#ff7f0e"))
    fig.add_trace(go.Scatter(x=week, y=weekly["required_fte"], name=t("cap_required_fte"),
                             mode="lines", line={"color": "#d62728", "width": 2}))
    if not hiring.empty:
        starts = pd.to_datetime(hiring["class_start"])
        top = float(weekly["required_fte"].max()) * 1.05
        fig.add_trace(go.Scatter(
            x=starts, y=[top] * len(starts), mode="markers+text", name=t("cap_classes"),
            text=[f"+{int(n)}" for n in hiring["hires"]], textposition="top center",
            marker={"symbol": "triangle-down", "size": 12, "color": "#2ca02c"}))
    fig.update_layout(barmode="stack", height=380, yaxis_title="FTE",
                      margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend={"orientation": "h"})
    return fig


def compare_figure(per_day: pd.DataFrame) -> go.Figure:
    """Saved capacity plans side by side: the lowest queue's service level per day, one
    line per plan, with the lowest target dotted."""
    fig = go.Figure()
    frame = per_day.assign(date=pd.to_datetime(per_day["date"]))
    for plan, rows in frame.groupby("plan", sort=False):
        lowest = rows.groupby("date")["service_level"].min()
        fig.add_trace(go.Scatter(x=lowest.index, y=lowest.to_numpy(), mode="lines+markers",
                                 name=str(plan)))
    if not frame.empty:
        fig.add_hline(y=float(frame["target_service_level"].min()), line_dash="dot",
                      line_color="#d62728", annotation_text=t("cap_target"))
    fig.update_layout(height=340, yaxis_tickformat=".0%", yaxis_title=t("cap_card_sl"),
                      margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend={"orientation": "h"})
    return fig
