"""Scale-out: many queues and many sites in this process against a Dask LocalCluster.

Two workloads, each run in-process (`planning.cluster.run_tasks` without a client, as
`wfm` runs without `--cluster`) and on a `LocalCluster` of `--workers` worker processes
with one thread each (`wfm ... --cluster local:2`), in one run so both arms see the
same machine load:

1. forecast: `--queues` synthetic queues x `--years` of 15-minute history (Poisson
   counts on a double-peak day and a weekend dip), `--model` per queue, 14 days ahead;
2. roster: `--agents` synthetic agents in `--sites` sites, each site its own chat and
   voice queues, so each site is an independent queue group (a part); CP-SAT on
   deterministic time (`--time-limit` for the whole roster, shared by the parts).

Run:  .venv/bin/python benchmarks/scale.py                       # the full sizes
      .venv/bin/python benchmarks/scale.py --queues 40 --agents 400 --time-limit 40

Prints per arm the wall time, the ratio (in-process / cluster), peak memory of the
in-process run and of each worker, whether the results are identical, and the
per-task costs docs/scaling.md plans with: seconds per task, bytes sent per task and
returned, and the cluster's overhead per task. On a shared 2-core machine the wall
times are inflated by other work; the ratio compares the arms under the same load.
"""

from __future__ import annotations

import argparse
import logging
import pickle
import resource
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting.calendar import Calendar  # noqa: E402
from forecasting.forecaster import forecast  # noqa: E402
from planning.cluster import run_tasks  # noqa: E402
from scheduling.roster.decompose import queue_groups, subproblem  # noqa: E402
from scheduling.roster.inputs import Agent  # noqa: E402
from scheduling.roster.solve import build_problem, solve_roster  # noqa: E402
from scheduling.roster.synthetic import synthetic_requirements  # noqa: E402
from scheduling.roster.templates import shift_settings  # noqa: E402

FULL = {"queues": 200, "years": 2.0, "agents": 2000, "sites": 10}


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU seconds this process has used (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def synthetic_history(queues: int, years: float, seed: int = 0) -> pd.DataFrame:
    """`queues` queues of 15-minute counts ending 2026-09-30, levels 2-40 per interval
    at the peak, a late-morning and an evening peak, weekends at 70%."""
    rng = np.random.default_rng(seed)
    days = int(round(365 * years))
    stamps = pd.date_range(end="2026-09-30 23:45", periods=days * 96, freq="15min")
    hour = stamps.hour + stamps.minute / 60
    shape = 0.1 + np.exp(-((hour - 11) / 2.5) ** 2) + 0.7 * np.exp(-((hour - 20) / 2) ** 2)
    shape = shape * np.where(stamps.day_of_week >= 5, 0.7, 1.0)
    frames = [pd.DataFrame({"queue": f"q{q:04d}", "interval_start": stamps,
                            "contacts": rng.poisson(rng.uniform(2, 40) * shape).astype(float),
                            "aht_seconds": rng.normal(300, 20, len(stamps)).round(1)})
              for q in range(queues)]
    return pd.concat(frames, ignore_index=True)


def start_cluster(workers: int):
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.ERROR)
    return cluster, Client(cluster)


def worker_peaks(client) -> list[float]:
    """Each worker process's peak resident memory, in MB."""
    return sorted(round(v, 0) for v in client.run(peak_mb).values())


def timed(fn, client=None):
    """fn's value, wall seconds, and CPU seconds: this process's, plus the workers'."""
    workers = client.run(cpu_seconds) if client is not None else {}
    cpu, started = cpu_seconds(), time.perf_counter()
    value = fn()
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if client is not None:
        after = client.run(cpu_seconds)
        cpu = (cpu, sum(after[w] - workers.get(w, 0.0) for w in after))
    return value, wall, cpu


def report(label: str, wall: float, cpu, peak: str) -> None:
    if isinstance(cpu, tuple):
        text = f"CPU {cpu[1]:.1f} s in workers + {cpu[0]:.1f} s here"
    else:
        text = f"CPU {cpu:.1f} s"
    print(f"  {label:<16}{wall:8.1f} s wall, {text}; peak {peak}")


