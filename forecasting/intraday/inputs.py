"""The reforecast's inputs checked: `now`, the forecast and the day's actuals
(`ACTUALS_COLUMNS`), with errors naming row and column; and the reforecast frame's
columns (`REFORECAST_COLUMNS`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.frames import read_stamps

ACTUALS_COLUMNS = ("queue", "interval_start", "contacts")
ACTUALS_OPTIONAL = ("aht_seconds", "answered", "abandoned")
REFORECAST_COLUMNS = (
    "queue", "interval_start", "contacts", "contacts_lo", "contacts_hi", "aht_seconds",
    "model", "forecast_contacts", "actual_contacts", "ratio", "source",
)

class IntradayInputError(ValueError):
    """Actuals, forecast or `now` that cannot be used; the message names the row (as a
    spreadsheet shows it: the header is row 1) and the column where there is one."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None,
                 source: str = "actuals"):
        where = ", ".join(p for p in (f"row {row}" if row is not None else "",
                                      f"column {column}" if column else "") if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.row = row
        self.column = column
        self.source = source  # which input: actuals, forecast, history or now


def _row(i: int) -> int:
    return int(i) + 2  # header is row 1


def parse_now(now: str | pd.Timestamp) -> pd.Timestamp:
    """`now` as a timestamp; refuses text that is not a date and time."""
    try:
        stamp = pd.Timestamp(now)
    except (ValueError, TypeError):
        raise IntradayInputError(f"now {now!r} is not a date and time 'YYYY-MM-DD HH:MM'",
                                 source="now") from None
    if stamp is pd.NaT:
        raise IntradayInputError(f"now {now!r} is not a date and time 'YYYY-MM-DD HH:MM'",
                                 source="now")
    return stamp


def forecast_interval_minutes(forecast: pd.DataFrame, source: str = "forecast") -> int:
    """The frame's interval length in minutes (the smallest step within a queue)."""
    frame = pd.DataFrame({"queue": forecast["queue"].astype(str),
                          "t": pd.to_datetime(forecast["interval_start"])})
    steps = frame.sort_values(["queue", "t"]).groupby("queue")["t"].diff().dropna()
    steps = steps[steps > pd.Timedelta(0)]
    if steps.empty:
        raise IntradayInputError("no queue has two intervals, so the interval length is "
                                 "unknown", source=source)
    return int(steps.min() / pd.Timedelta(minutes=1))


def check_forecast(forecast: pd.DataFrame) -> pd.DataFrame:
    """The forecast with typed columns; refuses missing columns or unreadable rows."""
    need = ("queue", "interval_start", "contacts", "aht_seconds")
    missing = [c for c in need if c not in forecast.columns]
    if missing:
        raise IntradayInputError(f"missing column(s) {missing}; expected {list(need)}",
                                 source="forecast")
    out = forecast.copy()
    out["queue"] = out["queue"].astype(str)
    stamps = read_stamps(out["interval_start"])
    if stamps.isna().any():
        i = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise IntradayInputError(f"{out['interval_start'].iloc[i]!r} is not a date and time",
                                 _row(i), "interval_start", source="forecast")
    out["interval_start"] = stamps
    for col in ("contacts", "aht_seconds", "contacts_lo", "contacts_hi"):
        if col not in out.columns:
            out[col] = out["contacts"] if col != "aht_seconds" else 0.0
        values = pd.to_numeric(out[col], errors="coerce")
        bad = ~(values >= 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise IntradayInputError(f"{out[col].iloc[i]!r} is not a number >= 0", _row(i), col,
                                     source="forecast")
        out[col] = values.astype(float)
    if "model" not in out.columns:
        out["model"] = "forecast"
    return out.sort_values(["queue", "interval_start"], ignore_index=True)


def check_actuals(actuals: pd.DataFrame, forecast: pd.DataFrame, now: pd.Timestamp,
                  interval_minutes: int) -> pd.DataFrame:
    """The actuals with typed columns, refusing what cannot be today's finished intervals
    of the forecast's queues: unknown queues, intervals not finished at `now` or not on
    `now`'s day, another interval length, duplicates, counts that are not numbers >= 0.
    Errors name the row (header = row 1) and column."""
    missing = [c for c in ACTUALS_COLUMNS if c not in actuals.columns]
    if missing:
        raise IntradayInputError(f"missing column(s) {missing}; the actuals need "
                                 f"{list(ACTUALS_COLUMNS)} and may have "
                                 f"{list(ACTUALS_OPTIONAL)}")
    out = actuals.copy().reset_index(drop=True)
    out["queue"] = out["queue"].astype(str).str.strip()
    known = set(forecast["queue"])
    unknown = ~out["queue"].isin(known)
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise IntradayInputError(f"unknown queue {out['queue'].iloc[i]!r}; the forecast has "
                                 f"{sorted(known)}", _row(i), "queue")
    stamps = read_stamps(out["interval_start"])
    if stamps.isna().any():
        i = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise IntradayInputError(f"{out['interval_start'].iloc[i]!r} is not a date and time "
                                 "'YYYY-MM-DD HH:MM'", _row(i), "interval_start")
    out["interval_start"] = stamps
    length = pd.Timedelta(minutes=interval_minutes)
    late = (stamps + length) > now
    if late.any():
        i = int(np.flatnonzero(late.to_numpy())[0])
        raise IntradayInputError(
            f"interval {stamps.iloc[i]:%Y-%m-%d %H:%M} is not over at now "
            f"({now:%Y-%m-%d %H:%M}); actuals are for finished intervals only",
            _row(i), "interval_start")
    other_day = stamps.dt.normalize() != now.normalize()
    if other_day.any():
        i = int(np.flatnonzero(other_day.to_numpy())[0])
        raise IntradayInputError(f"interval {stamps.iloc[i]:%Y-%m-%d %H:%M} is not on the "
                                 f"day of now ({now:%Y-%m-%d})", _row(i), "interval_start")
    minute = stamps.dt.hour * 60 + stamps.dt.minute
    off = (minute % interval_minutes != 0) | (stamps.dt.second != 0)
    if off.any():
        i = int(np.flatnonzero(off.to_numpy())[0])
        raise IntradayInputError(
            f"interval {stamps.iloc[i]:%H:%M} does not start on a {interval_minutes}-minute "
            f"boundary; the actuals must use the forecast's {interval_minutes}-minute "
            "intervals", _row(i), "interval_start")
    order = out.sort_values(["queue", "interval_start"], kind="stable")
    steps = order.groupby("queue")["interval_start"].diff()
    if len(order) >= 3 and order["queue"].duplicated().any():
        smallest = steps[steps > pd.Timedelta(0)].min()
        if pd.notna(smallest) and smallest != length:
            i = int(steps[steps == smallest].index[0])
            raise IntradayInputError(
                f"the actuals use {int(smallest / pd.Timedelta(minutes=1))}-minute intervals; "
                f"the forecast uses {interval_minutes}-minute intervals", _row(i),
                "interval_start")
    dup = out.duplicated(["queue", "interval_start"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise IntradayInputError(f"queue {out['queue'].iloc[i]} has interval "
                                 f"{stamps.iloc[i]:%H:%M} twice", _row(i), "interval_start")
    for col in ("contacts", *[c for c in ACTUALS_OPTIONAL if c in out.columns]):
        values = pd.to_numeric(out[col], errors="coerce")
        bad = ~(values >= 0) if col == "contacts" else (values < 0) | (
            values.isna() & out[col].notna())
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise IntradayInputError(f"{out[col].iloc[i]!r} is not a number >= 0",
                                     _row(i), col)
        out[col] = values.astype(float)
    return out
