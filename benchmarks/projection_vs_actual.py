"""Projected response times against what callers really experienced (Anonymous Bank, Feb 1999).

For each interval of February 1999, pooled over all service types (the bank's agents
serve every queue), the script takes from the call log the calls offered, their mean
talk time and an estimate of the agents on line, projects service level, ASA and
abandonment with Erlang C and with Erlang A, and compares them with the waits the
callers actually had. It prints contact-weighted errors per model.

Offered calls: outcome AGENT, or HANG after entering the agents' queue (q_start not
0:00:00). A call's interval is that of its arrival at the queue (vru_exit for calls
answered without queueing). Actual service level: calls answered within the target
over calls offered (abandoned calls miss it, as in Erlang A and the projection);
ASA: mean wait of answered calls; abandonment: hang-ups in queue over calls offered.

Patience for Erlang A: exponential, estimated by maximum likelihood over the whole
month: abandonments / total seconds all offered callers spent waiting (served callers'
waits are censored patience times).

Agents on line (the log has no log-in records) -- four estimates, `--agents`:
  available (default) talk time plus the idle gaps between an agent's calls shorter
            than `--gap` minutes, less the parts of those gaps when some caller was
            waiting (agents serve all queues first come first served, so an agent
            idle while a caller waits was not on line); agents = those seconds in
            the interval / interval seconds
  sessions  as available, but every idle gap under `--gap` minutes counts as on line
  distinct  agents who talked to a caller during the interval (overstates)
  busy      talk seconds in the interval / interval seconds (carried load; a lower
            bound: it leaves no idle time, so Erlang C sees an overloaded queue)
The headline uses one estimate; a closing table repeats the all-interval errors
for every estimate, since the comparison depends on it.

Not modelled: priority customers served first, talk time without wrap-up, agents'
other work. Run:

    .venv/bin/python benchmarks/projection_vs_actual.py
    .venv/bin/python benchmarks/projection_vs_actual.py --agents distinct --interval 30
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduling import erlang, erlang_a  # noqa: E402

LOG = ROOT.parent / "shared" / "data" / "anonymous_bank_feb1999_calls.tsv"
ZERO = "0:00:00"
ASA_CAP_SECONDS = 600.0
ESTIMATES = ("available", "sessions", "distinct", "busy")


def read_calls(path: Path) -> pd.DataFrame:
    """Offered calls: arrival at the queue, wait, outcome, talk start and seconds, agent."""
    raw = pd.read_csv(path, sep="\t", dtype=str)
    queued = raw["q_start"] != ZERO
    offered = raw[(raw["outcome"] == "AGENT") | ((raw["outcome"] == "HANG") & queued)].copy()
    day = pd.to_datetime("19" + offered["date"], format="%Y%m%d")
    queued = offered["q_start"] != ZERO
    arrival_clock = pd.to_timedelta(offered["q_start"].where(queued, offered["vru_exit"]))
    arrival = day + arrival_clock
    talk_clock = pd.to_timedelta(offered["ser_start"])
    talk_start = day + talk_clock
    # A call answered after midnight: its talk clock is smaller than its arrival clock.
    talk_start = talk_start.where(talk_clock + pd.Timedelta(hours=12) >= arrival_clock,
                                  talk_start + pd.Timedelta(days=1))
    answered = offered["outcome"] == "AGENT"
    wait = np.where(queued, offered["q_time"].astype(float), 0.0)
    return pd.DataFrame({
        "queue": offered["type"].to_numpy(),
        "arrival": arrival.to_numpy(),
        "answered": answered.to_numpy(),
        "wait_seconds": wait,
        "talk_start": talk_start.where(answered).to_numpy(),
        "talk_seconds": np.where(answered, offered["ser_time"].astype(float), 0.0),
        "agent": offered["server"].where(answered & (offered["server"] != "NO_SERVER")).to_numpy(),
    })


def patience_mle(calls: pd.DataFrame) -> float:
    """Mean patience (s) of an exponential fitted to waits, served waits censored."""
    abandoned = int((~calls["answered"]).sum())
    return float(calls["wait_seconds"].sum() / abandoned)


def _overlap(starts: np.ndarray, ends: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Seconds of the segments [start, end) inside each interval [bounds[k], bounds[k+1])."""
    def before(points: np.ndarray, t: np.ndarray) -> np.ndarray:
        p = np.sort(points)
        cs = np.concatenate([[0.0], np.cumsum(p)])
        k = np.searchsorted(p, t, side="left")
        return t * k - cs[k]

    total = before(starts, bounds) - before(ends, bounds)
    return np.diff(total)


