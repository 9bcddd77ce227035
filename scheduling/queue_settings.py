"""Queue settings: the response-time target, occupancy cap and shrinkage of each queue.

A CSV (or YAML with the same keys) with one row per queue:

    queue, channel, service_level, target_seconds, asa_seconds, max_occupancy,
    shrinkage, concurrency, patience_seconds, open_hours

Empty cells take the defaults of the channel (`CHANNEL_DEFAULTS`): voice 80% in
20 s; chat 80% first response in 60 s with 2 chats per agent; email 90% within
4 hours (14,400 s). Every channel: max occupancy 85%, shrinkage 30%. If a row gives
an `asa_seconds` target and leaves both `service_level` and `target_seconds` empty,
the queue is staffed on ASA alone. `patience_seconds` on a voice queue switches it
from Erlang C to Erlang A; on a chat queue customers leave the chat queue after
that mean patience (the chat model with abandonment); email queues refuse it.
`open_hours` (`HH:MM-HH:MM`, e.g. `08:00-20:00`; `22:00-06:00` runs overnight) is
for email: the hours the backlog is worked, so its deadline
counts open hours only (empty: around the clock). Voice and chat opening hours
belong to the roster's shift settings. Rates may be written 0.8 or 80%.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from numpy.typing import ArrayLike, NDArray

SETTINGS_COLUMNS = (
    "queue", "channel", "service_level", "target_seconds", "asa_seconds", "max_occupancy",
    "shrinkage", "concurrency", "patience_seconds", "open_hours",
)
SITE_FIELDS = ("site", "time_zone")
"""Optional columns when the centre has several sites: the queue's site and that site's
IANA time zone (one per site). A frame's `interval_start` is each site's local time."""
CHANNELS = ("voice", "chat", "email")
CHANNEL_DEFAULTS: dict[str, dict[str, float]] = {
    "voice": {"service_level": 0.80, "target_seconds": 20.0, "concurrency": 1},
    "chat": {"service_level": 0.80, "target_seconds": 60.0, "concurrency": 2},
    "email": {"service_level": 0.90, "target_seconds": 4 * 3600.0, "concurrency": 1},
}
COMMON_DEFAULTS = {"max_occupancy": 0.85, "shrinkage": 0.30}
_RATES = ("service_level", "max_occupancy", "shrinkage")
_NUMBERS = ("service_level", "target_seconds", "asa_seconds", "max_occupancy", "shrinkage",
            "concurrency", "patience_seconds")


class QueueSettingsError(ValueError):
    """Queue settings that cannot be used; the message names the queue and field."""


def remove_formula_guard(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet-safe export marked with a leading apostrophe
    (`'+cmd`, `'=x`: see planning/files.py) back as they were (`+cmd`, `=x`)."""
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            text = frame[col].astype("string")
            marked = text.str.match(r"^'[=+\-@\t\r]", na=False)
            if marked.any():
                frame[col] = frame[col].mask(marked, text.str.slice(1))
    return frame


