"""Today against plan: reforecast from the day's actuals, then re-plan the rest of the day.

The one place that joins `forecasting.intraday` (reforecast) and `scheduling.intraday`
(re-plan) for the `wfm intraday` command and the dashboard's Today page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import yaml

from forecasting.intraday import IntradayRule, Reforecast, fit_intraday, reforecast
from scheduling.intraday import (
    CHANGE_COLUMNS,
    ReplanOptions,
    ReplanResult,
    replan,
    rest_of_day,
)
from scheduling.projection import EXTRA_COLUMNS, PROJECTION_COLUMNS, rollup
from scheduling.roster import Agent, ShiftSettings, agents_from_frame, shift_settings

Progress = Callable[[float], None]


@dataclass
class IntradayOutcome:
    """The reforecast, the rules behind it and, with a roster, the re-plan."""

    reforecast: Reforecast
    rules: dict[str, IntradayRule]
    replan: ReplanResult | None = None
    notes: list[str] = field(default_factory=list)


def run_intraday(history: pd.DataFrame, forecast: pd.DataFrame, actuals: pd.DataFrame,
                 now: str | pd.Timestamp, *, roster: pd.DataFrame | None = None,
                 agents: Sequence[Agent] | None = None, shifts: ShiftSettings | None = None,
                 queue_settings: pd.DataFrame | None = None,
                 options: ReplanOptions | None = None,
                 progress: Progress | None = None,
                 event_threshold: float | None = None) -> IntradayOutcome:
    """Learn the reforecast rule from `history`, reforecast from `actuals` at `now`, and
    with a `roster` (plus `agents`, `shifts` and `queue_settings`) re-plan the rest of
    the day against the reforecast. `event_threshold` fixes the event override (see
    `forecasting.intraday.fit_intraday`); by default it is learnt."""
    report = progress or (lambda _f: None)
    queues = sorted(set(pd.Series(forecast["queue"]).astype(str)))
    rules = fit_intraday(history, queues=queues, event_threshold=event_threshold)
    report(0.2)
    result = reforecast(forecast, actuals, now, rules)
    report(0.3)
    outcome = IntradayOutcome(reforecast=result, rules=rules, notes=list(result.notes))
    if roster is not None:
        if agents is None or shifts is None or queue_settings is None:
            raise ValueError("a re-plan needs the agents, the shift templates and the queue "
                             "settings with the roster")
        outcome.replan = replan(roster, result.frame, queue_settings, agents, shifts, now,
                                options)
        outcome.notes.extend(outcome.replan.notes)
    report(1.0)
    return outcome


def read_actuals(data: bytes, name: str = "actuals.csv") -> pd.DataFrame:
    """An uploaded actuals file (CSV, or Excel/Parquet by name) as a frame; a file that
    cannot be read is refused naming it."""
    import io

    try:
        if name.lower().endswith((".parquet", ".pq")):
            return pd.read_parquet(io.BytesIO(data))
        if name.lower().endswith(".xlsx"):
            return pd.read_excel(io.BytesIO(data))
        return pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""])
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ValueError(f"{name}: not a readable actuals file ({exc})") from None


def plan_agents(frame: pd.DataFrame | None) -> list[Agent]:
    """A plan's agents frame as the re-plan's agents (none without a frame)."""
    return [] if frame is None else agents_from_frame(frame, "plan agents")


def plan_shifts(shifts_yaml: str | None) -> ShiftSettings:
    """A plan's shift templates from its saved YAML; without them, no templates (breaks
    stay where they are and no overtime is offered)."""
    if not shifts_yaml:
        return ShiftSettings(templates=(), queues={})
    return shift_settings(yaml.safe_load(shifts_yaml) or {}, "plan shifts")


def example_actuals(forecast: pd.DataFrame, now: pd.Timestamp, queue: str | None = None,
                    uplift: float = 0.4) -> pd.DataFrame:
    """Actuals to try the Today page with: the forecast of `now`'s day up to now, with
    `uplift` more contacts from 10:00 on `queue` (default: the busiest chat-like queue,
    else the busiest queue)."""
    fc = forecast.copy()
    fc["interval_start"] = pd.to_datetime(fc["interval_start"])
    day = fc[fc["interval_start"].dt.normalize() == now.normalize()]
    steps = day["interval_start"].drop_duplicates().sort_values().diff().dropna()
    length = steps.min() if len(steps) else pd.Timedelta(minutes=30)
    done = day[day["interval_start"] + length <= now].copy()
    if queue is None:
        totals = day.groupby("queue")["contacts"].sum().sort_values(ascending=False)
        chats = [q for q in totals.index if "chat" in str(q)]
        queue = chats[0] if chats else totals.index[0]
    hit = (done["queue"] == queue) & (done["interval_start"].dt.hour >= 10)
    done.loc[hit, "contacts"] *= 1.0 + uplift
    done["contacts"] = done["contacts"].round()
    return done[["queue", "interval_start", "contacts"]].reset_index(drop=True)


def projection_before_after(result: ReplanResult) -> pd.DataFrame:
    """The rest-of-day projections before and after the changes in one frame, with a
    `plan` column ("before" or "after")."""
    cols = [*PROJECTION_COLUMNS, *EXTRA_COLUMNS]
    return pd.concat([result.before[cols].assign(plan="before"),
                      result.after[cols].assign(plan="after")], ignore_index=True)


def accept_changes(roster: pd.DataFrame, result: ReplanResult, accepted: Sequence[int]
                   ) -> pd.DataFrame:
    """The roster with only the accepted changes (row positions of `result.changes`)
    applied: each agent whose changes are all accepted gets the re-planned day, the
    others keep theirs. (Changes of one agent work together, so an agent's day is taken
    whole or not at all.)"""
    changes = result.changes.reset_index(drop=True)
    chosen = set(int(i) for i in accepted)
    take = {a for a, rows in changes.groupby("agent_id")
            if set(rows.index) <= chosen}
    base = roster.copy()
    base["agent_id"] = base["agent_id"].astype(str)
    new = result.roster.copy()
    new["agent_id"] = new["agent_id"].astype(str)
    day = pd.to_datetime(new["date"]).dt.normalize()
    today = result.before["interval_start"].min().normalize() if len(result.before) else None
    keep = base[~(base["agent_id"].isin(take)
                  & (pd.to_datetime(base["date"]).dt.normalize() == today))]
    taken = new[new["agent_id"].isin(take) & (day == today)]
    out = pd.concat([keep, taken], ignore_index=True)
    out["date"] = pd.to_datetime(out["date"])
    for col in ("start", "end"):
        out[col] = pd.to_datetime(out[col])
    return out.sort_values(["agent_id", "date", "start"], ignore_index=True)


def agent_changes(changes: pd.DataFrame,
                  describe: Callable[[dict], str] | None = None) -> pd.DataFrame:
    """One row per agent with all the agent's changes in words (`agent_id, changes`),
    the unit a planner accepts (an agent's changes work together). `describe` writes
    one change (a row of the changes frame as a dict); by default in English."""
    def english(r: dict) -> str:
        if r["change"] == "move":
            return f"move {r['from']}-{r['to']} to {r['queue']}"
        paid = int(r.get("overtime_minutes", 0) or 0)
        extra = f" ({paid} min paid as overtime)" if paid > 0 else ""
        if r["change"] == "call_in":
            return f"call in {r['to']} on {r['queue']}{extra}"
        return f"{r['change']} {r['from']} -> {r['to']}{extra}"

    words = describe or english
    rows = [{"agent_id": str(agent_id), "changes": "; ".join(words(r) for r in
                                                              g.to_dict("records"))}
            for agent_id, g in changes.groupby("agent_id", sort=True)]
    return pd.DataFrame(rows, columns=["agent_id", "changes"])


def accepted_roster(roster: pd.DataFrame, result: ReplanResult,
                    agents: Sequence[str]) -> pd.DataFrame:
    """The roster with the re-planned day of the accepted `agents` only."""
    changes = result.changes.reset_index(drop=True)
    keep = set(str(a) for a in agents)
    rows = [i for i, a in enumerate(changes["agent_id"].astype(str)) if a in keep]
    return accept_changes(roster, result, rows)


def service_levels(result: ReplanResult, forecast: pd.DataFrame,
                   queue_settings: pd.DataFrame, now: str | pd.Timestamp,
                   accepted: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rest-of-day service level per queue (and all queues) without changes, with all
    proposed changes and, given the roster with the accepted changes, with those:
    `queue, contacts, without, proposed, accepted`."""
    def level(projection: pd.DataFrame) -> pd.Series:
        return rollup(projection, "day", all_queues=True).set_index("queue")["service_level"]

    base = rollup(result.before, "day", all_queues=True).set_index("queue")
    out = pd.DataFrame({"contacts": base["contacts"], "without": base["service_level"],
                        "proposed": level(result.after)})
    chosen = result.before if accepted is None else rest_of_day(
        accepted, forecast, queue_settings, pd.Timestamp(now))
    out["accepted"] = level(chosen)
    return out.reset_index()


__all__ = ["CHANGE_COLUMNS", "IntradayOutcome", "ReplanOptions", "accept_changes",
           "accepted_roster", "agent_changes", "projection_before_after", "run_intraday",
           "service_levels"]
