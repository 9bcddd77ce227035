"""The audit trail: who imported, forecast, rostered, published or deleted which plan,
and when.

One row per change in the workspace's `audit` table (`audit_id`, `logged_at`,
`user_name`, `action`, `plan_id`, `plan_name`, `detail`). The dashboard records
the signed-in user; the `wfm` command records the person at the shell as
`shell:<login>`. The plan's name is kept as it was at the time, so the trail still
reads after a plan is renamed or deleted. Details never hold a password.
"""

from __future__ import annotations

import getpass
import os
from datetime import datetime

import pandas as pd

from planning.workspace import Workspace

COLUMNS = ["audit_id", "logged_at", "user_name", "action", "plan_id", "plan_name", "detail"]
_DETAIL_LIMIT = 2000


class AuditError(ValueError):
    """An audit record or filter that cannot be used."""


def login_name() -> str:
    """The operating-system login of whoever runs this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def shell_user() -> str:
    """The person running the `wfm` command, as the trail names them."""
    return f"shell:{login_name()}"


def record(ws: Workspace, user: str | None, action: str, *, plan_id: int | None = None,
           plan_name: str | None = None, detail: str = "") -> None:
    """Add one row to the trail. `user` None means the person at the shell.

    The plan's current name is looked up when only its id is given.
    """
    action = str(action).strip()
    if not action or not action.replace("_", "").isalnum():
        raise AuditError(f"audit action {action!r} must be a word such as 'publish'")
    if plan_id is not None and plan_name is None:
        try:
            plan_name = ws.plan(plan_id).name
        except ValueError:
            plan_name = None
    with ws.transaction() as con:
        next_id = con.execute("SELECT coalesce(max(audit_id), 0) + 1 FROM audit").fetchone()[0]
        con.execute(
            "INSERT INTO audit (audit_id, logged_at, user_name, action, plan_id, plan_name, "
            "detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [next_id, datetime.now(), user if user is not None else shell_user(), action,
             None if plan_id is None else int(plan_id), plan_name,
             str(detail or "")[:_DETAIL_LIMIT]])


def trail(ws: Workspace, *, user: str | None = None, action: str | None = None,
          plan: str | None = None, since: datetime | str | None = None,
          until: datetime | str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The trail, newest first, optionally filtered by user, action, plan name (a part
    of it, any case), and a time window [since, until)."""
    where, params = [], []
    if user:
        where.append("user_name = ?")
        params.append(user)
    if action:
        where.append("action = ?")
        params.append(action)
    if plan:
        where.append("lower(plan_name) LIKE ?")
        params.append(f"%{plan.lower()}%")
    for bound, op in ((since, ">="), (until, "<")):
        if bound is not None and bound != "":
            try:
                stamp = pd.Timestamp(bound).to_pydatetime()
            except ValueError as exc:
                raise AuditError(f"audit filter time {bound!r} is not a date or time; "
                                 "expected e.g. 2026-11-23 or 2026-11-23 08:00") from exc
            where.append(f"logged_at {op} ?")
            params.append(stamp)
    sql = f"SELECT {', '.join(COLUMNS)} FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY logged_at DESC, audit_id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with ws.connection() as con:
        return con.execute(sql, params).df()


def refused_since_last_sign_in(ws: Workspace, user: str, window_minutes: float) -> int:
    """Refused sign-ins of `user` in the last `window_minutes`, since their last good one."""
    start = datetime.now() - pd.Timedelta(minutes=window_minutes).to_pytimedelta()
    with ws.connection() as con:
        last_ok = con.execute(
            "SELECT max(logged_at) FROM audit WHERE user_name = ? AND action = 'sign_in'",
            [user]).fetchone()[0]
        if last_ok is not None and last_ok > start:
            start = last_ok
        return int(con.execute(
            "SELECT count(*) FROM audit WHERE user_name = ? AND action = 'sign_in_refused' "
            "AND logged_at > ?", [user, start]).fetchone()[0])
