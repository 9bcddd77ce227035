"""Import profiles: small YAML files saying how to read one export format.

A profile names the columns that hold the start time, queue, handle time and
so on, and which outcome values count as answered, abandoned or not a contact
at all. Shipped profiles live in `forecasting/profiles/*.yaml`; a planner may
pass the path of their own. See the README for the format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from forecasting.history.errors import HistoryError, listed_headers

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "profiles"
MAX_PROFILE_BYTES = 1 << 20

KINDS = ("contacts", "intervals")
CONTACT_ROLES = ("queue", "channel", "handle_time", "wait_time", "outcome", "agent",
                 "contact_id")
INTERVAL_ROLES = (
    "queue", "channel", "offered", "answered", "handled", "abandoned",
    "handle_time_total", "aht", "asa", "service_level", "agents",
)
REQUIRED_ROLES = {"contacts": ("queue",), "intervals": ("queue", "offered")}
OUTCOME_KINDS = ("answered", "abandoned", "offered", "not_contact")
DURATION_UNITS = {"seconds": 1.0, "milliseconds": 0.001, "minutes": 60.0}
SERVICE_LEVEL_UNITS = ("fraction", "percent")
TOP_KEYS = {
    "name", "description", "kind", "detect", "start", "columns", "optional", "outcomes",
    "not_contact_when", "no_agent", "channel", "channels", "channel_values",
    "service_level_seconds",
    "max_handle_seconds", "duration_unit", "service_level_unit", "delimiter", "encoding",
    "sheet", "skip_rows", "decimal", "timezone",
}
START_KEYS = {"column", "format", "date", "date_format", "time", "time_format"}


@dataclass(frozen=True)
class StartSpec:
    """Where the start time is: one column, or a date column plus a time column."""

    column: str | None = None
    format: str | None = None
    date: str | None = None
    date_format: str | None = None
    time: str | None = None
    time_format: str | None = None

    def headers(self) -> tuple[str, ...]:
        """The file headers this spec reads."""
        return tuple(h for h in (self.column, self.date, self.time) if h)


@dataclass(frozen=True)
class Rule:
    """Rows with one of `outcomes` whose `column` holds one of `values` are not contacts."""

    reason: str
    column: str
    values: tuple[str, ...]
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """How to read one export format (see the module docstring)."""

    name: str
    kind: str
    start: StartSpec
    columns: dict[str, str]
    source: str = "(built in)"
    description: str = ""
    detect: tuple[str, ...] = ()
    optional: frozenset[str] = frozenset()
    outcomes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_contact: dict[str, str] = field(default_factory=dict)
    not_contact_when: tuple[Rule, ...] = ()
    no_agent: tuple[str, ...] = ()
    channel: str | None = None
    channels: dict[str, str] = field(default_factory=dict)
    channel_values: dict[str, str] = field(default_factory=dict)
    service_level_seconds: float = 20.0
    max_handle_seconds: float = 86400.0
    duration_unit: str = "seconds"
    service_level_unit: str = "fraction"
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    skip_rows: int = 0
    decimal: str = "."
    timezone: str | None = None

    def headers(self) -> tuple[str, ...]:
        """Every file header this profile may read (start, roles, rule columns)."""
        seen = dict.fromkeys(self.start.headers())
        seen.update(dict.fromkeys(self.columns.values()))
        seen.update(dict.fromkeys(rule.column for rule in self.not_contact_when))
        return tuple(seen)

    def role_of(self, header: str) -> str:
        """The role (or start part) a header plays, for messages."""
        for role, name in self.columns.items():
            if name == header:
                return role
        return "start time"


def shipped_profiles() -> dict[str, Path]:
    """Names and paths of the profiles that come with the tool."""
    return {p.stem: p for p in sorted(SHIPPED_DIR.glob("*.yaml"))}


def load_profile(spec: str | Path | Profile) -> Profile:
    """A profile from a shipped name (e.g. `genesys`), a YAML path, or as is."""
    if isinstance(spec, Profile):
        return spec
    shipped = shipped_profiles()
    path = shipped.get(str(spec)) if isinstance(spec, str) else None
    if path is None:
        path = Path(spec)
        if not path.is_file():
            raise HistoryError(
                f"no such import profile; expected a YAML file or one of the shipped "
                f"profiles: {', '.join(shipped)}", file=str(spec))
    if path.stat().st_size > MAX_PROFILE_BYTES:
        raise HistoryError(f"import profile is {path.stat().st_size:,} bytes; expected a small "
                           f"YAML file (at most {MAX_PROFILE_BYTES:,} bytes)", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise HistoryError(f"import profile is not UTF-8 text ({exc.reason})",
                           file=str(path)) from None
    return profile_from_dict(_safe_yaml(text, str(path)), source=str(path))


def _safe_yaml(text: str, file: str) -> Any:
    """Plain YAML data only: no Python object tags (never constructed, let alone run)
    and no aliases (a few nested aliases can expand to billions of values)."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise HistoryError("import profile uses a YAML alias (*name); expected plain "
                                   "values, lists and mappings", file=file)
            tag = getattr(event, "tag", None)
            if tag and "python/" in tag:
                raise HistoryError(
                    f"import profile uses the tag {tag.replace('tag:yaml.org,2002:', '!!')}, "
                    "which would build a Python object; refused (nothing was run). Expected "
                    "plain YAML: values, lists and mappings", file=file)
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise HistoryError(f"is not valid YAML ({exc})", file=file) from None


