"""Read and check an interval-history frame (the tool's own CSV/Parquet format).

The importer (`forecasting.history`) turns raw contact logs into this frame;
this module only reads a frame already in the tool's format and validates it
once, so the models can trust what they get.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.frames import HISTORY_COLUMNS, read_stamps
from forecasting.history.errors import HistoryError, shown

__all__ = ["HistoryError", "check_history", "interval_minutes", "load_history", "resample_history"]


def load_history(path: str | Path) -> pd.DataFrame:
    """Read an interval-history file (CSV or Parquet) and validate it."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: history file not found")
    if path.suffix.lower() in (".parquet", ".pq"):
        frame = pd.read_parquet(path)
    else:
        try:
            frame = pd.read_csv(path)
        except pd.errors.EmptyDataError as exc:
            raise HistoryError(f"{path}: the file is empty") from exc
    return check_history(frame, source=str(path))


def check_history(frame: pd.DataFrame, source: str = "history") -> pd.DataFrame:
    """Return a clean copy of the history: typed columns, sorted, one row per interval.

    Raises HistoryError naming the column and first bad row (1-based data row)
    when something cannot be used.
    """
    missing = [c for c in ("queue", "interval_start", "contacts") if c not in frame.columns]
    if missing:
        raise HistoryError(
            f"{source}: missing column(s) {missing}; expected {list(HISTORY_COLUMNS)} "
            f"but found {list(frame.columns)}"
        )
    out = frame.copy()
    if "aht_seconds" not in out.columns:
        out["aht_seconds"] = np.nan
    if out.empty:
        raise HistoryError(f"{source}: no rows")
    out["queue"] = out["queue"].astype("string")
    if out["queue"].isna().any():
        row = int(np.flatnonzero(out["queue"].isna().to_numpy())[0]) + 1
        raise HistoryError(f"{source}: row {row}, column queue: empty queue name")
    times = read_stamps(out["interval_start"])
    if times.isna().any():
        row = int(np.flatnonzero(times.isna().to_numpy())[0])
        raise HistoryError(
            f"{source}: row {row + 1}, column interval_start: "
            f"{shown(out['interval_start'].iloc[row])} is not a date-time "
            "(expected e.g. 2026-03-02 09:30)"
        )
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_localize(None)
    out["interval_start"] = times.astype("datetime64[ns]")
    for col in ("contacts", "aht_seconds"):
        values = pd.to_numeric(out[col], errors="coerce")
        bad = values.isna() & out[col].notna() & (out[col].astype("string").str.strip() != "")
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise HistoryError(
                f"{source}: row {row + 1}, column {col}: {shown(out[col].iloc[row])} is not a "
                "number"
            )
        out[col] = values.astype(float)
    negative = out["contacts"] < 0
    if negative.any():
        row = int(np.flatnonzero(negative.to_numpy())[0])
        raise HistoryError(f"{source}: row {row + 1}, column contacts: negative value "
                           f"{out['contacts'].iloc[row]}")
    dup = out.duplicated(["queue", "interval_start"])
    if dup.any():
        row = int(np.flatnonzero(dup.to_numpy())[0])
        raise HistoryError(
            f"{source}: row {row + 1}: queue {out['queue'].iloc[row]!r} has interval_start "
            f"{out['interval_start'].iloc[row]} twice; one row per queue and interval expected"
        )
    out = out.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
    interval_minutes(out, source)
    return out


def interval_minutes(frame: pd.DataFrame, source: str = "history") -> int:
    """The interval length of the history in minutes (the most common step).

    Raises HistoryError if intervals do not divide a day or do not sit on the grid.
    """
    steps = []
    for _, times in frame.groupby("queue", sort=False, observed=True)["interval_start"]:
        diffs = times.sort_values().diff().dropna()
        diffs = diffs[diffs > pd.Timedelta(0)]
        if len(diffs):
            steps.append(diffs.min())
    if not steps:
        raise HistoryError(f"{source}: need at least two intervals to tell the interval length")
    step = min(steps)
    minutes = step.total_seconds() / 60
    if minutes != int(minutes) or (24 * 60) % int(minutes):
        raise HistoryError(f"{source}: interval length {step} does not divide a day")
    minutes = int(minutes)
    since_midnight = frame["interval_start"] - frame["interval_start"].dt.normalize()
    off = (since_midnight.dt.total_seconds() / 60) % minutes != 0
    if off.any():
        row = int(np.flatnonzero(off.to_numpy())[0])
        raise HistoryError(
            f"{source}: row {row + 1}, column interval_start: {frame['interval_start'].iloc[row]} "
            f"is not on the {minutes}-minute grid"
        )
    return minutes


def resample_history(frame: pd.DataFrame, minutes: int) -> pd.DataFrame:
    """Sum contacts to coarser intervals (AHT weighted by contacts)."""
    out = frame.copy()
    out["interval_start"] = out["interval_start"].dt.floor(f"{minutes}min")
    out["_work"] = out["contacts"] * out["aht_seconds"]
    out["_has"] = out["aht_seconds"].notna() * out["contacts"]
    grouped = out.groupby(["queue", "interval_start"], as_index=False, observed=True).agg(
        contacts=("contacts", "sum"), _work=("_work", "sum"), _has=("_has", "sum"))
    with np.errstate(invalid="ignore", divide="ignore"):
        grouped["aht_seconds"] = np.where(grouped["_has"] > 0,
                                          grouped["_work"] / grouped["_has"], np.nan)
    return grouped[["queue", "interval_start", "contacts", "aht_seconds"]]
