"""Applying a scenario's changes to its base plan: queue settings (targets, shrinkage,
opening hours), the forecast (volume uplift, AHT, chatbot deflection), the shift
templates and the team (agents added, removed, overtime). The scenario file itself is
read in `planning.scenarios`."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import yaml

from planning.defaults import check_queue_settings
from planning.scenarios import CHANNELS, Scenario, ScenarioError, VolumeChange
from planning.steps import parse_shifts


def _queues_named(names: tuple[str, ...] | list[str], known: list[str], channels: dict[str, str],
                  at: str, source: str) -> list[str]:
    """Queue names, or channel names standing for all queues of that channel."""
    out: list[str] = []
    for name in names:
        if name in known:
            out.append(name)
        elif name in CHANNELS and any(c == name for c in channels.values()):
            out.extend(q for q in known if channels.get(q) == name)
        elif name == "all":
            out.extend(known)
        else:
            raise ScenarioError(f"{source}: {at}: unknown queue {name!r}; the plan has queues "
                                f"{known} (or a channel: {sorted(set(channels.values()))})")
    return list(dict.fromkeys(out))


def check_against_base(scenario: Scenario, queue_settings: pd.DataFrame,
                       start: pd.Timestamp) -> None:
    """Refuse, before any work, queue names the plan lacks and dates outside the horizon."""
    known = queue_settings["queue"].astype(str).tolist()
    channels = dict(zip(known, queue_settings["channel"].astype(str), strict=True))
    for change in [*scenario.volume, *scenario.aht]:
        _queues_named(change.queues, known, channels, f"{change.where}.queues", scenario.source)
    for key in scenario.deflection:
        _queues_named([key], known, channels, f"deflection.{key}", scenario.source)
    end = start + pd.Timedelta(days=scenario.days - 1)
    for change in [*scenario.volume, *scenario.aht]:
        outside = [d for d in change.dates if d < start or d > end]
        if outside:
            raise ScenarioError(f"{scenario.source}: {change.where}.dates: "
                                f"{outside[0].date()} is outside the horizon "
                                f"{start.date()}..{end.date()}; change `horizon` or the dates")


def apply_queue_changes(scenario: Scenario, queue_settings: pd.DataFrame) -> pd.DataFrame:
    """Queue settings with the scenario's service targets and shrinkage."""
    out = queue_settings.copy()
    known = out["queue"].astype(str).tolist()
    channels = dict(zip(known, out["channel"].astype(str), strict=True))
    for key, targets in scenario.targets.items():
        for queue in _queues_named([key], known, channels, f"targets.{key}", scenario.source):
            row = out["queue"].astype(str) == queue
            for col, value in targets.items():
                out[col] = out[col].astype(float)
                out.loc[row, col] = value
    for key, share in scenario.shrinkage.items():
        for queue in _queues_named([key], known, channels, f"shrinkage.{key}",
                                   scenario.source):
            out["shrinkage"] = out["shrinkage"].astype(float)
            out.loc[out["queue"].astype(str) == queue, "shrinkage"] = share
    return check_queue_settings(out)


