"""`wfm intraday`: reforecast the rest of today from actuals and re-plan with few changes."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from forecasting.intraday import IntradayInputError
from planning.files import read_frame, write_frame
from planning.intraday import projection_before_after, run_intraday
from planning.progress import progress_bar
from scheduling.intraday import ReplanInputError, ReplanOptions
from scheduling.projection import ProjectionInputError
from scheduling.queue_settings import read_queue_settings
from scheduling.roster import read_agents, read_shifts

EPILOG = """\
Example:
  wfm intraday history.csv --forecast forecast.csv --actuals today.csv \\
      --now "2026-10-21 12:00" -o reforecast.csv
  wfm intraday history.csv --forecast forecast.csv --actuals today.csv \\
      --now "2026-10-21 12:00" -o reforecast.csv --roster roster.csv \\
      --agents data/sample/agents.csv --shifts data/sample/shifts.yaml \\
      --queues data/sample/queues.csv --changes changes.csv --projection projection.csv

The actuals file holds today's finished intervals: queue, interval_start, contacts
(optional aht_seconds, answered, abandoned), in the forecast's interval length.
Each queue's rest of the day is the forecast times a factor learnt per queue from
the history: how far the whole morning, the last half hour and the last two hours
ran from the forecast, and how much of that the history says carries on. A steady
two-hour break far outside the history's usual (a surge, an outage) is followed as
far as the history's own breaks lasted (shrunk towards all of it); --event-sd 3
follows any beyond 3 robust standard deviations whole (an event day).

With a roster the rest of the day is re-planned with as few changes as possible:
breaks moved within their windows, multi-skilled agents moved between queues,
overtime within the labour rules (the contract's weekly hours plus
--overtime-hours-week of paid overtime, default 8; at most 2 hours a day),
voluntary time off when over-staffed, shifts not begun yet started up to 3 hours
earlier or later, agents off today called in within every labour rule (weekly hours
and days, rest, days in a row, days off in a row).

Output columns: reforecast: queue, interval_start, contacts, contacts_lo,
contacts_hi, aht_seconds, model, forecast_contacts, actual_contacts, ratio, source;
changes: agent_id, change, from, to, queue, overtime_minutes (paid minutes above
the weekly contract); projection: the projection columns of
`wfm project` plus plan (before or after).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "intraday", help="reforecast the rest of today from actuals; re-plan with few changes",
        description="Reforecast the rest of today and the next days from the day's actuals "
                    "so far, and with a roster re-plan the rest of the day with as few "
                    "changes as possible.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("history", help="interval history (CSV or Parquet) to learn from")
    parser.add_argument("--forecast", required=True, help="the forecast covering today")
    parser.add_argument("--actuals", required=True, help="today's actuals so far")
    parser.add_argument("--now", required=True, help='the time now, "YYYY-MM-DD HH:MM"')
    parser.add_argument("-o", "--output", default="reforecast.csv",
                        help="reforecast file to write (.csv or .parquet)")
    parser.add_argument("--roster", help="roster file, to re-plan the rest of the day")
    parser.add_argument("--agents", help="agents file (skills, weekly hours)")
    parser.add_argument("--shifts", help="shift templates YAML (break windows, rules)")
    parser.add_argument("--queues", help="queue settings (CSV or YAML)")
    parser.add_argument("--changes", help="write the proposed changes to this file")
    parser.add_argument("--projection", help="write the rest-of-day projection before and "
                                             "after the changes to this file")
    parser.add_argument("--time-limit", type=float, default=ReplanOptions.time_limit,
                        help="seconds for the re-plan solver (CP-SAT deterministic time, "
                             "so the same inputs give the same changes; default "
                             f"{ReplanOptions.time_limit:g})")
    parser.add_argument("--event-sd", type=float, default=None,
                        help="follow a steady two-hour break beyond this many robust "
                             "standard deviations (default: learnt from the history)")
    parser.add_argument("--overtime-hours-week", type=float,
                        default=ReplanOptions.extra_hours_week,
                        help="paid overtime an agent may do a week above max_hours_week "
                             f"(the labour rule; default {ReplanOptions.extra_hours_week:g}; "
                             "0 keeps to the contract)")
    parser.add_argument("--no-call-in", action="store_true",
                        help="do not call in agents who are off today")
    parser.add_argument("--max-changed", type=float, default=10.0,
                        help="most agents whose day may change, in %% of today's agents "
                             "(default 10)")
    parser.set_defaults(func=run)


