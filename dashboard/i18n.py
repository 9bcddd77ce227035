"""Labels in English and Simplified Chinese, and numbers and dates in the chosen locale.

Every label the app shows goes through `t(key)`; `LABELS` is the one
dictionary (key -> English, Chinese). Numbers, times, dates and event names are
written by `dashboard.formatting` (re-exported here: `num`, `pct`, `duration`, `day`,
`stamp`, `event_name`).
"""

from __future__ import annotations

from typing import Any

from dashboard.formatting import (  # noqa: F401 - the pages' formatting helpers, kept here too
    DAY_COLUMNS,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    MISSING,
    TIME_COLUMNS,
    column_formatter,
    current_language,
    day,
    duration,
    event_name,
    hours,
    num,
    pct,
    stamp,
    weekday_name,
)

LABELS: dict[str, tuple[str, str]] = {
    # app and sidebar
    "app_title": ("wfm planner", "wfm 排班规划"),
    "language": ("Language", "语言"),
    "workspace": ("Workspace folder", "工作区文件夹"),
    "cluster": ("Dask cluster", "Dask 集群"),
    "cluster_help": ("Where forecasts, roster parts, scenarios and capacity checks run: "
                     "empty for this process, `local` for this machine's cores, or a "
                     "scheduler address such as tcp://10.0.0.5:8786 (default "
                     "$WFM_DASK_SCHEDULER).",
                     "预测、排班分块、情景和产能核验在哪里运行：留空为本进程，`local` 为本机"
                     "全部核心，或调度器地址，如 tcp://10.0.0.5:8786（默认 "
                     "$WFM_DASK_SCHEDULER）。"),
    "cluster_none": ("Runs in this process", "在本进程中运行"),
    "cluster_status": ("Runs on {where}: {workers} workers, {threads} threads",
                       "运行于 {where}：{workers} 个工作进程，{threads} 个线程"),
    "cluster_unavailable": ("The Dask cluster cannot be used, so this runs in this "
                            "process: {error}",
                            "无法使用 Dask 集群，改在本进程中运行：{error}"),
    "workspace_help": ("Saved plans live in wfm.duckdb in this folder "
                       "(default ./workspace or $WFM_WORKSPACE).",
                       "已保存的方案存放在此文件夹的 wfm.duckdb 中"
                       "（默认 ./workspace 或 $WFM_WORKSPACE）。"),
    "plan": ("Plan", "方案"),
    "no_plans": ("No saved plans yet.", "尚无已保存的方案。"),
    "building_sample": ("Building the sample plan (first start only)…",
                        "正在生成示例方案（仅首次启动）…"),
    "sample_ready": ("Sample plan ready", "示例方案已就绪"),
    "step_forecast": ("Forecast", "预测"),
    "step_requirements": ("Requirements", "人力需求"),
    "step_roster": ("Roster", "排班"),
    "step_projection": ("Response times", "响应时间"),
    "step_waiting": ("The {step} step waits for the {blocker} step, which stopped with the "
                     "message shown on its page.",
                     "「{step}」步骤需等待「{blocker}」步骤，后者已停止，原因见其页面。"),
    "step_missing": ("This plan has no {step} yet.", "此方案尚无{step}结果。"),
    "run_missing": ("Compute the missing steps", "计算缺少的步骤"),
    "computing": ("Computing {step}…", "正在计算{step}…"),
    "unexpected_error": ("Something went wrong on this page ({kind}): {message}. "
                         "The other pages still work.",
                         "此页面出错（{kind}）：{message}。其他页面仍可使用。"),
    "download_csv": ("Download CSV", "下载 CSV"),
    "download_excel": ("Download Excel", "下载 Excel"),
    "queue": ("Queue", "队列"),
    "all_queues": ("All queues", "全部队列"),
    "day": ("Day", "日期"),
    "weekday": ("Weekday", "星期"),
    "interval_start": ("Interval start", "时段开始"),
    "contacts": ("Contacts", "来话量"),
    "aht_seconds": ("AHT (s)", "平均处理时长（秒）"),
    "staff": ("Staff", "人员"),
    "agents": ("Agents", "坐席"),
    # pages
    "page_data": ("Data", "数据"),
    "page_forecast": ("Forecast", "预测"),
    "page_requirements": ("Requirements", "人力需求"),
    "page_roster": ("Roster", "排班"),
    "page_response": ("Response times", "响应时间"),
    "page_plans": ("Saved plans", "已保存方案"),
    "page_scenarios": ("Scenarios", "情景对比"),
    # data page
    "data_title": ("Contact history", "来话历史"),
    "data_caption": ("Plan {plan}: {rows} intervals from {first} to {last}, {queues} queues.",
                     "方案 {plan}：{rows} 个时段，{first} 至 {last}，{queues} 个队列。"),
    "upload_header": ("Import a contact log or interval file", "导入来话明细或时段汇总文件"),
    "upload_label": ("Contact log or interval file (CSV, TSV, Excel, Parquet)",
                     "来话明细或时段文件（CSV、TSV、Excel、Parquet）"),
    "profile": ("Import profile", "导入模板"),
    "profile_auto": ("Recognise from the headers", "按表头自动识别"),
    "profile_edit": ("Edit the profile (YAML)", "编辑导入模板（YAML）"),
    "profile_custom": ("Use my edited profile", "使用我编辑的模板"),
    "interval": ("Interval length", "时段长度"),
    "import_preview": ("Preview of the parsed history", "解析结果预览"),
    "import_summary": ("Rows read {read}, used {used}, excluded {excluded}.",
                       "读取 {read} 行，使用 {used} 行，排除 {excluded} 行。"),
    "import_excluded": ("Excluded rows and why", "排除的行及原因"),
    "import_error": ("The file could not be imported: {message}", "文件无法导入：{message}"),
    "import_problem": ("The file could not be imported ({where}): {reason}",
                       "文件无法导入（{where}）：{reason}"),
    "where_line": ("line {line}", "第 {line} 行"),
    "where_sheet_row": ("sheet '{sheet}' row {row}", "工作表“{sheet}”第 {row} 行"),
    "where_column": ("column '{column}'", "列“{column}”"),
    "mapping_preview": ("The first rows as read (durations in seconds)",
                        "按映射读取的前几行（时长以秒计）"),
    "mapping_header": ("Columns of the file", "文件的列"),
    "mapping_guessed": ("Each role was matched to a column by its header; check them before "
                        "saving the plan.",
                        "已按表头为每个角色匹配列；保存方案前请检查。"),
    "mapping_ambiguous": ("The file can be read more than one way; choose: {candidates}",
                          "此文件有多种读法，请选择：{candidates}"),
    "mapping_kind_both": ("a contact log or an interval file", "来话明细还是时段汇总"),
    "mapping_kind": ("What the file holds", "文件内容"),
    "kind_contacts": ("One row per contact (contact log)", "每行一个来话（来话明细）"),
    "kind_intervals": ("One row per queue and interval", "每行一个队列时段（时段汇总）"),
    "mapping_candidates": ("Could be: {headers}", "可能是：{headers}"),
    "mapping_none": ("(none)", "（无）"),
    "mapping_missing": ("Choose a column for: {roles}", "请为以下角色选择列：{roles}"),
    "mapping_recognised": ("Recognised by its headers as {name}.", "已按表头识别为 {name}。"),
    "mapping_own": ("Map the columns myself", "自行指定各列"),
    "mapping_name": ("Save this column mapping as", "将此列映射保存为"),
    "mapping_save": ("Save the mapping", "保存映射"),
    "mapping_saved": ("Saved the mapping {name}: files with the same headers are recognised "
                      "from now on.",
                      "已保存映射 {name}：今后表头相同的文件将被自动识别。"),
    "role_start": ("Start time", "开始时间"),
    "role_date": ("Date", "日期"),
    "role_time": ("Time of day", "时刻"),
    "role_queue": ("Queue", "队列"),
    "role_channel": ("Channel", "渠道"),
    "role_handle_time": ("Handle time", "处理时长"),
    "role_wait_time": ("Wait time", "等待时长"),
    "role_outcome": ("Outcome", "结果"),
    "role_agent": ("Agent", "坐席"),
    "role_offered": ("Contacts offered", "进线量"),
    "role_answered": ("Contacts answered", "接通量"),
    "role_abandoned": ("Contacts abandoned", "放弃量"),
    "role_handle_time_total": ("Total handle time", "总处理时长"),
    "role_aht": ("Average handle time", "平均处理时长"),
    "role_asa": ("Average wait", "平均等待时长"),
    "calendar_header": ("Holiday calendar of the plan", "方案的节假日日历"),
    "shopping_events": ("Shopping events (Double 11, 618, 12.12)",
                        "电商大促（双 11、618、双 12）"),
    "calendar_guessed": ("Guessed from the data: {country} ({reason}).",
                         "根据数据推测：{country}（{reason}）。"),
    "calendar_no_guess": ("No holiday country could be told from the data ({reason}); "
                          "enter one, or leave it empty for none.",
                          "无法从数据判断节假日所属国家（{reason}）；请填写，或留空表示不用节假日。"),
    "assumed_header": ("Assumed", "假设"),
    "assumed_country": ("Public holidays of {country} (chosen).",
                        "采用 {country} 的公共假日（已选定）。"),
    "assumed_country_guessed": ("Public holidays of {country}, guessed from the data "
                                "({reason}).",
                                "采用 {country} 的公共假日，根据数据推测（{reason}）。"),
    "assumed_no_holidays": ("No public holidays.", "不考虑公共假日。"),
    "assumed_shopping_on": ("Shopping events Double 11, 618 and 12.12 with their windows.",
                            "考虑双 11、618、双 12 及其前后窗口。"),
    "assumed_shopping_off": ("No shopping events.", "不考虑电商大促。"),
    "assumed_no_effect": ("No effect for {events}: the history does not show one.",
                          "{events} 不计影响：历史数据中未见其影响。"),
    "assumed_starter_team": ("The team is an invented starter team of {count} agents, each "
                             "skilled in every queue; replace it with your agent list.",
                             "团队为系统虚构的 {count} 名坐席的起步团队（每人掌握所有队列）；"
                             "请替换为您的坐席名单。"),
    "starter_team_label": ("This plan's team is an invented starter team of {count} agents "
                           "(each in every queue, 32-40 hours a week): replace it with your "
                           "agent list below.",
                           "此方案的团队是系统虚构的 {count} 名坐席的起步团队（每人掌握所有队列，"
                           "每周 32-40 小时）：请在下方替换为您的坐席名单。"),
    "team_header": ("The team and shift templates", "团队与班次模板"),
    "team_upload_label": ("Agent list (CSV or Excel: agent_id or name, queues; optionally "
                          "min_hours_week, max_hours_week, max_days_week, unavailable)",
                          "坐席名单（CSV 或 Excel：工号或姓名、技能组；可选每周最少/最多工时、"
                          "最多工作天数、不可排班日期）"),
    "team_upload_error": ("The agent list could not be used: {message}",
                          "坐席名单无法使用：{message}"),
    "team_upload_preview": ("{count} agents in the file.", "文件中有 {count} 名坐席。"),
    "team_replace": ("Replace the starter team with this list", "用此名单替换起步团队"),
    "team_use_file": ("Use this agent list", "使用此坐席名单"),
    "templates_header": ("Shift templates", "班次模板"),
    "templates_help": ("One row per template: earliest and latest start (HH:MM), start step "
                       "in minutes, shift lengths (H:MM, several separated by ;).",
                       "每行一个模板：最早和最晚上班时间（HH:MM）、上班时间步长（分钟）、"
                       "班次时长（H:MM，多个用 ; 分隔）。"),
    "templates_save": ("Save the shift templates", "保存班次模板"),
    "templates_error": ("The shift templates could not be saved: {message}",
                        "班次模板无法保存：{message}"),
    "plan_name": ("Plan name", "方案名称"),
    "save_as_plan": ("Save as a new plan and compute it", "保存为新方案并计算"),
    "saved_plan": ("Saved plan {name}.", "已保存方案 {name}。"),
    "history_daily": ("Contacts per day", "每日来话量"),
    "history_intraday": ("{queue}: average contacts per interval", "{queue}：各时段平均来话量"),
    "total_contacts": ("Contacts in the history", "历史来话总量"),
    # forecast page
    "forecast_title": ("Forecast", "来话预测"),
    "forecast_caption": ("{days} days from {start}, model {model}.",
                         "自 {start} 起 {days} 天，模型 {model}。"),
    "forecast_total": ("Forecast contacts", "预测来话量"),
    "forecast_figure": ("{queue}: history and forecast", "{queue}：历史与预测"),
    "history": ("History", "历史"),
    "forecast": ("Forecast", "预测"),
    "band": ("80% prediction band", "80% 预测区间"),
    "event": ("Event", "事件"),
    "accuracy": ("Backtest accuracy (WAPE, lower is better)", "回测准确度（WAPE，越低越好）"),
    "no_backtest": ("No backtest saved with this plan.", "此方案没有回测结果。"),
    "model": ("Model", "模型"),
    "wape": ("WAPE", "WAPE"),
    "adjust_header": ("Adjust the forecast", "调整预测"),
    "adjust_from": ("From", "开始"),
    "adjust_to": ("To (exclusive)", "结束（不含）"),
    "adjust_from_time": ("From time", "开始时间"),
    "adjust_to_time": ("To time", "结束时间"),
    "adjust_percent": ("Change in %", "调整百分比"),
    "adjust_apply": ("Apply the adjustment", "应用调整"),
    "adjust_list": ("Adjustments in this plan", "此方案中的调整"),
    "adjust_clear": ("Remove all adjustments", "清除所有调整"),
    "adjust_done": ("Adjusted; requirements, roster and projection will be recomputed.",
                    "已调整；人力需求、排班和响应时间将重新计算。"),
    "settings_header": ("Forecast settings", "预测设置"),
    "forecast_days": ("Days to forecast", "预测天数"),
    "forecast_start": ("First day", "起始日期"),
    "holiday_country": ("Public holidays of", "公共假日所属国家"),
    "holiday_country_help": ("ISO country code such as CN, US or IL; empty for none.",
                             "国家代码，如 CN、US、IL；留空表示不考虑假日。"),
    "recompute": ("Recompute", "重新计算"),
    # requirements page
    "req_title": ("Requirements", "人力需求"),
    "req_peak": ("Peak staff in one interval", "单时段最高人员需求"),
    "req_note": ("Assumed: {note}", "假定：{note}"),
    "req_hours": ("Staff hours in the week", "本周人员工时"),
    "req_heatmap": ("{queue}: staff needed by day and interval", "{queue}：按日期和时段的人员需求"),
    "queue_settings": ("Queue settings", "队列设置"),
    "queue_settings_help": ("Edit the targets, then save: requirements, roster and projection "
                            "are recomputed.",
                            "修改目标后保存：人力需求、排班和响应时间将重新计算。"),
    "save_settings": ("Save queue settings", "保存队列设置"),
    "settings_saved": ("Queue settings saved.", "队列设置已保存。"),
    # roster page
    "roster_title": ("Roster", "排班表"),
    "roster_status": ("Solver status", "求解状态"),
    "roster_under": ("Short (agent-hours)", "人手缺口（坐席·小时）"),
    "roster_under_help": ("Agent-hours in which fewer people are at work than the "
                          "requirements ask for, summed over queues and intervals.",
                          "各队列各时段在岗人数低于需求的坐席·小时之和。"),
    "roster_avoidable": ("Shortfall still avoidable", "仍可避免的缺口"),
    "roster_avoidable_help": ("By the solver's lower bound, no roster of this team and these "
                              "templates cuts the shortfall (weighted by queue priority) by more "
                              "than this share; 0% means the roster is as good as this team "
                              "allows, and only more people or other templates help.",
                              "根据求解器的下界，在现有团队和班次模板下，任何排班都无法把"
                              "（按队列优先级加权的）缺口再减少超过此比例；0% 表示排班已是该团队"
                              "所能达到的最好结果，只有增加人手或调整班次模板才有帮助。"),
    "roster_agents": ("Agents rostered", "排班坐席数"),
    "out_of_date": ("Out of date: the last roster that was solved, and its response times, "
                    "are shown until a new roster is solved.",
                    "已过时：以下为上次求解成功的排班及其响应时间，新排班求解成功前一直显示。"),
    "solve_failed": ("The new solve failed:", "本次求解失败："),
    "roster_hours": ("Paid hours", "计薪工时"),
    "agents_table": ("Agents", "坐席"),
    "shifts_yaml": ("Shift templates (YAML)", "班次模板（YAML）"),
    "time_limit": ("Time limit (seconds)", "时间上限（秒）"),
    "roster_over_cap": ("The solve took {seconds}, more than twice its time limit of "
                        "{limit} plus 10 s: the machine was busy. Solving again may find "
                        "a different roster.",
                        "本次求解用时 {seconds}，超过时间上限 {limit} 的两倍再加 10 秒：机器繁忙。"
                        "重新求解可能得到不同的排班。"),
    "solve": ("Save and solve the roster", "保存并求解排班"),
    "solving": ("Solving the roster…", "正在求解排班…"),
    "solved": ("Roster solved.", "排班已完成。"),
    "gantt": ("Shifts per agent", "各坐席班次"),
    "breaks": ("Break", "休息"),
    "gantt_day": ("Day shown", "显示日期"),
    "coverage": ("Coverage against requirements", "覆盖与需求对比"),
    "required": ("Required", "需求"),
    "scheduled": ("Scheduled", "已排"),
    "violations": ("Rule violations", "规则违反"),
    "no_violations": ("No rule is broken.", "没有违反规则。"),
    "per_agent": ("Roster of one agent", "单个坐席的排班"),
    "agent": ("Agent", "坐席"),
    "download_agent": ("Download this agent's roster (CSV)", "下载该坐席排班（CSV）"),
    "download_all_agents": ("Download per-agent rosters (Excel, one sheet each)",
                            "下载各坐席排班（Excel，每人一页）"),
    # response page
    "resp_title": ("Projected response times", "预计响应时间"),
    "resp_sl": ("Service level", "服务水平"),
    "resp_asa": ("ASA (s)", "平均应答速度（秒）"),
    "resp_frt": ("Chat first response (s)", "在线首次响应（秒）"),
    "resp_below": ("Intervals below target", "未达标时段"),
    "resp_metric": ("Show", "显示指标"),
    "resp_target": ("Target", "目标"),
    "resp_figure": ("{queue}: projected against target", "{queue}：预计值与目标"),
    "resp_nobody": ("{note}: contacts arrive there while nobody is on line (or, for "
                    "email, the backlog is not cleared within the week), so their wait has no "
                    "finite value; the ASA shown leaves them out.",
                    "{note}：这些时段有来话但无人在线（邮件则为本周内积压未清），等待时间没有"
                    "有限值；所示平均应答速度不含这些时段。"),
    "resp_asa_card": ("ASA", "平均应答速度"),
    "resp_email_note": ("Email counts as answered in time when it is handled within its "
                        "deadline ({deadline} of opening hours); its ASA is the mean time to "
                        "handle, shown per day below and left out of the ASA card.",
                        "邮件在截止时间内（营业时间 {deadline}）处理完即计为及时；其平均应答速度"
                        "为平均处理完成时间，见下方每日明细，不计入平均应答速度卡片。"),
    "resp_daily": ("Per queue and day (weighted by contacts)", "按队列和日期汇总（按来话量加权）"),
    "resp_flagged": ("Intervals below target", "未达标时段明细"),
    "resp_all_met": ("Every interval meets its target.", "所有时段均达标。"),
    "week_sl": ("Week service level", "本周服务水平"),
    "abandon_rate": ("Abandonment", "放弃率"),
    "occupancy": ("Occupancy", "占用率"),
    # plans page
    "plans_title": ("Saved plans", "已保存方案"),
    "plans_caption": ("Workspace: {folder}", "工作区：{folder}"),
    "created_at": ("Created", "创建时间"),
    "updated_at": ("Updated", "更新时间"),
    "contents": ("Contents", "内容"),
    "open_plan": ("Open", "打开"),
    "rename_to": ("New name", "新名称"),
    "rename": ("Rename", "重命名"),
    "delete": ("Delete", "删除"),
    "delete_confirm": ("Yes, delete this plan and its results", "确认删除此方案及其结果"),
    "deleted": ("Plan deleted.", "方案已删除。"),
    "renamed": ("Plan renamed.", "方案已重命名。"),
    "new_sample": ("Rebuild the sample plan", "重新生成示例方案"),
    "publish": ("Publish", "发布"),
    "unpublish": ("Back to draft", "撤回为草稿"),
    "published": ("Published", "已发布"),
    "published_by": ("Published by", "发布人"),
    "draft": ("Draft", "草稿"),
    "plan_published": ("Plan {name} is published.", "方案 {name} 已发布。"),
    "plan_unpublished": ("Plan {name} is a draft again.", "方案 {name} 已撤回为草稿。"),
    "published_note": ("Published {when} by {user}.", "已于 {when} 由 {user} 发布。"),
    "changed_since_published": ("Changed since it was published.", "发布后有修改。"),
    "pseudonymise_agents": ("Pseudonymise agent names", "坐席姓名假名化"),
    "pseudonymise_help": ("Replace the agents' names in this plan by stable pseudonyms (the "
                          "agent ids and the roster stay). The names are not kept: this cannot "
                          "be undone.",
                          "用稳定的假名替换此方案中的坐席姓名（坐席编号和排班不变）。"
                          "原姓名不会保留，此操作无法撤销。"),
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
    # Today (intraday)
    "page_today": ("Today", "今日"),
    "today_title": ("Today against plan", "今日实况与计划"),
    "today_intro": ("Upload the day's actuals so far (queue, interval_start, contacts; "
                    "optionally aht_seconds): the rest of the day is reforecast and the "
                    "roster re-planned with as few changes as possible.",
                    "上传今日截至目前的实际数据（queue、interval_start、contacts，可选 "
                    "aht_seconds）：系统将重新预测今日余下时段，并以尽量少的调整重新排班。"),
    "today_day": ("Day", "日期"),
    "today_now": ("Now", "当前时间"),
    "today_actuals": ("Actuals so far (CSV)", "截至目前的实际数据（CSV）"),
    "today_no_actuals": ("Upload the actuals so far to reforecast the day, or try it with "
                         "example actuals.",
                         "请上传截至目前的实际数据以重新预测，或使用示例数据试用。"),
    "today_example": ("Use example actuals (forecast +40% on one queue from 10:00)",
                      "使用示例数据（某队列自 10:00 起比预测高 40%）"),
    "today_computing": ("Reforecasting and re-planning the rest of the day…",
                        "正在重新预测并重新排班今日余下时段…"),
    "today_forecast": ("Forecast", "预测"),
    "today_actual": ("Actual", "实际"),
    "today_reforecast": ("Reforecast", "重新预测"),
    "today_chart_title": ("{queue}: actual, forecast and reforecast",
                          "{queue}：实际、预测与重新预测"),
    "today_ratio": ("Rest of day vs forecast", "余下时段相对预测"),
    "today_rest_contacts": ("Contacts, rest of day", "余下时段来话量"),
    "today_sl_title": ("Projected service level, rest of the day", "今日余下时段预计服务水平"),
    "today_sl_without": ("Without changes", "不调整"),
    "today_sl_proposed": ("With all proposed changes", "采纳全部建议"),
    "today_sl_accepted": ("With the accepted changes", "采纳已接受的调整"),
    "today_changes": ("Proposed changes", "建议调整"),
    "today_changes_help": ("Tick an agent to accept that agent's changes (an agent's changes "
                           "work together); the service level with the accepted changes "
                           "updates at once.",
                           "勾选坐席即接受该坐席的全部调整（同一坐席的调整相互关联）；"
                           "采纳后的服务水平会立即更新。"),
    "today_accept": ("Accept", "接受"),
    "today_no_changes": ("No change is worth making: the roster already fits the rest of "
                         "the day as well as it can.",
                         "无需调整：现有排班已尽可能匹配今日余下时段。"),
    "today_changed": ("Agents changed", "调整的坐席"),
    "today_notes": ("Notes", "说明"),
    "today_event": ("{queue}: the last two hours ran at {share} of the forecast, beyond "
                    "anything usual in the history; the rest of the day follows them.",
                    "{queue}：最近两小时来话量为预测的 {share}，超出历史常见范围；"
                    "今日余下时段按此重新预测。"),
    "today_queue_no_actuals": ("{queue}: no actuals yet today; the forecast is kept.",
                               "{queue}：今日尚无实际数据，沿用原预测。"),
    "today_change_break": ("break {start} → {end}", "休息 {start} → {end}"),
    "today_change_move": ("{start}-{end} answers {queue}", "{start}-{end} 改接 {queue}"),
    "today_change_overtime": ("overtime: shift {start} → {end}", "加班：班次 {start} → {end}"),
    "today_change_vto": ("time off: shift {start} → {end}", "自愿休假：班次 {start} → {end}"),
    "today_change_shift": ("shift moved: {start} → {end}", "班次调整：{start} → {end}"),
    "today_change_call_in": ("called in on a day off: {end}, answers {queue}",
                             "休息日召回上班：{end}，接 {queue}"),
    "today_event_day": ("Event day: follow a surge or outage as it is",
                        "活动日：突增或故障按实际跟随"),
    "today_event_day_help": ("By default the reforecast follows a steady two-hour break "
                             "from the forecast only as far as the history shows such "
                             "breaks lasting; on a promotion or outage day follow it as it "
                             "is.",
                             "默认情况下，重新预测只在历史表明此类偏离会持续时才跟随最近两小时的"
                             "稳定偏离；促销或故障日请按实际跟随。"),
    # capacity page
    "page_capacity": ("Capacity", "人力规划"),
    "cap_title": ("Capacity: the least-cost plan that meets the targets",
                  "人力规划：满足目标的最低成本方案"),
    "cap_intro": ("Choose the levers the plan may use, with their limits and costs; the "
                  "goal-seek finds the cheapest mix that meets every queue's target in "
                  "every interval a lever can reach, then rosters the recommended team.",
                  "选择可使用的手段及其上限和成本；系统求出在每个可达时段满足各队列目标的"
                  "最低成本组合，并对推荐团队实际排班验证。"),
    "cap_peak": ("Peak week", "大促周"),
    "cap_scenario": ("Scenario", "情景"),
    "cap_temps": ("Temps per shift template", "按班次模板的临时工"),
    "cap_overtime": ("Allow overtime", "允许加班"),
    "cap_ot_week": ("Overtime hours a week (max)", "每周加班上限（小时）"),
    "cap_ot_day": ("Overtime hours a day (max)", "每日加班上限（小时）"),
    "cap_ot_cost": ("Hourly cost", "小时成本"),
    "cap_ot_premium": ("Overtime premium (x)", "加班倍数"),
    "cap_cross": ("Cross-skilling", "交叉技能培训"),
    "cap_outsourcer": ("Outsourcer", "外包"),
    "cap_opening": ("Queues that may open from midnight", "可从零点开放的队列"),
    "cap_check": ("Check by rostering the recommended team (slow)",
                  "对推荐团队实际排班验证（较慢）"),
    "cap_run": ("Find the least-cost plan", "求最低成本方案"),
    "cap_running": ("Planning: {step}…", "正在规划：{step}…"),
    "cap_card_temps": ("Temps", "临时工"),
    "cap_card_ot": ("Overtime hours", "加班小时"),
    "cap_card_cost": ("Cost", "成本"),
    "cap_card_gap": ("Gap to the lower bound", "与下界的差距"),
    "cap_card_sl": ("Lowest daily service level", "最低日服务水平"),
    "cap_card_met": ("Queue-days meeting the target", "达标的队列日"),
    "cap_levers": ("Levers by queue and day", "按队列和日期的手段"),
    "cap_daily": ("Service level planned and rostered", "计划与排班的服务水平"),
    "cap_reasons": ("Intervals no lever can reach", "任何手段都无法覆盖的时段"),
    "cap_all_reached": ("Every interval with contacts is reached.", "所有有来话的时段均已覆盖。"),
    "cap_staff_day": ("Required vs planned staff, {day}", "需求与计划人数，{day}"),
    "cap_required": ("Required staff", "需求人数"),
    "cap_planned": ("Planned staff", "计划人数"),
    "cap_short": ("Short", "不足"),
    "cap_long": ("Long-range hiring plan", "长期招聘计划"),
    "cap_headcount": ("Headcount today (FTE)", "当前人数（FTE）"),
    "cap_attrition": ("Attrition per week", "每周流失率"),
    "cap_lead": ("Hiring lead time (weeks)", "招聘提前期（周）"),
    "cap_training": ("Training weeks", "培训周数"),
    "cap_ramp": ("Ramp after training (shares, ending at 1)", "培训后爬坡（比例，以 1 结束）"),
    "cap_class_min": ("Class size min", "每期最少人数"),
    "cap_class_max": ("Class size max", "每期最多人数"),
    "cap_hire_cost": ("Cost per hire", "每人招聘成本"),
    "cap_fte_cost": ("Cost per FTE-week", "每 FTE 周成本"),
    "cap_temp_cost": ("Temp cost per week", "临时工每周成本"),
    "cap_temp_avail": ("Temps available (FTE, Double 11 and 618 weeks)",
                       "可用临时工（FTE，双十一与 618 周）"),
    "cap_plan_hiring": ("Plan hiring", "制定招聘计划"),
    "cap_classes": ("Hiring classes", "招聘批次"),
    "cap_hires": ("Hires", "招聘人数"),
    "cap_productive": ("Productive FTE", "有效 FTE"),
    "cap_temps_fte": ("Temps (FTE)", "临时工（FTE）"),
    "cap_required_fte": ("FTE required", "需求 FTE"),
    "cap_shortfall_weeks": ("Shortfall (FTE-weeks)", "缺口（FTE·周）"),
    "cap_target": ("The target must hold", "目标达成口径"),
    "cap_target_interval": ("in every interval", "每个时段"),
    "cap_target_day": ("for each queue-day", "每个队列日"),
    "cap_target_week": ("for each queue-week", "每个队列周"),
    "cap_no_bound": ("no lower bound for a day or week target", "按日或按周目标无成本下界"),
    "cap_save": ("Save this plan", "保存此方案"),
    "cap_save_name": ("Plan name", "方案名称"),
    "cap_saved": ("Saved as “{name}”.", "已保存为“{name}”。"),
    "cap_compare": ("Compare saved capacity plans", "比较已保存的人力方案"),
    "cap_compare_pick": ("Saved capacity plans", "已保存的人力方案"),
    "cap_compare_none": ("No capacity plan is saved yet: find a plan, then save it.",
                         "尚未保存人力方案：先求解方案再保存。"),
    "cap_compare_days": ("Service level by day", "按日服务水平"),
}

