"""The fuzz suite's fixture: a valid set of input files in a fresh folder (fuzzkit.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fuzzkit import (
    AGENTS_CSV,
    QUEUES_CSV,
    ROSTER_CSV,
    SHIFTS_YAML,
    Inputs,
    forecast_frame,
    history_frame,
)


@pytest.fixture()
def inputs(tmp_path: Path) -> Inputs:
    """A valid forecast, queue settings, requirements, agents, shifts, roster and history."""
    from scheduling.staffing import requirements

    queues = tmp_path / "queues.csv"
    queues.write_text(QUEUES_CSV)
    forecast = forecast_frame()
    forecast_path = tmp_path / "forecast.csv"
    forecast.to_csv(forecast_path, index=False)
    req = requirements(forecast, pd.read_csv(queues))
    req_path = tmp_path / "requirements.csv"
    req.to_csv(req_path, index=False)
    agents = tmp_path / "agents.csv"
    agents.write_text(AGENTS_CSV)
    shifts = tmp_path / "shifts.yaml"
    shifts.write_text(SHIFTS_YAML)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_CSV)
    history = tmp_path / "history.csv"
    history_frame().to_csv(history, index=False)
    return Inputs(tmp_path, queues, agents, shifts, forecast_path, req_path, roster, history)
