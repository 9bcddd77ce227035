"""`wfm scenario`: run a what-if scenario, or compare several side by side."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from planning.cluster import add_cluster_argument, open_cluster
from planning.files import write_frame
from planning.plans import STEPS
from planning.progress import progress_bar
from planning.scenario_compare import ALL_QUEUES, compare_scenarios, peak_day, peak_day_intervals
from planning.scenario_run import ScenarioResult, run_scenario, run_scenarios
from planning.scenario_store import save_scenario
from planning.scenarios import read_scenario
from planning.workspace import Workspace, default_folder

EPILOG = """\
Example:
  wfm scenario run data/sample/scenarios/double11_chatbot.yaml -o out/chatbot
  wfm scenario compare data/sample/scenarios/double11_base.yaml \\
      data/sample/scenarios/double11_chatbot.yaml \\
      data/sample/scenarios/double11_temps.yaml -o comparison.csv

A scenario is a YAML file of changes to a base plan (volume uplift, AHT,
deflection, targets, shrinkage, agents added or removed, overtime, shift
templates); see planning/scenarios.py for the format. Each run is saved in the
workspace (--workspace, default $WFM_WORKSPACE or ./workspace) as the plan
"Scenario: <name>" with its YAML text and input hashes. The first scenario of a
comparison is the baseline the `_change` columns are measured against.
"""

SHOWN_SHORTFALLS = 12


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scenario", help="run or compare what-if scenarios (Double 11, 618...)",
        description="Run a scenario through forecast, requirements, roster and projection, "
                    "or compare several per queue and day.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    run = sub.add_parser(
        "run", help="run one scenario and write its frames",
        description="Run one scenario; write its forecast, requirements, roster, projection, "
                    "daily summary and shortfalls as CSV files into DIR.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("scenario", help="scenario YAML file")
    run.add_argument("-o", "--output", metavar="DIR",
                     help="folder for the CSV files (created if missing; default: none)")
    _common(run)
    run.set_defaults(func=run_command)
    compare = sub.add_parser(
        "compare", help="run several scenarios and compare them per queue and day",
        description="Run each scenario and write one CSV with a row per scenario, queue and "
                    "day, and each metric's change against the first scenario.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    compare.add_argument("scenarios", nargs="+", help="scenario YAML files (first = baseline)")
    compare.add_argument("-o", "--output", default="comparison.csv",
                         help="comparison CSV to write (default comparison.csv)")
    compare.add_argument("--peak", metavar="CSV",
                         help="also write the peak day interval by interval to this CSV")
    compare.add_argument("--processes", type=int, default=2, metavar="N",
                         help="rosters solved side by side in N worker processes (default 2; "
                              "1 solves them one after another)")
    add_cluster_argument(compare)
    _common(compare)
    compare.set_defaults(func=compare_command)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", metavar="DIR",
                        help="workspace folder to save runs in (default $WFM_WORKSPACE or "
                             "./workspace)")
    parser.add_argument("--no-save", action="store_true",
                        help="do not save the run in the workspace")


def _run_one(path: str, ws: Workspace | None, save: bool) -> ScenarioResult:
    scenario = read_scenario(path)
    bars: dict[str, Callable[[float], None]] = {}
    contexts = []
    try:
        def on(step: str, fraction: float) -> None:
            if step not in bars:
                ctx = progress_bar(f"{scenario.name}: {step}")
                contexts.append(ctx)
                bars[step] = ctx.__enter__()
            bars[step](fraction)
        print(f"scenario '{scenario.name}': {' -> '.join(STEPS)}", file=sys.stderr)
        result = run_scenario(scenario, ws, progress=on)
    finally:
        for ctx in reversed(contexts):
            ctx.__exit__(None, None, None)
    if save and ws is not None:
        plan_id = save_scenario(ws, result)
        print(f"saved as plan '{scenario.plan_name}' (id {plan_id}) in {ws.folder}",
              file=sys.stderr)
    return result


def _workspace(args: argparse.Namespace) -> Workspace | None:
    if args.no_save:
        return Workspace(args.workspace) if args.workspace else None
    return Workspace(args.workspace or default_folder())


def _report_shortfall(result: ScenarioResult) -> None:
    lines = result.shortfall_text()
    if not lines:
        print(f"{result.name}: the roster meets every queue's targets", file=sys.stderr)
        return
    short = result.shortfall
    print(f"{result.name}: the roster falls short of its targets on {len(short)} queue-day(s), "
          f"{short['missing_agent_hours'].sum():.0f} agent-hours missing in all:",
          file=sys.stderr)
    order = short["missing_agent_hours"].to_numpy().argsort()[::-1]
    for i in order[:SHOWN_SHORTFALLS]:
        print("  " + lines[i], file=sys.stderr)
    if len(lines) > SHOWN_SHORTFALLS:
        print(f"  ... and {len(lines) - SHOWN_SHORTFALLS} more (see shortfall.csv)",
              file=sys.stderr)


def _totals(daily: pd.DataFrame) -> str:
    rows = daily[daily["queue"] == ALL_QUEUES]
    return (f"{rows['contacts'].sum():,.0f} contacts, "
            f"{rows['paid_hours'].sum():,.0f} paid hours, "
            f"peak required staff {rows['required_staff'].max():.0f}, "
            f"peak rostered staff {rows['rostered_staff'].max():.0f}")


def _figure(value: float, form: str) -> str:
    """One figure of the peak-day table as a planner reads it ("-" when there is none)."""
    return "-" if pd.isna(value) else form.format(value)


PEAK_FORMS = {"contacts": "{:,.0f}", "required_staff": "{:,.0f}", "rostered_staff": "{:,.0f}",
              "paid_hours": "{:,.0f}", "service_level": "{:.1%}", "abandon_rate": "{:.1%}",
              "paid_hours_change": "{:+,.0f}", "service_level_change": "{:+.1f}"}


def _peak_table(shown: pd.DataFrame) -> str:
    """The peak day per scenario with rates in %, counts and hours whole, changes signed
    (the service level's change in points of %)."""
    table = shown.copy()
    table["service_level_change"] = table["service_level_change"] * 100
    for column, form in PEAK_FORMS.items():
        table[column] = [_figure(v, form) for v in table[column]]
    table = table.rename(columns={"service_level_change": "service_level_change (pts)"})
    return table.to_string(index=False)


def run_command(args: argparse.Namespace) -> int:
    out_dir = Path(args.output) if args.output else None
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"{out_dir} exists and is not a folder")
    result = _run_one(args.scenario, _workspace(args), not args.no_save)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        frames = {"forecast": result.forecast, "requirements": result.requirements,
                  "roster": result.roster, "projection": result.projection,
                  "daily": result.daily, "shortfall": result.shortfall}
        for name, frame in frames.items():
            write_frame(frame, out_dir / f"{name}.csv", float_format="%.4f")
        print(f"wrote {', '.join(f'{n}.csv' for n in frames)} to {out_dir}", file=sys.stderr)
    print(f"{result.name}: {_totals(result.daily)}")
    _report_shortfall(result)
    return 0


