"""Decoding the solver's picks into the roster changes frame (`CHANGE_COLUMNS`)
and the roster after them."""

from __future__ import annotations

import pandas as pd

from scheduling.intraday.days import AgentDay, clock

CHANGE_COLUMNS = ("agent_id", "change", "from", "to", "queue", "overtime_minutes")

def apply_changes(days: list[AgentDay], picked: dict, roster: pd.DataFrame, today: pd.Timestamp,
           length: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    changes, new_rows, drop_rows = [], [], []
    at = today + pd.Timedelta(0)
    for a, d in enumerate(days):
        end = picked["ends"].get(a, d.end)
        begin = picked["starts"].get(a, d.start)
        off = picked.get("shifted", {}).get(a, d.start) - d.start
        if off:
            begin, end = d.start + off, d.end + off
            changes.append((d.agent_id, "shift", f"{clock(d.start)}-{clock(d.end)}",
                            f"{clock(begin)}-{clock(end)}", d.queue, 0))
        breaks = []
        for k, b in enumerate(d.breaks):
            p = picked["breaks"].get((a, k), b.start) if b.options else b.start
            p = p + off if off else p
            if p is None or p >= end:
                continue
            if p != b.start + off:
                changes.append((d.agent_id, "break", f"{clock(b.start)}-"
                                f"{clock(b.start + b.length)}",
                                f"{clock(p)}-{clock(p + b.length)}", d.queue, 0))
            breaks.append((p, p + b.length))
        if (end != d.end or begin != d.start) and not off:
            extra = max(0, end - d.end) + max(0, d.start - begin)
            changes.append((d.agent_id, "vto" if end < d.end else "overtime",
                            f"{clock(d.start)}-{clock(d.end)}",
                            f"{clock(begin)}-{clock(end)}", d.queue,
                            max(0, extra - d.contract_room)))
        plan = picked["queue"].get(a, [])
        runs = []  # (start, end, queue)
        cursor, current = begin, d.queue
        for t, q in plan:
            t = max(t, begin)
            if q != current and t < end:
                runs.append((cursor, t, current))
                cursor, current = t, q
        runs.append((cursor, end, current))
        runs = [r for r in runs if r[1] > r[0]]
        for s, e, q in runs:
            if q != d.queue:
                changes.append((d.agent_id, "move", clock(s), clock(e), q, 0))
        if end == d.end and begin == d.start and len(runs) == 1 and not any(
                c[0] == d.agent_id and c[1] == "break" for c in changes):
            continue
        drop_rows.append(d.row)
        source = roster.loc[d.row]
        for s, e, q in runs:
            pieces = [(max(b0, s), min(b1, e)) for b0, b1 in breaks if b0 < e and b1 > s]
            new_rows.append({
                "agent_id": source["agent_id"], "date": source["date"],
                "shift": source["shift"], "start": at + pd.Timedelta(minutes=s),
                "end": at + pd.Timedelta(minutes=e), "queue": q,
                "breaks": ";".join(f"{clock(b0)}-{clock(b1)}" for b0, b1 in pieces)})
    for agent_id, tpl, s0, s1, q, brk, above in picked.get("call_in", []):
        changes.append((agent_id, "call_in", "off", f"{clock(s0)}-{clock(s1)}", q, above))
        new_rows.append({"agent_id": agent_id, "date": today, "shift": tpl,
                         "start": at + pd.Timedelta(minutes=s0),
                         "end": at + pd.Timedelta(minutes=s1), "queue": q,
                         "breaks": ";".join(f"{clock(b0)}-{clock(b1)}" for b0, b1 in brk)})
    after = pd.concat([roster.drop(index=drop_rows), pd.DataFrame(new_rows)],
                      ignore_index=True) if new_rows else roster.copy()
    after = after.sort_values(["agent_id", "date", "start"], ignore_index=True)
    frame = pd.DataFrame(changes, columns=list(CHANGE_COLUMNS))
    return frame, after
