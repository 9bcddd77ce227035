"""Plotly figures of the Today page: pure functions from frames to figures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import date_axis, header, t

_MARGIN = dict(t=50, b=40, l=10, r=10)


def today_figure(reforecast: pd.DataFrame, queue: str, now: pd.Timestamp,
                 lang: str | None = None) -> go.Figure:
    """One queue's day: the actual contacts so far, the forecast, and the reforecast of
    the rest of the day, with a line at now."""
    rows = reforecast[reforecast["queue"].astype(str) == queue].copy()
    rows["interval_start"] = pd.to_datetime(rows["interval_start"])
    rows = rows[rows["interval_start"].dt.normalize() == now.normalize()]
    actual = rows[rows["source"] == "actual"]
    later = rows[rows["source"] != "actual"]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=rows["interval_start"], y=rows["forecast_contacts"],
                             mode="lines", name=t("today_forecast", lang),
                             line=dict(dash="dot", color="#7f7f7f")))
    fig.add_trace(go.Bar(x=actual["interval_start"], y=actual["contacts"],
                         name=t("today_actual", lang), marker_color="#1f77b4"))
    fig.add_trace(go.Scatter(x=later["interval_start"], y=later["contacts"], mode="lines",
                             name=t("today_reforecast", lang), line=dict(color="#d62728")))
    fig.add_vline(x=now, line_dash="dash", line_color="#555555")
    fig.update_layout(title=t("today_chart_title", lang, queue=queue),
                      xaxis_title=t("interval_start", lang), yaxis_title=t("contacts", lang),
                      hovermode="x unified", margin=_MARGIN, bargap=0.1)
    fig.update_xaxes(**date_axis(lang))
    return fig


def service_level_figure(levels: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Rest-of-day service level per queue without changes, with the proposed changes
    and with the accepted ones (`levels` from `planning.intraday.service_levels`)."""
    fig = go.Figure()
    for col, key in (("without", "today_sl_without"), ("proposed", "today_sl_proposed"),
                     ("accepted", "today_sl_accepted")):
        fig.add_trace(go.Bar(x=levels["queue"], y=levels[col] * 100, name=t(key, lang),
                             text=[f"{v:.1%}" for v in levels[col]], textposition="auto"))
    fig.update_layout(title=t("today_sl_title", lang), barmode="group",
                      yaxis_title=header("service_level", lang) + " (%)",
                      xaxis_title=t("queue", lang), margin=_MARGIN)
    fig.update_yaxes(range=[0, 100])
    return fig