def compare_command(args: argparse.Namespace) -> int:
    output = Path(args.output)
    for path in [output] + ([Path(args.peak)] if args.peak else []):
        if not path.parent.exists():
            raise FileNotFoundError(f"{path.parent}: folder for the output does not exist")
    scenarios = [read_scenario(p) for p in args.scenarios]  # refuse bad files before running
    names = [s.name for s in scenarios]
    if len(set(names)) < len(names):
        raise ValueError(f"two scenario files share a name ({names}); give each its own `name`")
    ws = _workspace(args)
    print(f"{len(scenarios)} scenarios: one forecast per base and horizon, requirements per "
          f"changed queue, rosters in {max(1, args.processes)} process(es)", file=sys.stderr)
    with open_cluster(args.cluster) as cluster, progress_bar("scenarios") as bar:
        def on(step: str, f: float) -> None:
            bar((STEPS.index(step) + min(max(f, 0.0), 1.0)) / len(STEPS))

        results = run_scenarios(scenarios, ws, processes=args.processes, progress=on,
                                mapper=cluster.mapper(lambda f: on("roster", f)))
        if cluster.client is not None:
            print(f"rosters solved on {cluster.describe()}", file=sys.stderr)
    if not args.no_save and ws is not None:
        for result in results:
            plan_id = save_scenario(ws, result)
            print(f"saved as plan '{result.scenario.plan_name}' (id {plan_id}) in {ws.folder}",
                  file=sys.stderr)
    comparison = compare_scenarios([r.daily for r in results])
    write_frame(comparison, output, float_format="%.4f")
    day = peak_day(results[0].daily)
    print(f"wrote {len(comparison)} rows to {output}; peak day {day.date()}", file=sys.stderr)
    if args.peak:
        peak = peak_day_intervals({r.name: r.projection for r in results}, day)
        write_frame(peak, args.peak, float_format="%.4f")
    on_peak = comparison[(comparison["queue"] == ALL_QUEUES) & (comparison["date"] == day)]
    shown = on_peak[["scenario", "contacts", "required_staff", "rostered_staff", "paid_hours",
                     "service_level", "abandon_rate", "paid_hours_change",
                     "service_level_change"]]
    print(f"peak day {day.date()}, all queues:")
    print(_peak_table(shown))
    for result in results:
        _report_shortfall(result)
    return 0
