"""Roles and the user who holds one, shared by `planning.users` (which stores
them) and `planning.access` (which checks them): users imports access, and
access imports only this, not users.

Roles build on each other, lowest first: a viewer looks, a planner also changes
and publishes plans, an admin also manages users (see `planning.access`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

ROLES = ("viewer", "planner", "admin")


@dataclass(frozen=True)
class User:
    """A person using the workspace. `via` says how they were identified: "password",
    "oidc", "shell" or "local" (single-user mode on this computer)."""

    name: str
    role: str
    created_at: datetime | None = None
    disabled_at: datetime | None = None
    via: str = "password"

    @property
    def active(self) -> bool:
        return self.disabled_at is None
