"""The pooled simulation's inputs: agents with their skills and on-line windows, and
each queue's model (`scheduling.pooled_simulation`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from scheduling import chat
from scheduling.pooled_simulation import AgentWindows, QueueModel
from scheduling.projection.formulas import _method


def simulation_agents(windows: pd.DataFrame, settings: pd.DataFrame,
                       skills: Mapping[str, Sequence[str]] | None, origin: pd.Timestamp,
                       interval_minutes: int,
                       proficiency: Mapping[str, Mapping[str, float]] | None = None
                       ) -> Callable[[np.random.Generator], list[AgentWindows]]:
    """Per replication: each agent's on-line windows after unplanned shrinkage.

    Shrinkage is drawn per queue and interval: of the k agents of a queue on line in an
    interval, floor(s k) (plus one with probability s k - floor(s k)) chosen at random
    are taken off line for that interval, so on average a share s is lost, as in the
    formulas. An agent's `proficiency` (queue -> share below 1) goes with them: they
    handle contacts of that queue at that share of the speed.
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
                                       tuple((a, b) for a, b in spans),
                                       tuple((str(q), float(v)) for q, v in
                                             (proficiency or {}).get(str(agent_id),
                                                                     {}).items())))
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
