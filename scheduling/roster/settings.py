"""CP-SAT solver settings, one place for every solve of the roster search.

Two clocks: with `deterministic=True` a solve stops on CP-SAT's deterministic time,
so a fixed seed gives the same roster, and a wall-clock cap only guards a loaded
machine (hitting it makes that run unrepeatable); otherwise on wall-clock seconds.
"""

from __future__ import annotations

from ortools.sat.python import cp_model


def solver_parameters(time_limit: float, seed: int, workers: int, deterministic: bool,
                      wall_cap: float | None = None,
                      linearization_level: int | None = None) -> cp_model.CpSolver:
    """A CP-SAT solver for the roster model and its relaxations and neighbourhoods.

    Deterministic: `time_limit` deterministic seconds (at least 0.1) with interleaved
    search, capped at `wall_cap` wall seconds (default 4 × `time_limit` + 30, at least
    0.5). Otherwise `time_limit` wall seconds (at least 0.1).
    `linearization_level` overrides CP-SAT's (0: no LP in the search).
    """
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = workers
    prm.random_seed = seed
    if linearization_level is not None:
        prm.linearization_level = linearization_level
    if deterministic:
        prm.interleave_search = True
        prm.max_deterministic_time = max(time_limit, 0.1)
        prm.max_time_in_seconds = max(wall_cap if wall_cap is not None
                                      else time_limit * 4 + 30, 0.5)
    else:
        prm.max_time_in_seconds = max(time_limit, 0.1)
    return solver


def column_solver_parameters(limit: float, seed: int, workers: int, deterministic: bool,
                             wall_cap: float = 1.0) -> cp_model.CpSolver:
    """A CP-SAT solver for column generation's many small models (`columns.py`: pricing,
    a column's own cost, the best mix of columns): `workers` workers (at least one),
    stopping after `limit` seconds, deterministic ones capped at 4 × `limit` +
    `wall_cap` wall seconds; no interleaved search and no floor on `limit`."""
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = max(workers, 1)
    prm.random_seed = seed
    if deterministic:
        prm.max_deterministic_time = limit
        prm.max_time_in_seconds = limit * 4 + wall_cap
    else:
        prm.max_time_in_seconds = limit
    return solver
