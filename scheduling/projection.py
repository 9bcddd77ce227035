"""Projected response times: what a roster will deliver against a forecast, per queue and interval.

From the roster, each queue's agents on line per interval are counted to the second
(shift minus breaks, averaged over the interval), then unplanned shrinkage from the
queue settings is taken off. The agents on line, the forecast contacts and AHT give
the projected service level, ASA, 90th-percentile wait, abandonment and occupancy:

- per queue with Erlang C, or Erlang A where the queue's `patience_seconds` is known
  (chat queues through the chat concurrency model), each agent counting for the
  queue the roster assigns; or
- with `simulate=True`, by a seeded discrete-event simulation in which agents with
  several skills (`skills`) answer every queue they know, their rostered queue first
  (`scheduling.pooled_simulation`).

For chat queues `asa_seconds` and `wait_p90_seconds` are the mean and 90th
percentile of the first-response time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from scheduling import chat, deferred, erlang, erlang_a, frames, staffing
from scheduling.frames import INTERVAL_MINUTES, ROSTER_COLUMNS
from scheduling.pooled_simulation import AgentWindows, QueueModel, simulate_pooled
from scheduling.queue_settings import open_intervals, queue_settings_frame

PROJECTION_COLUMNS = (
    "queue", "interval_start", "required", "scheduled", "service_level", "asa_seconds",
    "abandon_rate", "occupancy",
)
EXTRA_COLUMNS = ("contacts", "aht_seconds", "wait_p90_seconds", "below_target", "method")
FORECAST_NEEDS = ("queue", "interval_start", "contacts", "aht_seconds")
WAIT_PERCENTILE = 0.9


class ProjectionInputError(ValueError):
    """A roster, forecast or queue settings that do not fit together; the message names
    the queue, agent, date or interval and what was expected."""


# roster -> agents on line ------------------------------------------------------------

def break_spans(text: object, start: pd.Timestamp, end: pd.Timestamp,
                where: str) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """'10:30-10:45;13:00-13:30' -> timestamps inside the shift [start, end].

    A break clock earlier than the shift start falls on the next day (night shifts).
    """
    try:
        return frames.break_spans(text, start, end)
    except ValueError as exc:
        raise ProjectionInputError(f"{where}: {exc}") from None


def parse_roster(roster: pd.DataFrame, source: str = "roster") -> pd.DataFrame:
    """The roster with `start`/`end` as timestamps and `date` as a day; refuses rows
    that cannot be read, a `date` that is not the day of `start`, and an agent's shifts
    that overlap (a duplicated row would count the agent twice), naming `source`, the
    row (as a line of the file, the header being line 1) and the agent."""
    missing = [c for c in ROSTER_COLUMNS if c not in roster.columns]
    if missing:
        raise ProjectionInputError(
            f"{source}: missing columns {missing}; expected {list(ROSTER_COLUMNS)}")
    out = roster.copy()

    def where(i: int) -> str:
        return f"{source} row {i + 2} (agent {out['agent_id'].iloc[i]})"

    for col in ("start", "end"):
        parsed = pd.to_datetime(out[col], errors="coerce", format="mixed")
        bad = parsed.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ProjectionInputError(
                f"{where(i)}, column {col}: {out[col].iloc[i]!r} is not a date and time")
        out[col] = parsed
    date = pd.to_datetime(out["date"], errors="coerce", format="mixed")
    if date.isna().any():
        i = int(np.flatnonzero(date.isna().to_numpy())[0])
        raise ProjectionInputError(
            f"{where(i)}, column date: {out['date'].iloc[i]!r} is not a date YYYY-MM-DD")
    out["date"] = date.dt.normalize()
    bad = out["end"] <= out["start"]
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ProjectionInputError(
            f"{where(i)}, column end: shift ends {out['end'].iloc[i]} before it starts "
            f"{out['start'].iloc[i]}")
    long = (out["end"] - out["start"]) > pd.Timedelta(hours=24)
    if long.any():
        i = int(np.flatnonzero(long.to_numpy())[0])
        raise ProjectionInputError(f"{where(i)}, column end: a shift of more than 24 hours "
                                   f"({out['start'].iloc[i]} to {out['end'].iloc[i]})")
    off = out["date"] != out["start"].dt.normalize()
    if off.any():
        i = int(np.flatnonzero(off.to_numpy())[0])
        raise ProjectionInputError(
            f"{where(i)}, column date: {out['date'].iloc[i]:%Y-%m-%d} is not the day the "
            f"shift starts ({out['start'].iloc[i]})")
    out["queue"] = out["queue"].astype(str)
    out["agent_id"] = out["agent_id"].astype(str)
    order = np.lexsort((out["start"].to_numpy(), out["agent_id"].to_numpy()))
    ids = out["agent_id"].to_numpy()[order]
    starts = out["start"].to_numpy()[order]
    ends = out["end"].to_numpy()[order]
    clash = np.flatnonzero((ids[1:] == ids[:-1]) & (starts[1:] < ends[:-1]))
    if clash.size:
        first, second = sorted((int(order[clash[0]]), int(order[clash[0] + 1])))
        raise ProjectionInputError(
            f"{where(second)}: overlaps the agent's shift on row {first + 2} "
            f"({out['start'].iloc[first]} to {out['end'].iloc[first]}); an agent works one "
            "shift at a time (a duplicated row would count the agent twice)")
    return out


def on_line_windows(roster: pd.DataFrame) -> pd.DataFrame:
    """Spans each rostered agent is on line: shifts with their breaks cut out.

    Columns: agent_id, queue, date, start, end (one row per span).
    """
    frame = parse_roster(roster)
    rows = []
    for i, r in enumerate(frame.itertuples(index=False)):
        where = f"roster row {i + 1} (agent {r.agent_id}, {r.date:%Y-%m-%d})"
        cursor = r.start
        for bs, be in break_spans(r.breaks, r.start, r.end, where):
            if bs > cursor:
                rows.append((r.agent_id, r.queue, r.date, cursor, bs))
            cursor = max(cursor, be)
        if r.end > cursor:
            rows.append((r.agent_id, r.queue, r.date, cursor, r.end))
    return pd.DataFrame(rows, columns=["agent_id", "queue", "date", "start", "end"])


def _seconds_before(t: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For each t: total seconds of the spans [start, end) that lie before t."""
    def part(points: np.ndarray) -> np.ndarray:
        p = np.sort(points)
        cs = np.concatenate([[0.0], np.cumsum(p)])
        k = np.searchsorted(p, t, side="left")
        return t * k - cs[k]

    return part(starts) - part(ends)


