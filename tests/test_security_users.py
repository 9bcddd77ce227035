"""Users, roles and the audit trail below the dashboard: salted password hashes in the
real DuckDB workspace, refused sign-ins recorded, the role table enforced, and the
`wfm users` command."""

from __future__ import annotations

import csv
import io

import pytest

from planning import access, audit, users
from planning.access import AccessDenied
from planning.cli import main
from planning.workspace import Workspace

PASSWORD = "correct horse battery"


@pytest.fixture()
def ws(tmp_path):
    return Workspace(tmp_path / "ws")


def _hashes(ws: Workspace) -> dict[str, str]:
    with ws.connection() as con:
        return dict(con.execute("SELECT user_name, password_hash FROM users").fetchall())


def test_passwords_are_stored_salted_and_never_as_text(ws):
    users.add_user(ws, "Li.Wang", "planner", PASSWORD)
    users.add_user(ws, "chen", "viewer", PASSWORD)
    hashes = _hashes(ws)
    assert set(hashes) == {"li.wang", "chen"}  # names are kept in lower case
    assert hashes["li.wang"] != hashes["chen"]  # same password, different salt
    for value in hashes.values():
        assert value.startswith("$argon2id$")
        assert PASSWORD not in value
    assert PASSWORD.encode() not in ws.db_path.read_bytes()
    assert "password_hash" not in users.list_users(ws).columns


def test_a_wrong_password_is_refused_and_recorded(ws):
    users.add_user(ws, "li.wang", "planner", PASSWORD)
    with pytest.raises(users.SignInRefused, match="wrong user name or password"):
        users.verify(ws, "li.wang", "not the password")
    trail = audit.trail(ws, action="sign_in_refused")
    assert trail[["user_name", "detail"]].values.tolist() == [["li.wang", "wrong password"]]
    assert "not the password" not in audit.trail(ws).to_string()
    user = users.verify(ws, "LI.WANG", PASSWORD)
    assert (user.name, user.role, user.via) == ("li.wang", "planner", "password")
    assert audit.trail(ws, limit=1)["action"].tolist() == ["sign_in"]


@pytest.mark.slow
def test_unknown_disabled_and_identity_provider_users_are_refused(ws):
    users.add_user(ws, "admin", "admin", PASSWORD)
    users.add_user(ws, "zhang@example.com", "viewer", None)
    users.add_user(ws, "gone", "planner", PASSWORD)
    users.disable(ws, "gone")
    for name, password in (("nobody", PASSWORD), ("zhang@example.com", ""),
                           ("gone", PASSWORD)):
        with pytest.raises(users.SignInRefused):
            users.verify(ws, name, password)
    details = audit.trail(ws, action="sign_in_refused")["detail"].tolist()
    assert details == ["user is disabled", "signs in through the identity provider",
                       "unknown user name"]
    assert users.identity_user(ws, "Zhang@Example.com").role == "viewer"
    assert users.identity_user(ws, "stranger@example.com") is None
    assert users.identity_user(ws, "gone") is None


@pytest.mark.slow
def test_repeated_wrong_passwords_lock_the_user_for_a_while(ws):
    users.add_user(ws, "li", "planner", PASSWORD)
    for _ in range(users.MAX_REFUSED):
        with pytest.raises(users.SignInRefused, match="wrong"):
            users.verify(ws, "li", "guess1234")
    with pytest.raises(users.SignInRefused, match="too many wrong passwords"):
        users.verify(ws, "li", PASSWORD)  # even the right one waits


def test_the_last_admin_stays(ws):
    users.add_user(ws, "boss", "admin", PASSWORD)
    with pytest.raises(users.AccountError, match="last active admin"):
        users.set_role(ws, "boss", "viewer")
    with pytest.raises(users.AccountError, match="last active admin"):
        users.disable(ws, "boss")
    users.add_user(ws, "deputy", "admin", PASSWORD)
    users.set_role(ws, "boss", "viewer", by="deputy")
    assert users.get_user(ws, "boss").role == "viewer"
    row = audit.trail(ws, action="role_changed").iloc[0]
    assert (row["user_name"], row["detail"]) == ("deputy", "boss: admin -> viewer")


