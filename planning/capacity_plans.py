"""Saved capacity plans: a goal-seek answer kept in the workspace like a scenario run
(the same `plans` and `artifacts` tables, `source` "capacity"), listed, loaded back and
compared side by side.

A saved capacity plan holds the frames of the answer (`capacity_levers`,
`capacity_daily`, `capacity_reasons`, `capacity_planned`) and, in its inputs, the
headline figures and the capacity scenario's YAML text that produced them, so it can
be re-run.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from planning import audit
from planning.workspace import Workspace

SOURCE = "capacity"
FRAMES = {"levers": "capacity_levers", "daily": "capacity_daily",
          "reasons": "capacity_reasons", "planned": "capacity_planned"}
FIGURES = ("cost", "gap", "temps", "overtime_hours", "target")
COMPARE_COLUMNS = ("plan", "target", "temps", "overtime_hours", "cost", "gap",
                   "targets_met", "queue_days", "lowest_service_level")
"""One row per saved capacity plan compared: the headline figures side by side."""


def service_level_column(daily: pd.DataFrame) -> str:
    """The rostered service level where the plan was checked by building it, else the
    planned one."""
    rostered = daily.get("service_level_rostered")
    if rostered is not None and len(daily) and rostered.notna().all():
        return "service_level_rostered"
    return "service_level_planned"


def save_capacity(ws: Workspace, answer: dict[str, Any], name: str, *, yaml_text: str = "",
                  user: str | None = None, replace: bool = True) -> int:
    """Save a goal-seek answer (the frames under `FRAMES` keys and the `FIGURES`) as a
    workspace plan called `name`; returns its id. An earlier draft of that name is
    replaced (never a published plan: the new one is saved beside it)."""
    frames = {kind: answer[key] for key, kind in FRAMES.items() if answer.get(key) is not None}
    figures = {key: _plain(answer.get(key)) for key in FIGURES}
    saved = ws.replace_plan(name, frames, source=SOURCE, replace=replace,
                            inputs={"capacity": {**figures, "yaml": yaml_text}})
    audit.record(ws, user, "capacity", plan_id=saved.plan_id, plan_name=saved.name,
                 detail="capacity plan saved"
                 + (f", replacing plan id {saved.replaced}" if saved.replaced else ""))
    return saved.plan_id


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    number = float(value)
    return None if number != number else number  # NaN (no bound) is kept as null


def capacity_plans(ws: Workspace) -> pd.DataFrame:
    """Saved capacity plans: plan_id, name, updated_at (newest first)."""
    plans = ws.list_plans()
    plans = plans[plans["source"] == SOURCE]
    return plans[["plan_id", "name", "updated_at"]].sort_values(
        "updated_at", ascending=False, ignore_index=True)


def load_capacity(ws: Workspace, plan_id: int) -> dict[str, Any]:
    """A saved capacity plan as the answer it was saved from (frames and figures)."""
    info = ws.plan(plan_id)
    figures = dict((info.inputs or {}).get("capacity") or {})
    answer: dict[str, Any] = {key: figures.get(key) for key in FIGURES}
    answer["gap"] = float("nan") if answer["gap"] is None else answer["gap"]
    for key, kind in FRAMES.items():
        frame = ws.load_frame(plan_id, kind)
        answer[key] = frame if frame is not None else pd.DataFrame()
    answer["name"], answer["yaml"] = info.name, figures.get("yaml", "")
    return answer


def compare_capacity(answers: dict[str, dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(headline per plan with `COMPARE_COLUMNS`, service level per plan, queue and day:
    plan, queue, date, target_service_level, service_level)."""
    rows, days = [], []
    for name, answer in answers.items():
        daily = answer["daily"]
        column = service_level_column(daily)
        sl = daily[column].astype(float) if len(daily) else pd.Series(dtype=float)
        met = int((sl >= daily["target_service_level"].astype(float) - 1e-9).sum()) \
            if len(daily) else 0
        rows.append({"plan": name, "target": answer.get("target") or "interval",
                     "temps": int(answer.get("temps") or 0),
                     "overtime_hours": float(answer.get("overtime_hours") or 0.0),
                     "cost": float(answer.get("cost") or 0.0),
                     "gap": answer.get("gap"), "targets_met": met, "queue_days": len(daily),
                     "lowest_service_level": float(sl.min()) if len(sl) else float("nan")})
        if len(daily):
            days.append(daily[["queue", "date", "target_service_level"]].assign(
                plan=name, service_level=sl.to_numpy()))
    headline = pd.DataFrame(rows, columns=list(COMPARE_COLUMNS))
    per_day = (pd.concat(days, ignore_index=True) if days else pd.DataFrame(
        columns=["plan", "queue", "date", "target_service_level", "service_level"]))
    return headline, per_day[["plan", "queue", "date", "target_service_level",
                              "service_level"]]
