"""Scenarios built with the dashboard's forms: `ScenarioForm` holds what the planner
filled in and `scenario_text` writes it as the same scenario in YAML (the file
`planning.scenarios` reads)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from planning.scenarios import TextDatesLoader


@dataclass
class ScenarioForm:
    """What the dashboard's scenario form asks, as plain values (percentages as %).

    `scenario_text` writes it as scenario YAML on top of a starting scenario's text, so
    the form and the YAML are two views of the same scenario. Empty fields change
    nothing. `uplift_on` is an event name (uplift relative to an ordinary day on the
    event's days) or a date `YYYY-MM-DD`; queues are a queue, a channel or "all".
    """

    name: str
    description: str = ""
    horizon_start: str = ""
    horizon_days: int = 0
    uplift_percent: float = 0.0
    uplift_queue: str = "all"
    uplift_on: str = ""
    aht_percent: float = 0.0
    aht_queue: str = "all"
    deflection_percent: float = 0.0
    deflection_queue: str = "chat"
    target_queue: str = ""
    target_service_level_percent: float | None = None
    target_seconds: float | None = None
    shrinkage_percent: float | None = None
    shrinkage_queue: str = "all"
    temps: int = 0
    temp_template: str = ""
    temp_queues: tuple[str, ...] = ()
    temp_max_hours_week: float = 36.0
    overtime_hours_week: float = 0.0
    remove_agents: int = 0
    open_queue: str = ""
    open_from: str = ""
    open_until: str = ""
    roster_time_limit: float | None = None


def scenario_text(form: ScenarioForm, start_text: str | None = None) -> str:
    """Scenario YAML for `form`, on top of `start_text` (a scenario file's text: its base,
    horizon and changes are kept; the form's changes are added after them)."""
    data: dict[str, Any] = {}
    if start_text:
        loaded = yaml.load(start_text, Loader=TextDatesLoader)  # noqa: S506 - a SafeLoader subclass
        data = dict(loaded) if isinstance(loaded, dict) else {}
    data["name"] = form.name.strip() or str(data.get("name") or "My scenario")
    if form.description.strip():
        data["description"] = form.description.strip()
    if form.roster_time_limit:
        data["roster_time_limit"] = float(form.roster_time_limit)
    if form.horizon_start or form.horizon_days:
        horizon = dict(data.get("horizon") or {})
        if form.horizon_start:
            horizon["start"] = form.horizon_start
        if form.horizon_days:
            horizon["days"] = int(form.horizon_days)
        data["horizon"] = horizon

    def queues(name: str) -> list[str]:
        return [] if not name or name == "all" else [name]

    if form.uplift_percent and form.uplift_on:
        change: dict[str, Any] = {"uplift": round(1 + form.uplift_percent / 100, 6)}
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", form.uplift_on.strip()):
            change["dates"] = [form.uplift_on.strip()]
        else:
            change["event"] = form.uplift_on.strip()
        if queues(form.uplift_queue):
            change["queues"] = queues(form.uplift_queue)
        data["volume"] = [*(data.get("volume") or []), change]
    if form.aht_percent:
        aht: dict[str, Any] = {"change": round(1 + form.aht_percent / 100, 6)}
        if queues(form.aht_queue):
            aht["queues"] = queues(form.aht_queue)
        data["aht"] = [*(data.get("aht") or []), aht]
    if form.deflection_percent:
        data["deflection"] = {**(data.get("deflection") or {}),
                              form.deflection_queue or "chat": form.deflection_percent / 100}
    if form.target_queue and (form.target_service_level_percent or form.target_seconds):
        target: dict[str, float] = {}
        if form.target_service_level_percent:
            target["service_level"] = form.target_service_level_percent / 100
        if form.target_seconds:
            target["target_seconds"] = float(form.target_seconds)
        data["targets"] = {**(data.get("targets") or {}), form.target_queue: target}
    if form.shrinkage_percent is not None:
        data["shrinkage"] = {**(data.get("shrinkage") or {}),
                             form.shrinkage_queue or "all": form.shrinkage_percent / 100}
    agents = dict(data.get("agents") or {})
    if form.temps > 0:
        group: dict[str, Any] = {"count": int(form.temps), "prefix": _free_prefix(agents),
                                 "name": "Temp",
                                 "queues": list(form.temp_queues) or ["chat"],
                                 "min_hours_week": 0,
                                 "max_hours_week": float(form.temp_max_hours_week),
                                 "max_days_week": 6}
        if form.temp_template:
            group["shifts"] = [form.temp_template]
        agents["add"] = [*(agents.get("add") or []), group]
    if form.remove_agents > 0:
        agents["remove"] = {"count": int(form.remove_agents)}
    if agents:
        data["agents"] = agents
    if form.overtime_hours_week:
        data["overtime"] = {**(data.get("overtime") or {}),
                            "extra_hours_week": float(form.overtime_hours_week)}
    if form.open_queue and form.open_from and form.open_until:
        shifts = dict(data.get("shifts") or {})
        opening = dict(shifts.get("queues") or {})
        opening[form.open_queue] = {**(opening.get(form.open_queue) or {}),
                                    "open": form.open_from, "close": form.open_until}
        shifts["queues"] = opening
        data["shifts"] = shifts
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _free_prefix(agents: dict[str, Any]) -> str:
    taken = {str(g.get("prefix", "T")) for g in agents.get("add") or [] if isinstance(g, dict)}
    for prefix in ("T", "X", "Y", "Z", "W"):
        if prefix not in taken:
            return prefix
    return f"T{len(taken)}"
