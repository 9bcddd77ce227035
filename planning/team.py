"""The team from a planner's file and shift templates as a table, for the Roster page.

`read_agents_file` reads an uploaded agent list (CSV or Excel), fills the columns a
planner's list often lacks (hours, days, unavailability) and checks it as the roster
will; `templates_table` and `apply_templates_table` show a plan's shift templates as
rows to edit and write the edits back into its shift settings.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import yaml

from planning import uploads
from planning.roster_step import team_from_table
from planning.steps import parse_shifts

AGENT_DEFAULTS = {"min_hours_week": "0", "max_hours_week": "40", "max_days_week": "5",
                  "unavailable": ""}
AGENT_SYNONYMS = {
    "agent_id": ("agent_id", "agent id", "id", "employee id", "工号", "坐席工号", "客服工号"),
    "name": ("name", "agent", "agent name", "姓名", "坐席", "客服", "坐席名称"),
    "queues": ("queues", "queue", "skills", "skill", "技能组", "队列", "技能"),
    "proficiency": ("proficiency", "熟练度", "技能熟练度"),
}
TEMPLATE_COLUMNS = ("template", "earliest_start", "latest_start", "start_step", "lengths")


def _rename(frame: pd.DataFrame) -> pd.DataFrame:
    names = {}
    for column in frame.columns:
        key = str(column).strip().casefold().replace("_", " ")
        for role, synonyms in AGENT_SYNONYMS.items():
            if role not in names.values() and key in {s.replace("_", " ") for s in synonyms}:
                names[column] = role
                break
    return frame.rename(columns=names)


def read_agents_file(data: bytes, file_name: str, queues: list[str]) -> pd.DataFrame:
    """The agents table from an uploaded agent list (CSV or Excel).

    Needs a name or agent id per row and the queues each agent works (several separated
    by `;`, or `all`); headers may be in English or Chinese (工号, 姓名, 技能组). Missing
    hours take 0-40 a week on at most 5 days. Raises ValueError naming the file, row
    and column when the list cannot be rostered or names a queue the plan lacks.
    """
    name = uploads.check_upload(data, file_name)
    try:
        if name.lower().endswith(".xlsx"):
            frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
        else:
            text = data.decode("utf-8-sig", errors="strict") if _utf8(data) \
                else data.decode("gb18030")
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                                sep=None, engine="python")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"{name}: cannot be read as an agent list ({exc})") from None
    frame = _rename(frame)
    if "agent_id" not in frame.columns and "name" not in frame.columns:
        raise ValueError(f"{name}, line 1: no column names the agents; expected agent_id "
                         "or name (工号, 姓名)")
    if "queues" not in frame.columns:
        raise ValueError(f"{name}, line 1: no column says which queues each agent works; "
                         "expected queues (技能组)")
    if "agent_id" not in frame.columns:
        frame.insert(0, "agent_id", [f"A{i:03d}" for i in range(1, len(frame) + 1)])
    if "name" not in frame.columns:
        frame.insert(1, "name", frame["agent_id"])
    for column, default in AGENT_DEFAULTS.items():
        if column not in frame.columns:
            frame[column] = default
    known = set(queues)
    for i, cell in enumerate(frame["queues"], start=2):
        parts = [q.strip() for q in str(cell).split(";") if q.strip()]
        if parts in ([], ["all"]):
            frame.loc[i - 2, "queues"] = ";".join(queues)
            continue
        unknown = [q for q in parts if q not in known]
        if unknown:
            raise ValueError(f"{name}, line {i}, column 'queues': unknown queue {unknown[0]!r}; "
                             f"the plan's queues are {', '.join(queues)} (or write all)")
    team_from_table(frame, source=name)  # refuse what the roster would refuse
    return frame.reset_index(drop=True)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def templates_table(shifts_text: str | None) -> pd.DataFrame:
    """The shift templates of a plan as rows: template, earliest_start, latest_start,
    start_step (minutes), lengths (H:MM, several separated by `;`)."""
    data: dict[str, Any] = yaml.safe_load(shifts_text or "") or {}
    rows = []
    for name, spec in (data.get("templates") or {}).items():
        spec = spec or {}
        rows.append({"template": str(name), "earliest_start": str(spec.get("earliest_start", "")),
                     "latest_start": str(spec.get("latest_start", "")),
                     "start_step": int(spec.get("start_step", 30) or 30),
                     "lengths": ";".join(str(x) for x in spec.get("lengths", []))})
    return pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS))


def apply_templates_table(shifts_text: str | None, table: pd.DataFrame) -> str:
    """The shift settings with their templates replaced by the edited rows (breaks of a
    kept template are kept; a new template takes the first template's breaks). Raises
    ValueError when the result is not valid shift settings."""
    data: dict[str, Any] = yaml.safe_load(shifts_text or "") or {}
    old = data.get("templates") or {}
    first_breaks = next(iter(old.values()), {}).get("breaks", []) if old else []
    templates: dict[str, Any] = {}
    for i, row in enumerate(table.fillna("").to_dict("records"), start=1):
        name = str(row.get("template", "")).strip()
        if not name:
            continue
        if name in templates:
            raise ValueError(f"shift templates, row {i}: the template {name!r} is listed twice")
        spec = dict(old.get(name) or {"breaks": first_breaks})
        spec["earliest_start"] = str(row["earliest_start"]).strip()
        spec["latest_start"] = str(row["latest_start"]).strip()
        try:
            spec["start_step"] = int(float(row["start_step"]))
        except (TypeError, ValueError):
            raise ValueError(f"shift templates, row {i}, column start_step: "
                             f"{row['start_step']!r} is not a number of minutes") from None
        spec["lengths"] = [x.strip() for x in str(row["lengths"]).split(";") if x.strip()]
        templates[name] = spec
    if not templates:
        raise ValueError("shift templates: expected at least one template")
    data["templates"] = templates
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    parse_shifts(text)
    return text
