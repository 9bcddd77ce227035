"""Importing a planner's contact log or interval file into an interval history.

An export no shipped profile recognises is read by a column mapping: guessed from
its headers (`inspect_upload`), corrected by the planner on the Data page, and saved
as a named profile in the workspace folder (`profiles/NAME.yaml`), so the next file
with the same headers is recognised (`saved_profiles`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from forecasting.history import (
    HistoryError,
    Profile,
    build_profile,
    guess_mapping,
    ingest,
    load_profile,
    profile_dict,
    shipped_profiles,
)
from forecasting.history.errors import identifying, listed_headers
from forecasting.history.mapping import missing_roles
from forecasting.history.mapping import preview as mapping_preview
from forecasting.history.profiles import find_profile
from forecasting.history.read import open_source
from planning import uploads
from planning.contract import ImportReport


def import_history(data: bytes | str | Path, file_name: str, *, profile: str | None = None,
                   interval: str = "30min", max_mb: float | None = None,
                   profile_yaml: str | None = None, mapping: ColumnMapping | None = None,
                   known: Sequence[Profile] = ()) -> tuple[pd.DataFrame, ImportReport]:
    """Read an uploaded contact log or interval file into the interval history.

    The file is checked first (`planning.uploads.check_upload`: size limit, an
    accepted format by name and by content) and then parsed, never run. Only the
    columns the import profile names are read, so customer identifiers stay out.
    `profile_yaml` is the text of a planner's own profile (loaded safely; it
    overrides `profile`); `mapping` a column mapping chosen on the Data page (it
    overrides both); `known` the workspace's saved mappings, recognised by their
    headers after the shipped profiles. Returns the history and the importer's summary (rows
    read, used and excluded and why). Raises ValueError, whose message names file,
    row and column, when the file cannot be used.
    """
    upload = not isinstance(data, (str, Path))
    name = uploads.check_upload(data, file_name if upload else None, max_mb=max_mb)
    with tempfile.TemporaryDirectory(prefix="wfm-upload-") as tmp:
        names: dict[str, str] = {}
        if profile_yaml is not None:
            profile = str(Path(tmp) / "profile.yaml")
            _write_private(Path(profile), profile_yaml.encode("utf-8"))
            names[profile] = "the edited import profile"
        if upload:
            path = Path(tmp) / name
            _write_private(path, data)
            names[str(path)] = name
        else:
            path = Path(data)

        def shown(text: str) -> str:
            for temp, label in names.items():
                text = text.replace(temp, label)
            return text

        try:
            chosen: str | Profile | None = profile
            if mapping is not None:
                chosen = mapping.profile(path)
            result = ingest(path, profile=chosen, interval=interval, known=known)
        except HistoryError as exc:
            raise HistoryError(shown(exc.reason), file=shown(exc.file or "") or None,
                               row=exc.row, column=exc.column) from None
        except ValueError as exc:
            raise ValueError(shown(str(exc))) from None
        summary = result.summary
        fields = {**asdict(summary), "rows_excluded": summary.rows_excluded,
                  "text": shown(str(summary))}
        if upload:
            fields["file"] = name
        # Plain JSON values (times as text), as the report is kept with the plan.
        report = ImportReport.from_dict(json.loads(json.dumps(fields, default=str)))
        return result.history, report


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (the upload holds customer data)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def import_profiles(folder: str | Path | None = None) -> list[str]:
    """Names of the import profiles the importer ships, then the mappings saved in the
    workspace `folder`."""
    saved = [p.name for p in saved_profiles(folder)] if folder is not None else []
    return list(shipped_profiles()) + [n for n in saved if n not in shipped_profiles()]


def profile_source(name: str, folder: str | Path | None = None) -> str:
    """What `import_history(profile=...)` takes for a profile name: the shipped name, or
    the file of a mapping saved in the workspace `folder`."""
    if name in shipped_profiles() or folder is None:
        return name
    path = Path(folder) / PROFILES_FOLDER / profile_file_name(name)
    return str(path) if path.is_file() else name


def profile_text(name: str, folder: str | Path | None = None) -> str:
    """The YAML text of a shipped (or saved) import profile, a starting point for editing."""
    path = shipped_profiles().get(name)
    if path is None and folder is not None:
        saved = Path(profile_source(name, folder))
        path = saved if saved.is_file() else None
    if path is None:
        raise ValueError(f"no shipped import profile called {name!r}; "
                         f"expected one of {list(shipped_profiles())}")
    return Path(path).read_text(encoding="utf-8")


# column mappings ------------------------------------------------------------

PROFILES_FOLDER = "profiles"
CONTACT_FORM_ROLES = ("start", "queue", "channel", "handle_time", "wait_time", "outcome",
                      "agent", "contact_id")
INTERVAL_FORM_ROLES = ("start", "queue", "channel", "offered", "answered", "abandoned",
                       "handle_time_total", "aht", "asa")


@dataclass
class ColumnMapping:
    """Which column plays which role in an export, as the Data page shows and edits it.

    `roles` maps a role (`start`, `queue`, `handle_time` ...) to a header; `candidates`
    lists the headers of roles the guess could not settle; `kinds` both kinds when the
    file could be either; `recognised` names the shipped or saved profile whose
    headers the file has (then no mapping is needed); `skip_rows` the rows above the
    header.
    """

    kind: str
    roles: dict[str, str]
    headers: tuple[str, ...] = ()
    candidates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: tuple[str, ...] = ()
    recognised: str | None = None
    skip_rows: int = 0
    name: str = "mapping"

    def form_roles(self) -> tuple[str, ...]:
        """The roles the form asks for, in order (date and time when the file splits them)."""
        base = CONTACT_FORM_ROLES if self.kind == "contacts" else INTERVAL_FORM_ROLES
        if "date" in self.roles or "time" in self.roles:
            base = ("date", "time", *base[1:])
        return base

    def missing(self) -> tuple[str, ...]:
        """Required roles without a column (a start time and a queue; offered contacts for
        an interval file)."""
        return missing_roles(self.kind, {r: h for r, h in self.roles.items() if h})

    def to_json(self) -> str:
        """The mapping as JSON text (a cache key for the page)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        """A mapping from `to_json` text."""
        data = json.loads(text)
        data["headers"] = tuple(data.get("headers", ()))
        data["kinds"] = tuple(data.get("kinds", ()))
        data["candidates"] = {k: tuple(v) for k, v in data.get("candidates", {}).items()}
        return cls(**data)

    def profile(self, path: Path) -> Profile:
        """The import profile of this mapping for the file at `path`."""
        source = open_source(path, skip_rows=self.skip_rows)
        roles = {r: h for r, h in self.roles.items() if h}
        return build_profile(self.kind, roles, source, name=self.name)


