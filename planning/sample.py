"""The bundled sample a planner can explore without uploading anything."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from forecasting.history import load_history

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"


def sample_file(name: str) -> Path:
    """Path of a file of the bundled sample (`history.csv`, `queues.csv`, ...).

    The history may be stored gzip-compressed; either spelling is found.
    """
    for candidate in (SAMPLE_DIR / name, SAMPLE_DIR / f"{name}.gz"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"the bundled sample has no {name} in {SAMPLE_DIR}")


def load_sample_history() -> pd.DataFrame:
    """The sample's interval history (15-minute intervals, four queues)."""
    return load_history(sample_file("history.csv"))
