"""Response times page: projected service level, ASA and chat first-response time per
interval against the queue's targets, intervals below target flagged."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures import response_figure
from dashboard.i18n import day, headers, num, pct, stamp, t
from dashboard.team import starter_team_note
from planning.steps import below_target_flags, projection_rollup


def _metrics(projection: pd.DataFrame, flags: pd.Series) -> None:
    week = projection_rollup(projection, flags, period="week")
    overall = week[week["queue"] == "all queues"]
    contacts = overall["contacts"].sum()

    def weighted(col: str) -> float:
        return (overall[col] * overall["contacts"]).sum() / contacts if contacts > 0 \
            else float("nan")

    cols = st.columns(4)
    cols[0].metric(t("week_sl"), pct(weighted("service_level")))
    cols[1].metric(t("resp_asa"), num(weighted("asa_seconds"), 1))
    cols[2].metric(t("abandon_rate"), pct(weighted("abandon_rate")))
    cols[3].metric(t("resp_below"), num(int(flags.sum())))
    nobody = int(((projection["scheduled"] <= 0) & (projection.get("contacts", 0) > 0)).sum()) \
        if "scheduled" in projection.columns else 0
    if nobody:
        st.warning(t("resp_nobody", count=num(nobody)))
    daily = projection_rollup(projection, flags, period="day")
    daily = daily[daily["queue"] != "all queues"]
    st.markdown(f"**{t('resp_daily')}**")
    st.dataframe(
        daily.assign(period_start=daily["period_start"].map(day))[
            ["queue", "period_start", "contacts", "service_level", "asa_seconds",
             "abandon_rate", "intervals_below_target"]
        ].rename(columns={
            "queue": t("queue"), "period_start": t("day"), "contacts": t("contacts"),
            "service_level": t("resp_sl"), "asa_seconds": t("resp_asa"),
            "abandon_rate": t("abandon_rate"), "intervals_below_target": t("resp_below")})
        .style.format({t("resp_sl"): pct, t("abandon_rate"): pct,
                       t("resp_asa"): lambda v: num(v, 1), t("contacts"): num}),
        hide_index=True)


def _charts(projection: pd.DataFrame, targets: pd.DataFrame, flags: pd.Series) -> None:
    queue = st.selectbox(t("queue"), sorted(projection["queue"].astype(str).unique()),
                         key="resp_queue")
    target = targets.set_index("queue").loc[queue] if queue in set(targets["queue"]) else None
    chat = target is not None and str(target.get("channel", "")) == "chat"
    choices = {"service_level": t("resp_sl"),
               "asa_seconds": t("resp_frt") if chat else t("resp_asa")}
    for col in projection.columns:
        if "p90" in col:
            choices[col] = f"{t('resp_frt') if chat else t('resp_asa')} (p90)"
    metric = st.radio(t("resp_metric"), list(choices), format_func=choices.get,
                      horizontal=True, key="resp_metric")
    goal = None
    if target is not None:
        if metric == "service_level":
            goal = float(target["service_level"])
        elif metric == "asa_seconds" and pd.notna(target.get("asa_seconds")):
            goal = float(target["asa_seconds"])
    st.plotly_chart(response_figure(projection, queue, metric, goal, flags,
                                    label=choices[metric]), width="stretch")


def _flagged(projection: pd.DataFrame, flags: pd.Series) -> None:
    st.subheader(t("resp_flagged"))
    missed = projection[flags]
    if missed.empty:
        st.success(t("resp_all_met"))
        return
    shown = missed.assign(interval_start=missed["interval_start"].map(stamp))
    st.dataframe(headers(shown), hide_index=True)


with state.page_guard():
    st.title(t("resp_title"))
    projection = state.require("projection", "projection")
    starter_team_note()
    targets = state.frame("queue_settings")
    flags = below_target_flags(projection, targets)
    _metrics(projection, flags)
    _charts(projection, targets if targets is not None else pd.DataFrame(columns=["queue"]),
            flags)
    state.downloads("projection", projection, "dl_projection")
    _flagged(projection, flags)
