"""Forecasting models behind one interface: `make_model(name).fit(history).predict(...)`.

Every model forecasts one queue; `forecasting.forecaster` loops over queues.
"""

from __future__ import annotations

from importlib import import_module

from forecasting.models.base import Model, ModelError

MODELS: dict[str, tuple[str, str]] = {
    "seasonal_naive": ("forecasting.models.naive", "SeasonalNaive"),
    "weekday_mean": ("forecasting.models.naive", "WeekdayMean"),
    "four_week_mean": ("forecasting.models.naive", "FourWeekMean"),
    "profile": ("forecasting.models.profile", "DailyProfile"),
    "recent_weeks": ("forecasting.models.recent", "RecentWeeks"),
    "daily_ets": ("forecasting.models.daily", "DailyETS"),
    "combination": ("forecasting.models.combine", "Combination"),
    "mstl": ("forecasting.models.mstl", "MSTLModel"),
    "prophet": ("forecasting.models.prophet", "ProphetModel"),
    "auto": ("forecasting.models.auto", "AutoModel"),
}
"""Model name -> (module, class); modules load on first use (Prophet is slow to import)."""


def make_model(name: str, **params: object) -> Model:
    """A fresh, unfitted model by name; raises ModelError naming the known models."""
    if name not in MODELS:
        raise ModelError(f"unknown model {name!r}; choose one of "
                         f"{', '.join(MODELS)}")
    module, cls = MODELS[name]
    return getattr(import_module(module), cls)(**params)


__all__ = ["MODELS", "Model", "ModelError", "make_model"]
