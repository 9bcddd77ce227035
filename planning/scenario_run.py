"""Running a scenario through the planning pipeline, saving it, and re-running it.

`run_scenario` goes forecast -> requirements -> roster -> projection with the
scenario's changes, using the pipeline's steps; `save_scenario` stores the result
as a plan (source "scenario") with the YAML text and input hashes;
`reproduce_scenario` re-runs a saved one from what was stored and refuses when an
input file has changed since.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial

import pandas as pd

from planning.contract import RosterSummary
from planning.roster_step import (
    MIN_TIME_LIMIT,
    RosterOutcome,
    check_sites,
    roster_step,
    team_from_table,
    team_proficiency,
)
from planning.scenario_base import BaseInputs, load_base
from planning.scenario_changes import (
    apply_agent_changes,
    apply_queue_changes,
    apply_shift_changes,
    apply_volume_and_aht,
    check_against_base,
)
from planning.scenario_compare import daily_summary, paid_hours, shortfalls
from planning.scenarios import Scenario, ScenarioError
from planning.settings import PlanSettings
from planning.steps import (
    calendar_for,
    forecast_start,
    forecast_step,
    parse_shifts,
    projection_step,
    requirements_step,
)
from planning.workspace import Workspace

StepProgress = Callable[[str, float], None]
WARM_LIMIT_SHARE = 0.5
"""Share of a scenario's roster time limit given to a roster that starts from another
(the base plan's, or the first scenario's on the same base): such a roster is re-planned
one agent at a time until no week improves alone (`scheduling/roster/descent.py`), whose
work does not depend on the limit; the limit sets its wall-clock cap (2 x limit + 10 s)
and is what its summary reports (see benchmarks/scenario_speed.py)."""
SAVED_FRAMES = ("queue_settings", "agents", "forecast", "requirements", "roster", "coverage",
                "violations", "projection", "scenario_daily", "shortfall")


@dataclass
class ScenarioResult:
    """Everything a scenario run produced."""

    scenario: Scenario
    queue_settings: pd.DataFrame
    agents: pd.DataFrame
    shifts_text: str
    forecast: pd.DataFrame
    requirements: pd.DataFrame
    roster: pd.DataFrame
    coverage: pd.DataFrame
    violations: pd.DataFrame
    projection: pd.DataFrame
    daily: pd.DataFrame
    shortfall: pd.DataFrame
    roster_summary: RosterSummary = field(default_factory=RosterSummary)
    hashes: dict[str, dict[str, str]] = field(default_factory=dict)
    plan_id: int | None = None
    history: pd.DataFrame | None = None
    events: pd.DataFrame | None = None

    @property
    def name(self) -> str:
        return self.scenario.name

    def shortfall_text(self) -> list[str]:
        """One line per queue and day the roster leaves short of its targets."""
        lines = []
        for r in self.shortfall.itertuples(index=False):
            parts = []
            if r.intervals_short:
                parts.append(f"{int(r.intervals_short)} interval(s) short "
                             f"{r.first_short}-{r.last_short}, up to {r.missing_agents_max:.0f} "
                             f"agent(s) missing ({r.missing_agent_hours:.1f} agent-hours)")
            if r.intervals_below_target:
                parts.append(f"service level {r.service_level:.1%} against a target of "
                             f"{r.target_service_level:.0%} ({int(r.intervals_below_target)} "
                             f"interval(s) below target)")
            lines.append(f"{self.name}: {r.queue} on {pd.Timestamp(r.date).date()}: "
                         + "; ".join(parts))
        return lines


def scenario_settings(scenario: Scenario, history: pd.DataFrame) -> PlanSettings:
    """The plan settings a scenario runs with."""
    settings = PlanSettings(
        forecast_start=None if scenario.start is None else str(scenario.start.date()),
        forecast_days=scenario.days, model=scenario.model, backtest_folds=0,
        roster_time_limit=scenario.roster_time_limit, seed=scenario.seed,
        country=scenario.country, shopping=scenario.shopping)
    settings.forecast_start = str(forecast_start(history, settings).date())
    return settings


@dataclass
class PreparedScenario:
    """A scenario's inputs made ready for its roster: everything before the roster step."""

    scenario: Scenario
    base: BaseInputs
    settings: PlanSettings
    queue_settings: pd.DataFrame
    shifts_text: str
    agents: pd.DataFrame
    forecast: pd.DataFrame
    requirements: pd.DataFrame
    start: pd.DataFrame | None = None  # a roster to start from (the base plan's)


