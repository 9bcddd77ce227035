"""Plotly figures: pure functions from a frame to a figure, testable without a browser.

Labels come from `dashboard.i18n` in the language passed as `lang` (the
sidebar's choice when omitted).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import event_name
from dashboard.i18n import date_axis, day, t, weekday_name
from scheduling.frames import break_spans

_MARGIN = dict(t=50, b=40, l=10, r=10)


def daily_contacts_figure(history: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Contacts per day and queue: the long view of the history."""
    daily = (
        history.assign(date=history["interval_start"].dt.normalize())
        .groupby(["queue", "date"], as_index=False)["contacts"].sum()
    )
    fig = go.Figure()
    for queue, rows in daily.groupby("queue", sort=True):
        fig.add_trace(go.Scatter(x=rows["date"], y=rows["contacts"], mode="lines", name=queue))
    fig.update_layout(
        title=t("history_daily", lang), xaxis_title=t("day", lang),
        yaxis_title=t("contacts", lang), hovermode="x unified", legend_title=t("queue", lang),
        margin=_MARGIN,
    )
    fig.update_xaxes(**date_axis(lang, with_time=False))
    return fig


def intraday_figure(history: pd.DataFrame, queue: str, lang: str | None = None) -> go.Figure:
    """Average contacts per interval of the day for one queue, by weekday."""
    rows = history[history["queue"] == queue]
    shape = (
        rows.assign(weekday=rows["interval_start"].dt.day_of_week,
                    time=rows["interval_start"].dt.strftime("%H:%M"))
        .groupby(["weekday", "time"], as_index=False)["contacts"].mean()
    )
    fig = go.Figure()
    for weekday in range(7):
        part = shape[shape["weekday"] == weekday]
        if not part.empty:
            fig.add_trace(go.Scatter(x=part["time"], y=part["contacts"], mode="lines",
                                     name=weekday_name(weekday, lang)))
    fig.update_layout(
        title=t("history_intraday", lang, queue=queue), xaxis_title=t("interval_start", lang),
        yaxis_title=t("contacts", lang), legend_title=t("weekday", lang), margin=_MARGIN,
    )
    return fig


def forecast_figure(history: pd.DataFrame, forecast: pd.DataFrame, queue: str,
                    events: pd.DataFrame | None = None, history_days: int = 14,
                    lang: str | None = None) -> go.Figure:
    """Recent history, the forecast and its 80% band for one queue, events shaded."""
    fc = forecast[forecast["queue"] == queue].sort_values("interval_start")
    start = fc["interval_start"].min() if not fc.empty else history["interval_start"].max()
    hist = history[(history["queue"] == queue)
                   & (history["interval_start"] >= start - pd.Timedelta(days=history_days))]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=hist["interval_start"], y=hist["contacts"], mode="lines",
                             name=t("history", lang), line=dict(color="#7f7f7f", width=1)))
    if {"contacts_lo", "contacts_hi"} <= set(fc.columns):
        fig.add_trace(go.Scatter(x=fc["interval_start"], y=fc["contacts_hi"], mode="lines",
                                 line=dict(width=0), showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=fc["interval_start"], y=fc["contacts_lo"], mode="lines",
                                 line=dict(width=0), fill="tonexty",
                                 fillcolor="rgba(31,119,180,0.2)", name=t("band", lang)))
    fig.add_trace(go.Scatter(x=fc["interval_start"], y=fc["contacts"], mode="lines",
                             name=t("forecast", lang), line=dict(color="#1f77b4", width=2)))
    first = hist["interval_start"].min() if not hist.empty else start
    last = fc["interval_start"].max() if not fc.empty else start
    for name, ev_start, ev_end in _event_spans(events, first, last):
        fig.add_vrect(x0=ev_start, x1=ev_end, fillcolor="orange", opacity=0.15, line_width=0,
                      annotation_text=event_name(name, lang), annotation_position="top left")
    fig.update_layout(title=t("forecast_figure", lang, queue=queue),
                      xaxis_title=t("interval_start", lang), yaxis_title=t("contacts", lang),
                      hovermode="x unified", margin=_MARGIN)
    fig.update_xaxes(**date_axis(lang))
    return fig


def _event_spans(events: pd.DataFrame | None, first: pd.Timestamp,
                 last: pd.Timestamp) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    if events is None or events.empty or pd.isna(first) or pd.isna(last):
        return []
    spans = []
    for ev in events.itertuples(index=False):
        start = pd.Timestamp(ev.start) - pd.Timedelta(days=int(getattr(ev, "days_before", 0)))
        end = (pd.Timestamp(ev.end) + pd.Timedelta(days=int(getattr(ev, "days_after", 0)) + 1))
        if end > first and start <= last:
            spans.append((str(ev.name), max(start, first), min(end, last)))
    return spans


