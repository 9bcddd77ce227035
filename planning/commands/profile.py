"""`wfm profile guess`: write the import profile guessed from an export, for review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from forecasting.history import MappingError, guess_profile, profile_dict
from planning.cli import UserError
from planning.uploads import check_upload

EPILOG = """\
Example:
  wfm profile guess calls_export.csv -o profile.yaml
  wfm ingest calls_export.csv --profile profile.yaml -o history.csv

Reads the export's headers and a sample of the columns they name (start time,
queue, channel, handle and wait time, outcome, agent; or the counts of an
interval file), recognised by their names in English or Chinese, and writes the
import profile that `wfm ingest` would use without --profile: which column plays
which role, the duration unit (seconds, milliseconds, minutes or H:MM:SS), the
channel of each channel value and which outcomes are answered or abandoned.
Check it, edit it if needed, and pass it to `wfm ingest --profile`.

When a role could be in two columns, or the file could be a contact log or an
interval file, nothing is written: the candidates are listed and the command
exits with status 2. Write a profile naming the right columns (see the README).
Columns no role names (phone numbers, customer names, free text) are never read.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "profile", help="guess the import profile of an export (for review)",
        description="Import profiles: how to read a planner's export.",
        epilog="Example:\n  wfm profile guess calls_export.csv -o profile.yaml\n\n"
        "Run `wfm profile guess --help` for what is guessed.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    guess = sub.add_parser(
        "guess", help="write the import profile guessed from an export's headers",
        description="Guess how to read an export from its headers and values and write "
        "the import profile as YAML.", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    guess.add_argument("file", type=Path, help="contact log or interval file")
    guess.add_argument("-o", "--output", type=Path, required=True,
                       help="profile to write (.yaml)")
    guess.set_defaults(func=run_guess)


def ambiguity_help(exc: MappingError) -> str:
    """The importer's ambiguity message with what to do on the command line."""
    lines = [str(exc)]
    for role, headers in exc.candidates.items():
        lines.append(f"  {role}: " + ", ".join(headers))
    lines.append("Write an import profile naming the right columns (see the README for "
                 "the format) and pass it with --profile.")
    return "\n".join(lines)


def run_guess(args: argparse.Namespace) -> int:
    if args.output.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"{args.output}: expected an output file ending in .yaml")
    if not args.output.parent.is_dir():
        raise UserError(f"{args.output}: the folder {args.output.parent} does not exist")
    check_upload(args.file)
    notes: list[str] = []
    try:
        profile, _source = guess_profile(args.file, notes=notes)
    except MappingError as exc:
        raise UserError(ambiguity_help(exc)) from None
    text = yaml.safe_dump(profile_dict(profile), sort_keys=False, allow_unicode=True)
    args.output.write_text(f"# guessed from {args.file.name}; check it before use\n{text}",
                           encoding="utf-8")
    for note in notes:
        print(f"Note: {note}.", file=sys.stderr)
    print(f"Wrote the guessed profile to {args.output}.", file=sys.stderr)
    return 0
