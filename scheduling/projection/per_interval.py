"""`project`: the projection frame (`PROJECTION_COLUMNS` + `EXTRA_COLUMNS`) per
queue and interval, and `below_target`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from scheduling import staffing
from scheduling.pooled_simulation import simulate_pooled
from scheduling.projection.formulas import _METRICS, formula_metrics
from scheduling.projection.inputs import (
    ProjectionInputError,
    _check_fit,
    check_forecast,
    parse_roster,
    settings_table,
)
from scheduling.projection.on_line import agents_on_line, on_line_windows
from scheduling.projection.simulation import _queue_models, simulation_agents

PROJECTION_COLUMNS = (
    "queue", "interval_start", "required", "scheduled", "service_level", "asa_seconds",
    "abandon_rate", "occupancy",
)
EXTRA_COLUMNS = ("contacts", "aht_seconds", "wait_p90_seconds", "below_target", "method")

def project(
    roster: pd.DataFrame,
    forecast: pd.DataFrame,
    queue_settings: pd.DataFrame,
    *,
    simulate: bool = False,
    skills: Mapping[str, Sequence[str]] | None = None,
    proficiency: Mapping[str, Mapping[str, float]] | None = None,
    seed: int = 0,
    replications: int = 5,
    interval_minutes: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> pd.DataFrame:
    """The projection frame: per queue and forecast interval, agents `required` (on
    line, to meet the queue's targets), `scheduled` (on line from the roster after
    breaks and unplanned shrinkage), and the projected `service_level`,
    `asa_seconds`, `abandon_rate`, `occupancy`; plus `contacts`, `aht_seconds`,
    `wait_p90_seconds`, `below_target` and `method` (erlang_c, erlang_a, chat or
    simulation).

    `simulate=True` runs the pooled simulation instead of per-queue formulas; `skills`
    maps agent_id to every queue the agent may answer (default: the rostered queue
    only). `proficiency` maps agent_id to queue to the share of a full agent they are
    there (1 when not given, as in the roster's agents file): an agent at 0.7 counts
    0.7 on line in the formulas, and handles contacts at 0.7 of the speed in the
    simulation. Raises ProjectionInputError when the roster, forecast and settings do not
    fit (unknown queue, mixed interval lengths, roster days outside the forecast).
    """
    report = progress or (lambda _f: None)
    settings = settings_table(queue_settings)
    fc, length = check_forecast(forecast, interval_minutes)
    if fc.empty:
        raise ProjectionInputError("forecast: no intervals to project")
    rows = parse_roster(roster)
    _check_fit(rows, fc, settings)
    if skills:
        for agent_id, queues in skills.items():
            bad = [q for q in queues if q not in settings.index]
            if bad:
                raise ProjectionInputError(f"skills of agent {agent_id}: unknown queue "
                                           f"{bad[0]!r}; the queue settings list "
                                           f"{sorted(settings.index)}")
    _check_proficiency(proficiency, settings)
    windows = on_line_windows(rows)
    report(0.05)
    rostered = agents_on_line(windows, fc, length, proficiency)
    shrinkage = fc["queue"].map(settings["shrinkage"]).to_numpy(dtype=float)
    frame = fc[["queue", "interval_start", "contacts", "aht_seconds"]].copy()
    frame["scheduled"] = rostered * (1.0 - shrinkage)
    frame["required"] = _required(frame, settings, length)
    report(0.1)
    if simulate:
        origin = frame["interval_start"].min()
        draw = simulation_agents(windows, settings, skills, origin, length, proficiency)
        queues = sorted(set(frame["queue"]) | set(windows["queue"]))
        sim = simulate_pooled(frame, draw, _queue_models(settings, queues), length, seed=seed,
                              replications=replications,
                              progress=lambda f: report(0.1 + 0.85 * f))
        sim = sim.set_index(["queue", "interval_start"])
        key = pd.MultiIndex.from_frame(frame[["queue", "interval_start"]])
        metrics = sim.loc[key, list(_METRICS)].reset_index(drop=True)
        metrics["method"] = "simulation"
        metrics.index = frame.index
    else:
        metrics = formula_metrics(frame, settings, length)
    out = pd.concat([frame, metrics], axis=1)
    out["below_target"] = below_target(out, settings)
    report(1.0)
    return out[list(PROJECTION_COLUMNS) + list(EXTRA_COLUMNS)]


def _check_proficiency(proficiency: Mapping[str, Mapping[str, float]] | None,
                       settings: pd.DataFrame) -> None:
    """Refuse a proficiency for an unknown queue or outside (0, 1], naming the agent."""
    for agent_id, shares in (proficiency or {}).items():
        for queue, share in shares.items():
            if queue not in settings.index:
                raise ProjectionInputError(
                    f"proficiency of agent {agent_id}: unknown queue {queue!r}; the queue "
                    f"settings list {sorted(settings.index)}")
            try:
                ok = 0 < float(share) <= 1
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise ProjectionInputError(
                    f"proficiency of agent {agent_id} in queue {queue}: {share!r}; expected "
                    "a number above 0 and at most 1")


def _required(frame: pd.DataFrame, settings: pd.DataFrame, length: int) -> np.ndarray:
    """Agents on line each interval needs to meet its queue's targets
    (`scheduling.staffing.requirements`, the same models as the projection)."""
    need = staffing.requirements(frame[["queue", "interval_start", "contacts", "aht_seconds"]],
                                 settings.reset_index(), interval_minutes=length)
    key = ["queue", "interval_start"]
    merged = frame[key].merge(need[[*key, "agents"]], on=key, how="left", validate="one_to_one")
    return merged["agents"].to_numpy(dtype=float)


def below_target(projection: pd.DataFrame, queue_settings: pd.DataFrame) -> pd.Series:
    """True where an interval with contacts misses its queue's service-level target
    (or its ASA target, where the queue has one)."""
    settings = (queue_settings if queue_settings.index.name == "queue"
                else settings_table(queue_settings))
    queue = projection["queue"].astype(str)
    goal = queue.map(settings["service_level"]).astype(float)
    miss = goal.notna() & (projection["service_level"].astype(float) < goal - 1e-9)
    asa_goal = queue.map(settings["asa_seconds"]).astype(float)
    miss |= asa_goal.notna() & (projection["asa_seconds"].astype(float) > asa_goal + 1e-9)
    return miss & (projection["contacts"].astype(float) > 0)
