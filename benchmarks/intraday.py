"""Intraday: reforecast accuracy against the week-ahead forecast, and the re-plan of a
planted surge day on the sample.

1. On the US bank 2003 calls (summed to 30 minutes, NYSE calendar) and the ED
   arrivals (hourly, US calendar): each of the last eight weeks is forecast one week
   ahead (`profile`, rolling origin, as `benchmarks/forecast_accuracy.py`); on every
   day, reforecasts made at 10:00, 12:00 and 14:00 from that day's actuals so far
   (rules learnt from the history before the week) are scored on the rest of the day
   against the week-ahead forecast: interval WAPE, and the ratio (target <= 0.85).
   Two bounds beside it: the week-ahead forecast scaled by the rest of the day's true
   total (no level correction beats it) and the Poisson noise left if that scaled
   forecast were each interval's true mean. `(f)` rows: the rules learn on the
   backtest's week-ahead forecasts of all earlier weeks instead of the stand-in.
2. On the bundled sample: the week of 2026-10-19 is forecast, staffed and rostered
   (the 200-agent sample); on Wednesday 2026-10-21 one chat queue gets 40% more contacts from
   10:00. At 12:00 the day is reforecast from the actuals so far and re-planned; the
   rest-of-day service level of the roster before and after, both projected against
   the surge as it really is, and the share of agents whose day changes
   (targets: +10 points, <= 10%); reforecast + re-plan timed (target <= 30 s). Three
   variants: the tool's defaults (the event rule as learnt; paid overtime within the
   labour rules, 8 h a week and 2 h a day above the contract), an event day (the
   planner's `--event-sd 3`), and the learnt rule within contract hours only
   (`--overtime-hours-week 0`). Then a day that runs to plan (no surge): how many
   agents the re-plan would change (it should leave the day alone). The week's roster
   and the re-plan are solved on deterministic time, so runs repeat (the roster's
   fingerprint is printed) unless a wall-clock cap cuts a solve on a loaded machine.

    nice -n 10 .venv/bin/python benchmarks/intraday.py [--no-sample] [--no-series]
        [--roster=PATH]

`--roster=PATH` reads the week's roster from PATH when it exists and writes it there
otherwise: the roster solve stops on deterministic time but some of its stages have
wall-clock caps, so on a loaded machine two runs may roster the week differently;
with the same roster the re-plan's figures repeat exactly.
"""

from __future__ import annotations

import hashlib
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting.backtest import cross_validate  # noqa: E402
from forecasting.calendar import Calendar  # noqa: E402
from forecasting.events import read_events  # noqa: E402
from forecasting.forecaster import forecast as make_forecast  # noqa: E402
from forecasting.intraday import FIT_DAYS, fit_intraday, reforecast  # noqa: E402
from scheduling.intraday import ReplanOptions, replan, rest_of_day  # noqa: E402
from scheduling.projection import rollup  # noqa: E402
from scheduling.queue_settings import read_queue_settings  # noqa: E402
from scheduling.roster import read_agents, read_shifts, solve_roster  # noqa: E402
from scheduling.staffing import requirements  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SAMPLE = ROOT / "data" / "sample"
CUTS = ("10:00", "12:00", "14:00")


def _load(path: Path, minutes: int) -> pd.DataFrame:
    frame = pd.read_csv(path)
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    frame["interval_start"] = frame["interval_start"].dt.floor(f"{minutes}min")
    out = frame.groupby(["queue", "interval_start"], as_index=False)["contacts"].sum()
    out["aht_seconds"] = np.nan
    return out


def poisson_mad(mean: np.ndarray) -> np.ndarray:
    """E|X - m| for X ~ Poisson(m): 2 e^-m m^(k+1) / k!, k = floor(m)."""
    m = np.asarray(mean, float)
    k = np.floor(m)
    with np.errstate(divide="ignore"):
        logs = np.log(2.0) - m + (k + 1) * np.log(m) - np.array([math.lgamma(x + 1) for x in k])
    return np.where(m > 0, np.exp(logs), 0.0)