def agents_on_line(windows: pd.DataFrame, intervals: pd.DataFrame,
                   interval_minutes: int) -> np.ndarray:
    """Mean number of agents on line over each (queue, interval_start) of `intervals`,
    from on-line spans (`on_line_windows`), before unplanned shrinkage."""
    out = np.zeros(len(intervals))
    if windows.empty or intervals.empty:
        return out
    origin = min(windows["start"].min(), intervals["interval_start"].min())
    sec = pd.Timedelta(seconds=1)
    length = interval_minutes * 60.0
    t0_all = ((intervals["interval_start"] - origin) / sec).to_numpy()
    queues = intervals["queue"].astype(str).to_numpy()
    for queue, spans in windows.groupby("queue", sort=False):
        sel = queues == queue
        if not sel.any():
            continue
        s = ((spans["start"] - origin) / sec).to_numpy()
        e = ((spans["end"] - origin) / sec).to_numpy()
        t0 = t0_all[sel]
        out[sel] = (_seconds_before(t0 + length, s, e) - _seconds_before(t0, s, e)) / length
    return out


# forecast and settings ---------------------------------------------------------------

def interval_length(forecast: pd.DataFrame) -> int:
    """The forecast's one interval length in minutes; refuses mixed or unusual lengths."""
    lengths = frames.queue_interval_minutes(forecast)
    if not lengths:
        minute = forecast["interval_start"].dt.minute
        for m in INTERVAL_MINUTES:
            if (minute % m == 0).all():
                return m
        raise ProjectionInputError("forecast: one interval only, and its start is not on a "
                                   "15-, 30- or 60-minute boundary")
    distinct = sorted(set(lengths.values()))
    if len(distinct) > 1:
        detail = ", ".join(f"{q}: {m} min" for q, m in lengths.items())
        raise ProjectionInputError(
            f"forecast: queues have intervals of different lengths ({detail}); "
            "one forecast uses one interval length")
    length = distinct[0]
    if length not in INTERVAL_MINUTES:
        q = next(iter(lengths))
        raise ProjectionInputError(
            f"forecast: queue {q} has {length}-minute intervals; expected 15, 30 or 60")
    return length