def bench_forecast(args: argparse.Namespace, client) -> None:
    history, seconds, _ = timed(lambda: synthetic_history(args.queues, args.years))
    rows, mb = len(history), history.memory_usage(deep=True).sum() / 1e6
    print(f"\nforecast: {args.queues} queues x {args.years:g} years of 15-minute history "
          f"= {rows:,} rows ({mb:,.0f} MB in memory, made in {seconds:.1f} s), model "
          f"{args.model}, 14 days ahead")
    calendar = Calendar(country="CN")
    run = partial(forecast, history, "2026-10-01", 14, model=args.model, calendar=calendar)
    here, t_here, c_here = timed(lambda: run(mapper=run_tasks))
    peak_here = peak_mb()
    there, t_there, c_there = timed(lambda: run(mapper=partial(run_tasks, client=client)),
                                    client)
    same = here.forecast.equals(there.forecast) and here.notes == there.notes
    one = history[history["queue"] == "q0000"]
    sent = len(pickle.dumps((one, args.model, pd.Timestamp("2026-10-01"), 14, calendar, 15,
                             80.0)))
    back = len(pickle.dumps(here.forecast)) / args.queues
    workers = len(client.scheduler_info()["workers"])
    overhead = (t_there - t_here / workers) / args.queues
    report("in-process", t_here, c_here, f"{peak_here:,.0f} MB (history included)")
    report(f"LocalCluster x{workers}", t_there, c_there,
           f"{worker_peaks(client)} MB per worker")
    print(f"  ratio in-process / cluster: wall {t_here / t_there:.2f}x (ideal {workers}x), "
          f"CPU {c_here / (c_there[0] + c_there[1]):.2f}x; identical forecast: {same}")
    print(f"  per task (one queue): {c_here / args.queues:.2f} CPU s in-process, "
          f"{c_there[1] / args.queues:.2f} in a worker; {sent / 1e6:.2f} MB sent, "
          f"{back / 1e6:.3f} MB returned; wall overhead {overhead:+.2f} s per task")
    if args.queues < FULL["queues"] or args.years < FULL["years"]:
        print(f"  (scaled down from {FULL['queues']} queues x {FULL['years']:g} years: "
              f"{args.queues * args.years / (FULL['queues'] * FULL['years']):.1%} of the "
              "intervals)")


SITE_SHIFTS = {
    "templates": {
        "full_time": {"earliest_start": "08:00", "latest_start": "14:00", "start_step": 60,
                      "lengths": ["8:30"],
                      "breaks": [{"name": "lunch", "length": 30, "window": ["3:30", "5:00"],
                                  "paid": False}]},
        "part_time": {"earliest_start": "08:00", "latest_start": "18:00", "start_step": 60,
                      "lengths": ["4:00"], "breaks": []},
    },
    "rules": {"min_rest_hours": 11, "days_off_per_week": 2, "fairness": False},
}


def site_inputs(agents: int, sites: int, seed: int = 0):
    """Requirements, team and shift settings of `sites` sites of `agents // sites`
    agents each: per site a chat and a voice queue, 60% / 30% single-skilled, 10% both;
    requirements sized so the team can nearly cover them."""
    rng = np.random.default_rng(seed)
    per_site = agents // sites
    team, queues = [], {}
    for s in range(sites):
        chat, voice = f"s{s:02d}_chat", f"s{s:02d}_voice"
        # about 0.2 agents on line per agent at the peak across a 7-day, 12-hour week
        queues[chat] = (480, 1200, per_site * 0.6 * 0.22)
        queues[voice] = (480, 1200, per_site * 0.4 * 0.22)
        for i in range(per_site):
            skills = (chat,) if i % 10 < 6 else (voice,) if i % 10 < 9 else (chat, voice)
            part = rng.random() < 0.3
            team.append(Agent(f"S{s:02d}A{i:04d}", f"Agent {s}-{i}", skills,
                              16.0 if part else 40.0, 24.0 if part else 40.0, 5,
                              shifts=("part_time",) if part else ("full_time",),
                              team=f"site{s:02d}"))
    settings = dict(SITE_SHIFTS, queues={q: {"open": "08:00", "close": "20:00"}
                                         for q in queues})
    requirements = synthetic_requirements(queues, start="2026-11-02", seed=seed)
    return requirements, team, shift_settings(settings, "benchmark")


