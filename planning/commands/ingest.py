"""`wfm ingest`: turn a contact log or interval export into the interval history."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from forecasting.frames import INTERVALS
from forecasting.history import MappingError, ingest, shipped_profiles
from planning.cli import UserError
from planning.commands.profile import ambiguity_help
from planning.files import write_frame
from planning.progress import progress_bar
from planning.uploads import DEFAULT_MAX_MB, MAX_MB_ENV, check_upload

EPILOG = """\
Example:
  wfm ingest ../shared/data/anonymous_bank_feb1999_calls.tsv --interval 30min -o history.csv

Reads a contact log (one row per contact) or an interval file: CSV, TSV, .csv.gz,
Excel .xlsx or Parquet; UTF-8, UTF-8 with BOM or GBK; delimiters , ; tab |.
Without --profile the export is recognised by the headers of a shipped profile:
  {profiles}
and otherwise read by guessing each column's role from its header, in English or
Chinese (start_time / 开始时间, queue / 技能组, channel / 渠道, handle_seconds /
处理时长, wait_seconds / 等待时长, outcome / 结果, agent / 坐席 ...), with the
duration unit, channels and outcomes read from the values. When two readings are
possible the command stops and lists the candidate columns. `wfm profile guess FILE
-o profile.yaml` writes the guessed profile for review; --profile takes it (or any
YAML profile, see the README for the format).

Writes queue, interval_start, contacts, aht_seconds and, where the input has
them, answered, abandoned, asa_seconds, service_level, agents. Every interval
of every queue is present (0 contacts where none arrived). aht_seconds is
empty where no contact was handled; service_level = answered within the
profile's threshold (default 20 s) / offered. A summary of rows read, used and
excluded (and why) is printed to stderr.

Refused, naming the line and column: a row off the interval most rows follow (a
stray 08:07 in a 30-minute file), dates before 1990, more than 366 days ahead or cut
off from the rest by over 400 days, a history over 20 years, more than 100,000
contacts in a row, answered or abandoned above offered. A row or record copying
another (same figures; a contact log's same contact_id) is counted once, with a note
naming both lines; see the README for the other notes.

Only the columns the profile names are read: phone numbers, customer ids, names
and chat text in other columns never leave the file, and error messages show the
shape of a value that looks like an identifier (e.g. '+99 999 9999 9999'), not
the value. Agent names are only counted (the agents column), never written.
Files larger than {max_mb:g} MB (${env}) or not in an accepted format (checked by
name and by content) are refused; workbooks are read without running formulas
or following links; zip and gzip bombs are refused.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="import contact history (contact log or interval file) into interval history",
        description="Import a planner's contact-history export into the interval history "
        "frame (one row per queue and interval).",
        epilog=EPILOG.format(profiles=", ".join(shipped_profiles()), max_mb=DEFAULT_MAX_MB,
                             env=MAX_MB_ENV),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, help="contact log or interval file to import")
    parser.add_argument("--profile", help="shipped profile name or path to a YAML import "
                        "profile (default: recognise the export by its headers)")
    parser.add_argument("--interval", help=f"interval length: {', '.join(INTERVALS)} "
                        "(default: 30min for contact logs, the file's own for interval files)")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="history file to write (.csv or .parquet)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    suffix = args.output.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise UserError(f"{args.output}: expected an output file ending in .csv or .parquet")
    if not args.output.parent.is_dir():
        raise UserError(f"{args.output}: the folder {args.output.parent} does not exist")
    check_upload(args.file)
    try:
        with progress_bar("ingest") as update:
            result = ingest(args.file, profile=args.profile, interval=args.interval,
                            progress=update)
    except MappingError as exc:
        raise UserError(ambiguity_help(exc)) from None
    frame = result.history.copy()
    for column in ("aht_seconds", "asa_seconds"):
        if column in frame:
            frame[column] = frame[column].round(1)
    if "service_level" in frame:
        frame["service_level"] = frame["service_level"].round(4)
    if "agents" in frame:
        frame["agents"] = frame["agents"].round(2)
    write_frame(frame, args.output, float_format=None, date_format="%Y-%m-%d %H:%M:%S")
    print(result.summary, file=sys.stderr)
    print(f"Wrote {len(frame):,} rows to {args.output}.", file=sys.stderr)
    return 0