def test_bad_names_roles_and_short_passwords_get_clear_messages(ws):
    with pytest.raises(users.AccountError, match="role 'boss' is not one of viewer"):
        users.add_user(ws, "li", "boss", PASSWORD)
    with pytest.raises(users.AccountError, match="at least 8"):
        users.add_user(ws, "li", "viewer", "short")
    with pytest.raises(users.AccountError, match="user name"):
        users.add_user(ws, "li wang; drop", "viewer", PASSWORD)
    users.add_user(ws, "li", "viewer", PASSWORD)
    with pytest.raises(users.AccountError, match="already exists"):
        users.add_user(ws, "LI", "viewer", PASSWORD)


def test_a_viewer_cannot_change_a_plan(ws):
    plan_id = ws.create_plan("Week 47", source="test")
    users.add_user(ws, "v", "viewer", PASSWORD)
    viewer = users.get_user(ws, "v")
    access.require(viewer, "view")
    for action in ("edit", "publish", "delete", "manage_users"):
        with pytest.raises(AccessDenied, match="v is a viewer") as caught:
            access.require(viewer, action, ws.plan(plan_id))
        assert isinstance(caught.value, PermissionError)
    assert access.why_not(viewer, "edit").endswith("`wfm users role v planner`)")
    with pytest.raises(AccessDenied, match="sign in first"):
        access.require(None, "view")


def test_only_an_admin_manages_users_even_below_the_screen(ws):
    users.add_user(ws, "a", "admin", PASSWORD)
    users.add_user(ws, "p", "planner", PASSWORD)
    planner, admin = users.get_user(ws, "p"), users.get_user(ws, "a")
    with pytest.raises(AccessDenied, match="p is a planner"):
        users.add_user(ws, "friend", "admin", PASSWORD, by=planner)
    with pytest.raises(AccessDenied):
        users.set_role(ws, "p", "admin", by=planner)
    assert users.get_user(ws, "friend") is None and users.get_user(ws, "p").role == "planner"
    users.set_role(ws, "p", "admin", by=admin)
    assert audit.trail(ws, limit=1)["user_name"].tolist() == ["a"]


def test_planners_publish_and_only_admins_delete_a_published_plan(ws):
    plan_id = ws.create_plan("Week 47", source="test")
    users.add_user(ws, "p", "planner", PASSWORD)
    users.add_user(ws, "a", "admin", PASSWORD)
    planner, admin = users.get_user(ws, "p"), users.get_user(ws, "a")
    access.require(planner, "delete", ws.plan(plan_id))  # a draft
    access.require(planner, "publish", ws.plan(plan_id))
    when = ws.publish_plan(plan_id, planner.name)
    info = ws.plan(plan_id)
    assert (info.published_at, info.published_by) == (when, "p")
    listed = ws.list_plans().set_index("plan_id").loc[plan_id]
    assert listed["published_by"] == "p"
    with pytest.raises(AccessDenied, match="only an admin deletes a published plan"):
        access.require(planner, "delete", info)
    access.require(admin, "delete", info)
    with pytest.raises(AccessDenied, match="manage users"):
        access.require(planner, "manage_users")
    ws.unpublish_plan(plan_id)
    assert ws.plan(plan_id).published_at is None
    users.disable(ws, "p", by="a")
    with pytest.raises(AccessDenied, match="disabled"):
        access.require(users.get_user(ws, "p"), "view")


