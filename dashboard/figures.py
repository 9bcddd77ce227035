"""Plotly figures: pure functions from a frame to a figure, testable without a browser."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def daily_contacts_figure(history: pd.DataFrame) -> go.Figure:
    """Contacts per day and queue: the long view of the history."""
    daily = (
        history.assign(date=history["interval_start"].dt.normalize())
        .groupby(["queue", "date"], as_index=False)["contacts"].sum()
    )
    fig = go.Figure()
    for queue, rows in daily.groupby("queue", sort=True):
        fig.add_trace(go.Scatter(x=rows["date"], y=rows["contacts"], mode="lines", name=queue))
    fig.update_layout(
        title="Contacts per day", xaxis_title="date", yaxis_title="contacts",
        hovermode="x unified", legend_title="queue", margin=dict(t=50, b=40),
    )
    return fig


def intraday_figure(history: pd.DataFrame, queue: str) -> go.Figure:
    """Average contacts per interval of the day for one queue, by weekday."""
    rows = history[history["queue"] == queue]
    shape = (
        rows.assign(weekday=rows["interval_start"].dt.day_name(),
                    time=rows["interval_start"].dt.strftime("%H:%M"))
        .groupby(["weekday", "time"], as_index=False)["contacts"].mean()
    )
    fig = go.Figure()
    order = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    for weekday in order:
        part = shape[shape["weekday"] == weekday]
        if not part.empty:
            fig.add_trace(go.Scatter(x=part["time"], y=part["contacts"], mode="lines",
                                     name=weekday))
    fig.update_layout(
        title=f"{queue}: average contacts per interval", xaxis_title="interval start",
        yaxis_title="contacts", legend_title="weekday", margin=dict(t=50, b=40),
    )
    return fig
