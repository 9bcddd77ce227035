"""`wfm backtest`: rolling-origin WAPE per model and queue, event days apart."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from forecasting.backtest import (
    cross_validate,
    daily_totals,
    event_day_summary,
    event_windows,
    score,
)
from forecasting.calendar import Calendar
from forecasting.models import MODELS
from planning.cluster import Cluster, add_cluster_argument, open_cluster
from planning.commands.forecast import (
    add_calendar_arguments,
    calendar_from_args,
    read_history,
    report_cluster,
)
from planning.files import write_frame
from planning.progress import progress_bar

DEFAULT_MODELS = "seasonal_naive,weekday_mean,profile,prophet"
PEAK_EVENTS = ("double_11", "double11", "618", "spring_festival")

EPILOG = f"""\
Example:
  wfm backtest data/sample/history.csv --days 7 --folds 8 \\
      --events data/sample/events.csv -o wape.csv

Each of the last --folds windows of --days days is forecast from the history
before it; WAPE = sum |actual - forecast| / sum actual over the intervals.
Event days (holidays, shopping festivals, your events) are reported apart
from normal days. With a year or more of history, each past Double 11, 618
and Spring Festival that has an earlier occurrence in the history is also
forecast from the day its build-up starts ("event windows").
Models (default {DEFAULT_MODELS}): {', '.join(MODELS)}, or `all`.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "backtest", help="measure forecast accuracy (WAPE) per model and queue",
        description="Rolling-origin backtest: WAPE per model and queue, against seasonal "
                    "naive, with event days apart.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("history", help="interval history (CSV or Parquet)")
    parser.add_argument("--days", type=int, default=7, help="days ahead per fold (default 7)")
    parser.add_argument("--folds", type=int, default=8, help="number of folds (default 8)")
    parser.add_argument("--models", default=DEFAULT_MODELS,
                        help="comma-separated model names, or `all`")
    add_calendar_arguments(parser)
    parser.add_argument("--no-event-windows", action="store_true",
                        help="skip the backtest over past Double 11 / 618 / Spring Festival")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    add_cluster_argument(parser)
    parser.add_argument("-o", "--output", default="wape.csv", help="scores file to write")
    parser.set_defaults(func=run)


def parse_models(text: str) -> list[str]:
    names = list(MODELS) if text.strip() == "all" else [
        m.strip() for m in text.split(",") if m.strip()]
    unknown = [m for m in names if m not in MODELS]
    if unknown or not names:
        raise ValueError(f"unknown model(s) {', '.join(unknown) or '(none given)'}; choose "
                         f"from {', '.join(MODELS)}")
    return names


def with_ratio(scores: pd.DataFrame) -> pd.DataFrame:
    """Add `vs_seasonal_naive`: WAPE / seasonal naive's WAPE on the same queue and days."""
    base = scores[scores["model"] == "seasonal_naive"].set_index(["queue", "day_type"])["wape"]
    keys = list(zip(scores["queue"], scores["day_type"], strict=True))
    scores = scores.copy()
    scores["vs_seasonal_naive"] = [w / base.get(k, np.nan) for w, k in
                                   zip(scores["wape"], keys, strict=True)]
    return scores


def run(args: argparse.Namespace) -> int:
    models = parse_models(args.models)
    if not 1 <= args.days <= 400 or not 1 <= args.folds <= 100:
        raise ValueError(f"--days must be 1..400 and --folds 1..100, got {args.days} and "
                         f"{args.folds}")
    if not 1 <= args.jobs <= 64:
        raise ValueError(f"--jobs must be between 1 and 64, got {args.jobs}")
    history = read_history(args.history)
    calendar = calendar_from_args(args)
    with open_cluster(args.cluster) as cluster:
        return _backtest(args, models, history, calendar, cluster)


def _backtest(args: argparse.Namespace, models: list[str], history: pd.DataFrame,
              calendar: Calendar, cluster: Cluster) -> int:
    with progress_bar("backtest") as update:
        cv, notes = cross_validate(history, models, days=args.days, folds=args.folds,
                                   calendar=calendar, n_jobs=args.jobs, progress=update,
                                   mapper=cluster.mapper(update))
    report_cluster(cluster)
    scores = with_ratio(score(cv, calendar)).assign(test="rolling")
    print(f"WAPE, last {args.folds} windows of {args.days} day(s), per queue and model:")
    table = scores.pivot_table(index=["queue", "day_type"], columns="model", values="wape")
    print((table * 100).round(1).to_string())
    overall = cv.groupby("model").apply(
        lambda g: np.abs(g["contacts"] - g["forecast"]).sum() / g["contacts"].sum(),
        include_groups=False)
    print("\nAll queues: " + ", ".join(f"{m} {w:.1%}" for m, w in overall.items()))
    parts = [scores]
    windows = [] if args.no_event_windows else event_windows(history, calendar, PEAK_EVENTS)
    if windows:
        with progress_bar("event windows") as update:
            ev_cv, ev_notes = cross_validate(
                history, models, windows=[(c, d) for c, d, _ in windows],
                calendar=calendar, n_jobs=args.jobs, progress=update,
                mapper=cluster.mapper(update))
        notes += ev_notes
        days = daily_totals(ev_cv, calendar)
        days = days[days["day_type"].isin([e for _, _, e in windows])]
        summary = event_day_summary(days).rename(columns={"within": "within_15pct"})
        print("\nEvent windows (forecast from the first build-up day): daily totals vs "
              "actual, share of days within 15% and the worst day")
        print(summary.round(3).to_string(index=False))
        ev_scores = with_ratio(score(ev_cv, calendar)).assign(test="event_windows")
        parts.append(ev_scores[ev_scores["day_type"] != "all"])
    for note in notes:
        print(f"  note: {note}")
    write_frame(pd.concat(parts, ignore_index=True), args.output, float_format="%.4f")
    print(f"\nScores written to {args.output}")
    return 0
