"""Scenario comparison speed: the sample's Double 11 scenarios one at a time without
reuse (as `wfm scenario run` runs each) against `planning.scenario_run.run_scenarios`
(one forecast per base and horizon, requirements only for changed queues, the other
rosters started from the first scenario's on the same base and re-planned one agent
at a time until no week improves alone (`scheduling/roster/descent.py`), independent
rosters in parallel worker processes, the first solving while the others are
prepared), in one run so both arms see the same machine load.

Run:  .venv/bin/python benchmarks/scenario_speed.py
      .venv/bin/python benchmarks/scenario_speed.py --roster-time-limit 10 --processes 2

Prints each arm's wall time, the speed ratio, what the shared run computed and reused,
each scenario's roster quality in both arms (weighted under-staffing, the roster
objective that counts; agent-hours short; paid hours) with the difference in %, and
the quality ratio over all scenarios (shared / alone; below 1 is better). Wall times
on a shared machine are inflated by other work (the load average is printed); the
ratio compares the arms under the same load. Nothing is saved in a workspace.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planning.scenario_run import SharedWork, run_scenario, run_scenarios  # noqa: E402
from planning.scenarios import read_scenario  # noqa: E402

SCENARIOS = sorted((ROOT / "data" / "sample" / "scenarios").glob("double11_*.yaml"))


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", default=[str(p) for p in SCENARIOS])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--roster-time-limit", type=float, default=None,
                        help="override the scenarios' roster_time_limit (solver seconds)")
    parser.add_argument("--skip-one-at-a-time", action="store_true",
                        help="time the shared run only")
    parser.add_argument("--no-warm", action="store_true",
                        help="shared run without warm-started rosters")
    args = parser.parse_args(argv)
    scenarios = [read_scenario(p) for p in args.scenarios]
    if args.roster_time_limit is not None:
        scenarios = [dataclasses.replace(s, roster_time_limit=args.roster_time_limit)
                     for s in scenarios]
    print(f"{len(scenarios)} scenarios: {', '.join(s.name for s in scenarios)}; roster "
          f"time limit {scenarios[0].roster_time_limit:g} s (deterministic)")

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work "
          "inflates wall times)")
    alone = None
    if not args.skip_one_at_a_time:
        started, cpu = time.perf_counter(), cpu_seconds()
        alone = [run_scenario(s) for s in scenarios]
        alone_wall = time.perf_counter() - started
        print(f"one at a time, no reuse: {alone_wall:,.1f} s wall, "
              f"{cpu_seconds() - cpu:,.1f} s CPU")

    shared = SharedWork()
    started, cpu = time.perf_counter(), cpu_seconds()
    together = run_scenarios(scenarios, processes=args.processes, shared=shared,
                             warm=not args.no_warm)
    together_wall = time.perf_counter() - started
    print(f"shared and parallel ({args.processes} processes"
          f"{'' if args.no_warm else ', warm-started'}): {together_wall:,.1f} s wall, "
          f"{cpu_seconds() - cpu:,.1f} s CPU")
    for r in together:
        print(f"  {r.name}: {r.roster_summary.decomposition}; limit "
              f"{r.roster_summary.time_limit:g} s, {r.roster_summary.seconds:,.1f} s; weighted "
              f"under-staffing {r.roster_summary.under_weighted:,.0f}, agent-hours short "
              f"{r.roster_summary.under_hours:,.1f}")
    print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(shared.counts.items())))
    if alone is not None:
        print(f"speed-up: {alone_wall / together_wall:.2f}x "
              f"({alone_wall:,.1f} s -> {together_wall:,.1f} s)")
        print("roster quality (weighted under-staffing; lower is better):")
        for a, b in zip(alone, together, strict=True):
            wa, wb = a.roster_summary.under_weighted, b.roster_summary.under_weighted
            diff = (wb - wa) / wa * 100 if wa else 0.0
            print(f"  {a.name}: {wa:,.0f} -> {wb:,.0f} ({diff:+.2f}%); agent-hours short "
                  f"{a.roster_summary.under_hours:,.1f} -> {b.roster_summary.under_hours:,.1f}; "
                  f"paid hours {a.roster_summary.paid_hours:,.0f} -> "
                  f"{b.roster_summary.paid_hours:,.0f}")
        wa = sum(a.roster_summary.under_weighted for a in alone)
        wb = sum(b.roster_summary.under_weighted for b in together)
        ha = sum(a.roster_summary.under_hours for a in alone)
        hb = sum(b.roster_summary.under_hours for b in together)
        print(f"quality ratio (shared / alone, all scenarios): weighted under-staffing "
              f"{wb / wa if wa else 1.0:.4f}, agent-hours short {hb / ha if ha else 1.0:.4f} "
              "(<= 1.01: within 1% of one at a time)")
        same = all(a.forecast.equals(b.forecast) and a.requirements.equals(b.requirements)
                   for a, b in zip(alone, together, strict=True))
        print(f"forecasts and requirements identical in both arms: {same}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
