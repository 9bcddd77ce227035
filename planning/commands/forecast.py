"""`wfm forecast`: interval forecasts per queue with an 80% band, from an interval history."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from forecasting.calendar import Calendar
from forecasting.events import read_events
from forecasting.forecaster import check_history_values, forecast
from forecasting.history import check_history
from forecasting.models import MODELS
from planning.cluster import Cluster, add_cluster_argument, open_cluster
from planning.files import read_frame, write_frame
from planning.progress import progress_bar

EPILOG = """\
Example:
  wfm forecast data/sample/history.csv --start 2026-10-19 --days 14 \\
      --events data/sample/events.csv -o forecast.csv

Models: auto (default: per queue, the best single model or equal-weight
combination in a rolling backtest, never one that loses to four_week_mean),
profile (daily total x weekday intraday profile, with event uplifts),
recent_weeks (recent level x weekday factor x shrunk intraday profile),
daily_ets (damped Holt-Winters on daily totals x shrunk intraday profile),
combination, four_week_mean, seasonal_naive, weekday_mean, mstl, prophet.
The calendar holds public holidays of --country (CN by default, a market
such as NYSE, `none` for none), Double 11 / 618 / 12.12 (unless
--no-shopping) and the --events file (columns name,start,end,days_before,
days_after). Days off, the days after a long break and make-up working days
are learnt across all holidays in the history, so a holiday with no past
occurrence borrows them (closed if this queue closed on most past days off).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "forecast", help="forecast contacts per queue and interval",
        description="Forecast contacts and AHT per queue and interval, with an 80% band, "
                    "at the history's interval length.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("history", help="interval history (CSV or Parquet: queue, "
                                        "interval_start, contacts, aht_seconds)")
    parser.add_argument("--start", required=True, help="first forecast day, e.g. 2026-11-02")
    parser.add_argument("--days", type=int, required=True, help="number of days to forecast")
    parser.add_argument("--model", default="auto", help=f"one of {', '.join(MODELS)}")
    add_calendar_arguments(parser)
    parser.add_argument("--level", type=float, default=80,
                        help="prediction band in %% (default 80)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    add_cluster_argument(parser)
    parser.add_argument("-o", "--output", default="forecast.csv",
                        help="forecast file to write (.csv or .parquet)")
    parser.set_defaults(func=run)


def add_calendar_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--events", help="planner's events CSV: name,start,end,days_before,"
                                         "days_after")
    parser.add_argument("--country", default="CN",
                        help="public holidays of this country (ISO code such as CN, US), or "
                             "the trading holidays of a market the business keeps (NYSE); "
                             "`none` for none")
    parser.add_argument("--no-shopping", action="store_true",
                        help="leave out Double 11, 618 and 12.12")
    parser.add_argument("--closed",
                        help="days the centre is known to be closed: dates separated by "
                             "commas, or a file with one date per line")


def calendar_from_args(args: argparse.Namespace) -> Calendar:
    events = read_events(args.events) if args.events else None
    country = None if str(args.country).lower() in ("none", "") else args.country
    closed = parse_closed(args.closed)
    for day in closed or []:
        parse_day(day, "--closed (closed days)")
    try:
        return Calendar(country=country, shopping=not args.no_shopping, events=events,
                        closed=closed)
    except ValueError as exc:
        if country is not None and "country" in str(exc):
            raise ValueError(f"--country: {exc}") from None
        raise


def parse_closed(value: str | None) -> list[str] | None:
    """Known closed days from `--closed`: a comma-separated list or a file of dates."""
    if not value:
        return None
    path = Path(value)
    if path.is_file():
        lines = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
        return [line for line in lines if line and line.lower() != "date"]
    return [part.strip() for part in value.split(",") if part.strip()]


MAX_DAYS = 400
"""Longest forecast accepted, in days (a planning year and a bit)."""


def parse_day(value: str, option: str) -> pd.Timestamp:
    """A calendar day given on the command line; errors name the option."""
    try:
        day = pd.Timestamp(str(value).strip())
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{option}: {value!r} is not a date YYYY-MM-DD ({exc})") from None
    if pd.isna(day) or not 1900 <= day.year <= 2200:
        raise ValueError(f"{option}: {value!r} is not a date YYYY-MM-DD")
    return day.normalize()


def check_options(args: argparse.Namespace) -> pd.Timestamp:
    """The options of `wfm forecast` (and `wfm backtest`'s shared ones), checked; returns
    the start day. Errors name the option."""
    if args.model not in MODELS:
        raise ValueError(f"--model: unknown model {args.model!r}; choose one of "
                         f"{', '.join(MODELS)}")
    if not 1 <= args.days <= MAX_DAYS:
        raise ValueError(f"--days must be between 1 and {MAX_DAYS}, got {args.days}")
    if not 0 < args.level < 100:
        raise ValueError(f"--level must be between 0 and 100 (exclusive), got {args.level:g}")
    if not 1 <= args.jobs <= 64:
        raise ValueError(f"--jobs must be between 1 and 64, got {args.jobs}")
    return parse_day(args.start, "--start")


def report_cluster(cluster: Cluster) -> None:
    """Say on stderr where the tasks ran, when a cluster was named."""
    if cluster.client is not None:
        print(f"wfm: ran on {cluster.describe()}", file=sys.stderr)


def read_history(path: str) -> pd.DataFrame:
    """An interval history file, its values checked (errors name file, row and column) and
    the spreadsheet formula guard of `wfm ingest` output taken off text cells."""
    raw = read_frame(path, "history")
    check_history_values(raw, str(path))
    return check_history(raw, source=str(path))


def run(args: argparse.Namespace) -> int:
    args.start = check_options(args)
    history = read_history(args.history)
    calendar = calendar_from_args(args)
    with open_cluster(args.cluster) as cluster, progress_bar("forecast") as update:
        result = forecast(history, args.start, args.days, model=args.model,
                          calendar=calendar, level=args.level, n_jobs=args.jobs,
                          progress=update, mapper=cluster.mapper(update))
        report_cluster(cluster)
    write_frame(result.forecast, args.output, float_format="%.4f")
    frame = result.forecast
    totals = frame.groupby("queue", observed=True).agg(
        model=("model", "first"), contacts=("contacts", "sum"),
        peak_interval=("contacts", "max"), aht_seconds=("aht_seconds", "mean"))
    print(f"Forecast {pd.Timestamp(args.start).date()} + {args.days} day(s), "
          f"{len(totals)} queue(s) -> {args.output}")
    print(totals.round(0).to_string())
    if result.notes:
        print("\nAssumed:")
        for note in result.notes:
            print(f"  - {note}")
    for queue, problem in result.skipped.items():
        print(f"wfm forecast: queue {queue} skipped: {problem}", file=sys.stderr)
    return 0
