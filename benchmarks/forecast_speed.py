"""Speed check: `auto` forecast of 20 queues with two years of 15-minute history.

The 20 queues are the 4 queues of the bundled sample, each 5 times with its
volume scaled and re-drawn (seeded Poisson), so their patterns are real-looking
but not identical. Prints the wall time against the 2-minute budget and against
seasonal naive on the same queues.

    nice -n 10 .venv/bin/python benchmarks/forecast_speed.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting.calendar import Calendar  # noqa: E402
from forecasting.events import read_events  # noqa: E402
from forecasting.forecaster import forecast  # noqa: E402
from forecasting.history import load_history  # noqa: E402

BUDGET_SECONDS = 120.0


def twenty_queues(sample: pd.DataFrame, copies: int = 5, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for queue, frame in sample.groupby("queue", observed=True):
        for k in range(copies):
            scale = rng.uniform(0.5, 2.0)
            counts = rng.poisson(frame["contacts"].to_numpy() * scale).astype(float)
            frames.append(frame.assign(queue=f"{queue}_{k + 1}", contacts=counts))
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    sample_dir = ROOT / "data" / "sample"
    history = twenty_queues(load_history(sample_dir / "history.csv"))
    events = read_events(sample_dir / "events.csv")
    calendar = Calendar("CN", events=events)
    start = history["interval_start"].max().normalize() + pd.Timedelta(days=1)
    days = history["interval_start"].dt.normalize().nunique()
    print(f"Speed: {history['queue'].nunique()} queues x {days} days of 15-minute history, "
          f"forecast 14 days from {start.date()}, 2 worker processes")
    timings = {}
    for model in ("seasonal_naive", "profile", "auto"):
        began = time.perf_counter()
        result = forecast(history, start, 14, model=model, calendar=calendar, n_jobs=2)
        timings[model] = time.perf_counter() - began
        chosen = pd.Series(result.models).value_counts().to_dict()
        print(f"  {model:<15} {timings[model]:7.1f} s  "
              f"({timings[model] / BUDGET_SECONDS:.2f}x the 2-minute budget, "
              f"{timings[model] / timings['seasonal_naive']:.1f}x seasonal naive)  "
              f"models: {chosen}")
    verdict = "within" if timings["auto"] <= BUDGET_SECONDS else "OVER"
    print(f"  auto: {verdict} the 2-minute budget")


if __name__ == "__main__":
    main()