def agents_on_line(calls: pd.DataFrame, grid: pd.DatetimeIndex, minutes: int, how: str,
                   gap_minutes: float) -> np.ndarray:
    """Estimated agents on line in each interval of `grid` (see the module docstring)."""
    served = calls[calls["agent"].notna()].copy()
    origin = grid[0]
    length = minutes * 60.0
    start = ((served["talk_start"] - origin) / pd.Timedelta(seconds=1)).to_numpy()
    end = start + served["talk_seconds"].to_numpy()
    bounds = ((grid - origin) / pd.Timedelta(seconds=1)).to_numpy()
    bounds = np.append(bounds, bounds[-1] + length)
    if how == "busy":
        return _overlap(start, end, bounds) / length
    if how == "distinct":
        served["first"] = np.floor(start / length).astype(int)
        served["last"] = np.floor(np.maximum(end - 1e-9, start) / length).astype(int)
        index = {}
        for agent, a, b in served[["agent", "first", "last"]].itertuples(index=False):
            for k in range(a, b + 1):
                index.setdefault(k, set()).add(agent)
        slot = np.floor(bounds[:-1] / length).astype(int)
        return np.array([len(index.get(k, ())) for k in slot], dtype=float)
    if how in ("sessions", "available"):
        served["start"], served["end"] = start, end
        busy_s, busy_e, gap_s, gap_e = [], [], [], []
        for _, rows in served.sort_values("start").groupby("agent"):
            s, e = rows["start"].to_numpy(), rows["end"].to_numpy()
            run_end = np.maximum.accumulate(e)
            busy_s.extend(s)
            busy_e.extend(e)
            gap = s[1:] - run_end[:-1]
            inside = (gap > 0) & (gap <= gap_minutes * 60.0)
            gap_s.extend(run_end[:-1][inside])
            gap_e.extend(s[1:][inside])
        busy_s, busy_e = np.array(busy_s), np.array(busy_e)
        gap_s, gap_e = np.array(gap_s), np.array(gap_e)
        online = _overlap(busy_s, busy_e, bounds) + _overlap(gap_s, gap_e, bounds)
        if how == "available":
            online -= _idle_while_waiting(calls, origin, gap_s, gap_e, bounds)
        return online / length
    raise ValueError(f"unknown agents estimate {how!r}; expected sessions, distinct or busy")