def test_audit_trail_filters_and_keeps_the_plan_name(ws):
    plan_id = ws.create_plan("Double 11", source="test")
    audit.record(ws, "li", "forecast", plan_id=plan_id, detail="computed")
    ws.rename_plan(plan_id, "Double 11 final")
    audit.record(ws, "chen", "publish", plan_id=plan_id)
    audit.record(ws, None, "delete", plan_id=plan_id)
    trail = audit.trail(ws)
    assert trail["action"].tolist() == ["delete", "publish", "forecast"]
    assert trail["plan_name"].tolist() == ["Double 11 final", "Double 11 final", "Double 11"]
    assert trail["user_name"].iloc[0].startswith("shell:")
    assert audit.trail(ws, user="li")["action"].tolist() == ["forecast"]
    assert len(audit.trail(ws, plan="FINAL")) == 2
    assert audit.trail(ws, since="2000-01-01", until="2000-01-02").empty
    with pytest.raises(audit.AuditError, match="not a date"):
        audit.trail(ws, since="yesterday-ish")
    with pytest.raises(audit.AuditError, match="must be a word"):
        audit.record(ws, "li", "drop table; --")


@pytest.mark.slow
def test_wfm_users_command(ws, monkeypatch, capsys, tmp_path):
    folder = str(ws.folder)
    monkeypatch.setenv("WFM_PASSWORD", PASSWORD)
    assert main(["users", "add", "Li.Wang", "--role", "admin", "--workspace", folder]) == 0
    pw_file = tmp_path / "pw.txt"
    pw_file.write_text("another password\n")
    monkeypatch.delenv("WFM_PASSWORD")
    assert main(["users", "add", "chen", "--role", "planner", "--password-file", str(pw_file),
                 "--workspace", folder]) == 0
    assert main(["users", "add", "zhang@example.com", "--role", "viewer", "--no-password",
                 "--workspace", folder]) == 0
    assert users.verify(ws, "chen", "another password").role == "planner"
    assert main(["users", "role", "chen", "viewer", "--workspace", folder]) == 0
    assert main(["users", "disable", "chen", "--workspace", folder]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--workspace", folder]) == 0
    listing = capsys.readouterr().out
    assert "li.wang" in listing and "OIDC" in listing and PASSWORD not in listing
    # no password given and no terminal to ask on: a clear message, exit 2, nothing added
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["users", "add", "wu", "--role", "viewer", "--workspace", folder]) == 2
    assert "--password-file" in capsys.readouterr().err
    assert users.get_user(ws, "wu") is None
    assert main(["users", "role", "nobody", "admin", "--workspace", folder]) == 2
    assert "no user 'nobody'" in capsys.readouterr().err

    plan_id = ws.create_plan("=HYPERLINK(\"http://x\")", source="test")
    audit.record(ws, "li.wang", "publish", plan_id=plan_id)
    out = tmp_path / "audit.csv"
    assert main(["users", "audit", "--workspace", folder, "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["action"] for r in rows] == ["publish", "user_disabled", "role_changed",
                                           "sign_in", "user_added", "user_added", "user_added"]
    assert rows[0]["plan_name"].startswith("'=")  # neutralised against formula injection
    assert rows[-1]["user_name"].startswith("shell:")
    assert main(["users", "audit", "--action", "user_added", "--workspace", folder]) == 0
    assert capsys.readouterr().out.count("user_added") == 3


def test_an_older_workspace_gains_the_new_tables_and_columns(tmp_path):
    import duckdb

    folder = tmp_path / "old"
    folder.mkdir()
    con = duckdb.connect(str(folder / "wfm.duckdb"))
    con.execute("CREATE TABLE plans (plan_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL "
                "UNIQUE, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, "
                "source VARCHAR, base_plan_id INTEGER, inputs VARCHAR)")
    con.execute("INSERT INTO plans VALUES (1, 'Old plan', now(), now(), 'x', NULL, '{}')")
    con.close()
    ws = Workspace(folder)
    assert ws.plan(1).published_at is None
    assert not users.has_users(ws)
    ws.publish_plan(1, "li")
    assert ws.list_plans()["published_by"].tolist() == ["li"]