def read_queue_settings(path: str | Path) -> pd.DataFrame:
    """Read a queue settings CSV or YAML file, fill defaults and validate it."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"queue settings file not found: {path}")
    if path.suffix.lower() in (".yaml", ".yml"):
        with path.open(encoding="utf-8") as fh:
            try:
                data = yaml.safe_load(fh)
            except yaml.YAMLError as exc:
                raise QueueSettingsError(f"{path}: not valid YAML: {exc}") from exc
        rows = _yaml_rows(data, path)
        raw = pd.DataFrame(rows)
    else:
        try:
            raw = remove_formula_guard(pd.read_csv(path, dtype=str, keep_default_na=False,
                                                   skipinitialspace=True))
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise QueueSettingsError(f"{path}: not a readable CSV: {exc}") from exc
    return queue_settings_frame(raw, source=str(path))


def _yaml_rows(data: object, path: Path) -> list[dict]:
    if isinstance(data, dict) and "queues" in data:
        data = data["queues"]
    if isinstance(data, dict):
        rows = []
        for name, values in data.items():
            if values is not None and not isinstance(values, dict):
                raise QueueSettingsError(f"{path}: queue {name!r} must map field names to values")
            rows.append({"queue": name, **(values or {})})
        return rows
    if isinstance(data, list) and all(isinstance(r, dict) for r in data):
        return data
    raise QueueSettingsError(
        f"{path}: expected a list of queues (each with queue, channel, ...) "
        "or a mapping from queue name to its settings"
    )


def _number(value: object, field: str, where: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, float) and math.isnan(value):
        return math.nan
    text = str(value).strip()
    if text == "" or text.lower() in ("nan", "none", "null"):
        return math.nan
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%").strip())
    except ValueError:
        raise QueueSettingsError(f"{where}: {field} must be a number, got {text!r}") from None
    if percent:
        if field not in _RATES:
            raise QueueSettingsError(f"{where}: {field} cannot be a percentage, got {text!r}")
        number /= 100.0
    return number


def queue_settings_frame(raw: pd.DataFrame, source: str = "queue settings") -> pd.DataFrame:
    """Validate a raw settings frame (strings or numbers) and fill channel defaults.

    Returns one row per queue with the columns of `SETTINGS_COLUMNS`; `asa_seconds`
    and `patience_seconds` stay NaN where not given (no such target / no abandonment).
    """
    raw = raw.rename(columns=lambda c: str(c).strip().lower())
    unknown = [c for c in raw.columns if c not in (*SETTINGS_COLUMNS, *SITE_FIELDS)]
    if unknown:
        raise QueueSettingsError(
            f"{source}: unknown column(s) {unknown}; expected "
            f"{', '.join((*SETTINGS_COLUMNS, *SITE_FIELDS))}"
        )
    if "queue" not in raw.columns:
        raise QueueSettingsError(f"{source}: missing the 'queue' column")
    if raw.empty:
        raise QueueSettingsError(f"{source}: no queues")
    rows = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(raw.to_dict("records")):
        line = i + 2
        queue = str(rec.get("queue") or "").strip()
        if not queue:
            raise QueueSettingsError(f"{source}, row {line}: queue name is empty")
        if queue in seen:
            raise QueueSettingsError(
                f"{source}, row {line}: queue {queue!r} is listed twice "
                f"(first at row {seen[queue]})"
            )
        seen[queue] = line
        where = f"{source}, row {line}, queue {queue!r}"
        channel = str(rec.get("channel") or "voice").strip().lower() or "voice"
        if channel not in CHANNELS:
            raise QueueSettingsError(
                f"{where}: channel must be one of {', '.join(CHANNELS)}, got {channel!r}"
            )
        values = {f: _number(rec.get(f), f, where) for f in _NUMBERS}
        asa_only = (
            not math.isnan(values["asa_seconds"])
            and math.isnan(values["service_level"])
            and math.isnan(values["target_seconds"])
        )
        defaults = {**COMMON_DEFAULTS, **CHANNEL_DEFAULTS[channel]}
        for field, default in defaults.items():
            if asa_only and field in ("service_level", "target_seconds"):
                continue
            if math.isnan(values[field]):
                values[field] = float(default)
        _validate(values, channel, where)
        hours = _open_hours(rec.get("open_hours"), channel, where)
        rows.append({"queue": queue, "channel": channel, **values, "open_hours": hours})
    frame = pd.DataFrame(rows, columns=list(SETTINGS_COLUMNS))
    frame["concurrency"] = frame["concurrency"].astype("int64")
    if "site" in raw.columns:
        frame = pd.concat([frame, _sites(raw, source)], axis=1)
    return frame


def _sites(raw: pd.DataFrame, source: str) -> pd.DataFrame:
    """The `site` and `time_zone` columns checked: every queue has a site, each site one
    time zone that Python's zoneinfo knows (empty: the same as another row of the site)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    zones: dict[str, tuple[str, int]] = {}
    sites, out_zones = [], []
    given = raw["time_zone"] if "time_zone" in raw.columns else pd.Series("", index=raw.index)
    for i, (site, zone) in enumerate(zip(raw["site"], given, strict=True)):
        where = f"{source}, row {i + 2}"
        site = "" if pd.isna(site) else str(site).strip()
        zone = "" if pd.isna(zone) else str(zone).strip()
        if not site:
            raise QueueSettingsError(f"{where}, column site: empty; give every queue its "
                                     "site, or leave the site column out")
        if zone:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise QueueSettingsError(f"{where}, column time_zone: {zone!r} is not a time "
                                         "zone; give one such as Asia/Shanghai") from None
            known, row = zones.setdefault(site, (zone, i + 2))
            if known != zone:
                raise QueueSettingsError(f"{where}, column time_zone: site {site!r} is in "
                                         f"{known} (row {row}), not {zone}")
        sites.append(site)
        out_zones.append(zone)
    out_zones = [z or zones.get(s, ("", 0))[0] for s, z in zip(sites, out_zones, strict=True)]
    return pd.DataFrame({"site": sites, "time_zone": out_zones})