def profile_from_dict(data: Any, source: str = "(built in)") -> Profile:
    """Validate a profile mapping (as read from YAML) and build the Profile."""

    def fail(message: str) -> HistoryError:
        return HistoryError(f"import profile: {message}", file=source)

    if not isinstance(data, dict):
        raise fail("expected a mapping of settings (name, kind, start, columns, ...)")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise fail(f"unknown setting {unknown[0]!r}; expected one of {', '.join(sorted(TOP_KEYS))}")
    kind = data.get("kind")
    if kind not in KINDS:
        raise fail(f"kind is {kind!r}; expected 'contacts' (one row per contact) or "
                   "'intervals' (already aggregated)")
    start = _start_spec(data.get("start"), fail)
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise fail("columns: expected a mapping of role to column header")
    roles = CONTACT_ROLES if kind == "contacts" else INTERVAL_ROLES
    for role, header in columns.items():
        if role not in roles:
            raise fail(f"columns: unknown role {role!r} for kind {kind}; expected one of "
                       f"{', '.join(roles)}")
        if not isinstance(header, str) or not header.strip():
            raise fail(f"columns: {role} must name a column header")
    for role in REQUIRED_ROLES[kind]:
        if role not in columns:
            raise fail(f"columns: {role} is required for kind {kind}")
    optional = frozenset(_strings(data.get("optional", []), "optional", fail))
    for role in optional:
        if role in REQUIRED_ROLES[kind] or role not in columns:
            raise fail(f"optional: {role!r} must be one of the profile's non-required columns")

    outcomes_raw = data.get("outcomes") or {}
    if not isinstance(outcomes_raw, dict):
        raise fail("outcomes: expected a mapping such as {answered: [AGENT], abandoned: [HANG]}")
    outcomes: dict[str, tuple[str, ...]] = {}
    not_contact: dict[str, str] = {}
    for key, values in outcomes_raw.items():
        if key not in OUTCOME_KINDS:
            raise fail(f"outcomes: unknown kind {key!r}; expected one of "
                       f"{', '.join(OUTCOME_KINDS)}")
        if key == "not_contact" and isinstance(values, dict):
            not_contact = {str(k): str(v) for k, v in values.items()}
        elif key == "not_contact":
            listed = _strings(values, "outcomes.not_contact", fail)
            not_contact = {v: f"outcome {v}" for v in listed}
        else:
            outcomes[key] = tuple(_strings(values, f"outcomes.{key}", fail))
    if "outcome" in columns and not outcomes.get("answered"):
        raise fail("outcomes: answered must list the outcome values of answered contacts")

    rules = []
    for i, raw in enumerate(data.get("not_contact_when") or [], start=1):
        if not isinstance(raw, dict) or "column" not in raw or "values" not in raw:
            raise fail(f"not_contact_when rule {i}: expected reason, column, values "
                       "(and optionally outcomes)")
        rules.append(Rule(
            reason=str(raw.get("reason", f"rule {i}")),
            column=str(raw["column"]),
            values=tuple(_strings(raw["values"], f"not_contact_when rule {i} values", fail)),
            outcomes=tuple(_strings(raw.get("outcomes", []), f"rule {i} outcomes", fail)),
        ))

    unit = data.get("duration_unit", "seconds")
    if unit not in DURATION_UNITS:
        raise fail(f"duration_unit is {unit!r}; expected one of {', '.join(DURATION_UNITS)}")
    sl_unit = data.get("service_level_unit", "fraction")
    if sl_unit not in SERVICE_LEVEL_UNITS:
        raise fail(f"service_level_unit is {sl_unit!r}; expected fraction or percent")
    channels = data.get("channels") or {}
    if not isinstance(channels, dict):
        raise fail("channels: expected a mapping of queue to channel (voice, chat, email)")
    channel_values = data.get("channel_values") or {}
    if not isinstance(channel_values, dict):
        raise fail("channel_values: expected a mapping of the file's channel value to "
                   "voice, chat or email (e.g. {电话: voice, 在线: chat})")
    numbers = {}
    for key, default in (("service_level_seconds", 20.0), ("max_handle_seconds", 86400.0),
                         ("skip_rows", 0)):
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise fail(f"{key} is {value!r}; expected a number >= 0")
        numbers[key] = value
    decimal = str(data.get("decimal", "."))
    if decimal not in (".", ","):
        raise fail(f"decimal is {decimal!r}; expected '.' or ','")
    return Profile(
        name=str(data.get("name") or Path(source).stem),
        kind=kind,
        start=start,
        columns={role: header.strip() for role, header in columns.items()},
        source=source,
        description=str(data.get("description", "")).strip(),
        detect=tuple(_strings(data.get("detect", []), "detect", fail)),
        optional=optional,
        outcomes=outcomes,
        not_contact=not_contact,
        not_contact_when=tuple(rules),
        no_agent=tuple(_strings(data.get("no_agent", []), "no_agent", fail)),
        channel=data.get("channel"),
        channels={str(k): str(v) for k, v in channels.items()},
        channel_values={str(k).strip(): str(v).strip() for k, v in channel_values.items()},
        service_level_seconds=float(numbers["service_level_seconds"]),
        max_handle_seconds=float(numbers["max_handle_seconds"]),
        duration_unit=unit,
        service_level_unit=sl_unit,
        delimiter=data.get("delimiter"),
        encoding=data.get("encoding"),
        sheet=data.get("sheet"),
        skip_rows=int(numbers["skip_rows"]),
        decimal=decimal,
        timezone=data.get("timezone"),
    )


