"""`wfm project`: the response times a roster will deliver against a forecast."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import pandas as pd

from planning.files import read_frame, write_frame
from planning.progress import progress_bar
from scheduling.projection import ProjectionInputError, parse_roster, project, rollup
from scheduling.queue_settings import read_queue_settings
from scheduling.roster.inputs import parse_proficiency
from scheduling.staffing import check_forecast_entries, check_interval_length, check_workload

EPILOG = """\
Example:
  wfm project roster.csv --forecast forecast.csv --queues data/sample/queues.csv \\
      -o projection.csv --daily projection_daily.csv

Agents count for the queue the roster gives them, on line outside their breaks,
less the queue's unplanned shrinkage. Voice queues use Erlang C, or Erlang A
where patience_seconds is set; chat uses the concurrency model; email the
deadline backlog. With --simulate (and --agents for the skills of each agent) a
seeded discrete-event simulation routes each contact to any agent skilled in its
queue, the agent's rostered queue first. An agents file with a proficiency column
(queue=0.7;...) counts those agents at that share of a full agent in the queue
(in the simulation, they work at that share of the speed).

Output columns: queue, interval_start, required, scheduled, service_level,
asa_seconds, abandon_rate, occupancy, contacts, aht_seconds, wait_p90_seconds,
below_target, method.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "project", help="projected service level, ASA and abandonment of a roster",
        description="Project the service level, ASA, 90th-percentile wait (chat: first "
                    "response), abandonment and occupancy a roster delivers per queue and "
                    "interval of a forecast, and flag intervals below target.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("roster", help="roster file (CSV or Parquet: agent_id, date, shift, "
                                       "start, end, queue, breaks)")
    parser.add_argument("--forecast", required=True, help="forecast file (CSV or Parquet)")
    parser.add_argument("--queues", required=True, help="queue settings (CSV or YAML)")
    parser.add_argument("--simulate", action="store_true",
                        help="simulate pooled agents with skill-based routing instead of "
                             "per-queue formulas")
    parser.add_argument("--agents", help="agents file: every roster agent must be in it; its "
                                         "`queues` column (;-separated) gives each agent's "
                                         "skills for --simulate, its optional "
                                         "`proficiency` column (queue=0.7;...) how much of "
                                         "a full agent each is there")
    parser.add_argument("--replications", type=int, default=5,
                        help="simulation runs to pool (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="simulation seed (default 0)")
    parser.add_argument("--daily", help="also write the daily roll-up to this file")
    parser.add_argument("-o", "--output", default="projection.csv",
                        help="projection file to write (.csv or .parquet)")
    parser.set_defaults(func=run)


def read_skills(path: str | Path) -> dict[str, list[str]]:
    """agent_id -> queues the agent may answer, from an agents file's `queues` column."""
    frame = read_frame(path, "agents")
    missing = [c for c in ("agent_id", "queues") if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; the agents file needs "
                         "agent_id and queues (;-separated)")
    return {str(r.agent_id): [q.strip() for q in str(r.queues).split(";") if q.strip()]
            for r in frame.itertuples(index=False) if str(r.queues) != "nan"}


def read_proficiency(path: str | Path, skills: dict[str, list[str]]
                     ) -> dict[str, dict[str, float]] | None:
    """agent_id -> queue -> share, from an agents file's optional `proficiency` column
    (`queue=0.7;...`, as `wfm roster` reads it); None without the column. Errors name
    the file, row, agent and column."""
    frame = read_frame(path, "agents")
    if "proficiency" not in frame.columns:
        return None
    out = {}
    for i, (agent_id, value) in enumerate(zip(frame["agent_id"], frame["proficiency"],
                                              strict=True)):
        aid = str(agent_id)
        shares = parse_proficiency(value, tuple(skills.get(aid, ())),
                                   f"{path} row {i + 2} ({aid}), column proficiency")
        if shares:
            out[aid] = dict(shares)
    return out


def check_roster_agents(roster: pd.DataFrame, skills: dict[str, list[str]], source: str,
                        agents_source: str) -> None:
    """Refuse a roster row whose agent is not in the agents file, naming row and agent."""
    ids = roster["agent_id"].astype(str).str.strip()
    unknown = ~ids.isin(list(skills))
    if unknown.any():
        i = int(unknown.to_numpy().nonzero()[0][0])
        raise ProjectionInputError(f"{source} row {i + 2}, column agent_id: agent "
                                   f"{ids.iloc[i]!r} is not in {agents_source}")


def _seconds(value: float) -> str:
    """An ASA for the terminal; "overload" where the queue grows without end (more work
    than agents on line in some interval), which the formulas give as an infinite wait."""
    return "overload" if not math.isfinite(value) else f"{value:.0f}s"


def format_rollup(weekly: pd.DataFrame) -> str:
    """The weekly roll-up as a short table for the terminal."""
    lines = [f"{'queue':<20} {'week':<10} {'contacts':>9} {'SL':>6} {'ASA':>8} {'aband':>6} "
             f"{'occ':>5} {'below target':>13}"]
    for r in weekly.itertuples(index=False):
        lines.append(
            f"{str(r.queue)[:20]:<20} {r.period_start:%Y-%m-%d} {r.contacts:9.0f} "
            f"{100 * r.service_level:5.1f}% {_seconds(r.asa_seconds):>8} "
            f"{100 * r.abandon_rate:5.1f}% {100 * r.occupancy:4.0f}% "
            f"{r.intervals_below_target:>5d} of {r.intervals:<5d}")
    if not np.isfinite(weekly["asa_seconds"].astype(float)).all():
        lines.append("ASA overload: in some interval more work arrives than the agents on "
                     "line can handle, so the wait has no finite average")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.replications < 1:
        raise ValueError(f"--replications must be at least 1, got {args.replications}")
    if not 1 <= args.replications <= 1000:
        raise ValueError(f"--replications must be between 1 and 1000, got {args.replications}")
    roster = read_frame(args.roster, "roster")
    parse_roster(roster, str(args.roster))
    forecast = read_frame(args.forecast, "forecast")
    checked = check_forecast_entries(forecast, str(args.forecast))
    if checked["queue"].duplicated().any():  # the interval length can be told
        length = check_interval_length(checked, None, str(args.forecast))
        check_workload(checked, length, str(args.forecast))
    settings = read_queue_settings(args.queues)
    skills = read_skills(args.agents) if args.agents else None
    proficiency = None
    if skills is not None:
        check_roster_agents(roster, skills, str(args.roster), str(args.agents))
        proficiency = read_proficiency(args.agents, skills)
        if not args.simulate:
            skills = None
    for path in (args.output, args.daily):
        if path and Path(path).parent and not Path(path).parent.exists():
            raise FileNotFoundError(f"{Path(path).parent}: folder for the output does not exist")
    with progress_bar("simulating" if args.simulate else "projecting") as progress:
        frame = project(roster, forecast, settings, simulate=args.simulate, skills=skills,
                        proficiency=proficiency, seed=args.seed,
                        replications=args.replications, progress=progress)
    write_frame(frame, args.output)
    if args.daily:
        write_frame(rollup(frame, "day", all_queues=True), args.daily)
    how = (f"simulation, {args.replications} runs, seed {args.seed}" if args.simulate
           else "formulas: " + ", ".join(sorted(set(frame["method"]))))
    print(f"wrote {len(frame)} intervals for {frame['queue'].nunique()} queue(s) to "
          f"{args.output} ({how})")
    print(format_rollup(rollup(frame, "week", all_queues=True)))
    below = int(frame["below_target"].sum())
    if below:
        print(f"{below} interval(s) below target; see the below_target column")
    return 0