# Table headers: a frame's column (the planner's CSV name, kept in downloads) -> label.
COLUMNS: dict[str, tuple[str, str]] = {
    "queue": ("Queue", "队列"),
    "queues": ("Queues", "可接队列"),
    "interval_start": ("Interval start", "时段开始"),
    "period_start": ("Day", "日期"),
    "date": ("Date", "日期"),
    "contacts": ("Contacts", "来话量"),
    "contacts_lo": ("Contacts (low)", "来话量（下限）"),
    "contacts_hi": ("Contacts (high)", "来话量（上限）"),
    "aht_seconds": ("AHT (s)", "平均处理时长（秒）"),
    "answered": ("Answered", "接通量"),
    "abandoned": ("Abandoned", "放弃量"),
    "asa_seconds": ("ASA (s)", "平均应答速度（秒）"),
    "wait_p90_seconds": ("Wait p90 (s)", "90% 等待时长（秒）"),
    "service_level": ("Service level", "服务水平"),
    "target_seconds": ("Target (s)", "目标时长（秒）"),
    "agents": ("Agents", "坐席数"),
    "staff": ("Staff", "人员"),
    "occupancy": ("Occupancy", "占用率"),
    "max_occupancy": ("Max occupancy", "最高占用率"),
    "shrinkage": ("Shrinkage", "缩减率"),
    "concurrency": ("Concurrency", "并发数"),
    "patience_seconds": ("Patience (s)", "耐心时长（秒）"),
    "channel": ("Channel", "渠道"),
    "model": ("Model", "模型"),
    "method": ("Method", "方法"),
    "agent_id": ("Agent ID", "坐席编号"),
    "changes": ("Changes", "调整"),
    "change": ("Change", "调整类型"),
    "from": ("From", "原"),
    "to": ("To", "新"),
    "name": ("Name", "姓名"),
    "team": ("Team", "班组"),
    "shift": ("Shift", "班次"),
    "shifts": ("Shift templates", "班次模板"),
    "start": ("Start", "开始"),
    "end": ("End", "结束"),
    "breaks": ("Breaks", "休息"),
    "min_hours_week": ("Min hours/week", "每周最少工时"),
    "max_hours_week": ("Max hours/week", "每周最多工时"),
    "max_days_week": ("Max days/week", "每周最多天数"),
    "unavailable": ("Unavailable", "不可排班"),
    "preferred_days_off": ("Preferred days off", "偏好休息日"),
    "preferred_start": ("Preferred start", "偏好开始时间"),
    "previous_shifts": ("Previous shifts", "此前班次"),
    "required": ("Required", "需求"),
    "scheduled": ("Scheduled", "已排"),
    "under": ("Under", "不足"),
    "over": ("Over", "超出"),
    "abandon_rate": ("Abandonment", "放弃率"),
    "below_target": ("Below target", "未达标"),
    "intervals": ("Intervals", "时段数"),
    "intervals_below_target": ("Intervals below target", "未达标时段"),
    "rule": ("Rule", "规则"),
    "detail": ("Detail", "详情"),
    "reason": ("Reason", "原因"),
    "rows": ("Rows", "行数"),
    "source": ("Source", "来源"),
    "day_type": ("Day type", "日期类型"),
    "wape": ("WAPE", "WAPE"),
    "coverage": ("Coverage", "覆盖率"),
    "intervals_short": ("Intervals short", "人手不足时段"),
    "first_short": ("First short", "首个不足时段"),
    "last_short": ("Last short", "末个不足时段"),
    "missing_agents_max": ("Most agents missing", "最多缺少坐席"),
    "missing_agent_hours": ("Agent-hours missing", "缺少坐席·小时"),
    "target_service_level": ("Target service level", "目标服务水平"),
    "service_level_gap": ("Service level gap", "服务水平差距"),
    "logged_at": ("Time", "时间"),
    "created_at": ("Created", "创建时间"),
    "plan_id": ("Plan id", "方案编号"),
    "user_name": ("User", "用户"),
    "action": ("Action", "操作"),
    "plan_name": ("Plan", "方案"),
    "role": ("Role", "角色"),
    "has_password": ("Password", "密码"),
    "disabled_at": ("Disabled", "停用时间"),
    "published_at": ("Published", "发布时间"),
    "published_by": ("Published by", "发布人"),
    "plan": ("Plan", "方案"),
    "temps": ("Temps", "临时工"),
    "overtime_hours": ("Overtime hours", "加班小时"),
    "cost": ("Cost", "成本"),
    "gap": ("Gap to the lower bound", "与下界的差距"),
    "targets_met": ("Queue-days meeting the target", "达标的队列日"),
    "queue_days": ("Queue-days", "队列日"),
    "lowest_service_level": ("Lowest daily service level", "最低日服务水平"),
    "target": ("Target holds", "目标口径"),
}