def roster_on_horizon(roster: pd.DataFrame, first_day: pd.Timestamp) -> pd.DataFrame:
    """A base roster moved by whole weeks so that its first week falls on the horizon's
    first week (same weekdays): a start for a scenario on another week than its base."""
    if roster.empty:
        return roster
    frame = roster.copy()
    starts = pd.to_datetime(frame["start"])
    weeks = round((pd.Timestamp(first_day).normalize() - starts.min().normalize()).days / 7)
    shift = pd.Timedelta(days=7 * weeks)
    frame["start"] = starts + shift
    frame["end"] = pd.to_datetime(frame["end"]) + shift
    frame["date"] = (pd.to_datetime(frame["date"]) + shift).dt.date.astype(str)
    return frame


@dataclass
class SharedWork:
    """What scenarios run together share: base inputs read once, one forecast per base
    and horizon, and requirements per queue computed once for the same forecast rows and
    queue settings. `counts` says how often each was computed and reused."""

    bases: dict[tuple, BaseInputs] = field(default_factory=dict)
    forecasts: dict[tuple, pd.DataFrame] = field(default_factory=dict)
    requirements: dict[str, pd.DataFrame] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1


def _base_key(scenario: Scenario) -> tuple:
    return (str(scenario.folder.resolve()), tuple(sorted(scenario.base.items())))


def _sha(frame: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(frame.reset_index(drop=True),
                                                     index=False).to_numpy().tobytes()
                          ).hexdigest()


def check_scenario(scenario: Scenario, ws: Workspace | None = None,
                   shared: SharedWork | None = None
                   ) -> tuple[BaseInputs, pd.DataFrame, str, pd.DataFrame, PlanSettings]:
    """The scenario's base inputs, queue settings, shifts text, agents and settings, after
    checking it against its base (cheap: no forecast). With `shared`, a base already
    read for another scenario is reused. Raises ScenarioError for a scenario that
    cannot run."""
    key = _base_key(scenario)
    if shared is not None and key in shared.bases:
        base = shared.bases[key]
        shared.count("base reused")
    else:
        base = load_base(scenario, ws)
        if shared is not None:
            shared.bases[key] = base
            shared.count("base read")
    queue_settings = apply_queue_changes(scenario, base.queue_settings)
    shifts_text = apply_shift_changes(scenario, base.shifts_text)
    agents = apply_agent_changes(scenario, base.agents, queue_settings, shifts_text)
    settings = scenario_settings(scenario, base.history)
    last = pd.Timestamp(base.history["interval_start"].max()).normalize()
    if pd.Timestamp(settings.forecast_start) <= last:
        raise ScenarioError(f"{scenario.source}: horizon.start: {settings.forecast_start} is "
                            f"inside the history, which runs to {last.date()}; start on "
                            f"{(last + pd.Timedelta(days=1)).date()} or later")
    check_against_base(scenario, queue_settings, pd.Timestamp(settings.forecast_start))
    history_queues = set(base.history["queue"].astype(str))
    missing = sorted(set(queue_settings["queue"].astype(str)) - history_queues)
    if missing:
        raise ScenarioError(f"{scenario.source}: queue settings list {missing}, which the "
                            f"history does not have (history queues: {sorted(history_queues)})")
    return base, queue_settings, shifts_text, agents, settings


def prepare_scenario(scenario: Scenario, ws: Workspace | None = None,
                     progress: StepProgress | None = None,
                     shared: SharedWork | None = None,
                     checked: tuple | None = None) -> PreparedScenario:
    """Check the scenario against its base, then its forecast and requirements.

    With `shared`, base inputs, forecasts and per-queue requirements already computed for
    another scenario on the same base are reused (the results are the same as computing
    them again). `checked` is what `check_scenario` returned for it, if already called.
    Raises ScenarioError for a scenario that cannot run.
    """
    report = progress or (lambda step, fraction: None)
    key = _base_key(scenario)
    if checked is None:
        checked = check_scenario(scenario, ws, shared)
    base, queue_settings, shifts_text, agents, settings = checked

    report("forecast", 0.0)

    def forecast_of(run_settings: PlanSettings, events: pd.DataFrame | None,
                    on: Callable[[float], None]) -> pd.DataFrame:
        fkey = (key, run_settings.forecast_start, run_settings.forecast_days,
                run_settings.model, run_settings.country, run_settings.shopping,
                events is None)
        if shared is not None and fkey in shared.forecasts:
            shared.count("forecast reused")
            return shared.forecasts[fkey]
        made = forecast_step(base.history, run_settings, events, progress=on)
        if shared is not None:
            shared.forecasts[fkey] = made
            shared.count("forecast computed")
        return made

    forecast = forecast_of(settings, base.events, lambda f: report("forecast", 0.7 * f))
    forecast = forecast[forecast["queue"].astype(str).isin(
        queue_settings["queue"].astype(str))].reset_index(drop=True)
    plain = None
    if any(v.uplift is not None for v in scenario.volume):
        ordinary = PlanSettings(**{**settings.to_dict(), "shopping": False})
        plain = forecast_of(ordinary, None, lambda f: report("forecast", 0.7 + 0.3 * f))
    calendar = calendar_for(settings, base.events)
    forecast = apply_volume_and_aht(scenario, forecast, plain, calendar, queue_settings)
    report("forecast", 1.0)

    report("requirements", 0.0)
    requirements = _requirements(forecast, queue_settings, shared,
                                 lambda f: report("requirements", f))
    report("requirements", 1.0)
    start = (None if base.roster is None else
             roster_on_horizon(base.roster, pd.Timestamp(settings.forecast_start)))
    return PreparedScenario(scenario, base, settings, queue_settings, shifts_text, agents,
                            forecast, requirements, start)


