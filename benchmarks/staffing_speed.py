"""Staffing speed and agreement: our vectorised Erlang C against pyworkforce's ErlangC.

Run:  nice -n 10 .venv/bin/python benchmarks/staffing_speed.py

Times the requirement (agents for 80% in 20 s, max occupancy 85%, staff after 30%
shrinkage) for 10,000 and 1,000,000 random 30-minute intervals (1-500 contacts,
AHT 60-600 s, seeded), in one run, and prints the ratio to pyworkforce.

pyworkforce is not a project dependency: it runs in a subprocess from its own
virtualenv, `benchmarks/.venv-pyworkforce` (created with `pip install pyworkforce`
on first run; gitignored). pyworkforce loops in pure Python, one interval at a
time, so it is timed on the 10,000 intervals (and on a 10,000-interval sample of
the million) and its million-interval time is extrapolated per interval; the
output says so.

Times are CPU seconds (time.process_time, best of three for ours) so that other
work on a shared machine does not skew the ratio; our wall time is printed too.

Agreement: agent counts are compared on every interval pyworkforce ran; where
they differ, a 50-digit decimal reference decides who is right.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from decimal import Decimal, getcontext
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduling.erlang import requirement, staff_for_agents  # noqa: E402

VENV = ROOT / "benchmarks" / ".venv-pyworkforce"
INTERVAL = 1800.0
SERVICE_LEVEL, TARGET, MAX_OCC, SHRINKAGE = 0.8, 20.0, 0.85, 0.3

CHILD = r"""
import sys, time, numpy as np
from pyworkforce.queuing import ErlangC
data = np.load(sys.argv[1])
contacts, aht = data["contacts"], data["aht"]
sl, target, occ, shrink, interval = (float(v) for v in data["params"])
agents = np.zeros(contacts.size, dtype=np.int64)
staff = np.zeros(contacts.size, dtype=np.int64)
start = time.process_time()
for i in range(contacts.size):
    r = ErlangC(transactions=float(contacts[i]), aht=float(aht[i]), asa=target,
                interval=interval, shrinkage=shrink).required_positions(
        service_level=sl, max_occupancy=occ)
    agents[i] = r["raw_positions"]
    staff[i] = r["positions"]
elapsed = time.process_time() - start
np.savez(sys.argv[2], agents=agents, staff=staff, elapsed=elapsed)
"""


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV} with pyworkforce (one time) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pyworkforce"], check=True)
    return python


def inputs(size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(1, 501, size).astype(float), rng.integers(60, 601, size).astype(float)


def ours(contacts: np.ndarray, aht: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Agents and staff (with service level, ASA, occupancy as pyworkforce gives);
    best of three runs, CPU seconds and wall seconds."""
    cpu = wall = float("inf")
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        r = requirement(contacts, aht, INTERVAL, service_level=SERVICE_LEVEL,
                        target_seconds=TARGET, max_occupancy=MAX_OCC, fractional=False)
        staff = staff_for_agents(r.agents, SHRINKAGE)
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start)
    return r.agents, staff, cpu, wall


def pyworkforce(python: Path, contacts: np.ndarray, aht: np.ndarray) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.npz", Path(tmp) / "out.npz"
        np.savez(src, contacts=contacts, aht=aht,
                 params=np.array([SERVICE_LEVEL, TARGET, MAX_OCC, SHRINKAGE, INTERVAL]))
        subprocess.run([str(python), "-c", CHILD, str(src), str(out)], check=True)
        res = np.load(out)
        return res["agents"], res["staff"], float(res["elapsed"])


def reference_agents(contacts: float, aht: float) -> int:
    """Least agents meeting the targets, in 50-digit decimals (exact rational caps)."""
    getcontext().prec = 50
    exact = Fraction(int(contacts) * int(aht), int(INTERVAL))
    a = Decimal(int(contacts) * int(aht)) / Decimal(int(INTERVAL))
    b, n = Decimal(1), 0
    goal = Decimal(str(SERVICE_LEVEL))
    while True:
        n += 1
        b = a * b / (n + a * b)
        if n <= exact or exact / n > Fraction(str(MAX_OCC)):
            continue
        c = n * b / (n - a * (1 - b))
        if 1 - c * (-(n - a) * Decimal(str(TARGET)) / Decimal(int(aht))).exp() >= goal:
            return n


def reference_staff(agents: int) -> int:
    return int(np.ceil(Fraction(agents) / (1 - Fraction(str(SHRINKAGE)))))


def agreement(contacts, aht, our_agents, our_staff, pw_agents, pw_staff, limit=300) -> dict:
    differ = np.flatnonzero(our_agents != pw_agents)
    checked = differ[:limit]
    ours_right = pw_right = 0
    for i in checked:
        ref = reference_agents(contacts[i], aht[i])
        ours_right += int(our_agents[i] == ref)
        pw_right += int(pw_agents[i] == ref)
    staff_differ = np.flatnonzero(our_staff != pw_staff)
    same_agents = [i for i in staff_differ[:limit] if our_agents[i] == pw_agents[i]]
    staff_ours_right = sum(int(our_staff[i] == reference_staff(int(our_agents[i])))
                           for i in same_agents)
    return {
        "intervals": int(contacts.size),
        "agents_identical": int(contacts.size - differ.size),
        "agents_differ": int(differ.size),
        "differences_checked": int(checked.size),
        "ours_right": ours_right,
        "pyworkforce_right": pw_right,
        "staff_differ": int(staff_differ.size),
        "staff_differ_same_agents_checked": len(same_agents),
        "staff_differ_ours_right": staff_ours_right,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sample", type=int, default=10_000,
                        help="intervals pyworkforce is timed on for the million")
    args = parser.parse_args()
    python = ensure_venv()
    report = {}
    for size in (10_000, 1_000_000):
        contacts, aht = inputs(size, args.seed + size)
        our_agents, our_staff, our_time, our_wall = ours(contacts, aht)
        n_pw = min(size, args.sample)
        pw_agents, pw_staff, pw_time = pyworkforce(python, contacts[:n_pw], aht[:n_pw])
        pw_total = pw_time * size / n_pw
        extrapolated = n_pw < size
        agree = agreement(contacts[:n_pw], aht[:n_pw], our_agents[:n_pw], our_staff[:n_pw],
                          pw_agents, pw_staff)
        report[size] = {"ours_cpu_seconds": our_time, "ours_wall_seconds": our_wall,
                        "pyworkforce_cpu_seconds": pw_total,
                        "pyworkforce_extrapolated_from": n_pw if extrapolated else None,
                        "speedup": pw_total / our_time, **agree}
        note = (f" (extrapolated from {n_pw:,} intervals timed)" if extrapolated else "")
        print(f"{size:>9,} intervals: ours {our_time:7.3f} s CPU ({our_wall:.3f} s wall) | "
              f"pyworkforce {pw_total:8.1f} s CPU{note} | {pw_total / our_time:6.0f}x faster")
        print(f"           agents identical on {agree['agents_identical']:,} of "
              f"{agree['intervals']:,}; {agree['agents_differ']} differ, of "
              f"{agree['differences_checked']} checked against the decimal reference ours "
              f"right {agree['ours_right']}, pyworkforce right {agree['pyworkforce_right']}")
        print(f"           staff differs on {agree['staff_differ']:,} intervals; where the "
              f"agents agree ({agree['staff_differ_same_agents_checked']} checked) ours is "
              f"the exact ceiling on {agree['staff_differ_ours_right']} (pyworkforce rounds "
              f"agents / (1 - shrinkage) in floating point: 14 / 0.7 -> 21)")
    print(json.dumps({str(k): v for k, v in report.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
