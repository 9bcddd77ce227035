"""The goal-seek's building blocks: today's agents grouped by contract, and every
shift option (a column) of every template on every day, as the roster engine builds
them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from scheduling.capacity.levers import Levers
from scheduling.roster.inputs import Agent, day_matches
from scheduling.roster.templates import QueueHours, ShiftSettings, ShiftTemplate


@dataclass(frozen=True)
class Group:
    """Today's agents with the same contract (or a lever's people)."""

    key: str
    queues: tuple[str, ...]
    templates: tuple[str, ...]
    agent_ids: tuple[str, ...]
    max_hours_week: float
    max_days_week: int
    days_off: frozenset[int]
    proficiency: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    """One shift option: day, template, start and end (minutes from the first day's
    midnight), paid hours and the queue it serves."""

    day: int
    template: str
    start: int
    end: int
    paid_hours: float
    queue: str
    on_line: float  # share of the shift on line (breaks out)
    breaks: tuple[tuple[int, int], ...]  # (start, length) minutes after the shift start



def opened_shifts(shifts: ShiftSettings, levers: Levers) -> ShiftSettings:
    """The shift settings with each queue's hours widened to what the planner allows."""
    queues = dict(shifts.queues)
    for q, (lo, hi) in levers.opening.items():
        old = queues.get(q)
        if old is None:
            continue
        queues[q] = QueueHours(q, min(lo, old.open), max(hi, old.close), old.priority,
                               frozenset(range(7)))
    return replace(shifts, queues=queues)


def team_groups(agents: Sequence[Agent], dates: Sequence[pd.Timestamp],
                template_names: Sequence[str], days_off_rule: int | None) -> list[Group]:
    """Today's agents grouped by what the model can tell apart."""
    buckets: dict[tuple, list[Agent]] = {}
    for ag in agents:
        off = frozenset(d for d, day in enumerate(dates) if day_matches(ag.unavailable, day))
        templates = tuple(sorted(ag.shifts)) or tuple(template_names)
        max_days = ag.max_days_week
        if days_off_rule is not None:
            max_days = min(max_days, 7 - days_off_rule)
        key = (tuple(sorted(ag.queues)), templates, float(ag.max_hours_week), int(max_days),
               off, tuple(sorted(ag.proficiency)))
        buckets.setdefault(key, []).append(ag)
    groups = []
    for i, (key, members) in enumerate(sorted(buckets.items(), key=lambda kv: str(kv[0]))):
        queues, templates, hours, days, off, shares = key
        groups.append(Group(f"G{i + 1:02d}", queues, templates,
                            tuple(a.agent_id for a in members), hours, days, off,
                            dict(shares)))
    return groups


def shift_columns(shifts: ShiftSettings, dates: Sequence[pd.Timestamp],
                  queues: Sequence[str]) -> list[Column]:
    """Every shift option of every template on every day, one per queue it may serve
    (inside the queue's opening hours, as the roster engine builds them)."""
    out = []
    for d, day in enumerate(dates):
        weekday = int(day.day_of_week)
        for t in shifts.templates:
            if weekday not in t.days:
                continue
            for st in t.starts():
                for length in t.lengths:
                    for q in queues:
                        qh = shifts.queues.get(q)
                        if qh is None or weekday not in qh.days:
                            continue
                        if st < qh.open or st + length > qh.close:
                            continue
                        out.append(_column(t, d, st, length, q))
    return out


def _column(t: ShiftTemplate, d: int, st: int, length: int, q: str) -> Column:
    breaks = tuple(((b.earliest + b.latest) // 2 // 5 * 5, b.length) for b in t.breaks)
    off = sum(b.length for b in t.breaks)
    return Column(d, t.name, d * 1440 + st, d * 1440 + st + length,
                  t.paid_minutes(length) / 60.0, q, (length - off) / length, breaks)


def overlap(col: Column, starts: np.ndarray, length: int) -> np.ndarray:
    """Share of each interval [s, s+length) the column's agent is on line, breaks where
    the plan's roster puts them (the middle of their windows), as
    `scheduling.projection` counts a rostered agent."""
    spans, cursor = [], col.start
    for offset, minutes in col.breaks:
        b = col.start + offset
        if b > cursor:
            spans.append((cursor, b))
        cursor = max(cursor, b + minutes)
    if col.end > cursor:
        spans.append((cursor, col.end))
    out = np.zeros(len(starts))
    for lo, hi in spans:
        out += np.clip(np.minimum(starts + length, hi) - np.maximum(starts, lo), 0, None)
    return out / length


def is_open(qh: QueueHours | None, dates: Sequence[pd.Timestamp], minute: int,
            length: int) -> bool:
    """Whether the queue is open for the whole interval starting `minute` minutes after
    the first day's midnight."""
    if qh is None:
        return False
    d, clock = divmod(minute, 1440)
    if d >= len(dates) or int(dates[d].day_of_week) not in qh.days:
        return False
    return qh.open <= clock and clock + length <= qh.close

