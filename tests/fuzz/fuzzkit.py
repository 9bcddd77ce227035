"""Small valid inputs for every step, and helpers that run `wfm` and check a refusal.

Each fuzz test corrupts one thing in a copy of these files (one kind of bad input)
and asserts that `wfm` exits with status 2, prints no traceback, and names the place:
the file, row or column, or the option, queue, agent or field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from planning.cli import main

QUEUES_CSV = """\
queue,channel,service_level,target_seconds,asa_seconds,max_occupancy,shrinkage,concurrency,patience_seconds,open_hours
hotline,voice,0.8,20,,0.85,0.15,1,,
chat,chat,0.8,60,,0.85,0.15,2,300,
"""

AGENTS_CSV = """\
agent_id,name,queues,min_hours_week,max_hours_week,max_days_week,unavailable,previous_shifts
A1,Ann,hotline,0,40,5,,2026-11-01 08:00-16:30
A2,Bo,hotline;chat,0,40,5,,
A3,Cy,chat,0,40,5,,
"""

SHIFTS_YAML = """\
queues:
  hotline: {open: "08:00", close: "20:00", priority: 2}
  chat: {open: "08:00", close: "20:00", priority: 1}
templates:
  day:
    earliest_start: "08:00"
    latest_start: "11:30"
    start_step: 30
    lengths: ["8:30"]
    breaks:
      - {name: lunch, length: 30, window: ["3:30", "5:00"], paid: false}
rules:
  min_rest_hours: 11
weights: {under: 1000, over: 20, paid: 5, preference: 3, fairness: 1}
"""

ROSTER_CSV = """\
agent_id,date,shift,start,end,queue,breaks
A1,2026-11-02,day,2026-11-02 08:00:00,2026-11-02 16:30:00,hotline,12:00-12:30
A2,2026-11-02,day,2026-11-02 11:00:00,2026-11-02 19:30:00,chat,15:00-15:30
A3,2026-11-02,day,2026-11-02 09:00:00,2026-11-02 17:30:00,chat,13:00-13:30
"""


def forecast_frame(minutes: int = 15) -> pd.DataFrame:
    """One day, two queues, 08:00-20:00 at `minutes`-minute intervals."""
    starts = pd.date_range("2026-11-02 08:00", "2026-11-02 19:45", freq=f"{minutes}min")
    rows = []
    for queue, base in (("hotline", 40.0), ("chat", 20.0)):
        for i, t in enumerate(starts):
            contacts = base + (i % 8)
            rows.append({"queue": queue, "interval_start": t, "contacts": contacts,
                         "contacts_lo": contacts * 0.8, "contacts_hi": contacts * 1.2,
                         "aht_seconds": 240.0, "model": "profile"})
    return pd.DataFrame(rows)


def history_frame() -> pd.DataFrame:
    """Five weeks of one queue at 30-minute intervals, 08:00-20:00."""
    days = pd.date_range("2026-09-21", periods=35, freq="D")
    rows = []
    for d in days:
        for k in range(24):
            t = d + pd.Timedelta(hours=8) + pd.Timedelta(minutes=30 * k)
            rows.append({"queue": "hotline", "interval_start": t,
                         "contacts": 20 + (k % 6) + d.day_of_week, "aht_seconds": 240.0})
    return pd.DataFrame(rows)


@dataclass
class Inputs:
    """Paths of a valid set of files, one per step's input."""

    folder: Path
    queues: Path
    agents: Path
    shifts: Path
    forecast: Path
    requirements: Path
    roster: Path
    history: Path

    def write(self, name: str, text: str) -> Path:
        """A new file in the folder with `text`; returns its path."""
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def write_frame(self, name: str, frame: pd.DataFrame) -> Path:
        """A new CSV in the folder; returns its path."""
        path = self.folder / name
        frame.to_csv(path, index=False)
        return path


@dataclass
class Outcome:
    """What `wfm` returned and printed."""

    code: int
    out: str
    err: str


def run_wfm(capsys: pytest.CaptureFixture, *argv: object) -> Outcome:
    """Run `wfm` in this process; returns exit status and output."""
    capsys.readouterr()
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse refusals
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def refused(capsys: pytest.CaptureFixture, *argv: object, names: tuple[str, ...]) -> Outcome:
    """Run `wfm`, assert exit 2, no traceback, and every text of `names` in the message."""
    result = run_wfm(capsys, *argv)
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err
    for name in names:
        assert name.lower() in result.err.lower(), (name, result.err)
    return result