def check_forecast(forecast: pd.DataFrame, interval_minutes: int | None = None
                   ) -> tuple[pd.DataFrame, int]:
    """The forecast with timestamps parsed, and its interval length."""
    missing = [c for c in FORECAST_NEEDS if c not in forecast.columns]
    if missing:
        raise ProjectionInputError(
            f"forecast: missing columns {missing}; expected {list(FORECAST_NEEDS)}")
    out = forecast.copy()
    out["queue"] = out["queue"].astype(str)
    stamps = pd.to_datetime(out["interval_start"], errors="coerce")
    if stamps.isna().any():
        i = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise ProjectionInputError(f"forecast row {i + 2}, column interval_start: "
                                   f"{out['interval_start'].iloc[i]!r} is not a date and time")
    out["interval_start"] = stamps
    for col in ("contacts", "aht_seconds"):
        values = pd.to_numeric(out[col], errors="coerce")
        bad = ~(values >= 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raw = out[col].iloc[i]
            shown = raw.item() if isinstance(raw, np.generic) else raw
            raise ProjectionInputError(
                f"forecast row {i + 2} (queue {out['queue'].iloc[i]}, "
                f"{out['interval_start'].iloc[i]}), column {col}: {shown!r}; "
                "expected a number >= 0")
        out[col] = values.astype(float)
    dup = out.duplicated(["queue", "interval_start"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise ProjectionInputError(f"forecast: queue {out['queue'].iloc[i]} has interval "
                                   f"{out['interval_start'].iloc[i]} twice")
    length = interval_length(out)
    if interval_minutes is not None and interval_minutes != length:
        raise ProjectionInputError(f"forecast has {length}-minute intervals; expected "
                                   f"{interval_minutes}-minute intervals")
    off = (out["interval_start"].dt.hour * 60 + out["interval_start"].dt.minute) % length != 0
    off |= out["interval_start"].dt.second != 0
    if off.any():
        i = int(np.flatnonzero(off.to_numpy())[0])
        raise ProjectionInputError(
            f"forecast: queue {out['queue'].iloc[i]} interval {out['interval_start'].iloc[i]} "
            f"does not start on a {length}-minute boundary")
    return out.sort_values(["queue", "interval_start"], ignore_index=True), length


def _settings_table(queue_settings: pd.DataFrame) -> pd.DataFrame:
    """Queue settings validated with channel defaults filled (`scheduling.queue_settings`),
    indexed by queue."""
    table = queue_settings_frame(queue_settings)
    table["queue"] = table["queue"].astype(str)
    return table.set_index("queue")


def _check_fit(roster: pd.DataFrame, forecast: pd.DataFrame, settings: pd.DataFrame) -> None:
    """Refuse a roster or forecast that does not fit: queues without settings or
    forecast, roster days the forecast does not cover."""
    known = set(settings.index)
    unknown = sorted(set(forecast["queue"]) - known)
    if unknown:
        raise ProjectionInputError(f"forecast queue {unknown[0]!r} has no queue settings; the "
                                   f"queue settings list {sorted(known)}")
    forecast_queues = set(forecast["queue"])
    for i, r in enumerate(roster.itertuples(index=False)):
        if r.queue not in known:
            raise ProjectionInputError(
                f"roster row {i + 1} (agent {r.agent_id}, {r.date:%Y-%m-%d}): unknown queue "
                f"{r.queue!r}; the queue settings list {sorted(known)}")
        if r.queue not in forecast_queues:
            raise ProjectionInputError(
                f"roster row {i + 1} (agent {r.agent_id}, {r.date:%Y-%m-%d}): queue "
                f"{r.queue!r} has no forecast; the forecast covers {sorted(forecast_queues)}")
    days = set(forecast["interval_start"].dt.normalize())
    first, last = min(days), max(days)
    outside = ~roster["date"].isin(days)
    if outside.any():
        i = int(np.flatnonzero(outside.to_numpy())[0])
        r = roster.iloc[i]
        why = ("has no forecast intervals" if first <= r["date"] <= last
               else "is outside the forecast")
        raise ProjectionInputError(
            f"roster row {i + 1} (agent {r['agent_id']}, queue {r['queue']}): day "
            f"{r['date']:%Y-%m-%d} {why} (the forecast covers {first:%Y-%m-%d} to "
            f"{last:%Y-%m-%d})")


# formulas ----------------------------------------------------------------------------

def erlang_c_wait_percentile(contacts: np.ndarray, aht_seconds: np.ndarray,
                             interval_seconds: float, agents: np.ndarray,
                             percentile: float = WAIT_PERCENTILE) -> np.ndarray:
    """Wait not exceeded by `percentile` of contacts under Erlang C, in closed form.

    P(wait > t) = P(wait) x exp(-(agents - traffic) t / AHT), so the percentile p is
    0 when P(wait) <= 1 - p and AHT / (agents - traffic) x ln(P(wait) / (1 - p)) else;
    infinite when agents <= traffic. For a fractional number of agents P(wait) is
    Erlang C's interpolated value.
    """
    a = erlang.traffic_intensity(contacts, aht_seconds, interval_seconds)
    x = np.asarray(agents, dtype=float)
    c = erlang.erlang_c(a, x)
    tail = 1.0 - percentile
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.asarray(aht_seconds, dtype=float) / (x - a) * np.log(c / tail)
    t = np.where(c <= tail, 0.0, t)
    t = np.where((x <= a) & (a > 0), np.inf, t)
    return np.where(a > 0, t, 0.0)


def _formula_metrics(frame: pd.DataFrame, settings: pd.DataFrame, length: int) -> pd.DataFrame:
    """Service level, ASA, p90 wait, abandonment and occupancy per row of `frame`
    (columns queue, contacts, aht_seconds, scheduled) by each queue's formula:
    chat -> chat concurrency model, email -> deferred backlog, voice -> Erlang A where
    `patience_seconds` is known, else Erlang C."""
    interval = length * 60.0
    out = pd.DataFrame(np.nan, index=frame.index, columns=list(_METRICS))
    method = pd.Series("", index=frame.index, dtype=object)
    for queue, rows in frame.groupby("queue", sort=False):
        q = settings.loc[queue]
        c = rows["contacts"].to_numpy(dtype=float)
        h = rows["aht_seconds"].to_numpy(dtype=float)
        x = rows["scheduled"].to_numpy(dtype=float)
        target = float(q["target_seconds"])
        kind = _method(q)
        if kind == "chat":
            values = _chat_columns(c, h, interval, x, int(q["concurrency"]), target,
                                   float(q["patience_seconds"]))
        elif kind == "deferred":
            is_open = open_intervals(rows["interval_start"], q["open_hours"])
            values = _deferred_columns(c, h, interval, x, target, float(q["max_occupancy"]),
                                       is_open)
        elif kind == "erlang_a":
            values = _erlang_a_columns(c, h, interval, x, float(q["patience_seconds"]), target)
        else:
            values = _erlang_c_columns(c, h, interval, x, target)
        out.loc[rows.index, list(_METRICS)] = values
        method[rows.index] = kind
    return out.assign(method=method)


_METRICS = ("service_level", "asa_seconds", "wait_p90_seconds", "abandon_rate", "occupancy")


def _method(q: pd.Series) -> str:
    channel = str(q["channel"])
    if channel == "chat":
        return "chat"
    if channel == "email":
        return "deferred"
    patience = float(q["patience_seconds"])
    return "erlang_a" if np.isfinite(patience) and patience > 0 else "erlang_c"


def _erlang_c_columns(c: np.ndarray, h: np.ndarray, interval: float, x: np.ndarray,
                      target: float) -> np.ndarray:
    return np.column_stack([
        erlang.service_level(c, h, interval, x, target),
        erlang.asa_seconds(c, h, interval, x),
        erlang_c_wait_percentile(c, h, interval, x),
        np.zeros(c.size),
        erlang.occupancy(c, h, interval, x),
    ])


def _erlang_a_columns(c: np.ndarray, h: np.ndarray, interval: float, x: np.ndarray,
                      patience: float, target: float) -> np.ndarray:
    m = erlang_a.erlang_a(c, h, interval, x, patience, target)

    def within(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return erlang_a.erlang_a(c[rows], h[rows], interval, x[rows], patience, t).service_level

    return np.column_stack([
        m.service_level, m.asa_seconds, _answered_wait_percentile(within, m.abandon_rate, h),
        m.abandon_rate, m.occupancy])


def _answered_wait_percentile(service_level_within: Callable[[np.ndarray, np.ndarray],
                                                             np.ndarray],
                              abandon_rate: np.ndarray, aht: np.ndarray) -> np.ndarray:
    """90th percentile of the wait of answered contacts, where some abandon: the share
    answered within t is the service level at t over the share answered."""
    answered = 1.0 - abandon_rate

    def answered_within(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
        sl = service_level_within(t, rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(answered[rows] > 0, sl / answered[rows], 1.0)

    return _wait_percentile(answered_within, aht)


def _wait_percentile(share_within: Callable[[np.ndarray, np.ndarray], np.ndarray],
                     aht: np.ndarray, percentile: float = WAIT_PERCENTILE) -> np.ndarray:
    """Least wait t with share_within(t, rows) >= percentile (the share grows with t),
    to 0.5 s or 1%, or to 0.5% of the tail share (1 - share within 0.0005 of 0.1 at
    the 90th percentile). A bracket, then the Illinois variant of regula falsi on
    log(1 - share), nearly linear in t since waits have a near-exponential tail; each
    step is evaluated only on the rows still open. Infinite where never reached."""
    goal = np.log1p(-percentile)

    def excess(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """>= 0 once the share answered within t reaches the percentile."""
        return goal - np.log(np.clip(1.0 - share_within(t, rows), 1e-300, 1.0))

    n = aht.size
    out = np.full(n, np.inf)
    rows = np.arange(n)
    f0 = excess(np.zeros(n), rows)
    out[f0 >= 0] = 0.0
    rows = rows[f0 < 0]
    lo, f_lo = np.zeros(rows.size), f0[rows]
    hi = np.maximum(aht[rows], 1.0)
    f_hi = excess(hi, rows)
    for _ in range(20):  # widen the bracket where needed (x4 each time)
        short = f_hi < 0
        if not short.any():
            break
        lo = np.where(short, hi, lo)
        f_lo = np.where(short, f_hi, f_lo)
        hi = np.where(short, hi * 4.0, hi)
        idx = np.flatnonzero(short)
        f_hi[idx] = excess(hi[idx], rows[idx])
    found = f_hi >= 0
    rows, lo, hi, f_lo, f_hi = rows[found], lo[found], hi[found], f_lo[found], f_hi[found]
    side = np.zeros(rows.size, dtype=np.int8)
    settled = np.abs(f_hi) < 0.005
    for _ in range(60):
        open_ = ~settled & ((hi - lo) > np.maximum(0.5, 0.01 * hi))
        if not open_.any():
            break
        idx = np.flatnonzero(open_)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = hi[idx] - f_hi[idx] * (hi[idx] - lo[idx]) / (f_hi[idx] - f_lo[idx])
        mid = (lo[idx] + hi[idx]) / 2.0
        t = np.where(np.isfinite(t) & (t > lo[idx]) & (t < hi[idx]), t, mid)
        f = excess(t, rows[idx])
        settled[idx] = np.abs(f) < 0.005
        up = (f >= 0) | settled[idx]
        # Illinois: halve the stored value of the end that stays, so both ends move.
        i_up, i_dn = idx[up], idx[~up]
        hi[i_up], f_hi[i_up] = t[up], f[up]
        f_lo[i_up] = np.where(side[i_up] == 1, f_lo[i_up] / 2.0, f_lo[i_up])
        side[i_up] = 1
        lo[i_dn], f_lo[i_dn] = t[~up], f[~up]
        f_hi[i_dn] = np.where(side[i_dn] == -1, f_hi[i_dn] / 2.0, f_hi[i_dn])
        side[i_dn] = -1
    out[rows] = hi
    return out


def _chat_columns(c: np.ndarray, h: np.ndarray, interval: float, x: np.ndarray,
                  concurrency: int, target: float, patience: float = math.nan) -> np.ndarray:
    """Chat concurrency model (with abandonment where the queue has a patience);
    between whole agent counts the metrics are interpolated linearly, as Erlang C
    and A do."""
    lo = np.floor(x + 1e-9)
    frac = np.clip(x - lo, 0.0, 1.0)

    def at(n: np.ndarray) -> np.ndarray:
        m = chat.chat_metrics(c, h, interval, n, concurrency, target,
                              patience_seconds=patience)
        if math.isnan(patience):
            p_wait = 1.0 - chat.chat_metrics(c, h, interval, n, concurrency, 0.0).service_level
            with np.errstate(divide="ignore", invalid="ignore"):
                gap = p_wait / m.asa_seconds  # exponential tail rate of the wait
                p90 = np.log(p_wait / (1.0 - WAIT_PERCENTILE)) / gap
            p90 = np.where(p_wait <= 1.0 - WAIT_PERCENTILE, 0.0, p90)
            p90 = np.where(np.isfinite(m.asa_seconds), p90, np.inf)
        else:
            def within(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
                return chat.chat_metrics(c[rows], h[rows], interval, n[rows], concurrency, t,
                                         patience_seconds=patience).service_level

            p90 = _answered_wait_percentile(within, m.abandon_rate, h)
        return np.column_stack([m.service_level, m.asa_seconds, p90, m.abandon_rate,
                                m.occupancy])

    low = at(lo)
    if not np.any(frac > 0):
        return low
    high = at(lo + 1.0)
    f = frac[:, None]
    with np.errstate(invalid="ignore"):
        mixed = low + f * (high - low)
    mixed = np.where(np.isinf(low) & (f > 0), np.where(f >= 1.0, high, low), mixed)
    if not math.isnan(patience):
        # ASA is a mean over answered chats: weight each count by the chats it answers.
        mixed[:, 1] = erlang_a.answered_weighted_asa(low[:, 1], low[:, 3], high[:, 1],
                                                     high[:, 3], frac)
        nobody = (1.0 - low[:, 3]) * (1.0 - frac) <= 0
        mixed[:, 2] = np.where(nobody & (f[:, 0] > 0), high[:, 2], mixed[:, 2])
    return np.where(f > 0, mixed, low)


def _deferred_columns(c: np.ndarray, h: np.ndarray, interval: float, x: np.ndarray,
                      target: float, max_occupancy: float,
                      is_open: np.ndarray | None = None) -> np.ndarray:
    """Email: a first-in-first-out backlog worked by the scheduled agents (intervals
    taken as consecutive; the deadline counts open hours); `asa_seconds` is the mean
    time to clear, no percentile.

    Work still in the backlog at the end of the horizon (email that arrives after the
    last opening, due the next morning) is worked after it at the horizon's mean staffing
    of its open intervals, as `scheduling.deferred.deferred_requirement` assumes when it
    staffs that work; without the padding it would count as never handled (service level
    0, infinite ASA) whatever the roster."""
    size = c.size
    opened = np.ones(size, dtype=bool) if is_open is None else np.asarray(is_open, dtype=bool)
    staffed = x[opened & (x > 0)]
    if size and staffed.size:
        level = float(staffed.mean())
        _, _, _, left = deferred.clear_backlog(c, h, x, interval, target, max_occupancy,
                                               open_intervals=opened)
        per_interval = level * interval * max_occupancy
        extra = max(deferred.deadline_intervals(target, interval) - 1,
                    int(np.ceil(left[-1] / per_interval)) + 1)
        c = np.concatenate([c, np.zeros(extra)])
        h = np.concatenate([h, np.zeros(extra)])
        x = np.concatenate([x, np.full(extra, level)])
        opened = np.concatenate([opened, np.ones(extra, dtype=bool)])
    in_time, delay, occ, _ = deferred.clear_backlog(c, h, x, interval, target, max_occupancy,
                                                    open_intervals=opened)
    in_time, delay, occ = in_time[:size], delay[:size], occ[:size]
    return np.column_stack([in_time, delay, np.full(size, np.nan), np.zeros(size), occ])


# simulation --------------------------------------------------------------------------

def _simulation_agents(windows: pd.DataFrame, settings: pd.DataFrame,
                       skills: Mapping[str, Sequence[str]] | None, origin: pd.Timestamp,
                       interval_minutes: int
                       ) -> Callable[[np.random.Generator], list[AgentWindows]]:
    """Per replication: each agent's on-line windows after unplanned shrinkage.

    Shrinkage is drawn per queue and interval: of the k agents of a queue on line in an
    interval, floor(s k) (plus one with probability s k - floor(s k)) chosen at random
    are taken off line for that interval, so on average a share s is lost, as in the
    formulas.
    """
    length = interval_minutes * 60.0
    sec = pd.Timedelta(seconds=1)
    s = ((windows["start"] - origin) / sec).to_numpy()
    e = ((windows["end"] - origin) / sec).to_numpy()
    first = np.floor(s / length).astype(np.int64)
    last = np.ceil(e / length).astype(np.int64) - 1
    reps = np.maximum(last - first + 1, 1)
    idx = np.repeat(np.arange(len(windows)), reps)
    k = np.repeat(first, reps) + (np.arange(idx.size) - np.repeat(np.cumsum(reps) - reps, reps))
    ps = np.maximum(s[idx], k * length)
    pe = np.minimum(e[idx], (k + 1) * length)
    keep = pe > ps
    pieces = pd.DataFrame({
        "agent_id": windows["agent_id"].to_numpy()[idx][keep],
        "queue": windows["queue"].to_numpy()[idx][keep],
        "slot": k[keep], "start": ps[keep], "end": pe[keep]})
    pieces["shrinkage"] = pieces["queue"].map(settings["shrinkage"]).to_numpy(dtype=float)
    pieces = pieces.sort_values(["agent_id", "start"], ignore_index=True)
    # One on-line piece per agent and interval for the draw (an agent back from a break
    # in the same interval is the same person).
    person = pieces.groupby(["agent_id", "slot"], sort=False).ngroup().to_numpy()
    group = pieces.groupby(["queue", "slot"], sort=False)
    first_of_person = ~pd.Series(person).duplicated().to_numpy()
    count = pd.Series(first_of_person).groupby(group.ngroup().to_numpy()).transform("sum")
    shrink = pieces["shrinkage"].to_numpy()
    agent_skills = {a: tuple(v) for a, v in (skills or {}).items()}
    agent_queue = windows.drop_duplicates("agent_id").set_index("agent_id")["queue"]
    group_id = group.ngroup().to_numpy()

    def draw(rng: np.random.Generator) -> list[AgentWindows]:
        expected = shrink * count.to_numpy()
        u = rng.uniform(size=len(pieces))
        off_count = np.floor(expected) + (rng.uniform(size=len(pieces)) < expected % 1.0)
        # Rank people within (queue, interval) by a random key; the lowest ranks go off.
        key = pd.Series(np.where(first_of_person, u, np.nan))
        rank = key.groupby(group_id).rank(method="first")
        rank_of_person = pd.Series(rank.to_numpy()).groupby(person).transform("max")
        group_off = pd.Series(off_count).groupby(group_id).transform("first").to_numpy()
        on = rank_of_person.to_numpy() > group_off
        kept = pieces[on]
        agents = []
        for agent_id, rows in kept.groupby("agent_id", sort=True):
            spans: list[list[float]] = []
            for a, b in zip(rows["start"].to_numpy(), rows["end"].to_numpy(), strict=True):
                if spans and a <= spans[-1][1] + 1e-9:
                    spans[-1][1] = max(spans[-1][1], b)
                else:
                    spans.append([a, b])
            queue = str(agent_queue[agent_id])
            agents.append(AgentWindows(str(agent_id), queue,
                                       tuple(dict.fromkeys((queue, *agent_skills.get(
                                           str(agent_id), ())))),
                                       tuple((a, b) for a, b in spans)))
        return agents

    return draw


def _queue_models(settings: pd.DataFrame, queues: Sequence[str]) -> dict[str, QueueModel]:
    """The simulation's view of each queue: as the formulas see it (patience on voice
    and chat queues, chat concurrency and slowdown as in `scheduling.chat`)."""
    models = {}
    for queue in queues:
        q = settings.loc[queue]
        kind = _method(q)
        given = float(q["patience_seconds"])
        patience = given if kind in ("erlang_a", "chat") and math.isfinite(given) else math.inf
        is_chat = kind == "chat"
        models[queue] = QueueModel(
            queue, float(q["target_seconds"]), patience,
            max(1, int(q["concurrency"])) if is_chat else 1,
            chat.DEFAULT_SLOWDOWN if is_chat else 0.0)
    return models


# projection --------------------------------------------------------------------------

def project(
    roster: pd.DataFrame,
    forecast: pd.DataFrame,
    queue_settings: pd.DataFrame,
    *,
    simulate: bool = False,
    skills: Mapping[str, Sequence[str]] | None = None,
    seed: int = 0,
    replications: int = 5,
    interval_minutes: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> pd.DataFrame:
    """The projection frame: per queue and forecast interval, agents `required` (on
    line, to meet the queue's targets), `scheduled` (on line from the roster after
    breaks and unplanned shrinkage), and the projected `service_level`,
    `asa_seconds`, `abandon_rate`, `occupancy`; plus `contacts`, `aht_seconds`,
    `wait_p90_seconds`, `below_target` and `method` (erlang_c, erlang_a, chat or
    simulation).

    `simulate=True` runs the pooled simulation instead of per-queue formulas; `skills`
    maps agent_id to every queue the agent may answer (default: the rostered queue
    only). Raises ProjectionInputError when the roster, forecast and settings do not
    fit (unknown queue, mixed interval lengths, roster days outside the forecast).
    """
    report = progress or (lambda _f: None)
    settings = _settings_table(queue_settings)
    fc, length = check_forecast(forecast, interval_minutes)
    if fc.empty:
        raise ProjectionInputError("forecast: no intervals to project")
    rows = parse_roster(roster)
    _check_fit(rows, fc, settings)
    if skills:
        for agent_id, queues in skills.items():
            bad = [q for q in queues if q not in settings.index]
            if bad:
                raise ProjectionInputError(f"skills of agent {agent_id}: unknown queue "
                                           f"{bad[0]!r}; the queue settings list "
                                           f"{sorted(settings.index)}")
    windows = on_line_windows(rows)
    report(0.05)
    rostered = agents_on_line(windows, fc, length)
    shrinkage = fc["queue"].map(settings["shrinkage"]).to_numpy(dtype=float)
    frame = fc[["queue", "interval_start", "contacts", "aht_seconds"]].copy()
    frame["scheduled"] = rostered * (1.0 - shrinkage)
    frame["required"] = _required(frame, settings, length)
    report(0.1)
    if simulate:
        origin = frame["interval_start"].min()
        draw = _simulation_agents(windows, settings, skills, origin, length)
        queues = sorted(set(frame["queue"]) | set(windows["queue"]))
        sim = simulate_pooled(frame, draw, _queue_models(settings, queues), length, seed=seed,
                              replications=replications,
                              progress=lambda f: report(0.1 + 0.85 * f))
        sim = sim.set_index(["queue", "interval_start"])
        key = pd.MultiIndex.from_frame(frame[["queue", "interval_start"]])
        metrics = sim.loc[key, list(_METRICS)].reset_index(drop=True)
        metrics["method"] = "simulation"
        metrics.index = frame.index
    else:
        metrics = _formula_metrics(frame, settings, length)
    out = pd.concat([frame, metrics], axis=1)
    out["below_target"] = below_target(out, settings)
    report(1.0)
    return out[list(PROJECTION_COLUMNS) + list(EXTRA_COLUMNS)]


def _required(frame: pd.DataFrame, settings: pd.DataFrame, length: int) -> np.ndarray:
    """Agents on line each interval needs to meet its queue's targets
    (`scheduling.staffing.requirements`, the same models as the projection)."""
    need = staffing.requirements(frame[["queue", "interval_start", "contacts", "aht_seconds"]],
                                 settings.reset_index(), interval_minutes=length)
    key = ["queue", "interval_start"]
    merged = frame[key].merge(need[[*key, "agents"]], on=key, how="left", validate="one_to_one")
    return merged["agents"].to_numpy(dtype=float)


def below_target(projection: pd.DataFrame, queue_settings: pd.DataFrame) -> pd.Series:
    """True where an interval with contacts misses its queue's service-level target
    (or its ASA target, where the queue has one)."""
    settings = (queue_settings if queue_settings.index.name == "queue"
                else _settings_table(queue_settings))
    queue = projection["queue"].astype(str)
    goal = queue.map(settings["service_level"]).astype(float)
    miss = goal.notna() & (projection["service_level"].astype(float) < goal - 1e-9)
    asa_goal = queue.map(settings["asa_seconds"]).astype(float)
    miss |= asa_goal.notna() & (projection["asa_seconds"].astype(float) > asa_goal + 1e-9)
    return miss & (projection["contacts"].astype(float) > 0)


# roll-ups ----------------------------------------------------------------------------

ROLLUP_COLUMNS = (
    "queue", "period_start", "contacts", "required_hours", "scheduled_hours", "service_level",
    "asa_seconds", "abandon_rate", "occupancy", "intervals", "intervals_below_target",
)


def rollup(projection: pd.DataFrame, period: str = "day", all_queues: bool = False
           ) -> pd.DataFrame:
    """Daily (`period="day"`) or weekly (`"week"`, weeks starting Monday) roll-up per queue.

    Service level and abandonment are weighted by contacts, ASA by contacts answered
    (contacts x (1 - abandon_rate)), occupancy by agents scheduled (so it is the share
    of on-line time spent handling contacts). `all_queues=True` adds rows with queue
    "all queues" over every queue.
    """
    if period not in ("day", "week"):
        raise ProjectionInputError(f"roll-up period {period!r}; expected 'day' or 'week'")
    frame = projection.copy()
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    day = frame["interval_start"].dt.normalize()
    frame["period_start"] = day if period == "day" else day - pd.to_timedelta(
        frame["interval_start"].dt.day_of_week, unit="D")
    stamps = frame["interval_start"].drop_duplicates().sort_values()
    steps = stamps.diff().dropna()
    hours = (steps[steps > pd.Timedelta(0)].min() / pd.Timedelta(hours=1)) if len(steps) else 1.0
    parts = [frame]
    if all_queues:
        parts.append(frame.assign(queue="all queues"))
    return pd.concat([_roll(p, hours) for p in parts], ignore_index=True)[list(ROLLUP_COLUMNS)]


def _roll(frame: pd.DataFrame, hours: float) -> pd.DataFrame:
    w = frame["contacts"].astype(float)
    answered = w * (1.0 - frame["abandon_rate"].astype(float))
    sched = frame["scheduled"].astype(float)
    with np.errstate(invalid="ignore"):
        parts = frame.assign(
            _w=w, _a=answered, _s=sched,
            _sl=w * frame["service_level"], _ab=w * frame["abandon_rate"],
            _asa=np.where(answered > 0, answered * frame["asa_seconds"], 0.0),
            _occ=sched * frame["occupancy"], _below=frame["below_target"].astype(int))
    g = parts.groupby(["queue", "period_start"], sort=True)
    out = g.agg(contacts=("_w", "sum"), _a=("_a", "sum"), _s=("_s", "sum"),
                required=("required", "sum"), _sl=("_sl", "sum"), _ab=("_ab", "sum"),
                _asa=("_asa", "sum"), _occ=("_occ", "sum"),
                intervals=("_w", "size"), intervals_below_target=("_below", "sum"))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["service_level"] = np.where(out["contacts"] > 0, out["_sl"] / out["contacts"], 1.0)
        out["abandon_rate"] = np.where(out["contacts"] > 0, out["_ab"] / out["contacts"], 0.0)
        out["asa_seconds"] = np.where(out["_a"] > 0, out["_asa"] / out["_a"], 0.0)
        out["occupancy"] = np.where(out["_s"] > 0, out["_occ"] / out["_s"], 0.0)
    out["required_hours"] = out["required"] * hours
    out["scheduled_hours"] = out["_s"] * hours
    return out.reset_index()
