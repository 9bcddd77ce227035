"""How good and how fast are our rosters?

(a) A generated contact-centre week (120 agents, 3 queues, 15-minute intervals) solved
    in --time-limit seconds: under-staffing against the solver's lower bound, and the
    same requirements given to pyworkforce's MinAbsDifference and MinRequiredResources
    (run in a subprocess from benchmarks/.venv-pyworkforce, created on first use;
    pyworkforce is not a project dependency). pyworkforce sizes shift counts per queue
    with no breaks, no individual agents and no labour rules, so its figures are an
    optimistic reference, not a like-for-like roster.
(b) Curtois benchmark instances through the same engine: objective / best known
    (engine solve for 20% of the time, roster LNS for the rest; --lns-share 0 for
    the engine alone).
(c) A week for 300 agents and 5 queues, timed.
(d) The time cap: teams of 100, 300 and 1,000 agents (5 teams, so the largest is
    solved team by team) at --cap-limit seconds, on deterministic time and on the
    wall clock: each solve's wall seconds against its cap of 2 x limit + 10 s (issue
    #21), the ratio, whether the result reports the overshoot, and checker violations.
    A loaded machine inflates the times: the load average is printed.

Usage:
  nice -n 10 .venv/bin/python benchmarks/roster_quality.py --part a
  nice -n 10 .venv/bin/python benchmarks/roster_quality.py --part b --instances 1-12
  nice -n 10 .venv/bin/python benchmarks/roster_quality.py --part b --lns-share 0  (no LNS)
  nice -n 10 .venv/bin/python benchmarks/roster_quality.py --part b --deterministic  (repeatable)
  nice -n 10 .venv/bin/python benchmarks/roster_quality.py --part c
  nice -n 10 .venv/bin/python benchmarks/roster_quality.py --part d --cap-limit 10
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduling.roster.checker import check_curtois_roster, check_roster  # noqa: E402
from scheduling.roster.curtois import (  # noqa: E402
    COLUMN_SHARE,
    LNS_SHARE,
    read_instance,
    solve_instance,
)
from scheduling.roster.solve import solve_roster  # noqa: E402
from scheduling.roster.synthetic import (  # noqa: E402
    STANDARD_SHIFTS,
    synthetic_agents,
    synthetic_requirements,
)
from scheduling.roster.templates import shift_settings  # noqa: E402

RULES_DATA = ROOT.parent / "shared" / "data" / "rostering"
BEST_KNOWN = {1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300, 9: 439,
              10: 4631, 11: 3443, 12: 4040, 13: 1348, 14: 1278, 15: 3834, 16: 3225,
              17: 5746, 18: 4459, 19: 3149, 20: 4943, 21: 21159, 22: 33155, 23: 17428,
              24: 48777}
PWF_VENV = ROOT / "benchmarks" / ".venv-pyworkforce"

QUEUES_A = {"presales_chat": (480, 1440, 17.0), "aftersales_chat": (480, 1440, 13.0),
            "order_hotline": (540, 1260, 12.0)}
MIX_A = [(("presales_chat",), 0.3), (("aftersales_chat",), 0.25), (("order_hotline",), 0.2),
         (("presales_chat", "aftersales_chat"), 0.15),
         (("aftersales_chat", "order_hotline"), 0.1)]


def settings_for(queues: dict[str, tuple[int, int, float]], priorities: dict[str, int]):
    raw = dict(STANDARD_SHIFTS)
    raw["queues"] = {q: {"open": f"{o // 60:02d}:{o % 60:02d}",
                         "close": f"{c // 60:02d}:{c % 60:02d}", "priority": priorities[q]}
                     for q, (o, c, _) in queues.items()}
    return shift_settings(raw, "benchmark")


PWF_SCRIPT = r"""
import json, sys
from pyworkforce.scheduling import MinAbsDifference, MinRequiredResources
job = json.load(sys.stdin)
out = {}
for name, cls in (("MinAbsDifference", MinAbsDifference),
                  ("MinRequiredResources", MinRequiredResources)):
    res = {}
    for q, spec in job.items():
        s = cls(num_days=spec["days"], periods=spec["periods"],
                shifts_coverage=spec["shifts"], required_resources=spec["required"],
                max_period_concurrency=spec["agents"], max_shift_concurrency=spec["agents"],
                max_search_time=spec["time"], num_search_workers=2)
        sol = s.solve()
        res[q] = {"status": str(sol.get("status")), "shifts": sol.get("resources_shifts", [])}
    out[name] = res
