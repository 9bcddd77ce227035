"""Labels (key -> English, Chinese) of the Today (intraday) and Capacity pages."""

from __future__ import annotations

PLANNING_LABELS: dict[str, tuple[str, str]] = {
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
                    "anything usual in the history; the rest of the day is reforecast at "
                    "{ratio} of it (as far as the history's surges lasted, or all of it on "
                    "an event day).",
                    "{queue}：最近两小时来话量为预测的 {share}，超出历史常见范围；"
                    "今日余下时段按预测的 {ratio} 重新预测（按历史上此类突增持续的程度，"
                    "活动日则完全跟随）。"),
    "today_replan_kept": ("The changes found would not raise the rest-of-day service level, "
                          "nor lower the abandon rate or the staff short by 1 point, nor "
                          "save hours: the roster is kept.",
                          "找到的调整不会使今日余下时段的服务水平提高、放弃率或缺员降低 1 个"
                          "百分点，也不节省工时：保留原排班。"),
    "today_queue_no_actuals": ("{queue}: no actuals yet today; the forecast is kept.",
                               "{queue}：今日尚无实际数据，沿用原预测。"),
    "today_change_break": ("break {start} → {end}", "休息 {start} → {end}"),
    "today_change_move": ("{start}-{end} answers {queue}", "{start}-{end} 改接 {queue}"),
    "today_change_overtime": ("extra hours: shift {start} → {end}",
                              "延长工时：班次 {start} → {end}"),
    "today_change_overtime_paid": ("overtime: shift {start} → {end}, {minutes} min paid as "
                                   "overtime", "加班：班次 {start} → {end}，其中 {minutes} 分钟"
                                   "按加班计薪"),
    "today_change_vto": ("time off: shift {start} → {end}", "自愿休假：班次 {start} → {end}"),
    "today_change_shift": ("shift moved: {start} → {end}", "班次调整：{start} → {end}"),
    "today_change_call_in": ("called in on a day off: {end}, answers {queue}",
                             "休息日召回上班：{end}，接 {queue}"),
    "today_change_call_in_paid": ("called in on a day off: {end}, answers {queue}, {minutes} "
                                  "min paid as overtime",
                                  "休息日召回上班：{end}，接 {queue}，"
                                  "其中 {minutes} 分钟按加班计薪"),
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
    "cap_check": ("Check by rostering the recommended team, then trim it by building (slow)",
                  "对推荐团队实际排班验证，并按排班削减（较慢）"),
    "cap_run": ("Find the least-cost plan", "求最低成本方案"),
    "cap_running": ("Planning: {step}…", "正在规划：{step}…"),
    "cap_step_forecast": ("forecast", "预测"),
    "cap_step_requirements": ("requirements", "人力需求"),
    "cap_step_goal_seek": ("goal-seek", "求解最低成本方案"),
    "cap_step_roster": ("roster check", "排班验证"),
    "cap_step_trim": ("trim by building", "按排班削减"),
    "cap_card_temps": ("Temps", "临时工"),
    "cap_card_ot": ("Overtime hours", "加班小时"),
    "cap_card_cost": ("Cost", "成本"),
    "cap_card_gap": ("Gap to the lower bound", "与下界的差距"),
    "cap_card_sl": ("Lowest daily service level", "最低日服务水平"),
    "cap_card_met": ("Queue-days meeting the target", "达标的队列日"),
    "cap_levers": ("Levers by queue and day", "按队列和日期的手段"),
    "cap_trimmed": ("Trimmed by building (each lever cut by a tenth and re-rostered until a "
                    "cut misses the target): ",
                    "按排班验证削减（每项手段每次减少十分之一并重新排班，直到未达标）："),
    "cap_trim_row": ("{lever} {before} → {after} {unit}", "{lever} {before} → {after} {unit}"),
    "cap_trim_temps": ("temps", "名临时工"),
    "cap_trim_ot": ("agents with overtime", "名加班员工"),
    "cap_trim_minimal": (", one more cut misses", "，再减即未达标"),
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
    "cap_no_bound": ("no lower bound: its LP was not solved in time",
                     "无成本下界：下界的线性规划未在时限内解出"),
    "cap_save": ("Save this plan", "保存此方案"),
    "cap_save_name": ("Plan name", "方案名称"),
    "cap_saved": ("Saved as “{name}”.", "已保存为“{name}”。"),
    "cap_compare": ("Compare saved capacity plans", "比较已保存的人力方案"),
    "cap_compare_pick": ("Saved capacity plans", "已保存的人力方案"),
    "cap_compare_none": ("No capacity plan is saved yet: find a plan, then save it.",
                         "尚未保存人力方案：先求解方案再保存。"),
    "cap_compare_days": ("Service level by day", "按日服务水平"),
}
