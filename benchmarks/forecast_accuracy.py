"""Forecast accuracy and fit time of every model against weekly seasonal naive.

One run prints, on the real US bank calls (summed to 30 minutes) and on the
bundled sample (15 minutes, four queues), each model's interval-level WAPE over
rolling one-week-ahead origins (the last 8 weeks) and its mean fit time, both
as ratios to seasonal naive (the bank's holiday closures are given as known
closed days, as its planner would; the figure without them follows); on the
sample also the event days apart and the
past Double 11 / 618 / Spring Festival forecast from their first build-up day;
then the 20-queue speed check (benchmarks/forecast_speed.py).

    nice -n 10 .venv/bin/python benchmarks/forecast_accuracy.py [--no-speed]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting.backtest import (  # noqa: E402
    cross_validate,
    daily_totals,
    event_windows,
    label_days,
    wape,
)
from forecasting.calendar import Calendar  # noqa: E402
from forecasting.events import read_events  # noqa: E402
from forecasting.history_frame import load_history, resample_history  # noqa: E402

MODELS = ["seasonal_naive", "weekday_mean", "profile", "mstl", "prophet", "auto"]
PEAKS = ["double11", "double_11", "618", "spring_festival"]


def table(cv: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for model, g in cv.groupby("model", sort=False):
        fit = g.drop_duplicates(["queue", "cutoff"])["fit_seconds"].mean()
        rows.append({"model": model, "wape": wape(g["contacts"], g["forecast"]),
                     "fit_seconds": fit})
    out = pd.DataFrame(rows).set_index("model")
    out["wape_vs_naive"] = out["wape"] / out.loc["seasonal_naive", "wape"]
    out["fit_vs_naive"] = out["fit_seconds"] / out.loc["seasonal_naive", "fit_seconds"]
    return out


def show(title: str, frame: pd.DataFrame) -> None:
    print(f"\n{title}")
    fmt = frame.copy()
    fmt["wape"] = (fmt["wape"] * 100).map("{:.2f}%".format)
    fmt["fit_seconds"] = fmt["fit_seconds"].map("{:.3f}".format)
    for col in ("wape_vs_naive", "fit_vs_naive"):
        fmt[col] = fmt[col].map("{:.2f}x".format)
    print(fmt.to_string())


# the bank's holiday schedule, as its planner would enter it: the 2003 US public holidays
# it closed on (it opened on Columbus Day, 13 October)
US_BANK_CLOSED = ["2003-05-26", "2003-07-04", "2003-09-01"]


def us_bank() -> None:
    path = ROOT.parent / "shared" / "data" / "us_bank_2003_5min.csv"
    history = resample_history(load_history(path), 30)
    calendar = Calendar(None, shopping=False, closed=US_BANK_CLOSED)
    began = time.perf_counter()
    cv, notes = cross_validate(history, MODELS, days=7, folds=8, calendar=calendar, n_jobs=1)
    show(f"US bank 2003, 30-minute intervals, last 8 weeks as origins, one week ahead, "
         f"closed days {', '.join(US_BANK_CLOSED)} known "
         f"({time.perf_counter() - began:.0f} s; targets: auto <= 6.0% and <= 0.62x naive)",
         table(cv))
    floor = poisson_floor(cv[cv["model"] == "profile"])
    print(f"  Poisson noise floor (expected |error| if the forecast were the true mean): "
          f"{floor:.2%}")
    blind, _ = cross_validate(history, ["seasonal_naive", "auto"], days=7, folds=8,
                              calendar=None, n_jobs=1)
    scores = {m: wape(g["contacts"], g["forecast"]) for m, g in blind.groupby("model")}
    print(f"  without the closed days (Labor Day taken as open, so 2 Sep is not seen as "
          f"the day after a closure): auto {scores['auto']:.2%} "
          f"({scores['auto'] / scores['seasonal_naive']:.2f}x naive)")
    for note in notes:
        print(f"  note: {note}")


def poisson_floor(cv: pd.DataFrame, draws: int = 20, seed: int = 0) -> float:
    """WAPE of Poisson draws around the actual counts: the noise no forecast can remove."""
    rng = np.random.default_rng(seed)
    actual = cv["contacts"].to_numpy()
    errs = [np.abs(rng.poisson(actual) - actual).sum() / actual.sum() for _ in range(draws)]
    return float(np.mean(errs))


def sample() -> None:
    sample_dir = ROOT / "data" / "sample"
    history = load_history(sample_dir / "history.csv")
    calendar = Calendar("CN", events=read_events(sample_dir / "events.csv"))
    began = time.perf_counter()
    cv, notes = cross_validate(history, MODELS, days=7, folds=8, calendar=calendar, n_jobs=2)
    show(f"Sample, 15-minute intervals, 4 queues, last 8 weeks as origins, one week ahead "
         f"({time.perf_counter() - began:.0f} s)", table(cv))
    labelled = label_days(cv, calendar)
    labelled["days"] = np.where(labelled["day_type"] == "normal", "normal", "event")
    per = labelled.groupby(["queue", "days", "model"]).apply(
        lambda g: wape(g["contacts"], g["forecast"]), include_groups=False).unstack("model")
    ratio = per.div(per["seasonal_naive"], axis=0)
    print("\nSample WAPE per queue, normal days vs event days (ratio to seasonal naive):")
    print(((per * 100).round(1).astype(str) + "% (" + ratio.round(2).astype(str) + "x)")
          [MODELS].to_string())
    worse = ratio.xs("normal", level="days")
    worse = worse[worse["auto"] > 1.0]
    print("  queues where auto is worse than seasonal naive on normal days: "
          f"{list(worse.index) or 'none'}")
    windows = event_windows(history, calendar, PEAKS)
    ev_models = ["seasonal_naive", "profile", "prophet", "auto"]
    ev_cv, _ = cross_validate(history, ev_models, windows=[(c, d) for c, d, _ in windows],
                              calendar=calendar, n_jobs=2)
    days = daily_totals(ev_cv, calendar)
    days = days[days["day_type"].isin([e for _, _, e in windows])]
    print("\nSample peak seasons forecast from their first build-up day "
          f"({', '.join(f'{e} {c.date()}' for c, _, e in windows)}): daily totals vs actual")
    summary = days.groupby(["day_type", "model"]).agg(
        days=("error", "size"), mean_abs_error=("error", lambda e: e.abs().mean()),
        within_15pct=("error", lambda e: (e.abs() <= 0.15).mean()))
    season = days.groupby(["day_type", "model"])[["contacts", "forecast"]].sum()
    summary["season_total_error"] = season["forecast"] / season["contacts"] - 1
    print(summary.round(3).to_string())
    for note in notes:
        print(f"  note: {note}")


def main() -> None:
    us_bank()
    sample()
    if "--no-speed" not in sys.argv:
        print()
        import forecast_speed

        forecast_speed.main()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
