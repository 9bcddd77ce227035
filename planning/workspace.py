"""Saved plans in an embedded DuckDB file inside a workspace folder.

A plan is a name plus the frames a planner produced for it: the uploaded
history, the forecast, the requirements, the roster, the projection, and the
settings that made them (so every result can be reproduced). Scenarios (a
later step) are plans with a `base_plan_id` and their inputs in `inputs`.

Layout of the folder (default `./workspace`, or `$WFM_WORKSPACE`)::

    wfm.duckdb   tables `plans` and `artifacts` (each frame stored as Parquet bytes,
                 so column types come back exactly as they were saved), `users`
                 (who may sign in, their role and salted password hash; see
                 planning/users.py) and `audit` (who changed what, when; see
                 planning/audit.py)
    wfm.lock     lock file that serialises access between processes

Every operation opens a short-lived DuckDB connection while holding an
exclusive lock (a thread lock inside one process, `flock` across processes),
and writes run in one transaction. Two browser tabs, two app processes or the
app and the `wfm` command can therefore work on one workspace at once without
corrupting it; a writer waits for the other instead of failing.
"""

from __future__ import annotations

import io
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the thread lock still serialises one process
    fcntl = None

DB_NAME = "wfm.duckdb"
LOCK_NAME = "wfm.lock"
DEFAULT_FOLDER = "workspace"

# The frames a plan usually holds, in the planner's order (others may be added).
ARTIFACTS = ("history", "forecast", "backtest", "requirements", "queue_settings", "agents",
             "roster", "coverage", "violations", "projection")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    plan_id      INTEGER PRIMARY KEY,
    name         VARCHAR NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    source       VARCHAR,
    base_plan_id INTEGER,
    inputs       VARCHAR
);
ALTER TABLE plans ADD COLUMN IF NOT EXISTS published_at TIMESTAMP;
ALTER TABLE plans ADD COLUMN IF NOT EXISTS published_by VARCHAR;
CREATE TABLE IF NOT EXISTS artifacts (
    plan_id    INTEGER NOT NULL,
    kind       VARCHAR NOT NULL,
    rows       BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    meta       VARCHAR,
    data       BLOB NOT NULL,
    PRIMARY KEY (plan_id, kind)
);
CREATE TABLE IF NOT EXISTS users (
    user_name     VARCHAR PRIMARY KEY,
    role          VARCHAR NOT NULL,
    password_hash VARCHAR,
    created_at    TIMESTAMP NOT NULL,
    disabled_at   TIMESTAMP
);
CREATE TABLE IF NOT EXISTS audit (
    audit_id  BIGINT NOT NULL,
    logged_at TIMESTAMP NOT NULL,
    user_name VARCHAR,
    action    VARCHAR NOT NULL,
    plan_id   INTEGER,
    plan_name VARCHAR,
    detail    VARCHAR
);
"""

_THREAD_LOCKS: dict[str, threading.RLock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


class WorkspaceError(ValueError):
    """A workspace request that cannot be met (unknown plan, duplicate name, ...)."""


@dataclass(frozen=True)
class PlanInfo:
    """One saved plan as listed in the workspace."""

    plan_id: int
    name: str
    created_at: datetime
    updated_at: datetime
    source: str | None
    base_plan_id: int | None
    inputs: dict[str, Any]
    published_at: datetime | None = None
    published_by: str | None = None


def default_folder() -> Path:
    """The workspace folder: `$WFM_WORKSPACE` if set, else `./workspace`."""
    return Path(os.environ.get("WFM_WORKSPACE") or DEFAULT_FOLDER)


def _now() -> datetime:
    return datetime.now()


def _thread_lock(path: Path) -> threading.RLock:
    key = str(path.resolve())
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(key, threading.RLock())


PRIVATE_UMASK = 0o077
"""Files the workspace creates (wfm.duckdb, its .wal, the lock) are its owner's only."""


@dataclass(frozen=True)
class SavedPlan:
    """What `Workspace.replace_plan` did: the new plan, the draft it replaced (if any) and
    the published plan it kept (if a re-run met one)."""

    plan_id: int
    name: str
    replaced: int | None = None
    kept_published: int | None = None


