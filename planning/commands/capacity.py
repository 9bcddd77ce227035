"""`wfm capacity`: the least-cost levers for a peak week, or a long-range hiring plan."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from planning.cluster import add_cluster_argument, open_cluster
from planning.files import write_frame
from planning.progress import progress_bar

EPILOG = """\
Examples:
  wfm capacity data/sample/capacity/double11_capacity.yaml -o out/capacity
  wfm capacity --long-range data/sample/capacity/long_range.yaml -o out/hiring

A capacity scenario is a scenario file with a `capacity:` section (levers, limits
and costs; `target: interval`, `day` or `week`: where the service-level target must
hold; see planning/capacity.py). The answer is checked by rostering the
recommended team with the real roster engine (skip with --no-check), then the team
is trimmed by building: each lever cut by a tenth and re-rostered until a cut misses
the target (skip with --no-trim; `trim_by_building: false` in the file). Output:
levers.csv, daily.csv (service level planned and rostered per queue and day),
reasons.csv (intervals no lever can reach and why), and the recommended team as
agents.csv and shifts.yaml, ready for `wfm roster`. A long-range plan (see
planning/hiring.py) writes hiring.csv (class start weeks and sizes) and weekly.csv.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "capacity", help="least-cost temps, overtime and cross-skills; hiring plans",
        description="Goal-seek the cheapest mix of levers that meets every queue's target "
                    "in a peak week and check it by rostering the team, or plan hiring "
                    "classes week by week (--long-range).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", nargs="?", help="capacity scenario YAML file")
    parser.add_argument("--long-range", metavar="PLAN", help="long-range plan YAML file")
    parser.add_argument("-o", "--output", metavar="DIR", required=True,
                        help="folder for the CSV files (created if missing)")
    parser.add_argument("--no-check", action="store_true",
                        help="skip rostering the recommended team (and trimming it)")
    parser.add_argument("--no-trim", action="store_true",
                        help="check the recommended team but do not trim it by building")
    add_cluster_argument(parser)
    parser.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"{out_dir} exists and is not a folder")
    if args.long_range:
        if args.scenario:
            raise ValueError("give either a capacity scenario or --long-range PLAN, not both")
        return _long_range(Path(args.long_range), out_dir)
    if not args.scenario:
        raise ValueError("name a capacity scenario file (or --long-range PLAN.yaml)")
    with open_cluster(args.cluster) as cluster:
        return _peak(Path(args.scenario), out_dir, check=not args.no_check,
                     mapper=cluster.mapper(), trim=not args.no_trim)


def _peak(path: Path, out_dir: Path, check: bool,
          mapper: Callable[[Callable, list], list] | None = None, trim: bool = True) -> int:
    from planning.capacity import read_capacity, run_capacity

    spec = read_capacity(path)  # refuses bad input before any work
    spec.check = check
    spec.trim_by_building = spec.trim_by_building and trim
    bars: dict[str, Callable[[float], None]] = {}
    contexts = []
    try:
        def on(step: str, fraction: float) -> None:
            if step not in bars:
                ctx = progress_bar(f"{spec.scenario.name}: {step}")
                contexts.append(ctx)
                bars[step] = ctx.__enter__()
            bars[step](fraction)
        print(f"capacity '{spec.scenario.name}': forecast -> requirements -> goal-seek"
              + (" -> roster -> projection" if check else "")
              + (" -> trim by building" if check and spec.trim_by_building else ""),
              file=sys.stderr)
        result = run_capacity(spec, progress=on, mapper=mapper)
    finally:
        for ctx in reversed(contexts):
            ctx.__exit__(None, None, None)
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = result.plan
    write_frame(plan.levers, out_dir / "levers.csv", float_format="%.2f")
    write_frame(result.daily, out_dir / "daily.csv", float_format="%.4f")
    write_frame(plan.reasons, out_dir / "reasons.csv", float_format="%.3f")
    write_frame(result.agents, out_dir / "agents.csv")
    (out_dir / "shifts.yaml").write_text(result.shifts_text, encoding="utf-8")
    if result.roster is not None:
        write_frame(result.roster, out_dir / "roster.csv")
    print(f"wrote levers.csv, daily.csv, reasons.csv, agents.csv, shifts.yaml to {out_dir}",
          file=sys.stderr)
    temps = sum(plan.temps.values())
    ot = sum(plan.overtime_hours.values())
    bound = (f"lower bound {plan.bound:,.0f}, gap {plan.gap:.1%}" if plan.gap == plan.gap
             else "no lower bound: its LP was not solved in time")
    print(f"{spec.scenario.name}: {temps} temps ("
          + ", ".join(f"{k} {v}" for k, v in plan.temps.items() if v) + f"), "
          f"{ot:,.0f} overtime hours, {sum(plan.cross_skilled.values())} cross-skilled, "
          f"cost {plan.cost:,.0f} ({bound}, {plan.status}, {plan.seconds:.0f} s)")
    from planning.capacity_result import targets_met

    daily = result.daily
    met, out_of, unit = targets_met(daily, "service_level_planned", spec.target)
    print(f"planned ({spec.target} target): service level meets the target on {met} of "
          f"{out_of} {unit}; worst day {daily['service_level_planned'].min():.1%}")
    if check:
        met, out_of, unit = targets_met(daily, "service_level_rostered", spec.target)
        print(f"rostered: meets the target on {met} of {out_of} {unit}; worst day "
              f"{daily['service_level_rostered'].min():.1%}")
    from planning.capacity_check import cut_summary

    rows = cut_summary(result)
    if rows:
        print("trimmed by building (a tenth of a lever cut and re-rostered until a cut "
              "misses):")
    for row in rows:
        unit = "agents with overtime" if row["overtime"] else "temps"
        count = (f"{row['before']} -> {row['after']} {unit}" if row["after"] != row["before"]
                 else f"{row['before']} {unit}")
        more = " more" if row["after"] != row["before"] else ""
        print(f"  {row['lever']}: {count}"
              + (f"; cutting {row['last_cut']}{more} misses ({row['missed']})"
                 if row["minimal"] else ""))
    if not plan.reasons.empty:
        counts = plan.reasons.groupby(["queue", "reason"]).size()
        print(f"{len(plan.reasons)} interval(s) no lever can reach (reasons.csv):")
        for (queue, reason), n in counts.items():
            print(f"  {queue}: {n} interval(s), {reason}")
    return 0


def _long_range(path: Path, out_dir: Path) -> int:
    from planning.hiring import read_long_range, run_long_range

    spec = read_long_range(path)
    with progress_bar(f"{spec.name}: hiring plan") as bar:
        result = run_long_range(spec, progress=bar)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_frame(result.hiring, out_dir / "hiring.csv", float_format="%.2f")
    write_frame(result.weekly, out_dir / "weekly.csv", float_format="%.2f")
    print(f"wrote hiring.csv, weekly.csv to {out_dir}", file=sys.stderr)
    print(yaml.safe_dump(result.summary, sort_keys=False).strip())
    return 0
