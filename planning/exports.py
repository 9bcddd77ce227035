"""Frames as download files: CSV and Excel bytes a spreadsheet opens safely."""

from __future__ import annotations

import io

import pandas as pd

from planning.files import neutralise_formulas


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as UTF-8 CSV (with BOM, so Excel shows Chinese text correctly)."""
    return _neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Frames as sheets of one .xlsx workbook (sheet names cut to Excel's 31 characters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _neutralise(frame).to_excel(writer, sheet_name=str(name)[:31] or "sheet",
                                        index=False)
    return buffer.getvalue()


def _neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe;
    time zones are dropped (Excel cannot hold them)."""
    out = neutralise_formulas(frame)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
    return out
