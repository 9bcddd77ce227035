"""Writing the frames the `wfm` commands produce."""

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