def bench_roster(args: argparse.Namespace, client) -> None:
    requirements, team, settings = site_inputs(args.agents, args.sites)
    print(f"\nroster: {len(team):,} agents in {args.sites} sites ({args.sites * 2} queues, "
          f"{len(requirements):,} requirement rows), {args.time_limit:g} s deterministic "
          "time shared by the parts")
    problem, t_build, c_build = timed(
        lambda: build_problem(requirements, team, settings).problem)
    groups = queue_groups(problem)
    sizes = [len(pickle.dumps(subproblem(problem, g, [c.requirement for c in problem.cells])[0]))
             for g in groups]
    run = partial(solve_roster, requirements, team, settings, time_limit=args.time_limit,
                  seed=0, deterministic=True, workers=1)
    here, t_here, c_here = timed(lambda: run())
    peak_here = peak_mb()
    there, t_there, c_there = timed(lambda: run(mapper=partial(run_tasks, client=client)),
                                    client)
    same = here.roster.equals(there.roster)
    workers = len(client.scheduler_info()["workers"])
    print(f"  {len(groups)} independent parts ({here.decomposition.split(' -- ')[0]}); "
          f"building the model here: {t_build:.1f} s wall, {c_build:.1f} CPU s")
    report("in-process", t_here, c_here, f"{peak_here:,.0f} MB")
    report(f"LocalCluster x{workers}", t_there, c_there,
           f"{worker_peaks(client)} MB per worker")
    print(f"  ratio in-process / cluster: wall {t_here / t_there:.2f}x (ideal {workers}x); "
          f"identical roster: {same}; weighted under-staffing {here.under_weighted:,.0f} "
          f"vs {there.under_weighted:,.0f}")
    print(f"  per task (one site): {c_there[1] / len(groups):.1f} CPU s in a worker, "
          f"{np.mean(sizes) / 1e6:.2f} MB sent, "
          f"{len(pickle.dumps(here.roster)) / len(groups) / 1e6:.3f} MB roster returned")
    capped = [p for r in (here, there) for p in r.parts
              if p["seconds"] > 2 * args.time_limit * p["agents"] / len(team) + 8]
    if not same and capped:
        print(f"  (not identical: {len(capped)} part(s) ran past the roster's wall-clock "
              "guard of 2 x their time + 10 s on this loaded machine, which stops a "
              "deterministic solve early; see scheduling/roster/search.py)")
    if args.agents < FULL["agents"]:
        print(f"  (scaled down from {FULL['agents']:,} agents in {FULL['sites']} sites)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queues", type=int, default=FULL["queues"])
    parser.add_argument("--years", type=float, default=FULL["years"])
    parser.add_argument("--model", default="auto")
    parser.add_argument("--agents", type=int, default=FULL["agents"])
    parser.add_argument("--sites", type=int, default=FULL["sites"])
    parser.add_argument("--time-limit", type=float, default=200.0,
                        help="roster solver seconds (deterministic), shared by the parts")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-forecast", action="store_true")
    parser.add_argument("--skip-roster", action="store_true")
    args = parser.parse_args(argv)
    cluster, client = start_cluster(args.workers)
    try:
        print(f"LocalCluster: {args.workers} worker processes x 1 thread; machine cores "
              f"{__import__('os').cpu_count()} (shared with other work: times are noisy)")
        if not args.skip_forecast:
            bench_forecast(args, client)
        if not args.skip_roster:
            bench_roster(args, client)
    finally:
        client.close()
        cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