# Solver statuses as the roster step saves them (lower or upper case).
STATUSES: dict[str, tuple[str, str]] = {
    "optimal": ("Optimal", "最优"),
    "feasible": ("Feasible", "可行"),
    "infeasible": ("Infeasible", "无可行解"),
    "unknown": ("Unknown (time limit)", "未知（已到时间上限）"),
    "model_invalid": ("Model invalid", "模型无效"),
}


def status(value: Any, lang: str | None = None) -> str:
    """A solver status in the chosen language (shown as saved when unknown)."""
    pair = STATUSES.get(str(value).lower())
    if pair is None:
        return str(value)
    return pair[1] if (lang or current_language()) == "zh" else pair[0]


def minutes_label(freq: str, lang: str | None = None) -> str:
    """An interval length such as `30min` written for the reader: `30 min` or `30 分钟`."""
    count = freq.removesuffix("min")
    return f"{count} 分钟" if (lang or current_language()) == "zh" else f"{count} min"


def header(column: str, lang: str | None = None) -> str:
    """The table header shown for a frame column (the column itself when unknown)."""
    pair = COLUMNS.get(column)
    if pair is None:
        return column
    return pair[1] if (lang or current_language()) == "zh" else pair[0]


def headers(frame: Any, lang: str | None = None) -> Any:
    """A copy of `frame` with translated headers, for display only (downloads keep the
    planner's column names)."""
    lang = lang or current_language()
    names: dict[Any, str] = {}
    for column in frame.columns:
        label = header(str(column), lang)
        # Two columns never share a header: a clash keeps the column's own name.
        names[column] = str(column) if label in names.values() else label
    return frame.rename(columns=names)


