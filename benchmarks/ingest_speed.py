"""How fast does `wfm ingest` import a large contact log?

Generates a 5-million-row contact log in the Anonymous Bank format (fixed
seed, in a temporary folder), imports it with `forecasting.history.ingest`
(profile recognised from the headers, 30-minute intervals), and times a
plain-pandas baseline doing the same core work in the same run:
`pd.read_csv` + `pd.to_datetime` + outcome rules + groupby. Both results are
checked to agree on the per-queue totals.

    nice -n 10 .venv/bin/python benchmarks/ingest_speed.py [--rows 5000000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from forecasting.history import ingest

QUEUES = np.array(["PS", "NW", "NE", "TT", "IN", "PE"])
QUEUE_SHARE = np.array([0.64, 0.23, 0.08, 0.03, 0.01, 0.01])
AGENTS = np.array([f"AGENT{i:03d}" for i in range(120)] + ["NO_SERVER"])


def make_log(path: Path, rows: int, seed: int = 1999) -> None:
    """Write a synthetic Anonymous-Bank-style log with `rows` calls over one year."""
    rng = np.random.default_rng(seed)
    day = rng.integers(0, 365, rows)
    hour_weights = np.exp(-0.5 * ((np.arange(24) - 13) / 4.0) ** 2)
    hour = rng.choice(24, rows, p=hour_weights / hour_weights.sum())
    second_of_day = hour * 3600 + rng.integers(0, 3600, rows)
    entry = np.datetime64("1999-01-01T00:00:00") + (day * 86400 + second_of_day).astype(
        "timedelta64[s]")
    vru_time = rng.integers(1, 30, rows)
    outcome = rng.choice(np.array(["AGENT", "HANG", "PHANTOM"]), rows, p=[0.81, 0.18, 0.01])
    queued = rng.random(rows) < 0.6
    q_time = np.where(queued, rng.exponential(40, rows).astype(np.int64), 0)
    ser_time = np.where(outcome == "AGENT", rng.gamma(1.5, 100, rows).astype(np.int64), 0)
    vru_exit = entry + vru_time.astype("timedelta64[s]")
    q_exit = vru_exit + q_time.astype("timedelta64[s]")
    ser_exit = q_exit + ser_time.astype("timedelta64[s]")
    zero = pa.array(np.full(rows, "0:00:00"))

    def clock(values: np.ndarray, keep: np.ndarray | None = None) -> pa.Array:
        text = pc.strftime(pa.array(values.astype("datetime64[s]")), format="%H:%M:%S")
        text = pc.replace_substring_regex(text, r"^0(\d)", r"\1")  # 7:02:47 as in the log
        return text if keep is None else pc.if_else(pa.array(keep), text, zero)

    table = pa.table({
        "vru+line": pa.array(np.char.add("AA", (rng.integers(101, 117, rows)).astype(str))),
        "call_id": pa.array(np.arange(rows) + 10_000_000),
        "customer_id": pa.array(rng.integers(0, 99_999_999, rows)),
        "priority": pa.array(rng.integers(0, 3, rows)),
        "type": pa.array(rng.choice(QUEUES, rows, p=QUEUE_SHARE)),
        "date": pc.strftime(pa.array(entry), format="%y%m%d"),
        "vru_entry": clock(entry),
        "vru_exit": clock(vru_exit),
        "vru_time": pa.array(vru_time),
        "q_start": clock(vru_exit, queued),
        "q_exit": clock(q_exit, queued),
        "q_time": pa.array(q_time),
        "outcome": pa.array(outcome),
        "ser_start": clock(q_exit, outcome == "AGENT"),
        "ser_exit": clock(ser_exit, outcome == "AGENT"),
        "ser_time": pa.array(ser_time),
        "server": pa.array(np.where(outcome == "AGENT", rng.choice(AGENTS, rows), "NO_SERVER")),
    })
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(delimiter="\t",
                                                                   quoting_style="none"))


def pandas_baseline(path: Path) -> pd.DataFrame:
    """Plain pandas: read, apply the outcome rules, parse times, group per queue/interval."""
    log = pd.read_csv(path, sep="\t", dtype=str, usecols=[
        "type", "date", "vru_entry", "q_start", "q_time", "outcome", "ser_time", "server"])
    offered = (log["outcome"] == "AGENT") | ((log["outcome"] == "HANG")
                                             & (log["q_start"] != "0:00:00"))
    log = log[offered]
    start = pd.to_datetime(log["date"] + " " + log["vru_entry"], format="%y%m%d %H:%M:%S")
    answered = log["outcome"] == "AGENT"
    frame = pd.DataFrame({
        "queue": log["type"], "interval_start": start.dt.floor("30min"),
        "answered": answered,
        "handle": log["ser_time"].astype(float).where(answered),
        "wait": log["q_time"].astype(float).where(answered),
    })
    return frame.groupby(["queue", "interval_start"]).agg(
        contacts=("answered", "size"), answered=("answered", "sum"),
        aht_seconds=("handle", "mean"), asa_seconds=("wait", "mean")).reset_index()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wfm-ingest-bench-") as tmp:
        path = Path(tmp) / "calls.tsv"
        t0 = time.perf_counter()
        make_log(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows ({size_mb:,.0f} MB) in "
              f"{time.perf_counter() - t0:.1f} s")

        t0 = time.perf_counter()
        result = ingest(path, interval="30min")
        ours = time.perf_counter() - t0
        print(result.summary)

        t0 = time.perf_counter()
        baseline = pandas_baseline(path)
        theirs = time.perf_counter() - t0

    totals = result.history.groupby("queue")["contacts"].sum()
    check = baseline.groupby("queue")["contacts"].sum()
    assert totals.loc[check.index].equals(check), "per-queue totals differ from the baseline"
    print(f"wfm ingest:      {ours:6.1f} s  ({args.rows / ours:,.0f} rows/s)")
    print(f"pandas baseline: {theirs:6.1f} s  ({args.rows / theirs:,.0f} rows/s)")
    print(f"speed-up over plain pandas: {theirs / ours:.1f}x (per-queue totals agree)")


if __name__ == "__main__":
    main()
