"""Reading and writing the frames the `wfm` commands pass between steps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_frame(frame: pd.DataFrame, path: str | Path, float_format: str | None = "%.6g") -> None:
    """Write a frame as Parquet (`.parquet`, `.pq`) or CSV, refusing a missing folder."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise FileNotFoundError(f"{path.parent}: folder for the output does not exist")
    if path.suffix.lower() in (".parquet", ".pq"):
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, float_format=float_format)


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
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable CSV {what}: {exc}") from exc
