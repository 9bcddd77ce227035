"""Per-queue, per-interval sums on a full grid, and the history frame built from them.

Both importers (contact logs and interval files) fill a `Tally`: flat numpy
arrays indexed by `queue_code * slots + slot`, where slot counts intervals
from the first day's 00:00 to the last day's end. Every queue gets every
interval, so intervals without contacts appear with zero contacts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DAY = 86400


@dataclass
class Grid:
    """The intervals of the output: `slots` steps of `step` seconds from `day0`."""

    day0: int
    slots: int
    step: int

    @classmethod
    def covering(cls, starts: np.ndarray, step: int) -> Grid:
        """From the first start's midnight to the end of the last start's day."""
        first = int(starts.min()) // DAY * DAY
        last = int(starts.max()) // DAY * DAY + DAY
        return cls(first, (last - first) // step, step)

    def slot(self, starts: np.ndarray) -> np.ndarray:
        return (starts - self.day0) // self.step


@dataclass
class Tally:
    """Sums per (queue, interval); None where the input has no such figure."""

    queues: list[str]
    grid: Grid
    contacts: np.ndarray
    answered: np.ndarray | None = None
    abandoned: np.ndarray | None = None
    handle_sum: np.ndarray | None = None
    handle_n: np.ndarray | None = None
    wait_sum: np.ndarray | None = None
    wait_n: np.ndarray | None = None
    sl_within: np.ndarray | None = None
    sl_base: np.ndarray | None = None
    agents: np.ndarray | None = None
    channels: dict[str, str] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)  # rows not counted, by reason

    @property
    def size(self) -> int:
        return len(self.queues) * self.grid.slots


def sums(keys: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Count (or weighted sum) of rows per key on the full grid."""
    out = np.bincount(keys, weights=weights, minlength=size)
    return out if weights is not None else out.astype(np.int64)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def to_frame(tally: Tally) -> pd.DataFrame:
    """The interval-history frame (DESIGN.md): one row per queue and interval.

    `aht_seconds` is NaN where no contact was handled, `asa_seconds` where none
    was answered and `service_level` where none was offered: an average of
    nothing is unknown, not zero.
    """
    grid = tally.grid
    n_queues = len(tally.queues)
    starts = grid.day0 + np.arange(grid.slots, dtype=np.int64) * grid.step
    frame = {
        "queue": np.repeat(np.array(tally.queues, dtype=object), grid.slots),
        "interval_start": np.tile(starts, n_queues).astype("datetime64[s]")
        .astype("datetime64[us]"),
        "contacts": tally.contacts.astype(np.int64),
        "aht_seconds": (_ratio(tally.handle_sum, tally.handle_n)
                        if tally.handle_sum is not None else np.full(tally.size, np.nan)),
    }
    if tally.answered is not None:
        frame["answered"] = tally.answered.astype(np.int64)
    if tally.abandoned is not None:
        frame["abandoned"] = tally.abandoned.astype(np.int64)
    if tally.wait_sum is not None:
        frame["asa_seconds"] = _ratio(tally.wait_sum, tally.wait_n)
    if tally.sl_within is not None:
        frame["service_level"] = _ratio(tally.sl_within, tally.sl_base)
    if tally.agents is not None:
        frame["agents"] = tally.agents
    out = pd.DataFrame(frame)
    out["queue"] = out["queue"].astype("str")
    order = np.argsort(np.array(tally.queues, dtype=object), kind="stable")
    if not (order == np.arange(n_queues)).all():
        rank = np.empty(n_queues, dtype=np.int64)
        rank[order] = np.arange(n_queues)
        out = out.iloc[np.argsort(np.repeat(rank, grid.slots), kind="stable")]
    return out.reset_index(drop=True)
