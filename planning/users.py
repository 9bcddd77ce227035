"""Who may sign in to a workspace, with which role.

Users live in the workspace's `users` table: `user_name` (lower case; an e-mail
address for people who sign in through an identity provider), `role` (viewer,
planner or admin), `password_hash` (argon2id with a random salt per user, in the
PHC string format; empty for identity-provider users), `created_at` and
`disabled_at`. No password is ever stored or written to the audit trail in plain
text. Every change is recorded in the audit trail (planning/audit.py).

A workspace with no users runs without sign-in on one computer (see the
dashboard); adding the first user (`wfm users add NAME --role admin`) turns
sign-in on.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from planning import access, audit
from planning.common_passwords import COMMON_PASSWORDS
from planning.roles import ROLES, User
from planning.workspace import Workspace

MIN_PASSWORD = 8
# After this many wrong passwords within LOCK_MINUTES, a user's sign-in waits.
MAX_REFUSED = 5
LOCK_MINUTES = 15

_HASHER = PasswordHasher()
_DUMMY: list[str] = []


class AccountError(ValueError):
    """A user request that cannot be met (unknown user, bad role, short password...)."""


class SignInRefused(AccountError):
    """A sign-in with a wrong password, an unknown or disabled user name."""


def _clean_name(name: str) -> str:
    name = str(name).strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9._@+\-]{0,99}", name):
        raise AccountError(f"user name {name!r} must be 1-100 letters, digits or . _ @ + - "
                           "(an e-mail address works), starting with a letter or digit")
    return name


def _check_role(role: str) -> str:
    role = str(role).strip().lower()
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    return role


def check_password(password: str, name: str = "") -> None:
    """Refuse a password that is short, common (`planning.common_passwords`, also with
    digits or symbols added at either end), one character repeated, or built on the
    user name; the message says which, never the password."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password is {len(password)} characters long; "
                           f"at least {MIN_PASSWORD} please")
    lower = password.lower()
    core = lower.strip("0123456789!@#$%^&*()_+-=.,?~ ")
    if lower in COMMON_PASSWORDS or (core in COMMON_PASSWORDS and len(core) >= 4) \
            or (not core and len(set(lower)) <= 4):
        raise AccountError("the password is one of the most common passwords (or one with "
                           "digits added); choose a longer phrase of your own")
    if len(set(lower)) == 1:
        raise AccountError("the password is one character repeated; choose another")
    for part in {name.lower(), name.lower().split("@")[0]}:
        if len(part) >= 3 and part in lower:
            raise AccountError("the password contains the user name; choose another")


def _hash(password: str | None, name: str = "") -> str | None:
    if password is None:
        return None
    check_password(password, name)
    return _HASHER.hash(password)


def _row(con, name: str) -> tuple | None:
    return con.execute("SELECT user_name, role, password_hash, created_at, disabled_at "
                       "FROM users WHERE user_name = ?", [name]).fetchone()


def has_users(ws: Workspace) -> bool:
    """Whether the workspace has any users (then everyone signs in)."""
    with ws.connection() as con:
        return bool(con.execute("SELECT count(*) FROM users").fetchone()[0])


def get_user(ws: Workspace, name: str) -> User | None:
    """The user called `name` (any case), or None."""
    try:
        name = _clean_name(name)
    except AccountError:
        return None
    with ws.connection() as con:
        row = _row(con, name)
    return None if row is None else User(row[0], row[1], row[3], row[4])


def list_users(ws: Workspace) -> pd.DataFrame:
    """Users with role, created and disabled times, and whether they have a password
    (never the hash itself)."""
    with ws.connection() as con:
        return con.execute(
            "SELECT user_name, role, password_hash IS NOT NULL AS has_password, created_at, "
            "disabled_at FROM users ORDER BY user_name").df()


def _actor(by: User | str | None) -> str | None:
    """Who makes a change, for the audit trail. A signed-in User must be an admin (the
    dashboard's check, repeated here below the screen); a name or None (the person at
    the shell, who holds the workspace file anyway) is taken as given."""
    if isinstance(by, User):
        access.require(by, "manage_users")
        return by.name
    return by


def add_user(ws: Workspace, name: str, role: str, password: str | None, *,
             by: User | str | None = None) -> User:
    """Add a user. `password` None makes an identity-provider (OIDC) user who cannot sign
    in with a password. `by` is who did it, for the audit trail (None: the shell)."""
    by = _actor(by)
    name, role = _clean_name(name), _check_role(role)
    hashed = _hash(password, name)
    now = datetime.now()
    with ws.transaction() as con:
        if _row(con, name) is not None:
            raise AccountError(f"user {name!r} already exists; use `wfm users role` or "
                               "`wfm users password` to change them")
        con.execute("INSERT INTO users (user_name, role, password_hash, created_at) "
                    "VALUES (?, ?, ?, ?)", [name, role, hashed, now])
    audit.record(ws, by, "user_added",
                 detail=f"{name} as {role}" + ("" if hashed else " (identity provider)"))
    return User(name, role, now)


def _existing(con, name: str) -> tuple:
    row = _row(con, name)
    if row is None:
        raise AccountError(f"there is no user {name!r}; `wfm users list` shows who there is")
    return row


