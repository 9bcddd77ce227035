"""What a scenario run comes to per queue and day, where it falls short, and how
scenarios differ from each other.

`daily_summary` rolls one run up per queue and day (`DAILY_COLUMNS`);
`compare_scenarios` stacks several runs and adds each metric's change against the
first (the baseline); `peak_day_intervals` lines up the busiest day interval by
interval for the chart.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scheduling.frames import break_minutes, interval_minutes
from scheduling.projection import rollup

ALL_QUEUES = "all queues"
METRICS = ("contacts", "required_staff", "rostered_staff", "required_staff_hours",
           "rostered_staff_hours", "rostered_agents", "paid_hours", "service_level", "asa_seconds",
           "first_response_seconds", "abandon_rate", "occupancy", "intervals_below_target")
DAILY_COLUMNS = ("scenario", "queue", "date", *METRICS)
# +1: more is better for the planner, -1: less is better, 0: neither (volume, cost).
DIRECTION = {"contacts": 0, "required_staff": 0, "rostered_staff": 0,
             "required_staff_hours": 0, "rostered_staff_hours": 0, "rostered_agents": 0,
             "paid_hours": 0,
             "service_level": 1, "asa_seconds": -1, "first_response_seconds": -1,
             "abandon_rate": -1, "occupancy": 0, "intervals_below_target": -1}
SHORTFALL_COLUMNS = ("queue", "date", "intervals_short", "first_short", "last_short",
                     "missing_agents_max", "missing_agent_hours", "intervals_below_target",
                     "service_level", "target_service_level", "service_level_gap")
PEAK_COLUMNS = ("scenario", "queue", "interval_start", "contacts", "required", "scheduled",
                "service_level", "asa_seconds", "abandon_rate")


def _interval_hours(frame: pd.DataFrame) -> float:
    return interval_minutes(frame, default=15) / 60.0


def paid_hours(roster: pd.DataFrame, shifts: Any) -> pd.Series:
    """Paid hours of each roster row: shift length less its unpaid breaks (matched to
    the template's breaks in order). Index as the roster's."""
    templates = {t.name: t for t in getattr(shifts, "templates", ())}
    start = pd.to_datetime(roster["start"])
    end = pd.to_datetime(roster["end"])
    minutes = ((end - start) / pd.Timedelta(minutes=1)).to_numpy(dtype=float)
    unpaid = np.zeros(len(roster))
    for i, (shift, breaks) in enumerate(zip(roster["shift"], roster["breaks"], strict=True)):
        template = templates.get(str(shift))
        if template is None:
            continue
        for rule, length in zip(template.breaks, break_minutes(breaks), strict=False):
            if not rule.paid:
                unpaid[i] += length
    return pd.Series((minutes - unpaid) / 60.0, index=roster.index, name="paid_hours")


def daily_summary(scenario: str, requirements: pd.DataFrame, roster: pd.DataFrame,
                  coverage: pd.DataFrame, projection: pd.DataFrame,
                  queue_settings: pd.DataFrame, paid: pd.Series) -> pd.DataFrame:
    """One row per queue and day (plus "all queues"): contacts; required and rostered
    staff (the peak over the day's intervals, and hours); agents rostered (head count);
    paid hours; projected service level, ASA, chat first-response time, abandonment,
    occupancy and intervals below target.

    Staff counts people at work outside breaks, before unplanned shrinkage (what the
    roster covers); `first_response_seconds` is the ASA of chat queues (empty for others).
    """
    hours = _interval_hours(requirements)

    def peak_and_hours(frame: pd.DataFrame, col: str, name: str) -> pd.DataFrame:
        frame = frame.assign(date=pd.to_datetime(frame["interval_start"]).dt.normalize(),
                             queue=frame["queue"].astype(str))
        per_queue = frame.groupby(["queue", "date"])[col].agg(["max", "sum"])
        total = frame.groupby(["date", "interval_start"])[col].sum().groupby("date") \
            .agg(["max", "sum"])
        total.index = pd.MultiIndex.from_product([[ALL_QUEUES], total.index],
                                                 names=["queue", "date"])
        both = pd.concat([per_queue, total])
        return pd.DataFrame({name: both["max"], f"{name}_hours": both["sum"] * hours})

    staff = peak_and_hours(requirements, "staff", "required_staff")
    at_work = peak_and_hours(coverage, "scheduled", "rostered_staff")
    rost = roster.assign(date=pd.to_datetime(roster["start"]).dt.normalize(),
                         queue=roster["queue"].astype(str), paid_hours=paid.to_numpy())
    heads = pd.concat([rost, rost.assign(queue=ALL_QUEUES)]).groupby(["queue", "date"]).agg(
        rostered_agents=("agent_id", "nunique"), paid_hours=("paid_hours", "sum"))
    roll = rollup(projection.assign(queue=projection["queue"].astype(str)), "day",
                  all_queues=True).rename(columns={"period_start": "date"})
    out = roll.set_index(["queue", "date"])[
        ["contacts", "service_level", "asa_seconds", "abandon_rate", "occupancy",
         "intervals_below_target"]].join(staff).join(at_work).join(heads).reset_index()
    out[["rostered_staff", "rostered_staff_hours", "rostered_agents", "paid_hours"]] = \
        out[["rostered_staff", "rostered_staff_hours", "rostered_agents", "paid_hours"]] \
        .fillna(0)
    channel = dict(zip(queue_settings["queue"].astype(str),
                       queue_settings["channel"].astype(str), strict=True))
    out["first_response_seconds"] = out["asa_seconds"].where(out["queue"].map(channel)
                                                             .eq("chat"))
    out["scenario"] = scenario
    out["rostered_agents"] = out["rostered_agents"].astype(int)
    out["intervals_below_target"] = out["intervals_below_target"].astype(int)
    rank = {q: i for i, q in enumerate(sorted(set(out["queue"]) - {ALL_QUEUES}))}
    rank[ALL_QUEUES] = len(rank)
    out = out.assign(_rank=out["queue"].map(rank)).sort_values(["date", "_rank"])
    return out[list(DAILY_COLUMNS)].reset_index(drop=True)


def shortfalls(coverage: pd.DataFrame, projection: pd.DataFrame,
               queue_settings: pd.DataFrame) -> pd.DataFrame:
    """Where a roster falls short, per queue and day: intervals with too few people
    (first and last, most agents missing, agent-hours missing) and the projected service
    level against its target. Only days that fall short are listed."""
    hours = _interval_hours(coverage) if len(coverage) else 0.25
    cov = coverage.assign(date=pd.to_datetime(coverage["interval_start"]).dt.normalize(),
                          queue=coverage["queue"].astype(str))
    short = cov[cov["under"] > 1e-9]
    rows: dict[tuple[str, pd.Timestamp], dict[str, Any]] = {}
    for (queue, date), grp in short.groupby(["queue", "date"]):
        rows[(queue, date)] = {
            "intervals_short": len(grp),
            "first_short": grp["interval_start"].min().strftime("%H:%M"),
            "last_short": grp["interval_start"].max().strftime("%H:%M"),
            "missing_agents_max": float(np.ceil(grp["under"].max() - 1e-9)),
            "missing_agent_hours": float(grp["under"].sum() * hours)}
    daily = rollup(projection, "day").rename(columns={"period_start": "date"})
    targets = queue_settings.set_index(queue_settings["queue"].astype(str))["service_level"]
    for rec in daily.itertuples(index=False):
        key = (str(rec.queue), rec.date)
        if rec.intervals_below_target or key in rows:
            entry = rows.setdefault(key, {"intervals_short": 0, "first_short": "",
                                          "last_short": "", "missing_agents_max": 0.0,
                                          "missing_agent_hours": 0.0})
            goal = float(targets.get(str(rec.queue), np.nan))
            entry.update({"intervals_below_target": int(rec.intervals_below_target),
                          "service_level": float(rec.service_level),
                          "target_service_level": goal,
                          "service_level_gap": max(goal - float(rec.service_level), 0.0)})
    frame = pd.DataFrame([{"queue": q, "date": d, **v} for (q, d), v in sorted(rows.items())],
                         columns=list(SHORTFALL_COLUMNS))
    frame["intervals_below_target"] = frame["intervals_below_target"].fillna(0).astype(int)
    return frame


def compare_scenarios(dailies: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack scenario summaries (`daily_summary` frames); the first is the baseline.

    Each metric gets a `<metric>_change` column: the scenario's value less the
    baseline's for the same queue and day (0 for the baseline itself).
    """
    if not dailies:
        raise ValueError("compare: no scenarios given; expected at least one")
    names = [str(d["scenario"].iloc[0]) for d in dailies if len(d)]
    if len(set(names)) < len(names):
        raise ValueError(f"compare: two scenarios share a name ({names}); give each its own "
                         "`name`")
    dailies = [d.reindex(columns=list(DAILY_COLUMNS)) for d in dailies]  # older runs too
    frame = pd.concat(dailies, ignore_index=True)
    key = ["queue", "date"]
    base = dailies[0].set_index(key)[list(METRICS)]
    joined = frame.merge(base.add_suffix("__base").reset_index(), on=key, how="left")
    for metric in METRICS:
        frame[f"{metric}_change"] = (joined[metric].astype(float)
                                     - joined[f"{metric}__base"].astype(float))
    return frame


def peak_day(daily: pd.DataFrame) -> pd.Timestamp:
    """The day with the most contacts over all queues."""
    total = daily[daily["queue"] == ALL_QUEUES]
    if total.empty:
        total = daily.groupby("date", as_index=False)["contacts"].sum()
    return pd.Timestamp(total.sort_values(["contacts", "date"], ascending=[False, True])
                        ["date"].iloc[0])


def peak_day_intervals(projections: dict[str, pd.DataFrame], day: pd.Timestamp
                       ) -> pd.DataFrame:
    """The projection of one day for each scenario, stacked (`PEAK_COLUMNS`), with an
    "all queues" total (service level weighted by contacts)."""
    parts = []
    for name, projection in projections.items():
        frame = projection[pd.to_datetime(projection["interval_start"]).dt.normalize()
                           == pd.Timestamp(day)].assign(scenario=name)
        frame = frame.assign(queue=frame["queue"].astype(str))
        parts.append(frame)
        w = frame["contacts"].astype(float)
        answered = w * (1 - frame["abandon_rate"].astype(float))
        total = frame.assign(_sl=w * frame["service_level"], _ab=w * frame["abandon_rate"],
                             _asa=answered * frame["asa_seconds"].fillna(0), _a=answered) \
            .groupby("interval_start", as_index=False).agg(
                contacts=("contacts", "sum"), required=("required", "sum"),
                scheduled=("scheduled", "sum"), _sl=("_sl", "sum"), _ab=("_ab", "sum"),
                _asa=("_asa", "sum"), _a=("_a", "sum"))
        with np.errstate(divide="ignore", invalid="ignore"):
            total["service_level"] = np.where(total["contacts"] > 0,
                                              total["_sl"] / total["contacts"], 1.0)
            total["abandon_rate"] = np.where(total["contacts"] > 0,
                                             total["_ab"] / total["contacts"], 0.0)
            total["asa_seconds"] = np.where(total["_a"] > 0, total["_asa"] / total["_a"], 0.0)
        parts.append(total.assign(scenario=name, queue=ALL_QUEUES))
    if not parts:
        return pd.DataFrame(columns=list(PEAK_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(PEAK_COLUMNS)]


REASON_COLUMNS = ("queue", "date", "first", "last", "closed", "contacts", "missing_agents_max",
                  "missing_agent_hours")


def shortfall_reasons(coverage: pd.DataFrame, requirements: pd.DataFrame) -> pd.DataFrame:
    """Why a roster falls short, as stretches of consecutive short intervals per queue and
    day (`REASON_COLUMNS`): `first` and `last` interval start (HH:MM), `closed` when the
    shift templates keep the queue closed there (coverage `open` False: no template lets
    anyone answer it then), the contacts forecast in the stretch, the most agents missing
    and the agent-hours missing. Largest agent-hours first."""
    if coverage.empty:
        return pd.DataFrame(columns=list(REASON_COLUMNS))
    hours = _interval_hours(coverage)
    cov = coverage.assign(queue=coverage["queue"].astype(str),
                          interval_start=pd.to_datetime(coverage["interval_start"]))
    if "open" not in cov.columns:
        cov["open"] = True
    key = ["queue", "interval_start"]
    contacts = requirements.assign(queue=requirements["queue"].astype(str),
                                   interval_start=pd.to_datetime(
                                       requirements["interval_start"]))[[*key, "contacts"]]
    cov = cov.merge(contacts, on=key, how="left").sort_values(key)
    cov["date"] = cov["interval_start"].dt.normalize()
    short = cov["under"].astype(float) > 1e-9
    step = pd.Timedelta(hours=hours)
    rows = []
    for (queue, date), grp in cov[short].groupby(["queue", "date"], sort=True):
        starts = grp["interval_start"]
        closed = ~grp["open"].astype(bool)
        # a new stretch where the time jumps or the queue opens or closes
        new = (starts.diff() != step) | (closed != closed.shift())
        for _, part in grp.groupby(new.cumsum()):
            rows.append({
                "queue": queue, "date": date,
                "first": part["interval_start"].min().strftime("%H:%M"),
                "last": _clock_end(part["interval_start"].max() + step, date),
                "closed": bool((~part["open"].astype(bool)).all()),
                "contacts": float(part["contacts"].fillna(0).sum()),
                "missing_agents_max": float(np.ceil(part["under"].max() - 1e-9)),
                "missing_agent_hours": float(part["under"].sum() * hours)})
    frame = pd.DataFrame(rows, columns=list(REASON_COLUMNS))
    return frame.sort_values("missing_agent_hours", ascending=False, ignore_index=True)


def _clock_end(end: pd.Timestamp, date: pd.Timestamp) -> str:
    """HH:MM of the end of a stretch, 24:00 for midnight at the end of its day."""
    return "24:00" if end.normalize() > date else end.strftime("%H:%M")


HEADLINE_KEYS = ("contacts", "service_level", "asa_seconds", "no_wait_intervals",
                 "abandon_rate", "first_response_seconds", "missing_agents_max",
                 "missing_agent_hours", "paid_hours")


def headline(daily: pd.DataFrame, projection: pd.DataFrame | None,
             coverage: pd.DataFrame | None, queue_settings: pd.DataFrame | None = None,
             day: pd.Timestamp | None = None) -> dict[str, float]:
    """A scenario's headline numbers over its horizon, or on `day`: contacts; service
    level and abandonment weighted by contacts; ASA weighted by contacts answered over
    the intervals with a finite wait, and how many intervals had none (contacts but
    nobody on line); chat first response likewise over chat queues; the most agents
    missing in one interval and the agent-hours missing; paid hours."""
    rows = daily[daily["queue"] == ALL_QUEUES]
    if day is not None:
        rows = rows[pd.to_datetime(rows["date"]) == pd.Timestamp(day)]
    contacts = float(rows["contacts"].sum())
    out = {"contacts": contacts,
           "service_level": float((rows["service_level"] * rows["contacts"]).sum() / contacts)
           if contacts > 0 else float("nan"),
           "abandon_rate": float((rows["abandon_rate"] * rows["contacts"]).sum() / contacts)
           if contacts > 0 else float("nan"),
           "paid_hours": float(rows["paid_hours"].sum())}
    out.update(_waits(projection, queue_settings, day))
    out.update(_missing(coverage, day))
    return out


def _on_day(frame: pd.DataFrame, day: pd.Timestamp | None) -> pd.DataFrame:
    if day is None:
        return frame
    return frame[pd.to_datetime(frame["interval_start"]).dt.normalize() == pd.Timestamp(day)]


def _waits(projection: pd.DataFrame | None, queue_settings: pd.DataFrame | None,
           day: pd.Timestamp | None) -> dict[str, float]:
    nan = float("nan")
    if projection is None or projection.empty:
        return {"asa_seconds": nan, "no_wait_intervals": 0.0, "first_response_seconds": nan}
    frame = _on_day(projection, day)
    contacts = frame["contacts"].astype(float)
    answered = contacts * (1.0 - frame["abandon_rate"].astype(float).fillna(0.0))
    asa = frame["asa_seconds"].astype(float)
    finite = np.isfinite(asa.to_numpy())

    def mean(mask: np.ndarray) -> float:
        w = answered[mask & finite].sum()
        return float((answered * asa)[mask & finite].sum() / w) if w > 0 else nan

    everything = np.ones(len(frame), dtype=bool)
    chat = everything & False
    if queue_settings is not None:
        channels = dict(zip(queue_settings["queue"].astype(str),
                            queue_settings["channel"].astype(str), strict=True))
        chat = frame["queue"].astype(str).map(channels).eq("chat").to_numpy()
    return {"asa_seconds": mean(everything),
            "no_wait_intervals": float((~finite & (contacts.to_numpy() > 0)).sum()),
            "first_response_seconds": mean(chat) if chat.any() else nan}


def _missing(coverage: pd.DataFrame | None, day: pd.Timestamp | None) -> dict[str, float]:
    if coverage is None or coverage.empty:
        return {"missing_agents_max": 0.0, "missing_agent_hours": 0.0}
    frame = _on_day(coverage, day)
    hours = _interval_hours(coverage)
    per_interval = frame.groupby("interval_start")["under"].sum()
    return {"missing_agents_max": float(np.ceil(per_interval.max() - 1e-9))
            if len(per_interval) else 0.0,
            "missing_agent_hours": float(frame["under"].sum() * hours)}
