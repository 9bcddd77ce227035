"""Column names of the frames `forecasting` reads and returns (see DESIGN.md)."""

from __future__ import annotations

HISTORY_COLUMNS = ("queue", "interval_start", "contacts", "aht_seconds")
HISTORY_OPTIONAL = ("answered", "abandoned", "asa_seconds", "service_level", "agents")
FORECAST_COLUMNS = (
    "queue", "interval_start", "contacts", "contacts_lo", "contacts_hi", "aht_seconds", "model",
)
INTERVALS = {"15min": 15, "30min": 30, "60min": 60}
