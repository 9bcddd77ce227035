"""Forecast page: history and forecast with its band and events, backtest accuracy,
manual adjustments."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.assumed import show_assumed
from dashboard.figures import forecast_figure
from dashboard.i18n import day, num, pct, stamp, t
from planning.plans import adjust_forecast, save_settings
from planning.steps import model_names, special_days


def _metrics(forecast: pd.DataFrame) -> None:
    settings = state.settings()
    first = forecast["interval_start"].min()
    days = forecast["interval_start"].dt.normalize().nunique()
    models = ", ".join(sorted(forecast["model"].astype(str).unique())) \
        if "model" in forecast.columns else settings.model
    st.caption(t("forecast_caption", days=days, start=day(first), model=models))
    totals = forecast.groupby("queue")["contacts"].sum()
    cols = st.columns(min(len(totals) + 1, 6))
    cols[0].metric(t("forecast_total"), num(totals.sum()))
    for i, (queue, total) in enumerate(totals.items(), start=1):
        cols[i % len(cols)].metric(str(queue), num(total))


def _chart(forecast: pd.DataFrame) -> None:
    history = state.frame("history")
    events = special_days(state.settings(), state.frame("events"),
                          history["interval_start"].max() - pd.Timedelta(days=14),
                          forecast["interval_start"].max(), history)
    queue = st.selectbox(t("queue"), sorted(forecast["queue"].astype(str).unique()),
                         key="forecast_queue")
    st.plotly_chart(forecast_figure(history, forecast, queue, events), width="stretch")


def _accuracy() -> None:
    st.subheader(t("accuracy"))
    scores = state.frame("backtest")
    if scores is None or scores.empty:
        st.info(t("no_backtest"))
        return
    rows = scores[scores["day_type"] == "all"] if "day_type" in scores.columns else scores
    table = rows.pivot_table(index="model", columns="queue", values="wape")
    table = table.map(pct)
    table.index.name = t("model")
    st.dataframe(table)


def _all_label(everything: str):
    return lambda queue: queue or everything


def _adjust(forecast: pd.DataFrame) -> None:
    st.subheader(t("adjust_header"))
    locked = state.read_only_note()
    first = forecast["interval_start"].min()
    last = forecast["interval_start"].max()
    with st.form("adjust_form"):
        c1, c2, c3, c4, c5, c6 = st.columns([2, 2, 1, 2, 1, 1])
        queues = ["", *sorted(forecast["queue"].astype(str).unique())]
        queue = c1.selectbox(t("queue"), queues, format_func=_all_label(t("all_queues")))
        start_day = c2.date_input(t("adjust_from"), value=first.date(), min_value=first.date(),
                                  max_value=last.date())
        start_time = c3.time_input(t("adjust_from_time"), value=dt.time(0, 0), step=900)
        end_day = c4.date_input(t("adjust_to"), value=first.date() + dt.timedelta(days=1),
                                min_value=first.date(),
                                max_value=last.date() + dt.timedelta(days=1))
        end_time = c5.time_input(t("adjust_to_time"), value=dt.time(0, 0), step=900)
        percent = c6.number_input(t("adjust_percent"), value=10.0, min_value=-99.0,
                                  max_value=500.0, step=5.0)
        submitted = st.form_submit_button(t("adjust_apply"), disabled=locked)
    if submitted:
        state.check("edit", state.plan_id())
        adjustment = {
            "queue": queue or None,
            "start": str(pd.Timestamp.combine(start_day, start_time)),
            "end": str(pd.Timestamp.combine(end_day, end_time)),
            "percent": float(percent),
        }
        adjust_forecast(state.workspace(), state.plan_id(), adjustment)
        state.record("adjust_forecast", state.plan_id(),
                     detail=f"{adjustment['percent']:+g}% on {adjustment['queue'] or 'all queues'} "
                     f"from {adjustment['start']} to {adjustment['end']}")
        state.compute()
        st.session_state["forecast_adjusted"] = True
        st.rerun()
    if st.session_state.pop("forecast_adjusted", False):
        st.success(t("adjust_done"))
    settings = state.settings()
    if settings.adjustments:
        st.markdown(f"**{t('adjust_list')}**")
        st.dataframe(pd.DataFrame([
            {t("queue"): a.get("queue") or t("all_queues"),
             t("adjust_from"): stamp(a["start"]), t("adjust_to"): stamp(a["end"]),
             t("adjust_percent"): f"{a['percent']:+.1f}%"}
            for a in settings.adjustments]), hide_index=True)
        if st.button(t("adjust_clear"), key="clear_adjustments", disabled=locked):
            state.check("edit", state.plan_id())
            state.record("adjust_forecast", state.plan_id(),
                         detail=f"removed {len(settings.adjustments)} adjustment(s)")
            settings.adjustments = []
            save_settings(state.workspace(), state.plan_id(), settings,
                          stale_from="forecast")
            state.compute()
            st.rerun()


def _settings() -> None:
    settings = state.settings()
    with st.expander(t("settings_header")):
        with st.form("forecast_settings"):
            c1, c2, c3 = st.columns(3)
            days = c1.number_input(t("forecast_days"), min_value=1, max_value=56,
                                   value=int(settings.forecast_days))
            models = model_names()
            model = c2.selectbox(t("model"), models,
                                 index=models.index(settings.model)
                                 if settings.model in models else 0)
            country = c3.text_input(t("holiday_country"), value=settings.country or "",
                                    help=t("holiday_country_help"))
            shopping = c3.checkbox(t("shopping_events"), value=settings.shopping,
                                   disabled=not state.allowed("edit"))
            if st.form_submit_button(t("recompute"), disabled=not state.allowed("edit")):
                state.check("edit", state.plan_id())
                state.record("settings", state.plan_id(),
                             detail=f"forecast {int(days)} days, model {model}, "
                             f"holidays {country.strip().upper() or 'none'}")
                settings.forecast_days = int(days)
                settings.model = model
                new_country = country.strip().upper() or None
                if new_country != settings.country:
                    settings.country_reason = "chosen"
                settings.country = new_country
                settings.shopping = bool(shopping)
                save_settings(state.workspace(), state.plan_id(), settings,
                              stale_from="forecast")
                state.compute()
                st.rerun()


with state.page_guard():
    st.title(t("forecast_title"))
    forecast = state.require("forecast", "forecast")
    _metrics(forecast)
    _chart(forecast)
    show_assumed(team=False)
    state.downloads("forecast", forecast, "dl_forecast")
    _accuracy()
    _adjust(forecast)
    _settings()