def reforecast_accuracy(name: str, history: pd.DataFrame, cv: pd.DataFrame,
                        learn_on_forecasts: bool = False) -> pd.DataFrame:
    """Rest-of-day WAPE of the week-ahead forecast and of the reforecasts, per cut, on
    the last eight folds of `cv`, with two bounds on any correction of the day's level.

    `learn_on_forecasts`: the rules learn from the week-ahead forecasts of all the
    weeks before each scored week (the backtest) instead of the weekday-median stand-in."""
    scored = sorted(cv["cutoff"].unique())[-8:]
    rows = []
    for cutoff, fold in cv.groupby("cutoff"):
        if cutoff not in scored:
            continue
        past = None
        if learn_on_forecasts:
            past = cv[cv["cutoff"] < cutoff][["queue", "interval_start", "forecast"]]
            past = past.rename(columns={"forecast": "contacts"})
        rules = fit_intraday(history[history["interval_start"] < cutoff], past_forecasts=past,
                             fit_days=400 if learn_on_forecasts else FIT_DAYS)
        fc = fold.rename(columns={"contacts": "actual", "forecast": "contacts"})
        fc["aht_seconds"] = 0.0
        fc["model"] = "profile"
        minutes = int(fc["interval_start"].sort_values().diff().dropna().min()
                      / pd.Timedelta(minutes=1))
        for day, today in fc.groupby(fc["interval_start"].dt.normalize()):
            if today["actual"].sum() <= 0:
                continue
            for cut in CUTS:
                now = day + pd.Timedelta(cut + ":00")
                done = today["interval_start"] + pd.Timedelta(minutes=minutes) <= now
                actuals = today.loc[done, ["queue", "interval_start", "actual"]].rename(
                    columns={"actual": "contacts"})
                result = reforecast(today, actuals, now, rules).frame
                rest = result[result["interval_start"] >= now].merge(
                    today[["queue", "interval_start", "actual"]],
                    on=["queue", "interval_start"])
                known = rest["forecast_contacts"].sum()
                level = rest["actual"].sum() / known if known > 0 else 1.0
                rows.append({"series": name + (" (f)" if learn_on_forecasts else ""),
                             "cut": cut, "day": day,
                             "error_oracle": (rest["actual"] - level * rest["forecast_contacts"]
                                              ).abs().sum(),
                             "error_floor": poisson_mad(level * rest["forecast_contacts"]
                                                        ).sum(),
                             "actual": rest["actual"].sum(),
                             "error_forecast": (rest["actual"] - rest["forecast_contacts"]
                                                ).abs().sum(),
                             "error_reforecast": (rest["actual"] - rest["contacts"]
                                                  ).abs().sum()})
    return pd.DataFrame(rows)


def show_accuracy(frame: pd.DataFrame) -> None:
    print("\nRest-of-day WAPE, reforecast vs the week-ahead forecast (profile), last 8 weeks")
    print(f"{'series':<14} {'made at':<8} {'days':>5} {'week-ahead':>11} {'reforecast':>11} "
          f"{'ratio':>6} {'exact level':>12} {'ratio':>6} {'Poisson':>8} {'ratio':>6}")
    for (series, cut), g in [*frame.groupby(["series", "cut"]),
                             *[((s, "all"), g) for s, g in frame.groupby("series")]]:
        fc = g["error_forecast"].sum() / g["actual"].sum()
        re = g["error_reforecast"].sum() / g["actual"].sum()
        best = g["error_oracle"].sum() / g["actual"].sum()
        floor = g["error_floor"].sum() / g["actual"].sum()
        print(f"{series:<14} {cut:<8} {g['day'].nunique():5d} {fc:11.2%} {re:11.2%} "
              f"{re / fc:6.3f} {best:12.2%} {best / fc:6.3f} {floor:8.2%} {floor / fc:6.3f}")
    print("exact level: the week-ahead forecast scaled by the rest of the day's true total "
          "(the best any level correction can do); Poisson: the error Poisson arrivals "
          "alone would leave if each interval's mean were exactly that scaled forecast (an "
          "estimate of the noise floor no reforecast beats on average); (f): rules learnt "
          "on the week-ahead "
          "forecasts of all weeks before instead of the weekday-median stand-in")


