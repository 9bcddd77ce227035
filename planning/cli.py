"""The `wfm` command: one subcommand per planning step.

Each subcommand lives in `planning/commands/<name>.py` and exposes
`register(subparsers)`, which adds its parser and sets `func(args) -> int`.
Errors a planner can fix (bad file, bad setting) are printed as one clear
message with a non-zero exit; no traceback reaches the user unless
`WFM_DEBUG=1` is set.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback

COMMANDS = ("ingest", "profile", "forecast", "backtest", "staff", "roster", "project",
            "scenario", "capacity", "users", "intraday")

EPILOG = """\
The planning flow, step by step:
  wfm ingest calls.tsv --interval 30min -o history.csv
  wfm forecast history.csv --start 2026-11-02 --days 14 -o forecast.csv
  wfm staff forecast.csv --queues queues.csv -o requirements.csv
  wfm roster requirements.csv --agents agents.csv --shifts shifts.yaml -o roster.csv
  wfm project roster.csv --forecast forecast.csv --queues queues.csv -o projection.csv
  wfm intraday history.csv --forecast forecast.csv --actuals today.csv --now "2026-11-02 11:00"

Before sharing the dashboard beyond this computer, add an admin:
  wfm users add NAME --role admin

Run `wfm COMMAND --help` for the options and an example of each step.
"""


class UserError(Exception):
    """A problem the planner can fix; its message is shown as is."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wfm",
        description="Workforce planning for contact centres: import contact history, "
        "forecast, staff with Erlang C/A, roster with CP-SAT, project response times.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"planning.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("wfm: interrupted", file=sys.stderr)
        return 130
    except (UserError, ValueError, FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        if os.environ.get("WFM_DEBUG"):
            traceback.print_exc()
        print(f"wfm {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("WFM_DEBUG"):
            traceback.print_exc()
        print(
            f"wfm {args.command}: unexpected error ({type(exc).__name__}): {exc}\n"
            "Set WFM_DEBUG=1 for the details and please report it.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