def _where(exc: IntradayInputError, files: dict[str, str]) -> str:
    if exc.source == "now":
        return f"--now: {exc}"
    return f"{files.get(exc.source, exc.source)}, {exc}"


def run(args: argparse.Namespace) -> int:
    replan_inputs = (args.agents, args.shifts, args.queues)
    if args.roster and not all(replan_inputs):
        raise ValueError("--roster needs --agents, --shifts and --queues to re-plan")
    if (args.changes or args.projection) and not args.roster:
        raise ValueError("--changes and --projection come from a re-plan; add --roster, "
                         "--agents, --shifts and --queues")
    if not 0 <= args.max_changed <= 100:
        raise ValueError(f"--max-changed is a percentage 0-100, got {args.max_changed}")
    if args.time_limit <= 0:
        raise ValueError(f"--time-limit must be positive, got {args.time_limit}")
    if args.event_sd is not None and not args.event_sd > 0:
        raise ValueError(f"--event-sd must be positive, got {args.event_sd}")
    if not 0 <= args.overtime_hours_week <= 40:
        raise ValueError(f"--overtime-hours-week is hours 0-40, got {args.overtime_hours_week}")
    for path in (args.output, args.changes, args.projection):
        if path and not Path(path).parent.exists():
            raise FileNotFoundError(f"{Path(path).parent}: folder for the output does not exist")
    history = read_frame(args.history, "history")
    forecast = read_frame(args.forecast, "forecast")
    actuals = read_frame(args.actuals, "actuals")
    roster = agents = shifts = settings = None
    if args.roster:
        roster = read_frame(args.roster, "roster")
        agents = read_agents(args.agents)
        shifts = read_shifts(args.shifts)
        settings = read_queue_settings(args.queues)
    files = {"actuals": args.actuals, "forecast": args.forecast, "history": args.history}
    options = ReplanOptions(time_limit=args.time_limit,
                            max_changed_share=args.max_changed / 100.0,
                            extra_hours_week=args.overtime_hours_week,
                            allow_call_in=not args.no_call_in)
    try:
        with progress_bar("re-planning" if roster is not None else "reforecasting") as bar:
            outcome = run_intraday(history, forecast, actuals, args.now, roster=roster,
                                   agents=agents, shifts=shifts, queue_settings=settings,
                                   options=options, progress=bar,
                                   event_threshold=args.event_sd)
    except IntradayInputError as exc:
        raise ValueError(_where(exc, files)) from None
    except (ReplanInputError, ProjectionInputError) as exc:
        text = str(exc)
        if text.startswith("roster"):  # name the file the planner gave
            text = f"{args.roster}: {text.removeprefix('roster').lstrip(': ')}"
        raise ValueError(text) from None
    frame = outcome.reforecast.frame
    write_frame(frame, args.output)
    print(f"wrote {len(frame)} intervals for {frame['queue'].nunique()} queue(s) to "
          f"{args.output}")
    print(format_summary(outcome.reforecast.summary))
    for note in outcome.notes:
        print(f"note: {note}")
    result = outcome.replan
    if result is not None:
        if args.changes:
            write_frame(result.changes, args.changes)
        if args.projection:
            write_frame(projection_before_after(result), args.projection)
        share = result.agents_changed / max(result.agents_today, 1)
        print(f"{len(result.changes)} change(s) for {result.agents_changed} of "
              f"{result.agents_today} agents today ({share:.0%})"
              + (f", written to {args.changes}" if args.changes else ""))
        print(format_service(result.summary))
    return 0


def format_summary(summary: pd.DataFrame) -> str:
    """Per queue: contacts so far against forecast, and the ratio applied to the rest."""
    lines = [f"{'queue':<20} {'actual':>8} {'forecast':>9} {'seen':>5} {'ratio':>6} "
             f"{'rest of day':>12}"]
    for r in summary.itertuples(index=False):
        lines.append(f"{str(r.queue)[:20]:<20} {r.actual_so_far:8.0f} {r.forecast_so_far:9.0f} "
                     f"{r.elapsed_share:5.0%} {r.ratio:6.2f} "
                     f"{r.rest_of_day_reforecast:12.0f}" + ("  event" if r.event else ""))
    return "\n".join(lines)


def format_service(summary: pd.DataFrame) -> str:
    """Rest-of-day service level per queue before and after the changes."""
    lines = [f"{'queue':<20} {'SL before':>10} {'SL after':>9}"]
    for r in summary.itertuples(index=False):
        lines.append(f"{str(r.queue)[:20]:<20} {r.service_level_before:10.1%} "
                     f"{r.service_level_after:9.1%}")
    return "\n".join(lines)
