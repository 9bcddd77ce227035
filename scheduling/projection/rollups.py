"""`rollup`: the projection rolled up per day or week (`ROLLUP_COLUMNS`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduling.projection.inputs import ProjectionInputError

ROLLUP_COLUMNS = (
    "queue", "period_start", "contacts", "required_hours", "scheduled_hours", "service_level",
    "asa_seconds", "abandon_rate", "occupancy", "intervals", "intervals_below_target",
)


def period_start(starts: pd.Series, period: str) -> pd.Series:
    """The start of each interval's period: its day, or its Monday-to-Sunday week
    (`period` "week")."""
    day = pd.to_datetime(starts).dt.normalize()
    return day - pd.to_timedelta(day.dt.day_of_week, unit="D") if period == "week" else day


def rollup(projection: pd.DataFrame, period: str = "day", all_queues: bool = False
           ) -> pd.DataFrame:
    """Daily (`period="day"`) or weekly (`"week"`, weeks starting Monday) roll-up per queue.

    Service level and abandonment are weighted by contacts, ASA by contacts answered
    (contacts x (1 - abandon_rate)), occupancy by agents scheduled (so it is the share
    of on-line time spent handling contacts). `all_queues=True` adds rows with queue
    "all queues" over every queue.
    """
    if period not in ("day", "week"):
        raise ProjectionInputError(f"roll-up period {period!r}; expected 'day' or 'week'")
    frame = projection.copy()
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    frame["period_start"] = period_start(frame["interval_start"], period)
    stamps = frame["interval_start"].drop_duplicates().sort_values()
    steps = stamps.diff().dropna()
    hours = (steps[steps > pd.Timedelta(0)].min() / pd.Timedelta(hours=1)) if len(steps) else 1.0
    parts = [frame]
    if all_queues:
        parts.append(frame.assign(queue="all queues"))
    return pd.concat([_roll(p, hours) for p in parts], ignore_index=True)[list(ROLLUP_COLUMNS)]


def _roll(frame: pd.DataFrame, hours: float) -> pd.DataFrame:
    w = frame["contacts"].astype(float)
    answered = w * (1.0 - frame["abandon_rate"].astype(float))
    sched = frame["scheduled"].astype(float)
    with np.errstate(invalid="ignore"):
        parts = frame.assign(
            _w=w, _a=answered, _s=sched,
            _sl=w * frame["service_level"], _ab=w * frame["abandon_rate"],
            _asa=np.where(answered > 0, answered * frame["asa_seconds"], 0.0),
            _occ=sched * frame["occupancy"], _below=frame["below_target"].astype(int))
    g = parts.groupby(["queue", "period_start"], sort=True)
    out = g.agg(contacts=("_w", "sum"), _a=("_a", "sum"), _s=("_s", "sum"),
                required=("required", "sum"), _sl=("_sl", "sum"), _ab=("_ab", "sum"),
                _asa=("_asa", "sum"), _occ=("_occ", "sum"),
                intervals=("_w", "size"), intervals_below_target=("_below", "sum"))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["service_level"] = np.where(out["contacts"] > 0, out["_sl"] / out["contacts"], 1.0)
        out["abandon_rate"] = np.where(out["contacts"] > 0, out["_ab"] / out["contacts"], 0.0)
        out["asa_seconds"] = np.where(out["_a"] > 0, out["_asa"] / out["_a"], 0.0)
        out["occupancy"] = np.where(out["_s"] > 0, out["_occ"] / out["_s"], 0.0)
    out["required_hours"] = out["required"] * hours
    out["scheduled_hours"] = out["_s"] * hours
    return out.reset_index()
