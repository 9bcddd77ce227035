"""`wfm roster`: a weekly roster covering requirements, or a Curtois benchmark instance."""

from __future__ import annotations

import argparse
import sys

from planning.cluster import add_cluster_argument, open_cluster
from planning.files import read_frame, write_frame
from planning.progress import progress_bar
from planning.roster_step import check_requirements, check_time_limit, roster_step
from planning.settings import COMMAND_ROSTER_TIME_LIMIT
from scheduling.roster.coverage import coverage_summary
from scheduling.roster.curtois import read_instance, solve_instance
from scheduling.roster.inputs import read_agents
from scheduling.roster.templates import read_shifts

EPILOG = """\
Example:
  wfm roster requirements.csv --agents data/sample/agents.csv \\
      --shifts data/sample/shifts.yaml --time-limit 60 -o roster.csv
  wfm roster --format curtois ../shared/data/rostering/Instance1.txt --time-limit 10 -o r.csv

The roster covers the requirements' `staff` column (people to schedule; use
--cover agents for the on-line need). Breaks are planned explicitly, so staff
should carry only the shrinkage not planned here (absence, training).
Output columns: agent_id, date, shift (template name), start, end, queue,
breaks ("HH:MM-HH:MM;..."). The run is deterministic for a given --seed; the
time limit is then CP-SAT's deterministic time (close to seconds); add
--wall-clock for a hard wall-clock limit instead.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "roster", help="build a weekly roster with CP-SAT",
        description="Build the roster that covers requirements per queue and interval under "
                    "the labour rules, and report under- and over-staffing.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("requirements", help="requirements file (CSV or Parquet), or a "
                                             "Curtois instance with --format curtois")
    parser.add_argument("--format", choices=["requirements", "curtois"],
                        default="requirements", help="input kind (default requirements)")
    parser.add_argument("--agents", help="agents CSV (agent_id, name, queues, ...)")
    parser.add_argument("--shifts", help="shift templates YAML")
    parser.add_argument("--time-limit", type=float, default=COMMAND_ROSTER_TIME_LIMIT,
                        help=f"solver time in seconds (default {COMMAND_ROSTER_TIME_LIMIT:g}; "
                             "doubled up to twice if no roster is found in time)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--workers", type=int, default=2, help="solver threads (default 2)")
    parser.add_argument("--cover", choices=["staff", "agents"], default="staff",
                        help="requirement column to cover (default staff)")
    parser.add_argument("--wall-clock", action="store_true",
                        help="stop on wall-clock time (not reproducible run to run)")
    parser.add_argument("--coverage", help="also write under/over per queue and interval here")
    parser.add_argument("-o", "--output", default="roster.csv", help="roster CSV to write")
    add_cluster_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    args.time_limit = check_time_limit(args.time_limit, "--time-limit")
    if args.workers < 1 or args.workers > 64:
        raise ValueError(f"--workers must be between 1 and 64, got {args.workers}")
    if args.format == "curtois":
        return _run_curtois(args)
    if not args.agents or not args.shifts:
        raise ValueError("--agents and --shifts are required (or use --format curtois)")
    requirements = read_frame(args.requirements, "requirements")
    check_requirements(requirements, args.cover, str(args.requirements))
    agents = read_agents(args.agents)
    settings = read_shifts(args.shifts)
    with open_cluster(args.cluster) as cluster, progress_bar("rostering") as progress:
        result = roster_step(requirements, agents, settings, time_limit=args.time_limit,
                             seed=args.seed, workers=args.workers, cover=args.cover,
                             deterministic=not args.wall_clock, progress=progress,
                             mapper=cluster.mapper(progress))
        if cluster.client is not None:
            print(f"wfm: queue groups solved on {cluster.describe()}", file=sys.stderr)
    write_frame(result.roster, args.output)
    if args.coverage:
        write_frame(result.coverage, args.coverage)
    summary = coverage_summary(result.coverage, result.interval_minutes)
    done = result.summary
    print(f"roster: {len(result.roster)} shifts for {result.roster['agent_id'].nunique()} "
          f"of {len(agents)} agents -> {args.output}")
    print(f"status: {done.status} in {done.seconds:.1f} s ({done.decomposition}); "
          f"paid hours {done.paid_hours:.1f}")
    for part in result.parts:
        team = f", team {part['team']}" if part["team"] else ""
        print(f"  part: queues {'+'.join(part['queues'])}{team}: {part['agents']} agents, "
              f"{part['status']} in {part['seconds']:.1f} s")
    cap = 2 * done.time_limit + 10
    if done.seconds > cap:
        print(f"wfm roster: note: the solve took {done.seconds:.0f} s, more than twice the "
              f"time limit ({done.time_limit:g} s) plus 10 s; the machine may be busy",
              file=sys.stderr)
    print(summary.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    print(f"under-staffing: {done.under_hours:.1f} agent-hours; weighted "
          f"{done.under_weighted:.0f} vs lower bound {done.under_bound:.0f} "
          f"(gap {100 * done.gap:.1f}%)")
    return 0


def _run_curtois(args: argparse.Namespace) -> int:
    inst = read_instance(args.requirements)
    with progress_bar(f"solving {inst.name}") as progress:
        roster, objective, sol = solve_instance(
            inst, time_limit=args.time_limit, seed=args.seed, workers=args.workers,
            deterministic=not args.wall_clock, progress=progress)
    write_frame(roster, args.output)
    print(f"{inst.name}: objective {objective} ({sol.status}, lower bound "
          f"{sol.bound:.0f}) in {sol.wall_seconds:.1f} s -> {args.output}")
    return 0
