"""Who is using the dashboard: sign-in, sign-out and the single-user mode.

Four modes, decided on every run:

- ``oidc``: an identity provider is configured (``[auth]`` in
  ``.streamlit/secrets.toml``). People sign in with ``st.login()``; their e-mail
  address must be a user of the workspace (added with ``wfm users add EMAIL --role R
  --no-password``). Unknown identities are refused, not let in as viewers: with a
  public provider any account in the world could otherwise read the plans.
- ``password``: the workspace has users: a sign-in form (user name and password)
  comes before anything else.
- ``single``: no users, and the server listens on this computer only
  (``server.address`` localhost, 127.0.0.1 or ::1): no sign-in, the person at the
  computer acts as admin, and the sidebar says so.
- ``closed``: no users and the server is reachable from other computers
  (``server.address`` unset, which Streamlit binds to every interface, or any other
  address): no plan is shown; the page says how to create an admin.
"""

from __future__ import annotations

import importlib.util

import streamlit as st

from dashboard import state
from dashboard.i18n import t
from planning import access, audit, users
from planning.roles import User

LOCAL_ADDRESSES = ("localhost", "127.0.0.1", "::1", "[::1]")
_SESSION = "wfm_sign_in"


def exposed(address: str | None) -> bool:
    """Whether a server bound to `address` is reachable from other computers (an unset
    address means every interface, Streamlit's default)."""
    return not address or str(address).strip().lower() not in LOCAL_ADDRESSES


def server_address() -> str | None:
    return st.get_option("server.address")


def oidc_configured() -> bool:
    """Whether `[auth]` is set in the app's secrets."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file (or an unreadable one): no OIDC
        return False


def mode() -> str:
    """"oidc", "password", "single" or "closed" for the workspace in use."""
    if oidc_configured():
        return "oidc"
    if users.has_users(state.workspace()):
        return "password"
    return "closed" if exposed(server_address()) else "single"


def _folder_key() -> str:
    return str(state.workspace().folder.resolve())


def local_user() -> User:
    """The person at this computer in single-user mode."""
    return User(f"local:{audit.login_name()}", "admin", via="local")


def sign_in() -> User | None:
    """The user of this session; shows the sign-in (or the refusal) and stops the page
    when nobody is signed in (None is returned only where st.stop cannot stop: a
    script run without `streamlit run`)."""
    current = mode()
    if current == "single":
        return local_user()
    if current == "closed":
        st.title(t("closed_title"))
        st.error(t("closed_note", address=server_address() or "0.0.0.0",
                   folder=str(state.workspace().folder)))
        st.stop()
        return None
    if current == "oidc":
        return _oidc()
    return _password()


def _password() -> User | None:
    ws = state.workspace()
    session = st.session_state.get(_SESSION)
    if session and session.get("folder") == _folder_key():
        user = users.get_user(ws, session["user"])
        if user is not None and user.active:
            return user
        st.session_state.pop(_SESSION, None)
    st.title(t("sign_in_title"))
    st.caption(t("sign_in_intro"))
    with st.form("sign_in_form"):
        name = st.text_input(t("user_name"), key="sign_in_user")
        password = st.text_input(t("password"), type="password", key="sign_in_password")
        submitted = st.form_submit_button(t("sign_in"), type="primary")
    if submitted:
        try:
            user = users.verify(ws, name, password)
        except users.SignInRefused as exc:
            st.error(state.shown_error(exc))
        else:
            st.session_state[_SESSION] = {"folder": _folder_key(), "user": user.name}
            st.rerun()
    st.stop()
    return None


def _oidc() -> User | None:
    if not st.user.is_logged_in:
        st.title(t("sign_in_title"))
        if importlib.util.find_spec("authlib") is None:
            st.error(t("oidc_no_authlib"))
            st.stop()
            return None
        st.caption(t("oidc_intro"))
        st.button(t("sign_in_with_provider"), on_click=st.login, type="primary",
                  key="oidc_sign_in")
        st.stop()
        return None
    ws = state.workspace()
    email = str(st.user.get("email") or "")
    user = users.identity_user(ws, email)
    seen = (_folder_key(), email)
    if user is None:
        if st.session_state.get(_SESSION) != {"refused": seen}:
            audit.record(ws, email or "?", "sign_in_refused",
                         detail="identity provider: not a user of this workspace")
            st.session_state[_SESSION] = {"refused": seen}
        st.error(t("oidc_unknown", who=email or "?"))
        st.button(t("sign_out"), on_click=st.logout, key="oidc_sign_out_refused")
        st.stop()
        return None
    if st.session_state.get(_SESSION) != {"signed_in": seen}:
        audit.record(ws, user.name, "sign_in", detail="identity provider")
        st.session_state[_SESSION] = {"signed_in": seen}
    return user


def sign_out(user: User) -> None:
    """End the session's sign-in (and the identity provider's cookie)."""
    audit.record(state.workspace(), user.name, "sign_out")
    st.session_state.pop(_SESSION, None)
    if user.via == "oidc":
        st.logout()


def sidebar(user: User) -> None:
    """Who is signed in and the sign-out button, or the single-user note; the workspace
    folder box for whoever may change it."""
    if user.via == "local":
        st.caption(t("single_user"))
    else:
        st.caption(t("signed_in_as", user=user.name, role=t(f"role_{user.role}")))
        if st.button(t("sign_out"), key="sign_out"):
            sign_out(user)
            st.rerun()
    folder = state.folder()
    if user.via == "local" or access.can(user, "manage_users"):
        st.text_input(t("workspace"), value=folder, help=t("workspace_help"),
                      key="workspace_box", on_change=_folder_chosen)
        st.text_input(t("cluster"), value=state.cluster_name(), help=t("cluster_help"),
                      key="cluster_box", on_change=_cluster_chosen)
    else:
        st.caption(t("workspace_locked", folder=folder))
    st.caption(state.cluster_caption())


def _cluster_chosen() -> None:
    st.session_state["cluster_name"] = st.session_state["cluster_box"].strip()


def _folder_chosen() -> None:
    st.session_state["workspace_folder"] = st.session_state["workspace_box"]
    st.session_state.pop("plan_id", None)
    st.session_state.pop("step_status", None)