def requirements_heatmap(requirements: pd.DataFrame, queue: str,
                         lang: str | None = None) -> go.Figure:
    """Staff needed for one queue: days down, intervals of the day across."""
    rows = requirements[requirements["queue"] == queue]
    grid = (rows.assign(date=rows["interval_start"].dt.normalize(),
                        time=rows["interval_start"].dt.strftime("%H:%M"))
            .pivot_table(index="date", columns="time", values="staff", aggfunc="sum")
            .sort_index())
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=list(grid.columns), y=[day(d, lang) for d in grid.index],
        colorscale="Blues", colorbar=dict(title=t("staff", lang)),
        hovertemplate="%{y} %{x}: %{z}<extra></extra>",
    ))
    fig.update_layout(title=t("req_heatmap", lang, queue=queue),
                      xaxis_title=t("interval_start", lang), yaxis=dict(autorange="reversed"),
                      margin=_MARGIN)
    return fig


def gantt_figure(roster: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """One bar per shift, one row per agent, coloured by queue; breaks drawn as gaps."""
    rows = roster.dropna(subset=["start", "end"]).sort_values(["agent_id", "start"])
    fig = go.Figure()
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
               "#e377c2", "#17becf"]
    queues = sorted(rows["queue"].astype(str).unique())
    for i, queue in enumerate(queues):
        part = rows[rows["queue"].astype(str) == queue]
        start = pd.to_datetime(part["start"])
        length_ms = (pd.to_datetime(part["end"]) - start).dt.total_seconds() * 1000
        fig.add_trace(go.Bar(
            x=length_ms, base=start, y=part["agent_id"].astype(str), orientation="h",
            name=queue, marker_color=colours[i % len(colours)],
            customdata=part[["shift"]].astype(str).to_numpy(),
            hovertemplate="%{y} %{customdata[0]}: %{base|%H:%M}<extra>" + queue + "</extra>",
        ))
    breaks = _break_bars(rows)
    if not breaks.empty:
        fig.add_trace(go.Bar(
            x=breaks["length_ms"], base=breaks["start"], y=breaks["agent_id"], orientation="h",
            name=t("breaks", lang), marker_color="rgba(255,255,255,0.9)",
            marker_line=dict(color="#444", width=0.5),
            hovertemplate="%{y}: %{base|%H:%M}<extra>" + t("breaks", lang) + "</extra>",
        ))
    fig.update_layout(title=t("gantt", lang), barmode="overlay", xaxis=dict(type="date"),
                      yaxis=dict(autorange="reversed", title=t("agent", lang)),
                      legend_title=t("queue", lang), margin=_MARGIN,
                      height=max(300, 22 * rows["agent_id"].nunique() + 120))
    fig.update_xaxes(**date_axis(lang))
    return fig


def _break_bars(rows: pd.DataFrame) -> pd.DataFrame:
    """Breaks written `HH:MM-HH:MM;...` as timed bars (on or after the shift start)."""
    out = []
    for rec in rows.itertuples(index=False):
        text = getattr(rec, "breaks", "")
        if not isinstance(text, str) or not text.strip():
            continue
        start = pd.Timestamp(rec.start)
        for part in text.split(";"):
            try:
                spans = break_spans(part.strip(), start)
            except ValueError:  # a malformed entry is skipped, the others still drawn
                continue
            out.extend((str(rec.agent_id), begin, (end - begin).total_seconds() * 1000)
                       for begin, end in spans)
    return pd.DataFrame(out, columns=["agent_id", "start", "length_ms"])


def coverage_figure(coverage: pd.DataFrame, queue: str, lang: str | None = None) -> go.Figure:
    """Scheduled agents on line against required agents per interval for one queue."""
    rows = coverage[coverage["queue"].astype(str) == queue].sort_values("interval_start")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=rows["interval_start"], y=rows["required"], mode="lines",
                             name=t("required", lang), line=dict(color="#d62728", shape="hv")))
    fig.add_trace(go.Scatter(x=rows["interval_start"], y=rows["scheduled"], mode="lines",
                             name=t("scheduled", lang), fill="tozeroy",
                             line=dict(color="#1f77b4", shape="hv")))
    fig.update_layout(title=f"{t('coverage', lang)}: {queue}",
                      xaxis_title=t("interval_start", lang), yaxis_title=t("agents", lang),
                      hovermode="x unified", margin=_MARGIN)
    fig.update_xaxes(**date_axis(lang))
    return fig


def response_figure(projection: pd.DataFrame, queue: str, metric: str, target: float | None,
                    below: pd.Series | None = None, label: str = "",
                    lang: str | None = None) -> go.Figure:
    """One projected metric per interval for a queue, its target line, misses marked red."""
    rows = projection[projection["queue"].astype(str) == queue].sort_values("interval_start")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=rows["interval_start"], y=rows[metric], mode="lines",
                             name=label or metric))
    if below is not None:
        miss = rows[below.reindex(rows.index).fillna(False).astype(bool)]
        fig.add_trace(go.Scatter(x=miss["interval_start"], y=miss[metric], mode="markers",
                                 marker=dict(color="#d62728", size=7),
                                 name=t("resp_below", lang)))
    if target is not None:
        fig.add_hline(y=target, line_dash="dash", line_color="#2ca02c",
                      annotation_text=t("resp_target", lang))
    fig.update_layout(title=t("resp_figure", lang, queue=queue),
                      xaxis_title=t("interval_start", lang), yaxis_title=label or metric,
                      hovermode="x unified", margin=_MARGIN)
    fig.update_xaxes(**date_axis(lang))
    return fig
