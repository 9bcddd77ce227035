"""Response times page: projected service level, ASA and chat first-response time per
interval against the queue's targets, intervals below target flagged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.figures import response_figure
from dashboard.formatting import duration, nobody_note
from dashboard.i18n import current_language, day, num, pct, t, table
from dashboard.team import starter_team_note
from planning.plans import kept_results, plan_inputs
from planning.steps import below_target_flags, projection_rollup


def _finite_asa(projection: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """ASA weighted by contacts answered over the intervals whose wait is finite, and the
    number of intervals with contacts but no finite wait (nobody on line), per `by`."""
    frame = projection.assign(_day=pd.to_datetime(projection["interval_start"]).dt.normalize())
    contacts = frame["contacts"].astype(float) if "contacts" in frame else frame["required"]
    answered = contacts * (1.0 - frame["abandon_rate"].astype(float).fillna(0.0))
    asa = frame["asa_seconds"].astype(float)
    finite = np.isfinite(asa)
    frame = frame.assign(_w=answered.where(finite, 0.0), _wa=(answered * asa).where(finite, 0.0),
                         _inf=(~finite & (contacts > 0)).astype(int))
    keys = [k if k != "day" else "_day" for k in by]
    out = frame.groupby(keys, sort=True)[["_w", "_wa", "_inf"]].sum() if keys else \
        frame[["_w", "_wa", "_inf"]].sum().to_frame().T
    out["asa_seconds"] = np.where(out["_w"] > 0, out["_wa"] / out["_w"].where(out["_w"] > 0),
                                  0.0)
    return out.rename(columns={"_inf": "no_wait"})[["asa_seconds", "no_wait"]]


def _metrics(projection: pd.DataFrame, flags: pd.Series, targets: pd.DataFrame) -> None:
    week = projection_rollup(projection, flags, period="week")
    overall = week[week["queue"] == "all queues"]
    contacts = overall["contacts"].sum()

    def weighted(col: str) -> float:
        return (overall[col] * overall["contacts"]).sum() / contacts if contacts > 0 \
            else float("nan")

    channel = projection["queue"].astype(str).map(
        dict(zip(targets["queue"].astype(str), targets["channel"].astype(str), strict=True))
        if "channel" in targets else {})
    live = projection[channel.ne("email").to_numpy()]  # email's wait is hours, by design
    whole = _finite_asa(live if len(live) else projection, [])
    nobody = int(whole["no_wait"].iloc[0])
    cols = st.columns(4)
    cols[0].metric(t("week_sl"), pct(weighted("service_level")))
    cols[1].metric(t("resp_asa_card"), duration(float(whole["asa_seconds"].iloc[0])),
                   help=nobody_note(nobody) if nobody else None)
    cols[2].metric(t("abandon_rate"), pct(weighted("abandon_rate")))
    cols[3].metric(t("resp_below"), num(int(flags.sum())))
    if nobody:
        st.warning(t("resp_nobody", note=nobody_note(nobody)))
    email = targets[targets["channel"].astype(str) == "email"] if "channel" in targets else None
    if email is not None and not email.empty:
        deadline = float(email["target_seconds"].iloc[0])
        st.caption(t("resp_email_note", deadline=(
            f"{num(deadline / 3600, 1 if deadline % 3600 else 0)} "
            f"{'小时' if current_language() == 'zh' else 'h'}")))
    daily = projection_rollup(projection, flags, period="day")
    daily = daily[daily["queue"] != "all queues"].copy()
    finite = _finite_asa(projection.assign(queue=projection["queue"].astype(str)),
                         ["queue", "day"])
    key = pd.MultiIndex.from_arrays([daily["queue"].astype(str),
                                     pd.to_datetime(daily["period_start"])])
    daily["asa_seconds"] = finite["asa_seconds"].reindex(key).to_numpy()
    st.markdown(f"**{t('resp_daily')}**")
    shown = daily.assign(period_start=daily["period_start"].map(day))[
        ["queue", "period_start", "contacts", "service_level", "asa_seconds",
         "abandon_rate", "intervals_below_target"]]
    st.dataframe(
        shown.rename(columns={
            "queue": t("queue"), "period_start": t("day"), "contacts": t("contacts"),
            "service_level": t("resp_sl"), "asa_seconds": t("resp_asa_card"),
            "abandon_rate": t("abandon_rate"), "intervals_below_target": t("resp_below")})
        .style.format({t("resp_sl"): pct, t("abandon_rate"): pct,
                       t("resp_asa_card"): duration, t("contacts"): num}),
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
    st.dataframe(table(missed), hide_index=True)


with state.page_guard():
    st.title(t("resp_title"))
    projection = state.frame("projection")
    if projection is None:
        kept = kept_results(state.workspace(), state.plan_id()).get("projection")
        error = plan_inputs(state.workspace(), state.plan_id()).step_error
        if kept is None or error is None:
            projection = state.require("projection", "projection")
        else:
            st.error(f"{t('out_of_date')} {t('solve_failed')} "
                     f"{state.shown_error(error.message)}")
            projection = kept
    starter_team_note()
    targets = state.frame("queue_settings")
    flags = below_target_flags(projection, targets)
    _metrics(projection, flags,
             targets if targets is not None else pd.DataFrame(columns=["queue"]))
    _charts(projection, targets if targets is not None else pd.DataFrame(columns=["queue"]),
            flags)
    state.downloads("projection", projection, "dl_projection")
    _flagged(projection, flags)
