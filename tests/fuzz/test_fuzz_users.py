"""Bad inputs to `wfm users`, one test per kind: each refused with exit 2, naming the place;
and sign-in refusals that do not tell which user names exist."""

from __future__ import annotations

import pytest
from fuzzkit import refused, run_wfm

from planning import users
from planning.workspace import Workspace

GOOD = "amber kettle on the moon"


@pytest.fixture()
def folder(tmp_path):
    """A workspace with one admin, `boss`."""
    path = tmp_path / "workspace"
    users.add_user(Workspace(path), "boss", "admin", GOOD)
    return path


def _password_file(tmp_path, text: str):
    path = tmp_path / "pw.txt"
    path.write_text(text + "\n")
    return path


def _add(capsys, folder, tmp_path, name: str, password: str, names: tuple[str, ...]):
    return refused(capsys, "users", "add", name, "--role", "planner", "--password-file",
                   _password_file(tmp_path, password), "--workspace", folder, names=names)


@pytest.mark.parametrize("password", ["password123", "Password123!", "qwerty2024",
                                      "1q2w3e4r5t", "iloveyou1", "woaini1314"])
def test_common_password(capsys, folder, tmp_path, password):
    result = _add(capsys, folder, tmp_path, "li", password, names=("common",))
    assert password not in result.err


def test_password_contains_the_user_name(capsys, folder, tmp_path):
    _add(capsys, folder, tmp_path, "li.wang", "li.wang-2026-rocks", names=("user name",))


def test_password_one_character_repeated(capsys, folder, tmp_path):
    _add(capsys, folder, tmp_path, "li", "zzzzzzzzzzzz", names=("repeated",))


def test_password_too_short(capsys, folder, tmp_path):
    _add(capsys, folder, tmp_path, "li", "a7#kq", names=("characters long",))


def test_empty_password_file(capsys, folder, tmp_path):
    _add(capsys, folder, tmp_path, "li", "", names=("pw.txt",))


def test_missing_password_file(capsys, folder, tmp_path):
    refused(capsys, "users", "add", "li", "--role", "planner", "--password-file",
            tmp_path / "nope.txt", "--workspace", folder, names=("nope.txt",))


def test_bad_user_name(capsys, folder, tmp_path):
    _add(capsys, folder, tmp_path, "li wang!", GOOD, names=("user name", "li wang!"))


def test_unknown_role(capsys, folder):
    refused(capsys, "users", "role", "boss", "overlord", "--workspace", folder,
            names=("role", "overlord"))


def test_role_of_an_unknown_user(capsys, folder):
    refused(capsys, "users", "role", "ghost", "viewer", "--workspace", folder,
            names=("ghost",))


def test_common_password_on_change(capsys, folder, tmp_path):
    refused(capsys, "users", "password", "boss", "--password-file",
            _password_file(tmp_path, "letmein123"), "--workspace", folder,
            names=("common",))


def test_last_admin_cannot_be_disabled(capsys, folder):
    refused(capsys, "users", "disable", "boss", "--workspace", folder,
            names=("boss", "last active admin"))


def test_user_added_twice(capsys, folder, tmp_path):
    _add(capsys, folder, tmp_path, "boss", GOOD, names=("boss", "already exists"))


def test_audit_since_not_a_date(capsys, folder):
    result = run_wfm(capsys, "users", "audit", "--since", "yesterday-ish",
                     "--workspace", folder)
    assert result.code == 2 and "Traceback" not in result.err
    assert "--since" in result.err or "yesterday-ish" in result.err


@pytest.mark.slow
def test_unknown_and_locked_names_get_the_same_messages(folder):
    ws = Workspace(folder)
    messages = {}
    for name in ("boss", "ghost"):
        seen = []
        for _ in range(users.MAX_REFUSED + 1):
            with pytest.raises(users.SignInRefused) as err:
                users.verify(ws, name, "wrong guess here")
            seen.append(str(err.value).replace(repr(name), "NAME"))
        messages[name] = seen
    assert messages["boss"] == messages["ghost"]
    assert messages["ghost"][-1].startswith("too many wrong passwords")