class Workspace:
    """Saved plans in one workspace folder; safe for concurrent use."""

    def __init__(self, folder: str | Path | None = None, *, timeout: float = 60.0) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self.timeout = timeout
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"workspace folder {self.folder} cannot be created: {exc}") \
                from exc
        self.db_path = self.folder / DB_NAME
        self.lock_path = self.folder / LOCK_NAME
        self._lock = _thread_lock(self.lock_path)
        self._local = threading.local()
        with self._connect() as con:
            con.execute(_SCHEMA)
        self._make_private()

    def _make_private(self) -> None:
        """Owner-only permissions on the database and its WAL (older workspaces too)."""
        for path in (self.db_path, self.db_path.with_name(DB_NAME + ".wal"), self.lock_path):
            try:
                if path.exists() and path.stat().st_mode & 0o077:
                    path.chmod(0o600)
            except OSError:  # pragma: no cover - a file owned by someone else: leave it
                pass

    def __repr__(self) -> str:
        return f"Workspace({str(self.folder)!r})"

    @contextmanager
    def _locked(self) -> Iterator[float]:
        """Hold the thread and file locks; yields the deadline for opening the file."""
        deadline = time.monotonic() + self.timeout
        if not self._lock.acquire(timeout=self.timeout):
            raise WorkspaceError(f"workspace {self.folder} is busy; try again")
        old_umask = os.umask(PRIVATE_UMASK)
        try:
            with open(self.lock_path, "a+b") as lock_file:
                if fcntl is not None:
                    self._flock(lock_file, deadline)
                try:
                    yield deadline
                finally:
                    if fcntl is not None:
                        fcntl.flock(lock_file, fcntl.LOCK_UN)
        finally:
            os.umask(old_umask)
            self._lock.release()

    @contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection held under the thread and file locks (inside `atomic`,
        the atomic block's connection)."""
        current = getattr(self._local, "con", None)
        if current is not None:
            yield current
            return
        with self._locked() as deadline:
            con = self._open(deadline)
            try:
                yield con
            finally:
                con.close()

    def compact(self) -> None:
        """Rewrite the database file so that deleted plans and replaced frames (agent
        names before pseudonymising, say) do not linger in its free pages."""
        if getattr(self._local, "con", None) is not None:  # after the atomic block
            self._local.compact = True
            return
        fresh = self.folder / (DB_NAME + ".compact")
        with self._locked() as deadline:
            fresh.unlink(missing_ok=True)
            con = self._open(deadline)
            try:
                con.execute("CHECKPOINT")
                name = con.execute("SELECT current_database()").fetchone()[0]
                target = str(fresh).replace("'", "''")
                con.execute(f"ATTACH '{target}' AS fresh")
                con.execute(f'COPY FROM DATABASE "{name}" TO fresh')
                con.execute("DETACH fresh")
            except duckdb.Error as exc:
                fresh.unlink(missing_ok=True)
                raise WorkspaceError(f"workspace {self.db_path} could not be compacted: {exc}") \
                    from exc
            finally:
                con.close()
            os.replace(fresh, self.db_path)

    def _flock(self, lock_file: Any, deadline: float) -> None:
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WorkspaceError(
                        f"workspace {self.folder} is locked by another program; try again"
                    ) from None
                time.sleep(0.02)

    def _open(self, deadline: float) -> duckdb.DuckDBPyConnection:
        # A process outside our lock (an older tool, a DuckDB shell) may hold the file.
        while True:
            try:
                return duckdb.connect(str(self.db_path))
            except duckdb.IOException as exc:
                if time.monotonic() > deadline:
                    raise WorkspaceError(f"workspace {self.db_path} cannot be opened: {exc}") \
                        from exc
                time.sleep(0.05)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Run every workspace change inside the block as one transaction: a failure or a
        kill at any moment leaves the workspace as it was before the block, or (after
        the block) with all the changes. Blocks nest (the outermost one commits)."""
        if getattr(self._local, "con", None) is not None:
            yield
            return
        with self._locked() as deadline:
            con = self._open(deadline)
            con.execute("BEGIN TRANSACTION")
            self._local.con = con
            self._local.compact = False
            try:
                yield
            except BaseException:
                con.execute("ROLLBACK")
                raise
            else:
                con.execute("COMMIT")
            finally:
                self._local.con = None
                con.close()
        if getattr(self._local, "compact", False):
            self._local.compact = False
            self.compact()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        current = getattr(self._local, "con", None)
        if current is not None:  # inside `atomic`: it commits or rolls back
            yield current
            return
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # plans ---------------------------------------------------------------

    def list_plans(self) -> pd.DataFrame:
        """Saved plans, newest change first, with the frames each one holds."""
        with self._connect() as con:
            plans = con.execute(
                "SELECT p.plan_id, p.name, p.created_at, p.updated_at, p.source, "
                "p.base_plan_id, p.published_at, p.published_by, "
                "coalesce(string_agg(a.kind, ',' ORDER BY a.kind), '') "
                "AS artifacts FROM plans p LEFT JOIN artifacts a USING (plan_id) "
                "GROUP BY ALL ORDER BY p.updated_at DESC, p.plan_id DESC"
            ).df()
        return plans

    def plan(self, plan_id: int) -> PlanInfo:
        """One plan's record; WorkspaceError if there is none."""
        with self._connect() as con:
            row = con.execute(
                "SELECT plan_id, name, created_at, updated_at, source, base_plan_id, inputs, "
                "published_at, published_by "
                "FROM plans WHERE plan_id = ?", [int(plan_id)]
            ).fetchone()
        if row is None:
            raise WorkspaceError(f"workspace {self.folder}: no plan with id {plan_id}")
        return _plan_info(row)

    def find_plan(self, name: str) -> PlanInfo | None:
        """The plan called `name`, or None."""
        with self._connect() as con:
            row = con.execute(
                "SELECT plan_id, name, created_at, updated_at, source, base_plan_id, inputs, "
                "published_at, published_by "
                "FROM plans WHERE name = ?", [name]
            ).fetchone()
        return None if row is None else _plan_info(row)

    def create_plan(self, name: str, *, source: str | None = None,
                    inputs: dict[str, Any] | None = None,
                    base_plan_id: int | None = None) -> int:
        """Start a new plan; returns its id. Names are unique in a workspace."""
        name = _clean_name(name)
        now = _now()
        with self._transaction() as con:
            if con.execute("SELECT 1 FROM plans WHERE name = ?", [name]).fetchone():
                raise WorkspaceError(f"a plan called {name!r} already exists; pick another name")
            plan_id = con.execute("SELECT coalesce(max(plan_id), 0) + 1 FROM plans").fetchone()[0]
            con.execute(
                "INSERT INTO plans (plan_id, name, created_at, updated_at, source, base_plan_id, "
                "inputs) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [plan_id, name, now, now, source, base_plan_id, json.dumps(inputs or {})],
            )
        return int(plan_id)

    def unique_name(self, stem: str) -> str:
        """`stem`, or `stem (2)`, `stem (3)`... whichever is still free."""
        names = set(self.list_plans()["name"])
        if stem not in names:
            return stem
        n = 2
        while f"{stem} ({n})" in names:
            n += 1
        return f"{stem} ({n})"

    def rename_plan(self, plan_id: int, new_name: str) -> None:
        """Give a plan a new (unique) name."""
        new_name = _clean_name(new_name)
        with self._transaction() as con:
            self._require(con, plan_id)
            other = con.execute("SELECT plan_id FROM plans WHERE name = ?", [new_name]).fetchone()
            if other and other[0] != plan_id:
                raise WorkspaceError(f"a plan called {new_name!r} already exists; "
                                     "pick another name")
            con.execute("UPDATE plans SET name = ?, updated_at = ? WHERE plan_id = ?",
                        [new_name, _now(), int(plan_id)])

    def delete_plan(self, plan_id: int, *, compact: bool = True) -> None:
        """Remove a plan and every frame saved with it, leaving no trace in the file.
        `compact=False` skips rewriting the file, for a caller that at once saves a
        replacement built from the same inputs (a re-saved scenario)."""
        with self._transaction() as con:
            self._require(con, plan_id)
            con.execute("DELETE FROM artifacts WHERE plan_id = ?", [int(plan_id)])
            con.execute("DELETE FROM plans WHERE plan_id = ?", [int(plan_id)])
        if compact:
            self.compact()

    def update_inputs(self, plan_id: int, **inputs: Any) -> dict[str, Any]:
        """Merge settings into the plan's inputs (what produced its frames)."""
        with self._transaction() as con:
            self._require(con, plan_id)
            old = con.execute("SELECT inputs FROM plans WHERE plan_id = ?",
                              [int(plan_id)]).fetchone()[0]
            merged = {**json.loads(old or "{}"), **inputs}
            con.execute("UPDATE plans SET inputs = ?, updated_at = ? WHERE plan_id = ?",
                        [json.dumps(merged, default=str), _now(), int(plan_id)])
        return merged

    def publish_plan(self, plan_id: int, user: str) -> datetime:
        """Mark a plan as published (the one agents and team leads should follow) by
        `user`, now; returns the time. Publishing again moves the time on."""
        now = _now()
        with self._transaction() as con:
            self._require(con, plan_id)
            con.execute("UPDATE plans SET published_at = ?, published_by = ? WHERE plan_id = ?",
                        [now, str(user), int(plan_id)])
        return now

    def unpublish_plan(self, plan_id: int) -> None:
        """Take a plan back to draft."""
        with self._transaction() as con:
            self._require(con, plan_id)
            con.execute("UPDATE plans SET published_at = NULL, published_by = NULL "
                        "WHERE plan_id = ?", [int(plan_id)])

    def replace_plan(self, name: str, frames: dict[str, pd.DataFrame], *,
                     source: str | None = None, inputs: dict[str, Any] | None = None,
                     base_plan_id: int | None = None, replace: bool = True,
                     meta: dict[str, dict[str, Any]] | None = None) -> SavedPlan:
        """Save a plan called `name` with its frames in one transaction.

        An earlier draft of that name is replaced when `replace` is true; a published
        plan is never replaced: the new one is saved beside it as `name (2)` (or the next
        free name), as it is when `replace` is false. A kill at any moment leaves either
        the old plan or the new one, whole. `meta` gives the meta of some frames by kind.
        """
        name = _clean_name(name)
        for kind in frames:
            _check_kind(kind)
        blobs = {kind: (_to_parquet(frame), len(frame)) for kind, frame in frames.items()}
        with self.atomic(), self._transaction() as con:
            old = con.execute("SELECT plan_id, published_at FROM plans WHERE name = ?",
                              [name]).fetchone()
            replaced = kept = None
            if old is not None:
                if replace and old[1] is None:
                    con.execute("DELETE FROM artifacts WHERE plan_id = ?", [int(old[0])])
                    con.execute("DELETE FROM plans WHERE plan_id = ?", [int(old[0])])
                    replaced = int(old[0])
                else:
                    kept = int(old[0]) if old[1] is not None else None
                    names = {r[0] for r in con.execute("SELECT name FROM plans").fetchall()}
                    stem, n = name, 2
                    while name in names:
                        name = f"{stem} ({n})"
                        n += 1
            now = _now()
            plan_id = int(con.execute(
                "SELECT coalesce(max(plan_id), 0) + 1 FROM plans").fetchone()[0])
            con.execute(
                "INSERT INTO plans (plan_id, name, created_at, updated_at, source, "
                "base_plan_id, inputs) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [plan_id, name, now, now, source, base_plan_id, json.dumps(inputs or {})])
            for kind, (blob, rows) in blobs.items():
                con.execute("INSERT INTO artifacts VALUES (?, ?, ?, ?, ?, ?)",
                            [plan_id, kind, rows, now,
                             json.dumps((meta or {}).get(kind) or {}, default=str), blob])
        return SavedPlan(plan_id, name, replaced, kept)

    def save_frames(self, plan_id: int, frames: dict[str, pd.DataFrame],
                    meta: dict[str, dict[str, Any]] | None = None) -> None:
        """Store (or replace) several frames of a plan in one transaction (a step's
        roster with its coverage and violations): all of them are saved, or none."""
        with self.atomic():
            for kind, frame in frames.items():
                self.save_frame(plan_id, kind, frame, meta=(meta or {}).get(kind))

    # other tables --------------------------------------------------------

    # A connection under the workspace lock, for reading the `users` and `audit` tables
    # (planning/users.py, planning/audit.py); `transaction` is one for changing them.
    connection = _connect
    transaction = _transaction

    # frames --------------------------------------------------------------

    def save_frame(self, plan_id: int, kind: str, frame: pd.DataFrame,
                   meta: dict[str, Any] | None = None) -> None:
        """Store (or replace) one frame of a plan, e.g. its `forecast`."""
        _check_kind(kind)
        blob = _to_parquet(frame)
        now = _now()
        with self._transaction() as con:
            self._require(con, plan_id)
            con.execute("DELETE FROM artifacts WHERE plan_id = ? AND kind = ?",
                        [int(plan_id), kind])
            con.execute("INSERT INTO artifacts VALUES (?, ?, ?, ?, ?, ?)",
                        [int(plan_id), kind, len(frame), now,
                         json.dumps(meta or {}, default=str), blob])
            con.execute("UPDATE plans SET updated_at = ? WHERE plan_id = ?",
                        [now, int(plan_id)])

    def load_frame(self, plan_id: int, kind: str) -> pd.DataFrame | None:
        """One frame of a plan exactly as saved, or None if the plan has none."""
        _check_kind(kind)
        with self._connect() as con:
            row = con.execute("SELECT data FROM artifacts WHERE plan_id = ? AND kind = ?",
                              [int(plan_id), kind]).fetchone()
        return None if row is None else pd.read_parquet(io.BytesIO(row[0]))

    def frame_meta(self, plan_id: int, kind: str) -> dict[str, Any] | None:
        """What was recorded with a frame (model, time limit, summary...), or None."""
        with self._connect() as con:
            row = con.execute("SELECT meta FROM artifacts WHERE plan_id = ? AND kind = ?",
                              [int(plan_id), kind]).fetchone()
        return None if row is None else json.loads(row[0] or "{}")

    def drop_frames(self, plan_id: int, kinds: list[str] | tuple[str, ...]) -> None:
        """Forget frames that an earlier step's change made stale."""
        with self._transaction() as con:
            self._require(con, plan_id)
            for kind in kinds:
                con.execute("DELETE FROM artifacts WHERE plan_id = ? AND kind = ?",
                            [int(plan_id), kind])
            con.execute("UPDATE plans SET updated_at = ? WHERE plan_id = ?",
                        [_now(), int(plan_id)])

    def versions(self, plan_id: int) -> dict[str, str]:
        """`kind -> saved time` for a plan: a cheap key for caching its frames."""
        with self._connect() as con:
            rows = con.execute("SELECT kind, updated_at FROM artifacts WHERE plan_id = ?",
                               [int(plan_id)]).fetchall()
        return {kind: str(stamp) for kind, stamp in rows}

    def _require(self, con: duckdb.DuckDBPyConnection, plan_id: int) -> None:
        if not con.execute("SELECT 1 FROM plans WHERE plan_id = ?", [int(plan_id)]).fetchone():
            raise WorkspaceError(f"workspace {self.folder}: no plan with id {plan_id}")


def _plan_info(row: tuple) -> PlanInfo:
    plan_id, name, created, updated, source, base, inputs, published_at, published_by = row
    return PlanInfo(int(plan_id), name, created, updated, source,
                    None if base is None else int(base), json.loads(inputs or "{}"),
                    published_at, published_by)


def _clean_name(name: str) -> str:
    name = str(name).strip()
    if not name:
        raise WorkspaceError("a plan needs a name")
    if len(name) > 120:
        raise WorkspaceError(f"plan name is {len(name)} characters long; at most 120 please")
    return name


def _check_kind(kind: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", str(kind)):
        raise WorkspaceError(f"plan frame name {kind!r} must be lower-case letters, digits "
                             f"and _, e.g. one of {list(ARTIFACTS)}")


def _to_parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(buffer, index=False)
    return buffer.getvalue()