def _requirements(forecast: pd.DataFrame, queue_settings: pd.DataFrame,
                  shared: SharedWork | None, on: Callable[[float], None]) -> pd.DataFrame:
    """Requirements per queue; with `shared`, a queue whose forecast rows and settings
    another scenario already staffed is not computed again."""
    if shared is None:
        return requirements_step(forecast, queue_settings, progress=on)
    parts = []
    queues = list(dict.fromkeys(forecast["queue"].astype(str)))
    for i, queue in enumerate(queues):
        rows = forecast[forecast["queue"].astype(str) == queue]
        setting = queue_settings[queue_settings["queue"].astype(str) == queue]
        rkey = _sha(rows.drop(columns=[c for c in ("model",) if c in rows.columns])) \
            + _sha(setting.astype(str))
        if rkey in shared.requirements:
            shared.count("queue requirements reused")
        else:
            shared.requirements[rkey] = requirements_step(rows, setting)
            shared.count("queue requirements computed")
        parts.append(shared.requirements[rkey])
        on((i + 1) / len(queues))
    return pd.concat(parts, ignore_index=True)


def solve_prepared(prepared: PreparedScenario, progress: Callable[[float], None] | None = None,
                   workers: int = 2) -> RosterOutcome:
    """The scenario's roster (deterministic time, so a saved scenario re-runs to the same
    roster). With a start roster (`prepared.start`: the base plan's, or the roster of
    the first scenario on the same base in `run_scenarios`) the search starts from it
    and gets `WARM_LIMIT_SHARE` of the scenario's time limit. The lower bound is the
    pooled model's LP's, without CP-SAT's search on it (`bound_search=False`: the same
    roster, 6.6 s of CPU less on the sample's Double 11 week)."""
    limit = prepared.settings.roster_time_limit
    if prepared.start is not None:
        limit = max(limit * WARM_LIMIT_SHARE, MIN_TIME_LIMIT)
    team = team_from_table(prepared.agents, source="scenario agents")
    check_sites(team, prepared.queue_settings, source="scenario agents")
    return roster_step(prepared.requirements, team,
                       parse_shifts(prepared.shifts_text),
                       time_limit=limit, seed=prepared.settings.seed, deterministic=True,
                       workers=workers, progress=progress, start=prepared.start,
                       bound_search=False)


def finish_scenario(prepared: PreparedScenario, outcome: RosterOutcome,
                    progress: StepProgress | None = None) -> ScenarioResult:
    """Project the roster and roll the run up per queue and day."""
    report = progress or (lambda step, fraction: None)
    report("projection", 0.0)
    projection = projection_step(outcome.roster, prepared.forecast, prepared.queue_settings,
                                 progress=lambda f: report("projection", f),
                                 proficiency=team_proficiency(prepared.agents,
                                                              source="scenario agents"))
    report("projection", 1.0)
    paid = paid_hours(outcome.roster, parse_shifts(prepared.shifts_text))
    daily = daily_summary(prepared.scenario.name, prepared.requirements, outcome.roster,
                          outcome.coverage, projection, prepared.queue_settings, paid)
    short = shortfalls(outcome.coverage, projection, prepared.queue_settings)
    base = prepared.base
    return ScenarioResult(prepared.scenario, prepared.queue_settings, prepared.agents,
                          prepared.shifts_text, prepared.forecast, prepared.requirements,
                          outcome.roster, outcome.coverage, outcome.violations, projection,
                          daily, short, outcome.summary, base.hashes, None,
                          base.history, base.events)