def series() -> None:
    began = time.perf_counter()
    frames = []
    for name, path, minutes, calendar in (
            ("US bank", "us_bank_2003_5min.csv", 30, Calendar("NYSE", shopping=False)),
            ("ED", "uihc_ed_hourly.csv", 60, Calendar("US", shopping=False))):
        history = _load(DATA / path, minutes)
        cv, _ = cross_validate(history, ["profile"], days=7, folds=30, calendar=calendar)
        frames += [reforecast_accuracy(name, history, cv),
                   reforecast_accuracy(name, history, cv, learn_on_forecasts=True)]
    show_accuracy(pd.concat(frames, ignore_index=True))
    print(f"({time.perf_counter() - began:.0f} s, both series)")


def sample_week(saved: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The sample history, and its forecast and roster for the week of 2026-10-19 (the
    roster read from `saved` when that file exists, else solved and written there)."""
    history = pd.read_csv(SAMPLE / "history.csv", parse_dates=["interval_start"])
    calendar = Calendar("CN", events=read_events(SAMPLE / "events.csv"))
    fc = make_forecast(history, "2026-10-19", 7, model="profile", calendar=calendar).forecast
    settings = read_queue_settings(SAMPLE / "queues.csv")
    if saved is not None and saved.is_file():
        roster = pd.read_csv(saved, parse_dates=["date", "start", "end"], keep_default_na=False)
        roster["agent_id"] = roster["agent_id"].astype(str)
        return history, fc, roster
    need = requirements(fc, settings)
    roster = solve_roster(need, read_agents(SAMPLE / "agents.csv"),
                          read_shifts(SAMPLE / "shifts.yaml"), time_limit=60).roster
    if saved is not None:
        roster.to_csv(saved, index=False)
    return history, fc, roster


def surge(history: pd.DataFrame, fc: pd.DataFrame, roster: pd.DataFrame, queue: str,
          now: str = "2026-10-21 12:00", event_threshold: float | None = None,
          options: ReplanOptions | None = None, factor: float = 1.4) -> dict:
    """Plant +40% (`factor`) on `queue` from 10:00, reforecast and re-plan at `now` (the
    event threshold learnt, or fixed as when the planner says today is an event day)."""
    settings = read_queue_settings(SAMPLE / "queues.csv")
    agents = read_agents(SAMPLE / "agents.csv")
    shifts = read_shifts(SAMPLE / "shifts.yaml")
    now = pd.Timestamp(now)
    truth = fc[fc["interval_start"].dt.normalize() == now.normalize()].copy()
    hit = (truth["queue"] == queue) & (truth["interval_start"] >= now.normalize()
                                       + pd.Timedelta(hours=10))
    truth.loc[hit, "contacts"] *= factor
    actuals = truth[truth["interval_start"] < now][["queue", "interval_start", "contacts"]]
    actuals = actuals.assign(contacts=actuals["contacts"].round())
    began = time.perf_counter()
    rules = fit_intraday(history, event_threshold=event_threshold)
    result = reforecast(fc, actuals, now, rules)
    reforecast_seconds = time.perf_counter() - began
    plan = replan(roster, result.frame, settings, agents, shifts, now,
                  options or ReplanOptions())
    seconds = time.perf_counter() - began
    before = rollup(rest_of_day(roster, truth, settings, now), "day", all_queues=True)
    after = rollup(rest_of_day(plan.roster, truth, settings, now), "day", all_queues=True)
    sl = {q: (b, a) for q, b, a in zip(before["queue"], before["service_level"],
                                       after["service_level"], strict=True)}
    ratio = float(result.summary.set_index("queue").loc[queue, "ratio"])
    return {"queue": queue, "ratio": ratio, "sl": sl, "changed": plan.agents_changed,
            "agents": plan.agents_today, "changes": len(plan.changes), "seconds": seconds,
            "overtime_minutes": int(plan.changes["overtime_minutes"].sum()), "factor": factor,
            "reforecast_seconds": reforecast_seconds,
            "kinds": plan.changes["change"].value_counts().to_dict(), "status": plan.status}


def show_surge(r: dict, label: str) -> None:
    b, a = r["sl"][r["queue"]]
    ab, aa = r["sl"]["all queues"]
    what = (f"Surge {r['factor'] - 1:+.0%} on {r['queue']} from 10:00" if r["factor"] != 1
            else f"No surge ({r['queue']} as forecast)")
    print(f"\n{what}, re-planned at 12:00, {label} "
          f"(reforecast ratio {r['ratio']:.2f}, solver {r['status']})")
    print(f"  rest-of-day SL on {r['queue']}: {b:.1%} -> {a:.1%} ({100 * (a - b):+.1f} points)")
    print(f"  rest-of-day SL, all queues: {ab:.1%} -> {aa:.1%} ({100 * (aa - ab):+.1f} points)")
    for q, (qb, qa) in r["sl"].items():
        if q not in (r["queue"], "all queues"):
            print(f"    {q}: {qb:.1%} -> {qa:.1%}")
    print(f"  agents changed: {r['changed']} of {r['agents']} "
          f"({r['changed'] / r['agents']:.1%}); changes {r['changes']} {r['kinds']}; "
          f"{r['overtime_minutes']} min paid as overtime")
    print(f"  reforecast + re-plan: {r['seconds']:.1f} s (reforecast "
          f"{r['reforecast_seconds']:.1f} s; target <= 30 s)")


def fingerprint(roster: pd.DataFrame) -> str:
    """A short hash of the roster, to tell whether two runs rostered the same week."""
    text = roster.sort_values(["agent_id", "date"]).to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def off_today(roster: pd.DataFrame, day: str = "2026-10-21") -> str:
    """Who could be called in: the agents off that day and how many days they work
    that week already."""
    agents = read_agents(SAMPLE / "agents.csv")
    dates = pd.to_datetime(roster["date"])
    working = set(roster.loc[dates == pd.Timestamp(day), "agent_id"].astype(str))
    days = roster.groupby(roster["agent_id"].astype(str))["date"].nunique()
    off = [a for a in agents if a.agent_id not in working]
    full = sum(int(days.get(a.agent_id, 0)) >= a.max_days_week for a in off)
    return (f"{len(agents)} agents in the sample, {len(working)} working on {day}; "
            f"{len(off)} off, {full} of them already at their maximum days that week")


def main(argv: list[str]) -> None:
    if "--no-series" not in argv:
        series()
    if "--no-sample" not in argv:
        began = time.perf_counter()
        saved = next((Path(a.split("=", 1)[1]) for a in argv if a.startswith("--roster=")),
                     None)
        history, fc, roster = sample_week(saved)
        print(f"\nsample week forecast and rostered in {time.perf_counter() - began:.0f} s "
              f"(roster fingerprint {fingerprint(roster)})")
        print(off_today(roster))
        variants = (("defaults: event rule learnt, overtime within the labour rules", None,
                     ReplanOptions()),
                    ("event day (--event-sd 3), overtime within the labour rules", 3.0,
                     ReplanOptions()),
                    ("event rule learnt, contract hours only (--overtime-hours-week 0)", None,
                     ReplanOptions(extra_hours_week=0.0)))
        for queue in ("aftersales_chat", "presales_chat"):
            for label, threshold, options in variants:
                show_surge(surge(history, fc, roster, queue, event_threshold=threshold,
                                 options=options), label)
        show_surge(surge(history, fc, roster, "aftersales_chat", factor=1.0),
                   "a day running to plan, defaults")


if __name__ == "__main__":
    main(sys.argv[1:])
