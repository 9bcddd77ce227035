"""The agents file: who can work, which queues, their contract and their wishes.

Columns (one row per agent):

| column | required | meaning |
|---|---|---|
| `agent_id` | yes | unique id |
| `name` | yes | display name |
| `queues` | yes | skills, `;`-separated queue names |
| `min_hours_week`, `max_hours_week` | yes | paid hours per week (contract) |
| `max_days_week` | yes | most days worked per week |
| `unavailable` | yes (may be empty) | `;`-separated dates `YYYY-MM-DD` or weekdays `mon`..`sun` |
| `preferred_days_off` | no | same form; broken wishes cost `preferred_day_off_weight` |
| `preferred_start` | no | `HH:MM-HH:MM`, wished window for shift starts |
| `shifts` | no | `;`-separated template names the agent may work (default all) |
| `previous_shifts` | no | shifts worked in the 7 days before the roster (see below) |
| `team` | no | team name, used to decompose very large rosters |
| `site` | no | the agent's site; each queue is served from one site |
| `proficiency` | no | `;`-separated `queue=0.7`: how much of a full agent they are there |

`proficiency` gives, for some of the agent's `queues`, a number above 0 and at most 1
(1 where not given): an agent at 0.7 in a queue (cross-trained, still learning)
handles 0.7 of the contacts a full agent does, so the roster counts 0.7 of them
towards that queue's requirement and the projection 0.7 of them on line.

`previous_shifts` is `;`-separated `YYYY-MM-DD HH:MM-HH:MM` (an end before the start
ends the next day). When the column is present, days of the 7 before the roster
that are not listed were days off, so rest, consecutive-day and days-off rules hold
across the boundary; without the column the past is unknown and not constrained.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scheduling.queue_settings import remove_formula_guard
from scheduling.roster.errors import RosterInputError
from scheduling.roster.templates import WEEKDAYS, parse_clock

REQUIRED = ("agent_id", "name", "queues", "min_hours_week", "max_hours_week",
            "max_days_week", "unavailable")
OPTIONAL = ("preferred_days_off", "preferred_start", "shifts", "previous_shifts", "team",
            "site", "proficiency")


@dataclass(frozen=True)
class Agent:
    agent_id: str
    name: str
    queues: tuple[str, ...]
    min_hours_week: float
    max_hours_week: float
    max_days_week: int
    unavailable: tuple[str, ...] = ()
    preferred_days_off: tuple[str, ...] = ()
    preferred_start: tuple[int, int] | None = None
    shifts: tuple[str, ...] = ()
    previous_shifts: tuple[tuple[pd.Timestamp, pd.Timestamp], ...] | None = None
    team: str = ""
    site: str = ""  # the agent's site; its queues are that site's alone
    proficiency: tuple[tuple[str, float], ...] = ()  # (queue, share of a full agent) < 1

    def proficiency_in(self, queue: str) -> float:
        """The share of a full agent this agent is in `queue` (1 unless given)."""
        return dict(self.proficiency).get(queue, 1.0)


def _split(value: object) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ()
    return tuple(p.strip() for p in str(value).split(";") if p.strip())


def _check_day_tokens(tokens: tuple[str, ...], where: str) -> None:
    for t in tokens:
        if t.lower()[:3] in WEEKDAYS and len(t) <= 9:
            continue
        try:
            pd.Timestamp(t)
        except ValueError:
            raise RosterInputError(f"{where}: {t!r} is neither a date YYYY-MM-DD nor a weekday"
                                   ) from None


def day_matches(tokens: tuple[str, ...], date: pd.Timestamp) -> bool:
    """Whether a date is one of the `;` tokens (a date or a weekday name)."""
    for t in tokens:
        key = t.lower()[:3]
        if key in WEEKDAYS and len(t) <= 9:
            if WEEKDAYS.index(key) == date.day_of_week:
                return True
        elif pd.Timestamp(t).normalize() == date.normalize():
            return True
    return False


def parse_proficiency(value: object, queues: tuple[str, ...], where: str
                 ) -> tuple[tuple[str, float], ...]:
    """`queue=0.7;queue2=0.5` -> ((queue, 0.7), (queue2, 0.5)); each a queue of the
    agent's, above 0 and at most 1, given once. Those at 1 are left out."""
    out: dict[str, float] = {}
    for item in _split(value):
        queue, eq, number = (p.strip() for p in item.partition("="))
        if not eq or not queue:
            raise RosterInputError(f"{where}: {item!r} is not 'queue=share' (e.g. "
                                   "presales_chat=0.7)")
        if queue not in queues:
            raise RosterInputError(f"{where}: {queue!r} is not one of the agent's queues "
                                   f"{list(queues)}; give a proficiency only where they "
                                   "have the skill")
        if queue in out:
            raise RosterInputError(f"{where}: {queue!r} is given twice")
        try:
            share = float(number)
        except ValueError:
            share = float("nan")
        if not 0 < share <= 1:  # also refuses nan
            raise RosterInputError(f"{where}: {queue}={number!r} is not a number above 0 "
                                   "and at most 1")
        out[queue] = share
    return tuple((q, v) for q, v in out.items() if v < 1)