def _idle_while_waiting(calls: pd.DataFrame, origin: pd.Timestamp, gap_s: np.ndarray,
                        gap_e: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Seconds of agents' idle gaps, per interval, during which some caller was waiting."""
    arrive = ((calls["arrival"] - origin) / pd.Timedelta(seconds=1)).to_numpy()
    queued = calls["wait_seconds"].to_numpy() > 0
    ws, we = arrive[queued], arrive[queued] + calls["wait_seconds"].to_numpy()[queued]
    order = np.argsort(ws)
    ws, we = ws[order], np.maximum.accumulate(we[order])
    new = np.concatenate([[True], ws[1:] > we[:-1]])
    ids = np.cumsum(new) - 1
    us = pd.Series(ws).groupby(ids).min().to_numpy()
    ue = pd.Series(we).groupby(ids).max().to_numpy()
    lengths = np.concatenate([[0.0], np.cumsum(ue - us)])

    def waiting_before(t: np.ndarray) -> np.ndarray:
        k = np.searchsorted(us, t, side="right")  # spans starting at or before t
        inside = np.where(k > 0, np.clip(t - us[np.maximum(k - 1, 0)], 0.0,
                                         (ue - us)[np.maximum(k - 1, 0)]), 0.0)
        return lengths[np.maximum(k - 1, 0)] * (k > 0) + inside

    out = np.zeros(bounds.size - 1)
    for a, b in zip(gap_s, gap_e, strict=True):
        k0 = int(np.searchsorted(bounds, a, side="right")) - 1
        k1 = int(np.searchsorted(bounds, b, side="left")) - 1
        for k in range(max(k0, 0), min(k1, bounds.size - 2) + 1):
            lo, hi = max(a, bounds[k]), min(b, bounds[k + 1])
            if hi > lo:
                out[k] += float(waiting_before(np.array([hi]))[0]
                                - waiting_before(np.array([lo]))[0])
    return out


def actual_intervals(calls: pd.DataFrame, minutes: int, target: float) -> pd.DataFrame:
    """Per interval: calls offered, mean talk seconds, and what callers experienced."""
    frame = calls.assign(interval_start=calls["arrival"].dt.floor(f"{minutes}min"))
    frame["within"] = frame["answered"] & (frame["wait_seconds"] <= target)
    frame["answered_wait"] = frame["wait_seconds"].where(frame["answered"])
    frame["talk"] = frame["talk_seconds"].where(frame["answered"])
    out = frame.groupby("interval_start").agg(
        contacts=("answered", "size"), answered=("answered", "sum"), within=("within", "sum"),
        asa_seconds=("answered_wait", "mean"), aht_seconds=("talk", "mean"))
    out["service_level"] = out["within"] / out["contacts"]
    out["abandon_rate"] = 1.0 - out["answered"] / out["contacts"]
    return out.reset_index()


def project(actual: pd.DataFrame, agents: np.ndarray, minutes: int, target: float,
            patience: float) -> dict[str, pd.DataFrame]:
    """Projected service level, ASA and abandonment per interval by each model."""
    c, h, L = actual["contacts"], actual["aht_seconds"].fillna(0.0), minutes * 60.0
    out = {}
    out["Erlang C"] = pd.DataFrame({
        "service_level": erlang.service_level(c, h, L, agents, target),
        "asa_seconds": erlang.asa_seconds(c, h, L, agents),
        "abandon_rate": np.zeros(len(actual)),
    })
    a = erlang_a.erlang_a(c, h, L, agents, patience, target)
    out["Erlang A"] = pd.DataFrame({
        "service_level": np.asarray(a.service_level, dtype=float),
        "asa_seconds": np.asarray(a.asa_seconds, dtype=float),
        "abandon_rate": np.asarray(a.abandon_rate, dtype=float),
    })
    return out


def errors(actual: pd.DataFrame, projected: pd.DataFrame, mask: np.ndarray) -> dict[str, float]:
    """Contact-weighted mean absolute (and signed) errors over the intervals in `mask`."""
    w = actual["contacts"].to_numpy(dtype=float) * mask
    asa_w = actual["answered"].to_numpy(dtype=float) * mask
    sl_err = projected["service_level"].to_numpy() - actual["service_level"].to_numpy()
    ab_err = projected["abandon_rate"].to_numpy() - actual["abandon_rate"].to_numpy()
    asa_p = np.minimum(np.nan_to_num(projected["asa_seconds"].to_numpy(), nan=np.inf),
                       ASA_CAP_SECONDS)
    asa_err = asa_p - actual["asa_seconds"].fillna(0.0).to_numpy()
    return {
        "sl_mae_points": 100 * np.sum(w * np.abs(sl_err)) / w.sum(),
        "sl_bias_points": 100 * np.sum(w * sl_err) / w.sum(),
        "asa_mae_seconds": np.sum(asa_w * np.abs(asa_err)) / asa_w.sum(),
        "asa_bias_seconds": np.sum(asa_w * asa_err) / asa_w.sum(),
        "abandon_mae_points": 100 * np.sum(w * np.abs(ab_err)) / w.sum(),
        "abandon_bias_points": 100 * np.sum(w * ab_err) / w.sum(),
        "unstable_share": float(np.sum(w * ~np.isfinite(projected["asa_seconds"].to_numpy()))
                                / w.sum()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--log", type=Path, default=LOG)
    parser.add_argument("--interval", type=int, choices=(15, 30, 60), default=60,
                        help="interval minutes (default 60)")
    parser.add_argument("--target", type=float, default=20.0,
                        help="service-level target seconds (default 20)")
    parser.add_argument("--agents", choices=ESTIMATES, default="available",
                        help="agents-on-line estimate (default available)")
    parser.add_argument("--gap", type=float, default=15.0,
                        help="idle minutes that end an agent's session (default 15)")
    parser.add_argument("--min-contacts", type=int, default=10,
                        help="intervals with fewer calls offered are left out (default 10)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    calls = read_calls(args.log)
    patience = patience_mle(calls)
    actual = actual_intervals(calls, args.interval, args.target)
    grid = pd.DatetimeIndex(actual["interval_start"])
    agents = agents_on_line(calls, grid, args.interval, args.agents, args.gap)
    keep = (actual["contacts"] >= args.min_contacts).to_numpy() & (agents > 0)
    actual, agents = actual[keep].reset_index(drop=True), agents[keep]
    projected = project(actual, agents, args.interval, args.target, patience)

    offered = int(actual["contacts"].sum())
    abandon_any = actual["abandon_rate"].to_numpy() >= 0.10
    print(f"Anonymous Bank, February 1999, all service types pooled; {args.interval}-minute "
          f"intervals with >= {args.min_contacts} calls: {len(actual)} intervals, "
          f"{offered} calls offered ({len(calls)} in the month)")
    print(f"agents on line: {args.agents} estimate"
          + (f" (session ends after {args.gap:g} idle minutes)" if args.agents == "sessions"
             else "") + f"; mean {agents.mean():.1f} per interval")
    print(f"patience (exponential MLE): {patience:.0f} s; target {args.target:g} s; "
          f"projected ASA capped at {ASA_CAP_SECONDS:.0f} s for the error")
    w = actual["contacts"]
    sl = 100 * np.average(actual["service_level"], weights=w)
    asa = np.average(actual["asa_seconds"].fillna(0), weights=actual["answered"])
    print(f"actual (contact-weighted): service level {sl:.1f}%, ASA {asa:.1f} s, "
          f"abandonment {100 * np.average(actual['abandon_rate'], weights=w):.1f}%")
    for label, mask in (("all intervals", np.ones(len(actual), dtype=bool)),
                        ("intervals with >= 10% abandonment", abandon_any)):
        print(f"\n{label} ({int(mask.sum())} intervals, "
              f"{int(actual['contacts'][mask].sum())} calls):")
        print(f"  {'model':<9} {'SL MAE':>8} {'SL bias':>8} {'ASA MAE':>8} {'ASA bias':>9} "
              f"{'aband MAE':>10} {'aband bias':>11} {'unstable':>9}")
        for model, frame in projected.items():
            e = errors(actual, frame, mask)
            print(f"  {model:<9} {e['sl_mae_points']:7.1f}p {e['sl_bias_points']:+7.1f}p "
                  f"{e['asa_mae_seconds']:7.1f}s {e['asa_bias_seconds']:+8.1f}s "
                  f"{e['abandon_mae_points']:9.1f}p {e['abandon_bias_points']:+10.1f}p "
                  f"{100 * e['unstable_share']:8.1f}%")
    print("\nevery agents estimate, all intervals (MAE: SL points / ASA s / abandonment "
          "points):")
    every = actual_intervals(calls, args.interval, args.target)
    for how in ESTIMATES:
        est = agents_on_line(calls, pd.DatetimeIndex(every["interval_start"]), args.interval,
                             how, args.gap)
        ok = (every["contacts"] >= args.min_contacts).to_numpy() & (est > 0)
        act = every[ok].reset_index(drop=True)
        cells = []
        for model, frame in project(act, est[ok], args.interval, args.target,
                                    patience).items():
            e = errors(act, frame, np.ones(len(act), dtype=bool))
            cells.append(f"{model} {e['sl_mae_points']:5.1f} / {e['asa_mae_seconds']:5.1f} / "
                         f"{e['abandon_mae_points']:4.1f}")
        print(f"  {how:<10} mean {est[ok].mean():4.1f} agents   " + "   ".join(cells))
    print(f"\n(p = percentage points; unstable = share of calls in intervals where the model "
          f"sees agents <= load; {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
