"""Sign-in, roles and the audit trail in the dashboard, under Streamlit's AppTest over a
real DuckDB workspace: the single-user mode on localhost, the refusal when served
beyond it without users, the sign-in form, a viewer's read-only pages, publishing,
the admin page, and identity-provider (OIDC) sign-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from dashboard_helpers import APP, PAGES, TIMEOUT
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from planning import audit, users
from planning.workspace import Workspace

PASSWORD = "planning is fun"
ADMIN_PAGE = "dashboard/pages/admin.py"
pytestmark = pytest.mark.usefixtures("local_server")
# Controls a viewer may use: they open, download, sign out or check, never change.
VIEWER_BUTTONS = {"open_plan", "sign_out", "sc_check", "sc_build"}  # sc_build: YAML on screen


@pytest.fixture()
def team(plan):
    ws, plan_id = plan
    for name, role in (("vera", "viewer"), ("pavel", "planner"), ("ada", "admin")):
        users.add_user(ws, name, role, PASSWORD)
    return ws, plan_id


def _app(plan_id: int | None = None, signed_in: tuple[Workspace, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.session_state["step_status"] = {}
    if plan_id is not None:
        at.session_state["plan_id"] = plan_id
    if signed_in is not None:  # as after the sign-in form (tested on its own below)
        ws, name = signed_in
        at.session_state["wfm_sign_in"] = {"folder": str(ws.folder.resolve()), "user": name}
    at.run()
    assert not at.exception, at.exception
    return at


def _page(at: AppTest, page: str) -> AppTest:
    at.switch_page(PAGES.get(page, page))
    at.run()
    assert not at.exception, at.exception
    return at


def test_single_user_mode_on_localhost_says_so(plan):
    _, plan_id = plan
    at = _app(plan_id)
    assert t("single_user", "en") in [c.value for c in at.sidebar.caption]
    assert "`wfm users add`" in t("single_user", "en")
    assert {m.label for m in at.metric} >= {"chat_a", "voice_b"}  # the plan is shown
    assert at.sidebar.text_input(key="workspace_box")  # the folder box is open
    _page(at, ADMIN_PAGE)  # the person at this computer manages the workspace
    assert [x.value for x in at.title] == [t("admin_title", "en")]


@pytest.mark.parametrize("address", ["0.0.0.0", None])
def test_served_beyond_localhost_without_users_shows_no_plan(plan, address):
    _, plan_id = plan
    streamlit_config.set_option("server.address", address)  # restored by local_server
    at = _app(plan_id)
    assert [x.value for x in at.title] == [t("closed_title", "en")]
    message = at.error[0].value
    assert "wfm users add NAME --role admin" in message and "0.0.0.0" in message
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")


@pytest.mark.slow
def test_sign_in_comes_first_and_a_wrong_password_is_refused_and_recorded(team):
    ws, plan_id = team
    at = _app(plan_id)
    assert [x.value for x in at.title] == [t("sign_in_title", "en")]
    assert not at.metric and not at.dataframe  # nothing of the plan before signing in
    assert not at.sidebar.text_input  # nor the workspace folder
    at.text_input(key="sign_in_user").set_value("pavel")
    at.text_input(key="sign_in_password").set_value("not my password")
    at.button[0].click()
    at.run()
    assert [e.value for e in at.error] == ["wrong user name or password"]
    assert not at.metric
    refused = audit.trail(ws, action="sign_in_refused")
    assert refused[["user_name", "detail"]].values.tolist() == [["pavel", "wrong password"]]

    at.text_input(key="sign_in_user").set_value("Pavel")
    at.text_input(key="sign_in_password").set_value(PASSWORD)
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    assert {m.label for m in at.metric} >= {"chat_a", "voice_b"}
    captions = [c.value for c in at.sidebar.caption]
    assert t("signed_in_as", "en", user="pavel", role="planner") in captions
    assert audit.trail(ws, limit=1)["action"].tolist() == ["sign_in"]

    at.button(key="sign_out").click()
    at.run()
    assert [x.value for x in at.title] == [t("sign_in_title", "en")]
    assert audit.trail(ws, limit=1)[["user_name", "action"]].values.tolist() == \
        [["pavel", "sign_out"]]


@pytest.mark.slow
def test_a_viewer_has_no_enabled_control_that_changes_a_plan(team):
    ws, plan_id = team
    before = ws.versions(plan_id)
    at = _app(plan_id, signed_in=(ws, "vera"))
    assert not at.file_uploader, "no upload for a viewer"
    assert any(t("read_only", "en", reason="")[:10] in i.value for i in at.info)
    assert not at.sidebar.text_input  # the workspace folder is locked for non-admins
    for page in ("forecast", "requirements", "roster", "plans",
                 "dashboard/pages/scenarios.py"):
        _page(at, page)
        enabled = [b.key or b.label for b in at.button
                   if not b.disabled and b.key not in VIEWER_BUTTONS]
        assert not enabled, (page, enabled)
        editors = [d for d in at.dataframe if d.proto.editing_mode != 0]
        assert all(d.proto.disabled for d in editors), page
        assert all(x.disabled for x in at.text_area if not (x.key or "").startswith("sc_")), page
        assert all(c.disabled for c in at.checkbox), page
        assert any(t("read_only", "en", reason="")[:10] in i.value for i in at.info), page
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(ADMIN_PAGE)
    assert ws.versions(plan_id) == before  # nothing was recomputed or saved
    assert ws.plan(plan_id).published_at is None


@pytest.mark.slow
def test_a_planner_publishes_and_renames_and_the_viewer_sees_it(team):
    ws, plan_id = team
    at = _page(_app(plan_id, signed_in=(ws, "pavel")), "plans")
    at.button(key="publish_plan").click()
    at.run()
    assert not at.exception, at.exception
    info = ws.plan(plan_id)
    assert info.published_by == "pavel" and info.published_at is not None
    at.text_input(key=f"rename_{plan_id}").set_value("Week 43 final")
    at.button(key="rename_plan").click()
    at.run()
    assert ws.plan(plan_id).name == "Week 43 final"
    # a planner may not delete a published plan: the button stays off and says why
    assert at.button(key="delete_plan").disabled
    trail = audit.trail(ws, user="pavel")
    assert trail["action"].tolist()[:2] == ["rename", "publish"]
    assert trail["detail"].iloc[0] == "Hand-built week -> Week 43 final"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(ADMIN_PAGE)

    at = _page(_app(plan_id, signed_in=(ws, "vera")), "plans")
    table = at.dataframe[0].value
    assert table[t("published_by", "en")].tolist() == ["pavel"]
    assert table[t("published", "en")].iloc[0].startswith(t("published", "en"))
    assert any(c.value.startswith("Published") and "pavel" in c.value for c in at.caption)


@pytest.mark.slow
def test_a_planner_pseudonymises_agent_names_and_it_is_recorded(team):
    ws, plan_id = team
    at = _page(_app(plan_id, signed_in=(ws, "pavel")), "roster")
    at.checkbox(key=f"pseudonyms_{plan_id}").check()
    at.run()
    assert not at.exception, at.exception
    agents = ws.load_frame(plan_id, "agents")
    assert agents["agent_id"].tolist() == ["A1", "A2", "A3"]
    assert not set(agents["name"]) & {"Li", "Wang", "Zhang"}
    assert at.checkbox(key=f"pseudonyms_{plan_id}").disabled  # there is no way back
    row = audit.trail(ws, action="agents").iloc[0]
    assert (row["user_name"], row["plan_id"]) == ("pavel", plan_id)


@pytest.mark.slow
def test_the_admin_page_manages_users_and_shows_the_audit(team):
    ws, plan_id = team
    at = _page(_app(plan_id, signed_in=(ws, "ada")), ADMIN_PAGE)
    assert [x.value for x in at.title] == [t("admin_title", "en")]
    assert at.sidebar.text_input(key="workspace_box")  # admins may switch workspaces
    users_table = at.dataframe[0].value
    assert sorted(users_table.iloc[:, 0]) == ["ada", "pavel", "vera"]
    assert not any("argon2" in str(v) for v in users_table.to_numpy().ravel())
    at.text_input(key="new_user_name").set_value("wu")
    at.selectbox(key="new_user_role").set_value("planner")
    at.text_input(key="new_user_password").set_value("a long password")
    [b for b in at.button if b.label == t("add_user", "en")][0].click()
    at.run()
    assert not at.exception, at.exception
    assert users.get_user(ws, "wu").role == "planner"
    at.selectbox(key="change_user").set_value("vera")
    at.run()
    at.selectbox(key="role_of_vera").set_value("planner")
    at.button(key="set_role").click()
    at.run()
    assert users.get_user(ws, "vera").role == "planner"
    at.selectbox(key="audit_action").set_value("role_changed")
    at.run()
    trail = at.dataframe[-1].value
    assert len(trail) == 1 and "vera: viewer -> planner" in trail.to_string()
    assert [b.label for b in at.get("download_button")] == [t("audit_download", "en")]
    added = audit.trail(ws, action="user_added", limit=1).iloc[0]
    assert (added["user_name"], added["detail"]) == ("ada", "wu as planner")


def test_the_admin_page_refuses_anyone_else_by_itself(team):
    at = AppTest.from_file(str(Path(APP).parent / ADMIN_PAGE), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    assert at.error and t("admin_only", "en") in at.error[0].value
    assert not at.dataframe


def _oidc_app(plan_id: int, email: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback",
                          "cookie_secret": "a random secret for the test",
                          "client_id": "wfm", "client_secret": "s",
                          "server_metadata_url": "https://id.example.com/.well-known/"
                                                 "openid-configuration"}
    at.user = {"is_logged_in": email is not None, "email": email}
    at.session_state["lang"] = "en"
    at.session_state["plan_id"] = plan_id
    at.session_state["step_status"] = {}
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
def test_identity_provider_sign_in_maps_to_the_users_table(team):
    ws, plan_id = team
    at = _oidc_app(plan_id, None)
    assert [x.value for x in at.title] == [t("sign_in_title", "en")]
    assert not at.metric
    at = _oidc_app(plan_id, "stranger@example.com")
    assert "wfm users add stranger@example.com" in at.error[0].value
    assert not at.metric
    row = audit.trail(ws, action="sign_in_refused").iloc[0]
    assert row["user_name"] == "stranger@example.com"
    users.add_user(ws, "li@example.com", "viewer", None)
    at = _oidc_app(plan_id, "Li@Example.com")
    assert {m.label for m in at.metric} >= {"chat_a", "voice_b"}
    assert t("signed_in_as", "en", user="li@example.com", role="viewer") in \
        [c.value for c in at.sidebar.caption]
    assert not at.file_uploader
    assert audit.trail(ws, limit=1)[["user_name", "action", "detail"]].values.tolist() == \
        [["li@example.com", "sign_in", "identity provider"]]


@pytest.mark.slow
def test_sign_in_and_admin_pages_in_chinese(team):
    ws, plan_id = team
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = "zh"
    at.run()
    assert [x.value for x in at.title] == ["登录"]
    assert [ti.label for ti in at.text_input] == ["用户名", "密码"]
    at.session_state["wfm_sign_in"] = {"folder": str(ws.folder.resolve()), "user": "ada"}
    at.session_state["plan_id"] = plan_id
    at.session_state["step_status"] = {}
    at.run()
    _page(at, ADMIN_PAGE)
    assert [x.value for x in at.title] == ["用户与审计记录"]
    assert "当前用户：ada（管理员）" in [c.value for c in at.sidebar.caption]
