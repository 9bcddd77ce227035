"""Column names of the frames `forecasting` reads and returns (see DESIGN.md)."""

from __future__ import annotations

import warnings

import pandas as pd

HISTORY_COLUMNS = ("queue", "interval_start", "contacts", "aht_seconds")
HISTORY_OPTIONAL = ("answered", "abandoned", "asa_seconds", "service_level", "agents")
FORECAST_COLUMNS = (
    "queue", "interval_start", "contacts", "contacts_lo", "contacts_hi", "aht_seconds", "model",
)
INTERVALS = {"15min": 15, "30min": 30, "60min": 60}


def read_stamps(values: pd.Series) -> pd.Series:
    """Date-times of a column as given (strings or stamps), NaT where a value is not one,
    so the caller can name the row; without pandas' warning about guessing the format."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return pd.to_datetime(values, errors="coerce")