def find_profile(headers: list[str], known: Sequence[Profile] = ()) -> Profile | None:
    """The profile whose `detect` headers all appear in `headers`: the shipped profiles
    first (the one naming the most headers), then `known` (a planner's saved
    mappings) in order; None when none fits."""
    present = {h.strip().casefold() for h in headers}
    best: tuple[int, Profile] | None = None
    for path in shipped_profiles().values():
        profile = load_profile(path)
        wanted = {h.casefold() for h in profile.detect}
        if wanted and wanted <= present and (best is None or len(wanted) > best[0]):
            best = (len(wanted), profile)
    if best is not None:
        return best[1]
    for profile in known:
        wanted = {h.strip().casefold() for h in (profile.detect or profile.headers())}
        if wanted and wanted <= present:
            return profile
    return None


def detect_profile(headers: list[str], file: str,
                   known: Sequence[Profile] = ()) -> Profile:
    """The shipped (or known) profile whose `detect` headers all appear in `headers`."""
    found = find_profile(headers, known)
    if found is None:
        listed = listed_headers(headers, 12)
        raise HistoryError(
            f"cannot tell which export this is from its headers ({listed}); expected the "
            f"headers of a shipped profile ({', '.join(shipped_profiles())}) or a saved "
            "column mapping", file=file, row="line 1")
    return found


def _start_spec(raw: Any, fail: Any) -> StartSpec:
    if isinstance(raw, str):
        return StartSpec(column=raw)
    if not isinstance(raw, dict):
        raise fail("start: expected a column name, or {column, format}, or "
                   "{date, date_format, time, time_format}")
    unknown = sorted(set(raw) - START_KEYS)
    if unknown:
        raise fail(f"start: unknown key {unknown[0]!r}; expected {', '.join(sorted(START_KEYS))}")
    spec = StartSpec(**{k: (str(v) if v is not None else None) for k, v in raw.items()})
    if bool(spec.column) == bool(spec.date or spec.time) or bool(spec.date) != bool(spec.time):
        raise fail("start: give either column (one date-time column) or both date and time")
    for key, needs in (("format", ("year", "hour")), ("date_format", ("year",)),
                       ("time_format", ("hour",))):
        problem = format_problem(getattr(spec, key), needs)
        if problem:
            raise fail(f"field start.{key} {getattr(spec, key)!r} {problem}; expected strptime "
                       f"codes such as {FORMAT_EXAMPLES[key]!r} (the data was not read)")
    return spec


FORMAT_EXAMPLES = {"format": "%Y-%m-%d %H:%M", "date_format": "%d/%m/%Y",
                   "time_format": "%H:%M:%S"}
_DIRECTIVES = {"year": ("%Y", "%y", "%G"), "hour": ("%H", "%I", "%T", "%R")}


def format_problem(fmt: str | None, needs: tuple[str, ...]) -> str | None:
    """Why a strptime format cannot read dates or times (a bad or stray % code, no year
    or no hour), or None when it can. Checked on the profile, before any data is read,
    so a typo in the profile is blamed on the profile, not on the file's first row."""
    if fmt is None:
        return None
    sample = datetime(2026, 3, 2, 8, 30, 15, tzinfo=UTC)
    try:
        back = datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError as exc:
        return f"is not a valid format ({exc})"
    for what in needs:
        if not any(code in fmt for code in _DIRECTIVES[what]):
            return f"has no {what} (none of {', '.join(_DIRECTIVES[what])})"
    if "year" in needs and back.date() != sample.date() and "%j" not in fmt:
        return "does not give the day and month (add %m and %d)"
    return None


def _strings(values: Any, what: str, fail: Any) -> list[str]:
    if isinstance(values, str | int | float) and not isinstance(values, bool):
        values = [values]
    if not isinstance(values, list):
        raise fail(f"{what}: expected a list of values")
    return [str(v) for v in values]
