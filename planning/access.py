"""What each role may do, checked below the screen as well as on it.

Roles build on each other: a viewer looks, a planner also changes and publishes
plans, an admin also manages users, reads the audit trail and deletes published
plans.

=============  ======  =======  =====
action         viewer  planner  admin
=============  ======  =======  =====
view           yes     yes      yes
edit           --      yes      yes
publish        --      yes      yes
delete         --      yes (*)  yes
manage_users   --      --       yes
=============  ======  =======  =====

(*) a planner deletes drafts; a published plan is deleted by an admin (or taken
back to draft first), so nobody loses the plan a team follows by mistake.
"""

from __future__ import annotations

from planning.roles import ROLES, User
from planning.workspace import PlanInfo

ACTIONS = {"view": "viewer", "edit": "planner", "publish": "planner", "delete": "planner",
           "manage_users": "admin"}
_WHAT = {"view": "look at plans", "edit": "change plans", "publish": "publish plans",
         "delete": "delete plans", "manage_users": "manage users and read the audit trail"}


class AccessDenied(PermissionError):
    """The user's role does not allow the action; the message says who may."""


def why_not(user: User | None, action: str, plan: PlanInfo | None = None) -> str | None:
    """Why `user` may not do `action` (on `plan`), or None when they may."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
    if user is None:
        return f"sign in first to {_WHAT[action]}"
    if not user.active:
        return f"user {user.name!r} is disabled"
    if user.role not in ROLES:
        return f"user {user.name!r} has an unknown role {user.role!r}"
    needed = ACTIONS[action]
    if action == "delete" and plan is not None and plan.published_at is not None:
        needed = "admin"
        if ROLES.index(user.role) < ROLES.index(needed):
            return (f"plan {plan.name!r} is published; only an admin deletes a published "
                    "plan (or take it back to draft first)")
    if ROLES.index(user.role) < ROLES.index(needed):
        return (f"{user.name} is a {user.role}; to {_WHAT[action]} you need the {needed} role "
                f"(an admin can give it: `wfm users role {user.name} {needed}`)")
    return None


def can(user: User | None, action: str, plan: PlanInfo | None = None) -> bool:
    """Whether `user` may do `action` (on `plan`)."""
    return why_not(user, action, plan) is None


def require(user: User | None, action: str, plan: PlanInfo | None = None) -> None:
    """Raise AccessDenied unless `user` may do `action` (on `plan`)."""
    reason = why_not(user, action, plan)
    if reason is not None:
        raise AccessDenied(reason)