def _event_days(scenario: Scenario, change: VolumeChange, calendar: Any,
                start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    days = calendar.days(start - pd.Timedelta(days=60), end + pd.Timedelta(days=60))

    def norm(name: str) -> str:
        return str(name).lower().replace("_", "").replace(" ", "").replace("-", "")

    named = days[days["event"].map(norm) == norm(change.event)]
    if named.empty:
        known = sorted(set(days.loc[(days["date"] >= start) & (days["date"] <= end), "event"]))
        raise ScenarioError(f"{scenario.source}: {change.where}.event: no event "
                            f"{change.event!r} in the calendar near the horizon "
                            f"{start.date()}..{end.date()}; events in the horizon: {known}")
    if not change.window:
        named = named[named["core"]]
    inside = named[(named["date"] >= start) & (named["date"] <= end)]
    if inside.empty:
        listed = ", ".join(str(d.date()) for d in named["date"])
        raise ScenarioError(f"{scenario.source}: {change.where}.event: {change.event!r} "
                            f"falls on {listed}, outside the horizon "
                            f"{start.date()}..{end.date()}; move `horizon`")
    return list(inside["date"])


def apply_volume_and_aht(scenario: Scenario, forecast: pd.DataFrame, plain: pd.DataFrame | None,
                         calendar: Any, queue_settings: pd.DataFrame) -> pd.DataFrame:
    """The forecast with the scenario's uplifts, deflection and AHT changes.

    `plain` is the forecast without shopping or planner events (needed only for
    number uplifts). Order: uplift, then deflection, then AHT.
    """
    out = forecast.copy()
    for col in ("contacts", "contacts_lo", "contacts_hi", "aht_seconds"):
        if col in out.columns:
            out[col] = out[col].astype(float)
    known = queue_settings["queue"].astype(str).tolist()
    channels = dict(zip(known, queue_settings["channel"].astype(str), strict=True))
    day = out["interval_start"].dt.normalize()
    start, end = day.min(), day.max()
    queue = out["queue"].astype(str)
    missing = sorted(set(known) - set(queue))
    if missing:
        raise ScenarioError(f"{scenario.source}: the forecast has no contacts for queue(s) "
                            f"{missing} of the queue settings; check the history")
    for change in scenario.volume:
        queues = _queues_named(change.queues, known, channels, f"{change.where}.queues",
                               scenario.source) if change.queues else known
        if change.event is not None:
            days = _event_days(scenario, change, calendar, start, end)
        else:
            days = list(change.dates)
            outside = [d for d in days if d < start or d > end]
            if outside:
                raise ScenarioError(f"{scenario.source}: {change.where}.dates: "
                                    f"{outside[0].date()} is outside the horizon "
                                    f"{start.date()}..{end.date()}")
        if change.uplift is None:
            continue  # the forecast already carries the learnt uplift
        mask = day.isin(days) & queue.isin(queues)
        if plain is None:
            raise ScenarioError(f"{scenario.source}: {change.where}: no plain forecast")
        key = ["queue", "interval_start"]
        ordinary = out[key].merge(plain, on=key, how="left")
        for col in ("contacts", "contacts_lo", "contacts_hi"):
            if col in out.columns:
                out.loc[mask, col] = ordinary.loc[mask, col].to_numpy() * change.uplift
    for key, share in scenario.deflection.items():
        for q in _queues_named([key], known, channels, f"deflection.{key}", scenario.source):
            mask = queue == q
            for col in ("contacts", "contacts_lo", "contacts_hi"):
                if col in out.columns:
                    out.loc[mask, col] = out.loc[mask, col] * (1.0 - share)
    for change in scenario.aht:
        queues = _queues_named(change.queues, known, channels, f"{change.where}.queues",
                               scenario.source) if change.queues else known
        mask = queue.isin(queues)
        if change.dates:
            mask &= day.isin(list(change.dates))
        out.loc[mask, "aht_seconds"] = out.loc[mask, "aht_seconds"] * change.change
    return out


def apply_shift_changes(scenario: Scenario, shifts_text: str) -> str:
    """The base shift templates with the scenario's templates, rules, queue hours and
    weights merged in (`null` removes a template); validated by the roster library."""
    if not scenario.shifts:
        parse_shifts(shifts_text)
        return shifts_text
    data = yaml.safe_load(shifts_text) or {}
    data = copy.deepcopy(data)
    for section, changes in scenario.shifts.items():
        merged = dict(data.get(section) or {})
        for key, value in changes.items():
            if value is None:
                if key not in merged:
                    raise ScenarioError(f"{scenario.source}: shifts.{section}.{key}: cannot "
                                        f"remove it, the base has only {sorted(merged)}")
                merged.pop(key)
            else:
                merged[key] = value
        data[section] = merged
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    try:
        parse_shifts(text)
    except ValueError as exc:
        raise ScenarioError(f"{scenario.source}: shifts: {exc}") from None
    return text


def apply_agent_changes(scenario: Scenario, agents: pd.DataFrame, queue_settings: pd.DataFrame,
                        shifts_text: str) -> pd.DataFrame:
    """The team with agents removed, temporary agents added and overtime allowed."""
    out = agents.copy()
    ids = out["agent_id"].astype(str)
    unknown = [a for a in scenario.remove_agents if a not in set(ids)]
    if unknown:
        raise ScenarioError(f"{scenario.source}: agents.remove: unknown agent {unknown[0]!r}; "
                            f"the team has {len(ids)} agents ({', '.join(ids.head(5))}, ...)")
    if scenario.remove_count > len(out):
        raise ScenarioError(f"{scenario.source}: agents.remove.count: {scenario.remove_count} "
                            f"is more than the {len(out)} agents of the team")
    keep = ~ids.isin(scenario.remove_agents)
    out = out[keep]
    if scenario.remove_count:
        out = out.iloc[: len(out) - scenario.remove_count]
    known = queue_settings["queue"].astype(str).tolist()
    channels = dict(zip(known, queue_settings["channel"].astype(str), strict=True))
    templates = set((yaml.safe_load(shifts_text) or {}).get("templates") or {})
    rows = []
    taken = set(out["agent_id"].astype(str))
    for group in scenario.add_agents:
        queues = _queues_named(group.queues, known, channels, f"{group.where}.queues",
                               scenario.source)
        bad = [s for s in group.shifts if s not in templates]
        if bad:
            raise ScenarioError(f"{scenario.source}: {group.where}.shifts: unknown shift "
                                f"template {bad[0]!r}; templates: {sorted(templates)} (add it "
                                "under shifts.templates)")
        for i in range(1, group.count + 1):
            agent_id = f"{group.prefix}{i:03d}"
            if agent_id in taken:
                raise ScenarioError(f"{scenario.source}: {group.where}.prefix: agent id "
                                    f"{agent_id} is already in the team; pick another prefix")
            taken.add(agent_id)
            rows.append({"agent_id": agent_id, "name": f"{group.name} {i}",
                         "queues": ";".join(queues),
                         "min_hours_week": f"{group.min_hours_week:g}",
                         "max_hours_week": f"{group.max_hours_week:g}",
                         "max_days_week": str(group.max_days_week),
                         "unavailable": group.unavailable, "shifts": ";".join(group.shifts)})
    if rows:
        out = pd.concat([out, pd.DataFrame(rows)], ignore_index=True)
    out = out.fillna("").astype(str).reset_index(drop=True)
    if scenario.extra_hours_week or scenario.extra_days_week:
        hours = pd.to_numeric(out["max_hours_week"], errors="coerce") + scenario.extra_hours_week
        days = (pd.to_numeric(out["max_days_week"], errors="coerce")
                + scenario.extra_days_week).clip(upper=7)
        out["max_hours_week"] = hours.map(lambda v: f"{v:g}")
        out["max_days_week"] = days.map(lambda v: f"{int(v)}")
    if out.empty:
        raise ScenarioError(f"{scenario.source}: agents: the scenario leaves no agents to "
                            "roster; remove fewer or add some under agents.add")
    return out