def from_headers(frame: Any, columns: Any, lang: str | None = None) -> Any:
    """Undo `headers`: an edited table back to the frame's own column names."""
    lang = lang or current_language()
    back = {header(str(c), lang): c for c in columns}
    return frame.rename(columns=back)


def date_axis(lang: str | None = None, with_time: bool = True) -> dict[str, Any]:
    """Plotly date-axis settings for Chinese: tick and hover formats written with digits
    and 年月日, because Plotly writes month names in English whatever the page language.
    English keeps Plotly's own formats (an empty dict)."""
    lang = lang or current_language()
    if lang != "zh":
        return {}
    return {
        "hoverformat": "%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d",
        "tickformatstops": [
            {"dtickrange": [None, 60000], "value": "%H:%M:%S"},
            {"dtickrange": [60000, 86400000], "value": "%H:%M<br>%m月%d日"},
            {"dtickrange": [86400000, "M1"], "value": "%m月%d日"},
            {"dtickrange": ["M1", "M12"], "value": "%Y年%m月"},
            {"dtickrange": ["M12", None], "value": "%Y年"},
        ],
    }


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The label for `key` in the chosen language, with `{placeholders}` filled in."""
    lang = lang or current_language()
    pair = LABELS.get(key)
    if pair is None:
        text = key
    else:
        text = pair[1] if lang == "zh" else pair[0]
    return text.format(**values) if values else text


def table(frame: Any, lang: str | None = None) -> Any:
    """A frame for `st.dataframe`: headers in the chosen language and every number, time
    and date written by `dashboard.formatting` (a pandas Styler; downloads keep the raw
    frame)."""
    lang = lang or current_language()
    view = frame.reset_index(drop=True)
    names: dict[Any, str] = {}
    for column in view.columns:
        label = header(str(column), lang)
        names[column] = str(column) if label in names.values() else label
    formats = {}
    for column in view.columns:
        kind = view[column].dtype.kind
        if kind in "fiucbM" or str(column) in (*DAY_COLUMNS, *TIME_COLUMNS):
            formats[names[column]] = column_formatter(str(column), lang)
    return view.rename(columns=names).style.format(formats, na_rep=MISSING)
