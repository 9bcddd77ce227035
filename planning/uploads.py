"""Checks on a contact-history file before it is parsed: uploads are parsed, never run.

`check_upload` is called by `planning.imports.import_history` (the dashboard's Data page)
and by `wfm ingest` before the importer opens a file. It refuses

- a file larger than the limit: `max_mb`, else `$WFM_MAX_UPLOAD_MB`, else 200 MB
  (the dashboard's own limit is `server.maxUploadSize` in `.streamlit/config.toml`);
- a file whose name does not end in an accepted format (.csv, .tsv, .txt, .csv.gz,
  .xlsx, .parquet), and one whose content is not that format: a program renamed
  .csv, a zip that is not a workbook, a "Parquet" file without the PAR1 marks.

The importer itself refuses zip and gzip bombs and reads workbooks without
evaluating formulas or following links (`forecasting.history.read`).
`safe_file_name` makes the name shown on the page and used for the temporary
copy harmless: no folders, no control characters, at most 120 characters.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import unicodedata
from pathlib import Path

from forecasting.history import (
    BINARY_MAGIC,
    GZIP_MAGIC,
    PARQUET_MAGIC,
    XLS_MAGIC,
    XLSX_MAGIC,
    check_workbook_archive,
)

DEFAULT_MAX_MB = 200.0
MAX_MB_ENV = "WFM_MAX_UPLOAD_MB"
MAX_NAME_LENGTH = 120
# Accepted endings and the format their content must have.
FORMATS = {".csv": "text", ".tsv": "text", ".txt": "text", ".gz": "gzip", ".xlsx": "xlsx",
           ".parquet": "parquet", ".pq": "parquet"}
ACCEPTED = ".csv, .tsv, .txt, .csv.gz, .xlsx or .parquet"
_HEAD = 8192
_UNSAFE = re.compile(r'[\\/:*?"<>|]')


class UploadError(ValueError):
    """A file refused before parsing (too large, wrong format, not what its name says)."""


def max_upload_bytes(max_mb: float | None = None) -> int:
    """The size limit in bytes: `max_mb`, else `$WFM_MAX_UPLOAD_MB`, else 200 MB."""
    if max_mb is None:
        raw = os.environ.get(MAX_MB_ENV, "").strip()
        if raw:
            try:
                max_mb = float(raw)
            except ValueError:
                raise UploadError(f"{MAX_MB_ENV}={raw!r}: expected a number of megabytes, "
                                  "e.g. 200") from None
        else:
            max_mb = DEFAULT_MAX_MB
    if not max_mb > 0:
        raise UploadError(f"upload size limit {max_mb:g} MB: expected more than 0 MB")
    return int(max_mb * 2**20)


def safe_file_name(name: str | None, default: str = "upload.csv") -> str:
    """The last part of `name` with control characters and path separators removed,
    cut to 120 characters (keeping the extension); `default` when nothing is left."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _UNSAFE.sub("_", text).strip().strip(".").strip()
    if not text:
        return default
    if len(text) > MAX_NAME_LENGTH:
        stem, dot, ext = text.rpartition(".")
        ext = dot + ext if dot and len(ext) <= 10 else ""
        stem = text[: len(text) - len(ext)] if ext else text
        text = stem[: MAX_NAME_LENGTH - len(ext)].rstrip() + ext
    return text


def upload_format(file_name: str, label: str | None = None) -> str:
    """The format a name promises ("text", "gzip", "xlsx", "parquet"); UploadError (naming
    the file as `label`, by default the name) if its ending is not accepted."""
    lower = file_name.lower()
    file_name = label or file_name
    suffix = Path(lower).suffix
    if suffix == ".xls":
        raise UploadError(f"{file_name}: is an old Excel .xls workbook; save it as .xlsx or "
                          "CSV")
    if suffix == ".gz" and Path(lower[:-3]).suffix not in ("", ".csv", ".tsv", ".txt"):
        raise UploadError(f"{file_name}: only gzipped CSV text (.csv.gz) is accepted; "
                          f"expected {ACCEPTED}")
    if suffix not in FORMATS:
        shown = f"{suffix} files are" if suffix else "a file without an ending is"
        raise UploadError(f"{file_name}: {shown} not accepted; expected {ACCEPTED}")
    return FORMATS[suffix]


def check_upload(data: bytes | str | Path, file_name: str | None = None, *,
                 max_mb: float | None = None) -> str:
    """Refuse a file that is too large or is not the format its name says.

    `data` is the uploaded bytes or a path; `file_name` is the name the planner
    gave (the path's name by default). Returns the sanitised name to show and to
    use for a temporary copy. Raises UploadError (a ValueError) naming the file (the
    path as given when there is no `file_name`).
    """
    path = None if isinstance(data, bytes) else Path(data)
    name = safe_file_name(file_name if file_name is not None else
                          (path.name if path is not None else None))
    if path is not None and not path.is_file():
        raise FileNotFoundError(f"{path}: no such file; check the path")
    label = str(path) if path is not None and file_name is None else name
    kind = upload_format(name, label)
    size = len(data) if path is None else path.stat().st_size
    limit = max_upload_bytes(max_mb)
    if size > limit:
        raise UploadError(f"{label}: is {_size(size)}, more than the upload limit of "
                          f"{_size(limit)} (set {MAX_MB_ENV} to change it)")
    if size == 0:
        raise UploadError(f"{label}: the file is empty; expected a header row and data rows")
    if path is None:
        head, tail = data[:_HEAD], data[-4:]
    else:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD)
            fh.seek(max(size - 4, 0))
            tail = fh.read(4)
    found = content_format(head, tail)
    if found != kind:
        raise UploadError(f"{label}: the name says {_WHAT[kind]} but the content is "
                          f"{_WHAT.get(found, found)}; expected {ACCEPTED} with matching "
                          "content")
    if kind == "xlsx":
        try:
            check_workbook_archive(io.BytesIO(data) if path is None else path, name=label)
        except ValueError as exc:
            raise UploadError(str(exc)) from None
    return name


def _size(n: int) -> str:
    return f"{n / 2**10:,.0f} kB" if n < 2**20 else f"{n / 2**20:,.1f} MB"


_WHAT = {"text": "CSV/TSV text", "gzip": "gzipped text", "xlsx": "an .xlsx workbook",
         "parquet": "a Parquet file", "binary": "binary data, not text",
         "xls": "an old Excel .xls workbook"}


def content_format(head: bytes, tail: bytes = b"") -> str:
    """What the first bytes (and the last four) say a file is: "text", "gzip", "xlsx"
    (any zip), "parquet", "xls", or a description of a program or document."""
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith(PARQUET_MAGIC):
        return "parquet" if tail == PARQUET_MAGIC else "a damaged Parquet file (no PAR1 end)"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(XLS_MAGIC):
        return "xls"
    for start, what in BINARY_MAGIC.items():
        if head.startswith(start):
            return what
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "binary"
    return "text"