print(json.dumps(out))
"""


def _ensure_pyworkforce() -> Path | None:
    py = PWF_VENV / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PWF_VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "pyworkforce"], check=False)
    ok = subprocess.run([str(py), "-c", "import pyworkforce"], capture_output=True)
    return py if ok.returncode == 0 else None


def part_a(time_limit: float, seed: int, demand: float = 1.0) -> None:
    queues = {q: (o, c, peak * demand) for q, (o, c, peak) in QUEUES_A.items()}
    req = synthetic_requirements(queues, start="2026-10-19", seed=seed)
    agents = synthetic_agents(120, MIX_A, part_time_share=0.3, seed=seed)
    st = settings_for(QUEUES_A, {"presales_chat": 3, "aftersales_chat": 2,
                                 "order_hotline": 3})
    t = time.monotonic()
    res = solve_roster(req, agents, st, time_limit=time_limit, seed=seed,
                       deterministic=False)
    wall = time.monotonic() - t
    bad = check_roster(res.roster, agents, st, "2026-10-19", 7)
    need = np.ceil(req["staff"] - 1e-9).sum() / 4
    print(f"(a) 120 agents, 3 queues, 15-min intervals, demand x{demand}; staff need "
          f"{need:.0f} agent-hours")
    print(f"    ours: {wall:.1f} s wall, status {res.status}, checker violations {len(bad)}")
    rows = [("ours (CP-SAT roster)", res.under_hours, res.over_hours, res.paid_hours)]
    print(f"    weighted under-staffing {res.under_weighted:.0f}, solver lower bound "
          f"{res.under_bound:.0f}, gap {100 * res.gap:.1f}% (target <= 3%)")
    py = _ensure_pyworkforce()
    if py is None:
        print("    pyworkforce could not be installed; comparison skipped")
    else:
        rows += _pyworkforce(py, req, agents, st, time_limit)
    print(f"    {'method':28s} {'under h':>9s} {'over h':>9s} {'paid h':>9s}")
    for name, u, o, p in rows:
        print(f"    {name:28s} {u:9.1f} {o:9.1f} {p:9.1f}")


def _pyworkforce(py: Path, req: pd.DataFrame, agents, st, time_limit: float) -> list:
    origin = pd.Timestamp("2026-10-19")
    days, periods = 7, 96
    job, need = {}, {}
    for q, grp in req.groupby("queue"):
        grid = np.zeros((days, periods), dtype=int)
        for ts, v in zip(grp["interval_start"], grp["staff"], strict=True):
            k = int((ts - origin) / pd.Timedelta(minutes=15))
            grid[k // periods, k % periods] = math.ceil(v - 1e-9)
        need[q] = grid
        qh = st.queues[q]
        shifts = {}
        for t in st.templates:
            for s in t.starts():
                for length in t.lengths:
                    if s >= qh.open and s + length <= qh.close:
                        cov = [0] * periods
                        for m in range(s, s + length, 15):
                            cov[m // 15] = 1
                        shifts[f"{t.name}@{s}+{length}"] = cov
        job[q] = {"days": days, "periods": periods, "shifts": shifts,
                  "required": grid.tolist(), "time": time_limit / 6,
                  "agents": sum(1 for a in agents if q in a.queues)}
    t = time.monotonic()
    run = subprocess.run([str(py), "-c", PWF_SCRIPT], input=json.dumps(job),
                         capture_output=True, text=True)
    if run.returncode != 0:
        print("    pyworkforce failed:", run.stderr.strip().splitlines()[-1:])
        return []
    out = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"    pyworkforce: {time.monotonic() - t:.1f} s wall for both methods")
    rows = []
    for name, per_q in out.items():
        under = over = paid = 0.0
        for q, r in per_q.items():
            have = np.zeros((days, periods), dtype=int)
            for s in r["shifts"]:
                cov = np.array(job[q]["shifts"][s["shift"]])
                have[int(s["day"])] += cov * int(s["resources"])
                paid += int(s["resources"]) * cov.sum() / 4
            under += np.clip(need[q] - have, 0, None).sum() / 4
            over += np.clip(have - need[q], 0, None).sum() / 4
        rows.append((f"pyworkforce {name}", under, over, paid))
    return rows


def part_b(instances: list[int], time_limit: float, seed: int,
           lns_share: float = LNS_SHARE, deterministic: bool = False,
           column_share: float = COLUMN_SHARE) -> None:
    clock = "deterministic" if deterministic else "wall-clock"
    column_share = min(column_share, lns_share)
    print(f"(b) Curtois instances, {time_limit:.0f} {clock} s each: {1 - lns_share:.0%} the "
          f"engine, {column_share:.0%} column generation and its dive, "
          f"{lns_share - column_share:.0%} roster LNS; bound = the best lower bound found")
    print(f"    {'instance':10s} {'objective':>10s} {'best':>8s} {'ratio':>7s} {'bound':>8s} "
          f"{'hard ok':>8s} {'seconds':>8s}")
    ratios = []
    for i in instances:
        inst = read_instance(RULES_DATA / f"Instance{i}.txt")
        t = time.monotonic()
        roster, obj, sol = solve_instance(inst, time_limit=time_limit, seed=seed,
                                          deterministic=deterministic, lns_share=lns_share,
                                          column_share=column_share)
        wall = time.monotonic() - t
        ok = not check_curtois_roster(inst, roster)
        ratio = obj / BEST_KNOWN[i]
        ratios.append(ratio)
        print(f"    Instance{i:<2d} {obj:10d} {BEST_KNOWN[i]:8d} {ratio:7.3f} {sol.bound:8.0f} "
              f"{'yes' if ok else 'NO':>8s} {wall:8.1f}", flush=True)
    gm = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"    geometric mean objective / best known: {gm:.3f} (target <= 1.05)")


def part_c(time_limit: float, seed: int) -> None:
    queues = {"presales_chat": (480, 1440, 26.0), "aftersales_chat": (480, 1440, 20.0),
              "order_hotline": (540, 1260, 18.0), "email": (480, 1200, 8.0),
              "vip_hotline": (540, 1260, 6.0)}
    mix = [(("presales_chat",), 0.25), (("aftersales_chat",), 0.2), (("order_hotline",), 0.2),
           (("email",), 0.05), (("vip_hotline",), 0.05),
           (("presales_chat", "aftersales_chat"), 0.1), (("aftersales_chat", "email"), 0.05),
           (("order_hotline", "vip_hotline"), 0.1)]
    req = synthetic_requirements(queues, start="2026-10-19", seed=seed)
    agents = synthetic_agents(300, mix, part_time_share=0.3, seed=seed)
    st = settings_for(queues, dict.fromkeys(queues, 2))
    t = time.monotonic()
    res = solve_roster(req, agents, st, time_limit=time_limit, seed=seed,
                       deterministic=False)
    wall = time.monotonic() - t
    bad = check_roster(res.roster, agents, st, "2026-10-19", 7)
    print(f"(c) 300 agents, 5 queues: {wall:.1f} s wall (limit 180), {res.decomposition}, "
          f"status {res.status}, {len(res.roster)} shifts, under {res.under_hours:.1f} h, "
          f"over {res.over_hours:.1f} h, checker violations {len(bad)}")


def part_d(time_limit: float, seed: int, sizes: tuple[int, ...] = (100, 300, 1000)) -> None:
    queues = {"presales_chat": (480, 1440, 17.0), "aftersales_chat": (480, 1440, 13.0),
              "order_hotline": (540, 1260, 12.0)}
    st = settings_for(queues, dict.fromkeys(queues, 2))
    print(f"(d) time cap, limit {time_limit:g} s (cap {2 * time_limit + 10:g} s); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"    {'agents':>6s} {'clock':>13s} {'wall s':>7s} {'cap s':>6s} {'ratio':>6s} "
          f"{'reported':>8s} {'violations':>10s}  how")
    for n in sizes:
        scale = n / 120
        req = synthetic_requirements({q: (o, c, peak * scale) for q, (o, c, peak)
                                      in queues.items()}, start="2026-10-19", seed=seed)
        agents = synthetic_agents(n, MIX_A, part_time_share=0.3, seed=seed, teams=5)
        for deterministic in (True, False):
            t = time.monotonic()
            res = solve_roster(req, agents, st, time_limit=time_limit, seed=seed,
                               deterministic=deterministic)
            wall = time.monotonic() - t
            bad = check_roster(res.roster, agents, st, "2026-10-19", 7)
            cap = res.cap_seconds
            print(f"    {n:6d} {'deterministic' if deterministic else 'wall clock':>13s} "
                  f"{wall:7.1f} {cap:6.0f} {wall / cap:6.2f} "
                  f"{'over' if res.over_cap else 'within':>8s} {len(bad):10d}  "
                  f"{res.decomposition[:60]}", flush=True)
    print(f"    load average after: {os.getloadavg()[0]:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["a", "b", "c", "d", "all"], default="all")
    ap.add_argument("--cap-limit", type=float, default=10.0,
                    help="part (d): the time limit whose cap is checked")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--instances", default="1-12", help="e.g. 1-12 or 1,2,5")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--demand", type=float, default=1.0,
                    help="scale the generated requirements of part (a)")
    ap.add_argument("--lns-share", type=float, default=LNS_SHARE,
                    help="share of each Curtois solve after the engine's: column generation, "
                         "then the roster LNS (0: the engine alone)")
    ap.add_argument("--column-share", type=float, default=COLUMN_SHARE,
                    help="share of each Curtois solve for column generation and its dive "
                         "(0: none), taken from --lns-share")
    ap.add_argument("--deterministic", action="store_true",
                    help="part (b) on CP-SAT's deterministic time: repeatable, so ideas can "
                         "be compared on a loaded machine (the target is on the wall clock)")
    args = ap.parse_args()
    if "-" in args.instances:
        lo, hi = (int(v) for v in args.instances.split("-"))
        instances = list(range(lo, hi + 1))
    else:
        instances = [int(v) for v in args.instances.split(",")]
    if args.part in ("a", "all"):
        part_a(args.time_limit, args.seed, args.demand)
    if args.part in ("b", "all"):
        part_b(instances, args.time_limit, args.seed, args.lns_share, args.deterministic,
               args.column_share)
    if args.part in ("c", "all"):
        part_c(max(args.time_limit, 120.0), args.seed)
    if args.part in ("d", "all"):
        part_d(args.cap_limit, args.seed)


if __name__ == "__main__":
    main()