def run_scenario(scenario: Scenario, ws: Workspace | None = None,
                 progress: StepProgress | None = None) -> ScenarioResult:
    """Run the scenario's forecast, requirements, roster and projection.

    Raises ScenarioError (a ValueError) for a scenario that cannot run (unknown
    queue, no agents...). A roster that cannot meet the targets is not an error:
    `result.shortfall` says by how much and where.
    """
    report = progress or (lambda step, fraction: None)
    prepared = prepare_scenario(scenario, ws, progress=report)
    report("roster", 0.0)
    outcome = solve_prepared(prepared, progress=lambda f: report("roster", f))
    report("roster", 1.0)
    return finish_scenario(prepared, outcome, progress=report)


def _solve_in_process(prepared: PreparedScenario, workers: int) -> RosterOutcome:
    return solve_prepared(prepared, workers=workers)


def _ready() -> None:
    """Nothing: a worker process that ran it has imported this module."""


def _solve_wave(prepared: list[PreparedScenario], processes: int, index: list[int],
                solved: Callable[[int, RosterOutcome], None],
                mapper: Callable[[Callable, Sequence], Sequence] | None = None) -> None:
    """Rosters independent of each other, in up to `processes` worker processes (or by
    `mapper`, with the same CP-SAT workers each); a lone roster is solved here with all
    the cores."""
    if not prepared:
        return
    processes = max(1, min(int(processes), len(prepared)))
    cores = os.cpu_count() or 2
    workers = max(1, cores // processes)
    if mapper is not None:  # the base (its history) stays here: the roster needs none of it
        found = mapper(partial(_solve_in_process, workers=workers),
                       [replace(p, base=None) for p in prepared])
        for i, outcome in zip(index, found, strict=True):
            solved(i, outcome)
        return
    if processes == 1:
        for i, p in zip(index, prepared, strict=True):
            solved(i, solve_prepared(p, workers=workers))
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = [pool.submit(_solve_in_process, p, workers) for p in prepared]
        for i, future in zip(index, futures, strict=True):
            solved(i, future.result())


def run_scenarios(scenarios: Sequence[Scenario], ws: Workspace | None = None,
                  processes: int = 2, progress: StepProgress | None = None,
                  shared: SharedWork | None = None,
                  mapper: Callable[[Callable, Sequence], Sequence] | None = None,
                  warm: bool = True,
                  ) -> list[ScenarioResult]:
    """Run several scenarios, sharing what they have in common and rostering in parallel.

    Base inputs are read once per base, one forecast is made per base and horizon, and
    requirements are computed only for queues whose forecast or settings differ from a
    scenario already staffed (`SharedWork`). The rosters, independent of each other, are
    solved in up to `processes` worker processes, the machine's cores shared between
    them (each CP-SAT solve gets cores // processes workers, at least one). Rosters are
    warm-started: from the base plan's roster when the base is a saved plan with one,
    otherwise the first `processes` scenarios given on each base are solved from
    scratch side by side and the others on that base start from the first one's roster
    (`warm=False`: every roster from scratch, or from the base plan's). The first
    rosters start solving as soon as their scenario is prepared, while the others are
    prepared, and the first results are projected while the warm-started rosters
    solve. Results come back in the order given. `mapper(fn, items)`, when given (a
    cluster's, see `planning.cluster`), solves each wave of rosters instead of the
    processes, each with the same CP-SAT workers as here, so the rosters are the same.
    """
    report = progress or (lambda step, fraction: None)
    shared = shared if shared is not None else SharedWork()
    n = len(scenarios)
    checked = [check_scenario(sc, ws, shared) for sc in scenarios]  # before any roster
    leads: dict[tuple, int] = {}  # base -> the scenario whose roster the others start from
    scratch: dict[tuple, int] = {}  # base -> scenarios on it solved from scratch
    first = []
    for i, scenario in enumerate(scenarios):
        key = _base_key(scenario)
        if not warm or shared.bases[key].roster is not None:
            first.append(i)
        elif scratch.get(key, 0) < max(int(processes), 1):  # the cores are there anyway
            leads.setdefault(key, i)
            scratch[key] = scratch.get(key, 0) + 1
            first.append(i)
    rest = [i for i in range(n) if i not in first]

    def prepare(i: int) -> PreparedScenario:
        return prepare_scenario(scenarios[i], ws, shared=shared, checked=checked[i],
                                progress=lambda step, f: report(step, (i + f) / n))

    if mapper is not None:
        prepared = [prepare(i) for i in range(n)]
        outcomes = _waves_by_mapper(prepared, first, rest, leads, processes, mapper, shared,
                                    report)
        return [finish_scenario(p, outcomes[i], progress=lambda step, f, i=i: report(
            step, (i + f) / n)) for i, p in enumerate(prepared)]
    return _run_pipelined(scenarios, prepare, first, rest, leads, processes, shared, report)


def _wave_workers(processes: int, size: int) -> tuple[int, int]:
    """Worker processes for a wave of `size` rosters and CP-SAT workers for each."""
    processes = max(1, min(int(processes), size))
    return processes, max(1, (os.cpu_count() or 2) // processes)


def _run_pipelined(scenarios: Sequence[Scenario], prepare: Callable[[int], PreparedScenario],
                   first: list[int], rest: list[int], leads: dict[tuple, int],
                   processes: int, shared: SharedWork, report: StepProgress
                   ) -> list[ScenarioResult]:
    """`run_scenarios` on this machine: the first wave solves (in worker processes, or
    here with `processes=1`) while the rest are prepared, and is projected while the
    warm-started wave solves."""
    n = len(scenarios)
    prepared: dict[int, PreparedScenario] = {}
    results: dict[int, ScenarioResult] = {}
    done = 0

    def finish(i: int, outcome: RosterOutcome) -> None:
        nonlocal done
        done += 1
        report("roster", done / n)
        results[i] = finish_scenario(prepared[i], outcome, progress=lambda step, f: report(
            step, (i + f) / n))

    procs_first, workers_first = _wave_workers(processes, len(first))
    procs_rest, workers_rest = _wave_workers(processes, len(rest))
    pool = None
    if max(procs_first, procs_rest if rest else 1) > 1:
        size = max(procs_first, procs_rest)
        pool = ProcessPoolExecutor(max_workers=size,
                                   mp_context=multiprocessing.get_context("spawn"))
        for _ in range(size):  # the workers import the roster code while we prepare
            pool.submit(_ready)
    try:
        futures: dict[int, object] = {}
        outcomes: dict[int, RosterOutcome] = {}
        for i in first:
            prepared[i] = prepare(i)
            if pool is not None:
                futures[i] = pool.submit(_solve_in_process, replace(prepared[i], base=None),
                                         workers_first)
            else:
                outcomes[i] = solve_prepared(prepared[i], workers=workers_first)
        for i in rest:  # prepared while the first rosters solve
            prepared[i] = prepare(i)
        report("roster", 0.0)
        for i in first:
            outcomes[i] = futures[i].result() if i in futures else outcomes[i]
        if rest:
            shared.count("roster warm-started")
        for i in rest:
            prepared[i].start = outcomes[leads[_base_key(scenarios[i])]].roster
            if pool is not None:
                futures[i] = pool.submit(_solve_in_process, replace(prepared[i], base=None),
                                         workers_rest)
        for i in first:  # projected while the warm-started rosters solve
            finish(i, outcomes[i])
        for i in rest:
            outcome = (futures[i].result() if i in futures
                       else solve_prepared(prepared[i], workers=workers_rest))
            prepared[i].start = None  # the start belongs to this run, not to the scenario
            finish(i, outcome)
    except BaseException:
        if pool is not None:
            _stop(pool)
        raise
    if pool is not None:
        pool.shutdown()
    report("roster", 1.0)
    return [results[i] for i in range(n)]


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's worker processes now (a scenario failed: its rosters are not
    wanted, and the error should not wait for them)."""
    workers = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.terminate()


def _waves_by_mapper(prepared: list[PreparedScenario], first: list[int], rest: list[int],
                     leads: dict[tuple, int], processes: int,
                     mapper: Callable[[Callable, Sequence], Sequence], shared: SharedWork,
                     report: StepProgress) -> dict[int, RosterOutcome]:
    """The two waves of rosters solved by `mapper` (a cluster's)."""
    outcomes: dict[int, RosterOutcome] = {}

    def solved(i: int, outcome: RosterOutcome) -> None:
        outcomes[i] = outcome
        report("roster", len(outcomes) / len(prepared))

    report("roster", 0.0)
    _solve_wave([prepared[i] for i in first], processes, first, solved, mapper)
    if rest:
        shared.count("roster warm-started")
    for i in rest:
        prepared[i].start = outcomes[leads[_base_key(prepared[i].scenario)]].roster
    _solve_wave([prepared[i] for i in rest], processes, rest, solved, mapper)
    for i in rest:  # the start belongs to this run, not to the scenario
        prepared[i].start = None
    report("roster", 1.0)
    return outcomes
