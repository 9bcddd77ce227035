"""Labels (key -> English, Chinese) of signing in, roles and the admin page."""

from __future__ import annotations

ACCESS_LABELS: dict[str, tuple[str, str]] = {
    # sign-in and roles
    "sign_in_title": ("Sign in", "登录"),
    "sign_in_intro": ("This workspace has users: sign in to see its plans.",
                      "此工作区设有用户：请登录后查看方案。"),
    "user_name": ("User name", "用户名"),
    "password": ("Password", "密码"),
    "sign_in": ("Sign in", "登录"),
    "sign_out": ("Sign out", "退出登录"),
    "sign_in_with_provider": ("Sign in with your organisation's account", "使用单位账号登录"),
    "oidc_intro": ("Sign in with your organisation's account to see the plans.",
                   "请使用单位账号登录以查看方案。"),
    "oidc_unknown": ("{who} is not a user of this workspace. Ask an admin to add you: "
                     "`wfm users add {who} --role viewer --no-password`.",
                     "{who} 不是此工作区的用户。请管理员添加："
                     "`wfm users add {who} --role viewer --no-password`。"),
    "oidc_no_authlib": ("Sign-in through the identity provider needs the Authlib package: "
                        "pip install 'Authlib>=1.3.2'.",
                        "通过身份提供方登录需要 Authlib 包：pip install 'Authlib>=1.3.2'。"),
    "signed_in_as": ("Signed in as {user} ({role})", "当前用户：{user}（{role}）"),
    "single_user": ("Single-user mode on this computer: no sign-in; add users with "
                    "`wfm users add` to require it.",
                    "本机单用户模式：无需登录；用 `wfm users add` 添加用户即可要求登录。"),
    "closed_title": ("Sign-in is not set up", "尚未设置登录"),
    "closed_note": ("This dashboard is served beyond this computer (server address {address}) "
                    "and its workspace has no users, so no plans are shown. Create an admin "
                    "on the server: `wfm users add NAME --role admin` (with --workspace {folder} "
                    "if needed), then reload this page; or serve it on this computer only with "
                    "`streamlit run app.py --server.address localhost`.",
                    "此仪表板对本机以外开放（服务器地址 {address}），且工作区没有用户，因此不显示"
                    "任何方案。请在服务器上创建管理员：`wfm users add 用户名 --role admin`（如需要"
                    "加 --workspace {folder}），然后刷新本页；或仅在本机运行："
                    "`streamlit run app.py --server.address localhost`。"),
    "workspace_locked": ("Workspace: {folder} (only an admin changes it)",
                         "工作区：{folder}（仅管理员可更改）"),
    "read_only": ("Read only: {reason}", "只读：{reason}"),
    "role_viewer": ("viewer", "查看者"),
    "role_planner": ("planner", "规划员"),
    "role_admin": ("admin", "管理员"),
    "no_plans_viewer": ("No saved plans yet; a planner creates them.",
                        "尚无已保存的方案；由规划员创建。"),
    # admin page
    "page_admin": ("Users and audit", "用户与审计"),
    "admin_title": ("Users and audit trail", "用户与审计记录"),
    "users_header": ("Users", "用户"),
    "no_users": ("No users yet: the dashboard runs without sign-in on this computer. "
                 "Adding the first user turns sign-in on, so add yourself as admin first.",
                 "尚无用户：仪表板在本机无需登录即可使用。添加第一个用户后即需登录，"
                 "因此请先把自己添加为管理员。"),
    "first_user_admin": ("The first user must be an admin, or nobody could manage users.",
                         "第一个用户必须是管理员，否则无人能管理用户。"),
    "add_user": ("Add a user", "添加用户"),
    "role": ("Role", "角色"),
    "oidc_only": ("Signs in through the identity provider (no password)",
                  "通过身份提供方登录（无密码）"),
    "user_added": ("Added {user} as {role}.", "已添加 {user}，角色为{role}。"),
    "change_user": ("Change a user", "修改用户"),
    "new_role": ("New role", "新角色"),
    "set_role": ("Change the role", "修改角色"),
    "new_password": ("New password", "新密码"),
    "set_password": ("Set the password", "设置密码"),
    "disable_user": ("Disable", "停用"),
    "enable_user": ("Enable", "启用"),
    "user_changed": ("{user} changed.", "已修改 {user}。"),
    "audit_header": ("Audit trail", "审计记录"),
    "audit_filter_user": ("User", "用户"),
    "audit_filter_action": ("Action", "操作"),
    "audit_filter_plan": ("Plan name contains", "方案名称包含"),
    "audit_since": ("From", "开始"),
    "audit_until": ("To (inclusive)", "结束（含）"),
    "audit_rows": ("{rows} rows", "{rows} 行"),
    "audit_download": ("Download the audit trail (CSV)", "下载审计记录（CSV）"),
    "everyone": ("Everyone", "所有人"),
    "any_action": ("Any action", "所有操作"),
    "admin_only": ("Only an admin manages users and reads the audit trail.",
                   "仅管理员可管理用户和查看审计记录。"),
}
