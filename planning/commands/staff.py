"""`wfm staff`: agents and staff per queue and interval, from a forecast and queue settings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planning.files import read_frame, write_frame
from planning.progress import progress_bar
from scheduling.chat import DEFAULT_SLOWDOWN
from scheduling.queue_settings import read_queue_settings
from scheduling.staffing import requirements

EPILOG = """\
Example:
  wfm staff forecast.csv --queues data/sample/queues.csv -o requirements.csv

The queue settings file (CSV or YAML) has the columns
  queue, channel, service_level, target_seconds, asa_seconds, max_occupancy,
  shrinkage, concurrency, patience_seconds
Empty cells take the channel's defaults: voice 80% in 20 s, chat 80% first
response in 60 s with 2 chats per agent, email 90% within 4 h; max occupancy
85%; shrinkage 30%. Voice queues use Erlang C, or Erlang A when
patience_seconds is given; chat uses the concurrency model; email is staffed to
clear each interval's work by its deadline.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "staff", help="agents and staff per queue and interval (Erlang C/A, chat, email)",
        description="Turn a forecast into the agents each queue needs on line in each "
                    "interval to meet its target, and the staff to schedule after shrinkage.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("forecast", help="forecast file (CSV or Parquet: queue, interval_start, "
                                         "contacts, aht_seconds, ...)")
    parser.add_argument("--queues", required=True, help="queue settings (CSV or YAML)")
    parser.add_argument("--interval", type=float, default=None, metavar="MINUTES",
                        help="interval length in minutes (default: inferred from the forecast)")
    parser.add_argument("--chat-slowdown", type=float, default=DEFAULT_SLOWDOWN,
                        help="extra handle time per additional open chat (default "
                             f"{DEFAULT_SLOWDOWN:g}: a 2nd chat makes each take 30%% longer)")
    parser.add_argument("--fractional", action="store_true",
                        help="add a fractional_agents column (voice on Erlang C)")
    parser.add_argument("-o", "--output", default="requirements.csv",
                        help="requirements file to write (.csv or .parquet)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.chat_slowdown <= 10:
        raise ValueError(f"--chat-slowdown must be between 0 and 10, got {args.chat_slowdown}")
    if args.interval is not None and args.interval not in (15, 30, 60):
        raise ValueError(f"--interval must be 15, 30 or 60 (minutes), got {args.interval:g}")
    forecast = read_frame(args.forecast, "forecast")
    settings = read_queue_settings(args.queues)
    out = Path(args.output)
    if out.parent and not out.parent.exists():
        raise FileNotFoundError(f"{out.parent}: folder for the output does not exist")
    notes: list[str] = []
    with progress_bar("staffing") as progress:
        frame = requirements(forecast, settings, progress, interval_minutes=args.interval,
                             chat_slowdown=args.chat_slowdown, fractional=args.fractional,
                             source=str(args.forecast), notes=notes)
    for note in notes:
        print(f"wfm staff: note: {note}", file=sys.stderr)
    write_frame(frame, out)
    queues = frame["queue"].nunique()
    peak = int(frame.groupby("interval_start")["staff"].sum().max()) if len(frame) else 0
    print(f"wrote {len(frame)} rows for {queues} queue(s) to {out}; peak staff {peak}",
          file=sys.stdout)
    return 0