def _previous(value: object, where: str) -> tuple[tuple[pd.Timestamp, pd.Timestamp], ...]:
    out = []
    for item in _split(value):
        try:
            day, span = item.split()
            a, b = span.split("-")
            start = pd.Timestamp(day) + pd.Timedelta(minutes=parse_clock(a, where))
            end = pd.Timestamp(day) + pd.Timedelta(minutes=parse_clock(b, where))
        except (ValueError, RosterInputError):
            raise RosterInputError(f"{where}: {item!r} is not 'YYYY-MM-DD HH:MM-HH:MM'"
                                   ) from None
        if end <= start:
            end += pd.Timedelta(days=1)
        out.append((start, end))
    return tuple(sorted(out))


def agents_from_frame(frame: pd.DataFrame, source: str = "agents") -> list[Agent]:
    """Validate an agents frame; every error names the row and column."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise RosterInputError(f"{source}: missing columns {missing}; expected "
                               f"{list(REQUIRED)} and optionally {list(OPTIONAL)}")
    agents, seen = [], set()
    has_prev = "previous_shifts" in frame.columns
    for i, row in enumerate(frame.to_dict("records")):
        where = f"{source} row {i + 2}"
        aid = str(row["agent_id"]).strip()
        if not aid or aid == "nan":
            raise RosterInputError(f"{where}: empty agent_id")
        if aid in seen:
            raise RosterInputError(f"{where}: agent_id {aid!r} appears twice")
        seen.add(aid)
        queues = _split(row["queues"])
        if not queues:
            raise RosterInputError(f"{where} ({aid}), column queues: no queue given")
        try:
            lo, hi = float(row["min_hours_week"]), float(row["max_hours_week"])
            days = int(row["max_days_week"])
        except (TypeError, ValueError):
            raise RosterInputError(f"{where} ({aid}): min_hours_week, max_hours_week and "
                                   "max_days_week must be numbers") from None
        if pd.isna(lo) or pd.isna(hi) or lo < 0 or hi < lo:
            raise RosterInputError(f"{where} ({aid}): need 0 <= min_hours_week <= "
                                   f"max_hours_week, got {lo} and {hi}")
        if not 0 <= days <= 7:
            raise RosterInputError(f"{where} ({aid}), column max_days_week: {days} not in 0..7")
        unavailable = _split(row["unavailable"])
        _check_day_tokens(unavailable, f"{where} ({aid}), column unavailable")
        pref_off = _split(row.get("preferred_days_off"))
        _check_day_tokens(pref_off, f"{where} ({aid}), column preferred_days_off")
        pref_start = None
        ps = _split(row.get("preferred_start"))
        if ps:
            try:
                a, b = ps[0].split("-")
                pref_start = (parse_clock(a, where), parse_clock(b, where))
            except (ValueError, RosterInputError):
                raise RosterInputError(f"{where} ({aid}), column preferred_start: {ps[0]!r} "
                                       "is not 'HH:MM-HH:MM'") from None
        team = row.get("team")
        agents.append(Agent(
            aid, str(row["name"]), queues, lo, hi, days, unavailable, pref_off, pref_start,
            _split(row.get("shifts")),
            _previous(row.get("previous_shifts"), f"{where} ({aid}), column previous_shifts")
            if has_prev else None,
            "" if team is None or (isinstance(team, float) and pd.isna(team)) else str(team),
            _text(row.get("site")),
            parse_proficiency(row.get("proficiency"), queues,
                         f"{where} ({aid}), column proficiency")))
    if not agents:
        raise RosterInputError(f"{source}: no agents")
    if "site" in frame.columns:
        one_site_per_queue(agents, source)
    return agents


def proficiency_table(agents: list[Agent]) -> dict[str, dict[str, float]]:
    """agent_id -> queue -> proficiency, for the agents with one below 1 somewhere
    (what `scheduling.projection.project` takes as `proficiency`)."""
    return {ag.agent_id: dict(ag.proficiency) for ag in agents if ag.proficiency}


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def one_site_per_queue(agents: list[Agent], source: str = "agents") -> None:
    """With a `site` column, every agent has a site and each queue is served from one
    site only, so that every site is an independent part of the roster (its own queue
    groups; see `decompose.py`). Errors name the row, the agent and the column."""
    owner: dict[str, tuple[str, int, str]] = {}
    for i, agent in enumerate(agents):
        where = f"{source} row {i + 2} ({agent.agent_id}), column site"
        if not agent.site:
            raise RosterInputError(f"{where}: empty; give every agent a site, or leave the "
                                   "site column out")
        for queue in agent.queues:
            site, row, other = owner.setdefault(queue, (agent.site, i + 2, agent.agent_id))
            if site != agent.site:
                raise RosterInputError(
                    f"{where}: {agent.site!r} serves queue {queue!r}, which site {site!r} "
                    f"serves (row {row}, {other}); a queue belongs to one site, so name "
                    f"it per site (e.g. {agent.site}_{queue})")


def read_agents(path: str | Path) -> list[Agent]:
    """Read and validate an agents CSV file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"agents file not found: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise RosterInputError(f"{path}: not a readable CSV agents file: {exc}") from None
    return agents_from_frame(remove_formula_guard(frame), str(path))