@contextmanager
def _upload_path(data: bytes | str | Path, file_name: str,
                 max_mb: float | None = None) -> Iterator[tuple[Path, str]]:
    upload = not isinstance(data, (str, Path))
    name = uploads.check_upload(data, file_name if upload else None, max_mb=max_mb)
    with tempfile.TemporaryDirectory(prefix="wfm-upload-") as tmp:
        if upload:
            path = Path(tmp) / name
            _write_private(path, data)
        else:
            path = Path(data)
        try:
            yield path, name
        except HistoryError as exc:
            raise HistoryError(exc.reason, file=name, row=exc.row, column=exc.column) from None


def inspect_upload(data: bytes | str | Path, file_name: str, *,
                   known: Sequence[Profile] = (), max_mb: float | None = None,
                   recognise: bool = True) -> ColumnMapping:
    """What an uploaded file is, before importing it: the profile that recognises its
    headers (unless `recognise` is False), or the column mapping guessed from them (with
    the candidates where two readings are possible). Only the headers (and, for a title
    row above them, the first rows) are read."""
    with _upload_path(data, file_name, max_mb) as (path, _name):
        source = open_source(path)
        found = find_profile(source.headers, known) if recognise else None
        if found is not None:
            return ColumnMapping(kind=found.kind, roles={}, headers=tuple(source.headers),
                                 recognised=found.name)
        guess = guess_mapping(path, source)
        if any(identifying(str(h).strip()) for h in guess.headers):
            # the first line is a record, not a header row: none of it is shown
            raise HistoryError(f"cannot tell how to read this file: the header line holds "
                               f"{listed_headers(list(guess.headers), 20)}",
                               file=str(path), row=guess.row)
        return ColumnMapping(kind=guess.kind, roles=dict(guess.roles), headers=guess.headers,
                             candidates=dict(guess.candidates), kinds=guess.kinds,
                             skip_rows=guess.skip_rows)


def preview_rows(data: bytes | str | Path, file_name: str, mapping: ColumnMapping,
                 rows: int = 10) -> pd.DataFrame:
    """The first rows of the file as the mapping reads them (durations in seconds,
    channels and outcomes as the tool names them; no agent column)."""
    with _upload_path(data, file_name) as (path, _name):
        source = open_source(path, skip_rows=mapping.skip_rows)
        return mapping_preview(mapping.profile(path), source, rows)


def mapping_profile_text(data: bytes | str | Path, file_name: str,
                         mapping: ColumnMapping) -> str:
    """The YAML text of the profile a mapping makes for this file (channels, outcomes and
    units read from a sample of its mapped columns)."""
    with _upload_path(data, file_name) as (path, _name):
        profile = mapping.profile(path)
    return yaml.safe_dump(profile_dict(profile), sort_keys=False, allow_unicode=True)


def profile_file_name(name: str) -> str:
    """A safe file name for a saved mapping called `name`."""
    slug = re.sub(r"[^\w\-]+", "_", name.strip(), flags=re.UNICODE).strip("_")[:60]
    if not slug or slug in shipped_profiles():
        raise ValueError(f"the mapping name {name!r} cannot be used; expected a name of "
                         "letters, digits, - or _ that is not a shipped profile's")
    return slug + ".yaml"


def save_profile(folder: str | Path, name: str, text: str) -> Path:
    """Save a mapping's profile (YAML text) under `name` in the workspace folder; the next
    file with the same headers is recognised by it."""
    data = yaml.safe_load(text) or {}
    data["name"] = name
    target = Path(folder) / PROFILES_FOLDER / profile_file_name(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                      encoding="utf-8")
    load_profile(target)  # refuse a profile the importer would refuse
    return target


def saved_profiles(folder: str | Path) -> list[Profile]:
    """The mappings saved in the workspace folder (unreadable ones are skipped)."""
    out = []
    for path in sorted((Path(folder) / PROFILES_FOLDER).glob("*.yaml")):
        try:
            out.append(load_profile(path))
        except HistoryError:
            continue
    return out
