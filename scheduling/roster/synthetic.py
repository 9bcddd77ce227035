"""Seeded synthetic rostering inputs: a contact-centre week of requirements and a team.

Used by tests and benchmarks (and to write the bundled sample team), so that the
roster engine can be exercised without the staffing step. Requirements follow a
double-peak intraday curve (late morning and evening) with a weekend dip.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduling.roster.inputs import Agent


def synthetic_requirements(queues: dict[str, tuple[int, int, float]], start: str = "2026-11-02",
                           days: int = 7, interval_minutes: int = 15,
                           seed: int = 0) -> pd.DataFrame:
    """A requirements frame: `queues` maps queue -> (open minute, close minute, peak staff).

    Columns follow DESIGN.md; `agents` is the on-line need and `staff` = agents / 0.9.
    """
    rng = np.random.default_rng(seed)
    origin = pd.Timestamp(start)
    rows = []
    for q, (open_, close, peak) in sorted(queues.items()):
        for d in range(days):
            day = origin + pd.Timedelta(days=d)
            weekend = 0.7 if day.day_of_week >= 5 else 1.0
            for m in range(open_, close, interval_minutes):
                h = m / 60
                shape = 0.35 + 0.65 * np.exp(-((h - 11.0) / 2.2) ** 2) \
                    + 0.55 * np.exp(-((h - 20.0) / 2.0) ** 2)
                agents = max(0.0, peak * weekend * shape / 1.0 * rng.uniform(0.9, 1.1))
                rows.append({"queue": q, "interval_start": day + pd.Timedelta(minutes=m),
                             "contacts": round(agents * 4.0, 1), "aht_seconds": 300.0,
                             "agents": round(agents, 2), "staff": round(agents / 0.9, 2),
                             "service_level": 0.8, "asa_seconds": 20.0, "occupancy": 0.85})
    return pd.DataFrame(rows)


def synthetic_agents(n: int, skill_mix: list[tuple[tuple[str, ...], float]],
                     part_time_share: float = 0.3, seed: int = 0,
                     teams: int = 1) -> list[Agent]:
    """`n` agents; `skill_mix` lists (queues, share). Full-time: 40 h, 5 days; part-time:
    16-24 h, up to 5 days, on the `part_time` template."""
    rng = np.random.default_rng(seed)
    shares = np.array([s for _, s in skill_mix], dtype=float)
    counts = np.floor(shares / shares.sum() * n).astype(int)
    counts[np.argmax(shares)] += n - counts.sum()
    skills = [qs for (qs, _), c in zip(skill_mix, counts, strict=True) for _ in range(c)]
    agents = []
    for i, qs in enumerate(skills):
        part = rng.random() < part_time_share
        agents.append(Agent(
            agent_id=f"A{i + 1:03d}", name=f"Agent {i + 1:03d}", queues=tuple(qs),
            min_hours_week=16.0 if part else 40.0, max_hours_week=24.0 if part else 40.0,
            max_days_week=5, shifts=("part_time",) if part else ("full_time",),
            team=f"T{i % teams + 1}"))
    return agents


def agents_frame(agents: list[Agent]) -> pd.DataFrame:
    """Agents as the CSV frame `read_agents` accepts."""
    return pd.DataFrame([{
        "agent_id": a.agent_id, "name": a.name, "queues": ";".join(a.queues),
        "min_hours_week": a.min_hours_week, "max_hours_week": a.max_hours_week,
        "max_days_week": a.max_days_week, "unavailable": ";".join(a.unavailable),
        "preferred_days_off": ";".join(a.preferred_days_off),
        "preferred_start": "" if a.preferred_start is None else
        f"{a.preferred_start[0] // 60:02d}:{a.preferred_start[0] % 60:02d}-"
        f"{a.preferred_start[1] // 60:02d}:{a.preferred_start[1] % 60:02d}",
        "shifts": ";".join(a.shifts), "team": a.team} for a in agents])


STANDARD_SHIFTS = {
    "templates": {
        "full_time": {
            "earliest_start": "08:00", "latest_start": "15:30", "start_step": 30,
            "lengths": ["8:30"],
            "breaks": [{"name": "break", "length": 15, "window": ["1:30", "2:30"]},
                       {"name": "lunch", "length": 30, "window": ["3:30", "5:00"],
                        "paid": False},
                       {"name": "break", "length": 15, "window": ["6:00", "7:00"]}]},
        "part_time": {
            "earliest_start": "08:00", "latest_start": "20:00", "start_step": 30,
            "lengths": ["4:00", "6:00"],
            "breaks": [{"name": "break", "length": 15, "window": ["1:30", "2:30"]}]},
    },
    "rules": {"min_rest_hours": 11, "max_consecutive_days": 6, "min_consecutive_days_off": 2,
              "days_off_per_week": 2, "late_shift_end_after": "21:00",
              "max_late_shifts_per_week": 4},
}
