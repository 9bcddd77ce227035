"""`wfm forecast`: interval forecasts per queue with an 80% band, from an interval history."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from forecasting.calendar import Calendar
from forecasting.events import read_events
from forecasting.forecaster import forecast
from forecasting.history import load_history
from forecasting.models import MODELS
from planning.files import write_frame
from planning.progress import progress_bar

EPILOG = """\
Example:
  wfm forecast data/sample/history.csv --start 2026-10-19 --days 14 \\
      --events data/sample/events.csv -o forecast.csv

Models: auto (default: per queue, the best single model or equal-weight
combination in a rolling backtest, never one that loses to four_week_mean),
profile (daily total x weekday intraday profile, with event uplifts),
recent_weeks (recent level x weekday factor x shrunk intraday profile),
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
    return Calendar(country=country, shopping=not args.no_shopping, events=events,
                    closed=parse_closed(args.closed))


def parse_closed(value: str | None) -> list[str] | None:
    """Known closed days from `--closed`: a comma-separated list or a file of dates."""
    if not value:
        return None
    path = Path(value)
    if path.is_file():
        lines = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
        return [line for line in lines if line and line.lower() != "date"]
    return [part.strip() for part in value.split(",") if part.strip()]


def run(args: argparse.Namespace) -> int:
    if args.model not in MODELS:
        raise ValueError(f"unknown model {args.model!r}; choose one of {', '.join(MODELS)}")
    history = load_history(args.history)
    calendar = calendar_from_args(args)
    with progress_bar("forecast") as update:
        result = forecast(history, args.start, args.days, model=args.model,
                          calendar=calendar, level=args.level, n_jobs=args.jobs,
                          progress=update)
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
