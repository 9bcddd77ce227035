"""The CP-SAT model of the re-plan: cover per queue and slot, the shortfall tiers
against the requirement, and the changes' costs."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from ortools.sat.python import cp_model

from scheduling.intraday.call_in import CallIn
from scheduling.intraday.days import AgentDay
from scheduling.intraday.options import ReplanOptions
from scheduling.staffing import requirements

TIERS = ((0.10, 1), (0.15, 3), (math.inf, 9))  # share of the requirement, cost per minute


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def extension_cost(minutes: int, contract_room: int, opt: ReplanOptions) -> float:
    """The cost of `minutes` more paid work: `overtime_cost` a minute, times
    `overtime_premium` for the minutes above the weekly contract (paid as overtime)."""
    above = max(0, minutes - contract_room)
    return opt.overtime_cost * ((minutes - above) + opt.overtime_premium * above)


def needed_staff(forecast: pd.DataFrame, queue_settings: pd.DataFrame, now: pd.Timestamp,
            start: int, length: int) -> pd.DataFrame:
    today = now.normalize()
    fc = forecast.copy()
    fc["queue"] = fc["queue"].astype(str)
    fc["interval_start"] = pd.to_datetime(fc["interval_start"])
    fc = fc[(fc["interval_start"] >= today + pd.Timedelta(minutes=start))
            & (fc["interval_start"] < today + pd.Timedelta(days=1))]
    need = requirements(fc[["queue", "interval_start", "contacts", "aht_seconds"]],
                        queue_settings, interval_minutes=length)
    shrink = need["queue"].map(queue_settings.set_index("queue")["shrinkage"]).astype(float)
    need["minutes"] = need["agents"] / (1.0 - shrink) * length
    need["t"] = ((need["interval_start"] - today) / pd.Timedelta(minutes=1)).astype(int)
    return need


def solve_changes(days: list[AgentDay], need: pd.DataFrame, length: int, start: int,
           opt: ReplanOptions, agents_today: int, call_ins: Sequence[CallIn] = ()
           ) -> tuple[dict, str]:
    """The CP-SAT model. Every change is a Boolean that adds or removes known on-line
    minutes, so cover stays linear: a moved break, an earlier start, a later or earlier
    end count on the agent's own queue (and keep the agent there in the blocks they
    touch); the queue answered is chosen per block of `move_step` minutes."""
    m = cp_model.CpModel()
    slots = sorted(set(need["t"]))
    cover: dict[tuple[str, int], list] = {}  # (queue, slot) -> [(minutes, var or None)]
    cost = []
    scale = 10
    block = max(length, opt.move_step)
    choice: dict = {"breaks": {}, "ends": {}, "starts": {}, "queue": {}}

    touched: list[cp_model.IntVar] = []

    changes: list[cp_model.IntVar] = []

    def change(v: cp_model.IntVar, amount: float) -> None:
        cost.append((v, int(round(scale * amount))))
        m.AddImplication(v, touched[-1])
        changes.append(v)

    def blocks_of(a0: int, a1: int) -> set[int]:
        return {(t - start) // block for t in slots if t < a1 and t + length > a0}

    for a, d in enumerate(days):
        touched.append(m.NewBoolVar(f"changed_{d.agent_id}"))
        cost.append((touched[-1], int(round(scale * opt.agent_cost))))
        const = {t: _overlap(d.start, d.end, t, t + length)
                 - sum(_overlap(b.start, b.start + b.length, t, t + length) for b in d.breaks)
                 for t in slots}
        terms: list[tuple[int, int, cp_model.IntVar]] = []  # (slot, minutes, var) on home
        home: list[tuple[cp_model.IntVar, set[int]]] = []   # var -> blocks kept at home
        ends = {e: m.NewBoolVar(f"end_{d.agent_id}_{e}") for e in d.ends if e != d.end}
        begins = {b: m.NewBoolVar(f"start_{d.agent_id}_{b}") for b in d.starts if b != d.start}
        m.AddAtMostOne([*ends.values(), *begins.values()])
        choice["ends"][a], choice["starts"][a] = ends, begins
        m.Add(sum((e - d.end) * v for e, v in ends.items() if e > d.end)
              + sum((d.start - b) * v for b, v in begins.items()) <= d.room)
        for e, v in ends.items():
            change(v, opt.change_cost + extension_cost(max(0, e - d.end), d.contract_room, opt)
                   - opt.vto_saving * max(0, d.end - e))
            if e > d.end:
                terms += [(t, _overlap(d.end, e, t, t + length), v) for t in slots]
                home.append((v, blocks_of(d.end, e)))
            else:
                terms += [(t, -const[t] if t >= e else -_overlap(e, d.end, t, t + length), v)
                          for t in slots if t + length > e]
                home.append((v, blocks_of(e, d.end)))
        for b, v in begins.items():
            change(v, opt.change_cost + extension_cost(d.start - b, d.contract_room, opt))
            terms += [(t, _overlap(b, d.start, t, t + length), v) for t in slots]
            home.append((v, blocks_of(b, d.start)))
        shifted = {st: m.NewBoolVar(f"shift_{d.agent_id}_{st}") for st in d.shift_to}
        choice.setdefault("shifted", {})[a] = shifted
        m.AddAtMostOne(shifted.values())
        for st, v in shifted.items():  # the whole shift, breaks along, on the own queue
            change(v, opt.change_cost)
            off = st - d.start
            new_on = {t: _overlap(st, d.end + off, t, t + length)
                      - sum(_overlap(b.start + off, b.start + off + b.length, t, t + length)
                            for b in d.breaks) for t in slots}
            terms += [(t, new_on[t] - const[t], v) for t in slots]
            home.append((v, blocks_of(min(st, d.start), max(d.end, d.end + off))))
            for w in [*ends.values(), *begins.values()]:
                m.AddBoolOr([v.Not(), w.Not()])
        moved: list[dict[int, cp_model.IntVar]] = []
        for k, b in enumerate(d.breaks):
            opts = {p: m.NewBoolVar(f"brk_{d.agent_id}_{k}_{p}") for p in b.options
                    if p != b.start}
            m.AddAtMostOne(opts.values())
            moved.append(opts)
            choice["breaks"][(a, k)] = opts
            for p, v in opts.items():
                change(v, opt.change_cost)
                for w in shifted.values():
                    m.AddBoolOr([v.Not(), w.Not()])
                terms += [(t, _overlap(b.start, b.start + b.length, t, t + length)
                           - _overlap(p, p + b.length, t, t + length), v) for t in slots]
                home.append((v, blocks_of(b.start, b.start + b.length)
                             | blocks_of(p, p + b.length)))
                for e, ev in ends.items():  # a moved break stays inside the new shift
                    if e < d.end or p + b.length > e:
                        m.AddBoolOr([v.Not(), ev.Not()])
        for k in range(len(d.breaks) - 1):  # breaks keep their order without overlap
            one, two = d.breaks[k], d.breaks[k + 1]
            o1 = {one.start: None, **moved[k]}
            o2 = {two.start: None, **moved[k + 1]}
            for p1, v1 in o1.items():
                for p2, v2 in o2.items():
                    if p2 >= p1 + one.length or (v1 is None and v2 is None):
                        continue
                    if v1 is not None and v2 is not None:
                        m.AddBoolOr([v1.Not(), v2.Not()])
                        continue
                    mover, other = (v1, moved[k + 1]) if v1 is not None else (v2, moved[k])
                    if other:  # the other break must move too
                        m.AddBoolOr(list(other.values())).OnlyEnforceIf(mover)
                    else:
                        m.Add(mover == 0)
        terms = [(t, c, v) for t, c, v in terms if c]
        # the queue answered per block
        live = [t for t in slots if const[t] > 0]
        if len(d.skills) == 1 or not live:
            for t in live:
                cover.setdefault((d.queue, t), []).append((const[t], None))
        else:
            blocks = sorted({(t - start) // block for t in live})
            z = {(q, k): m.NewBoolVar(f"q_{d.agent_id}_{q}_{k}")
                 for q in d.skills for k in blocks}
            choice["queue"][a] = (z, blocks, block)
            for (q, k), v in z.items():  # another queue only while it is open
                lo, hi = d.hours.get(q, (0, 1440))
                if q != d.queue and not lo <= start + k * block < start + (k + 1) * block <= hi:
                    m.Add(v == 0)
            for i, k in enumerate(blocks):
                m.AddExactlyOne(z[q, k] for q in d.skills)
                for q in d.skills:
                    if q == d.queue:
                        continue
                    prev = z[q, blocks[i - 1]] if i and blocks[i - 1] == k - 1 else 0
                    sw = m.NewBoolVar(f"sw_{d.agent_id}_{q}_{k}")
                    m.Add(sw >= z[q, k] - prev)
                    change(sw, opt.change_cost)
            for v, kept in home:
                for k in kept & set(blocks):
                    m.AddImplication(v, z[d.queue, k])
            for t in live:
                k = (t - start) // block
                for q in d.skills:
                    cover.setdefault((q, t), []).append((const[t], z[q, k]))
        for t, c, v in terms:
            cover.setdefault((d.queue, t), []).append((c, v))
    slots_set = set(slots)
    for c in call_ins:
        touched.append(m.NewBoolVar(f"changed_{c.agent_id}"))
        cost.append((touched[-1], int(round(scale * opt.agent_cost))))
        picks = {}
        for i, (_tpl, s0, s1, q, brk) in enumerate(c.options):
            v = m.NewBoolVar(f"call_{c.agent_id}_{i}")
            picks[i] = v
            change(v, opt.change_cost + opt.call_in_cost + extension_cost(
                c.paid[i], c.contract_room, opt) + opt.overtime_cost * (s1 - s0 - c.paid[i]))
            for t in range(s0 - s0 % length, s1, length):
                on = _overlap(s0, s1, t, t + length) - sum(_overlap(b0, b1, t, t + length)
                                                           for b0, b1 in brk)
                if on > 0 and t in slots_set:
                    cover.setdefault((q, t), []).append((on, v))
        m.AddAtMostOne(picks.values())
        choice.setdefault("call_in", []).append(picks)
    if opt.max_changed_share is not None:
        cap = max(1, int(math.floor(opt.max_changed_share * agents_today + 1e-9)))
        m.Add(sum(touched) <= cap)
    # shortfall tiers and over-staffing per queue and slot
    for r in need.itertuples(index=False):
        req = int(round(float(r.minutes)))
        have = cover.get((r.queue, r.t), [])
        if req <= 0 and not have:
            continue
        total = sum(c * v if v is not None else c for c, v in have)
        parts = []
        for share, unit in TIERS:
            cap = int(math.ceil(req * share)) if math.isfinite(share) else req
            v = m.NewIntVar(0, max(cap, 0), f"short_{r.queue}_{r.t}_{unit}")
            parts.append(v)
            cost.append((v, scale * unit))
        top = sum(abs(c) for c, _ in have) + length
        over = m.NewIntVar(0, top, f"over_{r.queue}_{r.t}")
        m.Add(total + sum(parts) - over == req)
        cost.append((over, max(1, int(round(scale * opt.over_cost)))))
    m.Minimize(sum(c * v for v, c in cost))
    for a, (z, _blocks, _size) in choice["queue"].items():
        for (q, _k), v in z.items():
            m.AddHint(v, q == days[a].queue)
    for v in [*touched, *changes]:  # the roster as it is: a first solution at once
        m.AddHint(v, False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, opt.workers)
    if opt.deterministic:  # the same changes for the same day, however busy the machine:
        # one worker stopped on deterministic time (the sample's surge day solves to
        # optimality so; interleaved workers were slower to find good changes)
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = opt.time_limit
        solver.parameters.max_time_in_seconds = 2.0 * opt.time_limit
    else:
        solver.parameters.max_time_in_seconds = opt.time_limit
    solver.parameters.random_seed = opt.seed
    status = solver.Solve(m)
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, name
    picked: dict = {"ends": {}, "starts": {}, "breaks": {}, "queue": {}, "call_in": []}
    for c, picks in zip(call_ins, choice.get("call_in", []), strict=True):
        i = next((i for i, v in picks.items() if solver.Value(v)), None)
        if i is not None:
            picked["call_in"].append((c.agent_id, *c.options[i],
                                      max(0, c.paid[i] - c.contract_room)))
    for a, d in enumerate(days):
        picked["ends"][a] = next((e for e, v in choice["ends"][a].items()
                                  if solver.Value(v)), d.end)
        picked["starts"][a] = next((b for b, v in choice["starts"][a].items()
                                    if solver.Value(v)), d.start)
    for (a, k), opts in choice["breaks"].items():
        picked["breaks"][(a, k)] = next((p for p, v in opts.items() if solver.Value(v)),
                                        days[a].breaks[k].start)
    picked["shifted"] = {a: st for a, opts in choice.get("shifted", {}).items()
                         for st, v in opts.items() if solver.Value(v)}
    for a, (z, blocks, size) in choice["queue"].items():
        picked["queue"][a] = [
            (start + k * size, next(q for q in days[a].skills if solver.Value(z[q, k])))
            for k in blocks]
    return picked, name
