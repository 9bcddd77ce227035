"""`wfm users`: who may sign in to the dashboard of a workspace, and the audit trail."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from planning import audit, roles, users
from planning.files import write_frame
from planning.workspace import Workspace, default_folder

EPILOG = """\
Example:
  wfm users add li.wang --role admin          (asks for the password twice)
  WFM_PASSWORD=... wfm users add chen --role planner
  wfm users add zhang@example.com --role viewer --no-password   (signs in via OIDC)
  wfm users list
  wfm users role chen viewer
  wfm users password chen --password-file pw.txt
  wfm users disable chen
  wfm users audit --action publish --since 2026-11-01 -o audit.csv

Roles: viewer (looks at plans), planner (also changes and publishes plans),
admin (also manages users, reads the audit trail, deletes published plans).
Adding the first user turns sign-in on for the dashboard of this workspace
(--workspace, default $WFM_WORKSPACE or ./workspace). Passwords are stored as
salted argon2id hashes, never as text. Every change is recorded in the audit
trail under your login name (shell:<login>).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "users", help="add, list, change or disable users; read the audit trail",
        description="Manage who may sign in to the dashboard of a workspace, with which "
                    "role, and read the audit trail of changes.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="action", metavar="ACTION")

    add = _sub(sub, "add", "add a user")
    add.add_argument("name", help="user name (lower case; an e-mail address for OIDC)")
    add.add_argument("--role", required=True, choices=roles.ROLES)
    _password_options(add)
    add.add_argument("--no-password", action="store_true",
                     help="the user signs in through the identity provider (OIDC) only")
    add.set_defaults(func=_add)

    listing = _sub(sub, "list", "list users and their roles")
    listing.set_defaults(func=_list)

    role = _sub(sub, "role", "give a user another role")
    role.add_argument("name")
    role.add_argument("role", choices=roles.ROLES)
    role.set_defaults(func=_role)

    password = _sub(sub, "password", "set a user's password")
    password.add_argument("name")
    _password_options(password)
    password.set_defaults(func=_password)

    for name, func, text in (("disable", _disable, "stop a user from signing in"),
                             ("enable", _enable, "let a disabled user sign in again")):
        cmd = _sub(sub, name, text)
        cmd.add_argument("name")
        cmd.set_defaults(func=func)

    trail = _sub(sub, "audit", "show or export the audit trail")
    trail.add_argument("--user", help="only this user (e.g. li.wang or shell:li)")
    trail.add_argument("--action", help="only this action (e.g. publish, delete, sign_in)")
    trail.add_argument("--plan", help="only plans whose name contains this text")
    trail.add_argument("--since", help="from this date or time (e.g. 2026-11-01)")
    trail.add_argument("--until", help="before this date or time")
    trail.add_argument("--limit", type=int, default=50,
                       help="rows to print (default 50; the CSV gets all)")
    trail.add_argument("-o", "--output", help="write the (filtered) trail to this CSV file")
    trail.set_defaults(func=_audit)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def _sub(sub: argparse._SubParsersAction, name: str, text: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".",
                            epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspace", metavar="DIR",
                        help="workspace folder (default $WFM_WORKSPACE or ./workspace)")
    return parser


def _password_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-file", metavar="FILE",
                        help="read the password from the first line of FILE (else "
                             "$WFM_PASSWORD, else a prompt)")


def _workspace(args: argparse.Namespace) -> Workspace:
    return Workspace(args.workspace or default_folder())


def read_password(args: argparse.Namespace) -> str:
    """The new password: from --password-file, $WFM_PASSWORD, or asked twice."""
    if args.password_file:
        lines = Path(args.password_file).read_text(encoding="utf-8").splitlines()
        if not lines or not lines[0]:
            raise ValueError(f"{args.password_file}: the first line holds no password")
        return lines[0]
    if os.environ.get("WFM_PASSWORD"):
        return os.environ["WFM_PASSWORD"]
    if not sys.stdin.isatty():
        raise ValueError("no password given: use --password-file FILE or set WFM_PASSWORD "
                         "(or run in a terminal to be asked)")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise ValueError("the two passwords differ; nothing was changed")
    return first


def _add(args: argparse.Namespace) -> int:
    password = None if args.no_password else read_password(args)
    ws = _workspace(args)
    first = not users.has_users(ws)
    user = users.add_user(ws, args.name, args.role, password)
    print(f"added {user.name} as {user.role} in {ws.folder}")
    if first:
        print("this workspace now has users: the dashboard asks everyone to sign in",
              file=sys.stderr)
        if user.role != "admin":
            print(f"note: {user.name} is not an admin; add one with "
                  "`wfm users add NAME --role admin`", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    table = users.list_users(_workspace(args))
    if table.empty:
        print("no users: the dashboard runs without sign-in on this computer only")
        return 0
    table["created_at"] = table["created_at"].dt.strftime("%Y-%m-%d %H:%M")
    table["disabled_at"] = table["disabled_at"].map(
        lambda v: "" if v is None or v != v else f"{v:%Y-%m-%d %H:%M}")
    table["has_password"] = table["has_password"].map({True: "password", False: "OIDC"})
    table = table.rename(columns={"has_password": "signs_in_with"})
    print(table.to_string(index=False))
    return 0


def _role(args: argparse.Namespace) -> int:
    users.set_role(_workspace(args), args.name, args.role)
    print(f"{args.name.lower()} is now {args.role}")
    return 0


def _password(args: argparse.Namespace) -> int:
    users.set_password(_workspace(args), args.name, read_password(args))
    print(f"password of {args.name.lower()} changed")
    return 0


def _disable(args: argparse.Namespace) -> int:
    users.disable(_workspace(args), args.name)
    print(f"{args.name.lower()} can no longer sign in")
    return 0


def _enable(args: argparse.Namespace) -> int:
    users.enable(_workspace(args), args.name)
    print(f"{args.name.lower()} can sign in again")
    return 0


def _audit(args: argparse.Namespace) -> int:
    table = audit.trail(_workspace(args), user=args.user, action=args.action, plan=args.plan,
                        since=args.since, until=args.until)
    if args.output:
        write_frame(table, args.output, float_format=None)  # formula-like cells neutralised
        print(f"wrote {len(table)} audit rows to {args.output}", file=sys.stderr)
        return 0
    if table.empty:
        print("the audit trail is empty" + (" for this filter" if any(
            (args.user, args.action, args.plan, args.since, args.until)) else ""))
        return 0
    shown = table.head(args.limit).assign(
        logged_at=table["logged_at"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    shown = shown.drop(columns="audit_id").astype(object)
    print(shown.where(shown.notna(), "").to_string(index=False))
    if len(table) > args.limit:
        print(f"... {len(table) - args.limit} older rows (raise --limit or use -o FILE)")
    return 0
