"""Reading and writing the frames the `wfm` commands pass between steps.

CSV output is safe to open in a spreadsheet: a text cell starting with `=`, `+`,
`-`, `@`, a tab or a carriage return (which Excel, LibreOffice and WPS would run as
a formula) gets a leading apostrophe, which `read_frame` takes off again, so
the commands still pass the values on unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def write_frame(frame: pd.DataFrame, path: str | Path, float_format: str | None = "%.6g",
                date_format: str | None = None) -> None:
    """Write a frame as Parquet (`.parquet`, `.pq`) or CSV (formula-like text cells
    neutralised), refusing a missing folder."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise FileNotFoundError(f"{path.parent}: folder for the output does not exist")
    if path.suffix.lower() in (".parquet", ".pq"):
        frame.to_parquet(path, index=False)
    else:
        neutralise_formulas(frame).to_csv(path, index=False, float_format=float_format,
                                          date_format=date_format)


def _text_columns(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns
            if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells that a spreadsheet would run as a formula start with `'`."""
    out = frame.copy()
    for col in _text_columns(out):
        text = out[col].astype("string")
        risky = text.str.contains(FORMULA_START, na=False)
        if risky.any():
            out[col] = out[col].mask(risky, "'" + text)
    return out


def restore_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo `neutralise_formulas` on a frame read back from CSV."""
    for col in _text_columns(frame):
        text = frame[col].astype("string")
        marked = text.str.match(r"^'[=+\-@\t\r]", na=False)
        if marked.any():
            frame[col] = frame[col].mask(marked, text.str.slice(1))
    return frame


def read_frame(path: str | Path, what: str) -> pd.DataFrame:
    """Read a frame from Parquet or CSV (only empty cells are missing values).

    `what` names the file in messages, e.g. "forecast" or "roster".
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what} file not found: {path}")
    if path.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(path)
    try:
        return restore_formulas(pd.read_csv(path, keep_default_na=False, na_values=[""]))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable CSV {what}: {exc}") from exc
