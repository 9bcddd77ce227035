"""Response times page: projected service level, ASA and chat first-response time per
interval against the queue's targets, intervals below target flagged."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures import response_figure
from dashboard.i18n import num, pct, stamp, t
from planning import pipeline


def _metrics(projection: pd.DataFrame, flags: pd.Series) -> None:
    weights = _weights(projection)
    cols = st.columns(4)
    sl = (projection["service_level"] * weights).sum() / max(weights.sum(), 1e-9)
    cols[0].metric(t("week_sl"), pct(sl))
    asa = (projection["asa_seconds"] * weights).sum() / max(weights.sum(), 1e-9)
    cols[1].metric(t("resp_asa"), num(asa, 1))
    if "abandon_rate" in projection.columns:
        ab = (projection["abandon_rate"].fillna(0) * weights).sum() / max(weights.sum(), 1e-9)
        cols[2].metric(t("abandon_rate"), pct(ab))
    cols[3].metric(t("resp_below"), num(int(flags.sum())))
    per_queue = pipeline.projection_rollup(projection, flags)
    st.dataframe(per_queue.rename(columns={
        "queue": t("queue"), "contacts": t("contacts"), "service_level": t("resp_sl"),
        "asa_seconds": t("resp_asa"), "below_target": t("resp_below")}).style.format({
            t("resp_sl"): pct, t("resp_asa"): lambda v: num(v, 1),
            t("contacts"): num}), hide_index=True)


def _weights(projection: pd.DataFrame) -> pd.Series:
    for col in ("contacts", "required"):
        if col in projection.columns:
            return projection[col].fillna(0).astype(float)
    return pd.Series(1.0, index=projection.index)


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
    metric = st.radio(t("resp_target"), list(choices), format_func=choices.get,
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
    st.dataframe(shown, hide_index=True)


with state.page_guard():
    st.title(t("resp_title"))
    projection = state.require("projection", "projection")
    targets = state.frame("queue_settings")
    flags = pipeline.below_target(projection, targets)
    _metrics(projection, flags)
    _charts(projection, targets if targets is not None else pd.DataFrame(columns=["queue"]),
            flags)
    state.downloads("projection", projection, "dl_projection")
    _flagged(projection, flags)