def set_role(ws: Workspace, name: str, role: str, *, by: User | str | None = None) -> None:
    """Give a user another role."""
    by = _actor(by)
    name, role = _clean_name(name), _check_role(role)
    with ws.transaction() as con:
        old = _existing(con, name)[1]
        if old == "admin" and role != "admin":
            _keep_an_admin(con, name)
        con.execute("UPDATE users SET role = ? WHERE user_name = ?", [role, name])
    audit.record(ws, by, "role_changed", detail=f"{name}: {old} -> {role}")


def set_password(ws: Workspace, name: str, password: str, *,
                 by: User | str | None = None) -> None:
    """Set a new password (salted and hashed afresh)."""
    by = _actor(by)
    name = _clean_name(name)
    hashed = _hash(password, name)
    with ws.transaction() as con:
        _existing(con, name)
        con.execute("UPDATE users SET password_hash = ? WHERE user_name = ?", [hashed, name])
    audit.record(ws, by, "password_changed", detail=name)


def disable(ws: Workspace, name: str, *, by: User | str | None = None) -> None:
    """Stop a user from signing in (their past actions stay in the trail)."""
    by = _actor(by)
    name = _clean_name(name)
    with ws.transaction() as con:
        row = _existing(con, name)
        if row[1] == "admin":
            _keep_an_admin(con, name)
        con.execute("UPDATE users SET disabled_at = ? WHERE user_name = ?",
                    [datetime.now(), name])
    audit.record(ws, by, "user_disabled", detail=name)


def enable(ws: Workspace, name: str, *, by: User | str | None = None) -> None:
    """Let a disabled user sign in again."""
    by = _actor(by)
    name = _clean_name(name)
    with ws.transaction() as con:
        _existing(con, name)
        con.execute("UPDATE users SET disabled_at = NULL WHERE user_name = ?", [name])
    audit.record(ws, by, "user_enabled", detail=name)


def _keep_an_admin(con, leaving: str) -> None:
    others = con.execute("SELECT count(*) FROM users WHERE role = 'admin' AND "
                         "disabled_at IS NULL AND user_name <> ?", [leaving]).fetchone()[0]
    if not others:
        raise AccountError(f"{leaving!r} is the last active admin; make someone else admin "
                           "first, or nobody could manage users any more")


def verify(ws: Workspace, name: str, password: str) -> User:
    """The user, if `password` is theirs; else SignInRefused. Both outcomes are recorded
    in the audit trail (`sign_in` / `sign_in_refused`, never the password). After
    MAX_REFUSED wrong passwords within LOCK_MINUTES the name waits, whether or not such
    a user exists, and unknown names get the same messages as known ones."""
    try:
        clean = _clean_name(name)
    except AccountError:
        clean = None
    with ws.connection() as con:
        row = None if clean is None else _row(con, clean)
    who = clean if clean is not None else "?"
    # Every name, known or not, waits after MAX_REFUSED wrong tries, with one message, so
    # neither the lockout nor its wording tells which user names exist.
    if audit.refused_since_last_sign_in(ws, who, LOCK_MINUTES) >= MAX_REFUSED:
        audit.record(ws, who, "sign_in_refused", detail="too many wrong passwords")
        raise SignInRefused(locked_message(who))
    if row is None or row[2] is None:
        _check(_dummy_hash(), password)
        reason = "unknown user name" if row is None else "signs in through the identity provider"
        audit.record(ws, who, "sign_in_refused", detail=reason)
        raise SignInRefused(WRONG)
    if not _check(row[2], password):
        audit.record(ws, who, "sign_in_refused", detail="wrong password")
        raise SignInRefused(WRONG)
    if row[4] is not None:  # only told to whoever knows the password
        audit.record(ws, who, "sign_in_refused", detail="user is disabled")
        raise SignInRefused(f"user {who!r} is disabled; ask an admin")
    if _HASHER.check_needs_rehash(row[2]):
        with ws.transaction() as con:
            con.execute("UPDATE users SET password_hash = ? WHERE user_name = ?",
                        [_HASHER.hash(password), who])
    audit.record(ws, who, "sign_in", detail="password")
    return User(row[0], row[1], row[3], row[4], via="password")


WRONG = "wrong user name or password"
"""The one message for an unknown user name, a wrong password and an identity-provider user."""


def locked_message(name: str) -> str:
    """The message after too many wrong tries: the same for every name, known or not."""
    return (f"too many wrong passwords for {name!r}; try again in {LOCK_MINUTES} minutes or "
            "ask an admin")


def _dummy_hash() -> str:
    """Checked against when the user name is unknown, so both cases take the same time."""
    if not _DUMMY:
        _DUMMY.append(_HASHER.hash("not a password of anyone"))
    return _DUMMY[0]


def _check(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def identity_user(ws: Workspace, email: str | None) -> User | None:
    """The active user an identity provider's e-mail address maps to, or None (unknown
    identities are refused: any account at a public provider could otherwise read)."""
    if not email:
        return None
    user = get_user(ws, email)
    if user is None or not user.active:
        return None
    return replace(user, via="oidc")
