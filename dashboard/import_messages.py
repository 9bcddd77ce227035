"""The importer's most common reasons (and why a holiday country was guessed) in the
planner's language.

`forecasting.history` words its errors in English (they also reach the terminal and
logs); the Data page shows the location (file, row, column) translated and, for the
reasons below, the reason too. A reason not listed is shown as the importer wrote it.
"""

from __future__ import annotations

import re

# (English pattern, Chinese template with the pattern's groups)
ZH_REASONS: tuple[tuple[str, str], ...] = (
    (r"is empty; expected (.+)", r"为空；应为\1"),
    (r"cannot read (.+) as a date-time; expected .+", r"无法将 \1 读作日期时间；"
     r"应为如 2026-03-02 08:30:00 的日期时间"),
    (r"cannot read (.+) as a date; expected .+", r"无法将 \1 读作日期；应为如 2026-03-02 的日期"),
    (r"cannot read (.+) as a time of day; expected .+", r"无法将 \1 读作时刻；应为如 08:30 的时刻"),
    (r"cannot read (.+) as a (handle time|wait time|duration); expected .+",
     r"无法将 \1 读作时长；应为秒数或 H:MM:SS"),
    (r"cannot read (.+) as a (count of contacts|number of agents|service level); expected .+",
     r"无法将 \1 读作数字；应为数字"),
    (r"unknown channel (.+?); expected .+",
     r"未知渠道 \1；应为 voice（电话、语音）、chat（在线、文字）或 email（邮件、工单）"),
    (r"unknown outcome (.+?); expected one of (.+?) \(.*", r"未知结果 \1；应为以下之一：\2"),
    (r"has a header but no data rows", r"只有表头，没有数据行"),
    (r"the file is empty; expected a header row and data rows", r"文件为空；应有表头行和数据行"),
    (r"has (\d+) fields but the header has (\d+); .+", r"有 \1 个字段，但表头有 \2 列；"
     r"每列应各有一个值"),
    (r"(.+) of (.+) s is more than (.+) hours; expected .+",
     r"\1为 \2 秒，超过 \3 小时；请检查时长单位"),
    (r"(.+) is negative \((.+)\); expected .+", r"\1为负数（\2）；应为 0 或以上"),
    (r"cannot tell how to read this file: (.+)", r"无法判断如何读取此文件：\1"),
    (r"no column chosen for the (.+)", r"未为以下角色选择列：\1"),
    # an agent list (planning.team)
    (r"(.+?), line (\d+), column 'queues': unknown queue (.+?); the plan's queues are (.+?) "
     r"\(or write all\)", r"\1，第 \2 行，列“queues”：未知队列 \3；方案的队列为 \4（或填写 all）"),
    (r"(.+?), line 1: no column names the agents; .+",
     r"\1，第 1 行：没有标明坐席的列；应有 agent_id 或 name（工号、姓名）"),
    (r"(.+?), line 1: no column says which queues each agent works; .+",
     r"\1，第 1 行：没有说明坐席所属队列的列；应有 queues（技能组）"),
    # why the holiday country was guessed (forecasting.calendar_fit)
    (r"the time zone (.+)", r"时区为 \1"),
    (r"the history has (\d+) days, too few to tell", r"历史数据只有 \1 天，不足以判断"),
    (r"(\d+) of its public holidays are quiet days in the history \((.+) of a normal day\)",
     r"其 \1 个公共假日在历史数据中来话明显减少（为平日的 \2）"),
    (r"the weekend falls on Friday and Saturday", r"周末为周五和周六"),
    (r"the queue names are in Chinese", r"队列名称为中文"),
    (r"no country's public holidays show in the history", r"历史数据中看不出任何国家的公共假日"),
)


def reason_in(reason: str, lang: str) -> str:
    """`reason` in the language `lang` (`en` or `zh`) where a translation is known."""
    if lang != "zh":
        return reason
    for pattern, template in ZH_REASONS:
        match = re.fullmatch(pattern, reason, flags=re.DOTALL)
        if match:
            return match.expand(template)
    return reason