_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def _open_hours(value: object, channel: str, where: str) -> str:
    """Canonical `HH:MM-HH:MM`, or "" for around the clock."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    if text.lower() in ("", "nan", "none", "null"):
        return ""
    match = _HOURS.match(text)
    if not match:
        raise QueueSettingsError(
            f"{where}: open_hours must look like 08:00-20:00, got {text!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if m1 > 59 or m2 > 59 or start >= 24 * 60 or end > 24 * 60 or start == end:
        raise QueueSettingsError(
            f"{where}: open_hours must be two different times between 00:00 and 24:00, "
            f"got {text!r}")
    if channel != "email":
        raise QueueSettingsError(
            f"{where}: open_hours is for email deadlines; set voice and chat opening hours "
            "in the shift settings (queues: open/close)")
    return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"


def open_intervals(interval_start: ArrayLike, open_hours: str) -> NDArray[np.bool_]:
    """Whether each interval (by its start time of day) falls in `open_hours`."""
    starts = pd.DatetimeIndex(np.asarray(interval_start).ravel())
    if not open_hours:
        return np.ones(len(starts), dtype=bool)
    first, last = open_hours.split("-")
    start = int(first[:2]) * 60 + int(first[3:])
    end = int(last[:2]) * 60 + int(last[3:])
    minute = np.asarray(starts.hour * 60 + starts.minute)
    if start < end:
        return (minute >= start) & (minute < end)
    return (minute >= start) | (minute < end)


def _validate(v: dict[str, float], channel: str, where: str) -> None:
    sl = v["service_level"]
    if not math.isnan(sl) and not 0 < sl < 1:
        raise QueueSettingsError(
            f"{where}: service_level must be between 0 and 1 (e.g. 0.8 or 80%), got {sl:g}"
        )
    t = v["target_seconds"]
    if not math.isnan(t) and not (math.isfinite(t) and t >= 0):
        raise QueueSettingsError(f"{where}: target_seconds must be 0 or more, got {t:g}")
    if math.isnan(sl) != math.isnan(t):
        raise QueueSettingsError(f"{where}: service_level and target_seconds go together")
    asa = v["asa_seconds"]
    if not math.isnan(asa) and not (math.isfinite(asa) and asa > 0):
        raise QueueSettingsError(f"{where}: asa_seconds must be above 0, got {asa:g}")
    occ = v["max_occupancy"]
    if not 0 < occ <= 1:
        raise QueueSettingsError(
            f"{where}: max_occupancy must be above 0 and at most 1 (e.g. 0.85), got {occ:g}"
        )
    s = v["shrinkage"]
    if not 0 <= s < 1:
        raise QueueSettingsError(
            f"{where}: shrinkage must be at least 0 and below 1 (e.g. 0.3), got {s:g}"
        )
    c = v["concurrency"]
    if not (math.isfinite(c) and c >= 1 and c == int(c)):
        raise QueueSettingsError(f"{where}: concurrency must be a whole number >= 1, got {c:g}")
    if channel != "chat" and c != 1:
        raise QueueSettingsError(f"{where}: concurrency above 1 is only for chat, got {c:g}")
    p = v["patience_seconds"]
    if not math.isnan(p):
        if not (math.isfinite(p) and p > 0):
            raise QueueSettingsError(f"{where}: patience_seconds must be above 0, got {p:g}")
        if channel == "email":
            raise QueueSettingsError(
                f"{where}: patience_seconds is for voice (Erlang A) and chat, not email"
            )
    if channel == "email" and math.isnan(t):
        raise QueueSettingsError(
            f"{where}: email needs target_seconds (the deadline), not only asa_seconds"
        )
