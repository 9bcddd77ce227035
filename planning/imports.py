"""Importing a planner's contact log or interval file into an interval history."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from forecasting.history import HistoryError, ingest, shipped_profiles
from planning import uploads
from planning.contract import ImportReport


def import_history(data: bytes | str | Path, file_name: str, *, profile: str | None = None,
                   interval: str = "30min", max_mb: float | None = None,
                   profile_yaml: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """Read an uploaded contact log or interval file into the interval history.

    The file is checked first (`planning.uploads.check_upload`: size limit, an
    accepted format by name and by content) and then parsed, never run. Only the
    columns the import profile names are read, so customer identifiers stay out.
    `profile_yaml` is the text of a planner's own profile (loaded safely; it
    overrides `profile`). Returns the history and the importer's summary (rows
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
            result = ingest(path, profile=profile, interval=interval)
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


def import_profiles() -> list[str]:
    """Names of the import profiles the importer ships."""
    return list(shipped_profiles())


def profile_text(name: str) -> str:
    """The YAML text of a shipped import profile, as a starting point for editing."""
    path = shipped_profiles().get(name)
    if path is None:
        raise ValueError(f"no shipped import profile called {name!r}; "
                         f"expected one of {list(shipped_profiles())}")
    return Path(path).read_text(encoding="utf-8")
