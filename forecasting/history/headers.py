"""Which column of an export holds which role: its headers read in English and Chinese.

A planner's export names its columns in its own words (`start_time`, `arrived_at`,
`开始时间`, `技能组` ...). `normal_header` spells a header as the synonym tables do
(lower case, separators as single spaces, the unit it names taken off);
`match_headers` finds, for each role the importer knows, the headers that may hold it;
`find_header_row` skips the title rows above the header of a report. What the values
say (units, channels, outcomes) is `forecasting.history.mapping`'s part.
"""

from __future__ import annotations

import re
from pathlib import Path

from forecasting.history.errors import HistoryError
from forecasting.history.read import Source, open_source

HEADER_SCAN_ROWS = 10

# role -> synonyms of its header, after `normal_header` (lower case, separators as
# single spaces, units taken off). Contact logs first, then interval files.
CONTACT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "start": ("start", "start time", "started", "started at", "start at", "start datetime",
              "arrival", "arrival time", "arrived", "arrived at", "arrive time",
              "created", "created at", "created time", "create time", "creation time",
              "call start", "call start time", "contact start", "contact start time",
              "begin time", "timestamp", "datetime", "date time", "offered at",
              "进线时间", "开始时间", "创建时间", "呼入时间", "来电时间", "接入时间",
              "进入时间", "发起时间"),
    "date": ("date", "call date", "contact date", "日期", "来电日期", "进线日期"),
    "time": ("time", "call time", "time of day", "时间", "来电时刻"),
    "queue": ("queue", "queue name", "skill", "skill group", "skillset", "split",
              "service", "service type", "技能组", "队列", "技能", "技能队列", "业务线"),
    "channel": ("channel", "media", "media type", "medium", "contact type", "channel type",
                "渠道", "媒体类型", "媒体", "接入渠道", "渠道类型"),
    "handle_time": ("handle", "handle time", "handling time", "handle duration", "handled time",
                    "talk", "talk time", "talk duration", "aht", "handle seconds",
                    "talk seconds", "call duration", "duration",
                    "处理时长", "通话时长", "处理时间", "通话时间", "服务时长"),
    "wait_time": ("wait", "wait time", "waiting time", "wait duration", "wait seconds",
                  "queue time", "queue duration", "queue seconds", "time in queue",
                  "等待时长", "排队时长", "等待时间", "排队时间"),
    "outcome": ("outcome", "result", "status", "disposition", "call result", "call status",
                "contact status", "结果", "状态", "通话结果", "呼叫结果", "处理结果",
                "接听状态"),
    "agent": ("agent", "agent id", "agent name", "agent code", "employee", "user",
              "坐席", "客服", "坐席工号", "客服工号", "坐席id", "坐席名称", "客服名称"),
    # the contact's own id (never a customer's): tells a copied record from two contacts
    "contact_id": ("contact id", "call id", "interaction id", "conversation id", "session id",
                   "通话id", "会话id", "呼叫id", "通话编号", "会话编号"),
}
INTERVAL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "start": ("interval", "interval start", "interval start time", "period", "period start",
              "slot", "时段", "时段开始", "时间段", "时段开始时间", "统计时段"),
    "offered": ("offered", "contacts", "contacts offered", "calls offered", "offered contacts",
                "volume", "calls", "进线量", "来话量", "呼入量", "来电量", "进线数", "呼入数"),
    "answered": ("answered", "calls answered", "contacts answered", "接通量", "接听量",
                 "应答量", "接通数"),
    "abandoned": ("abandoned", "abandons", "calls abandoned", "放弃量", "呼损量", "放弃数"),
    "handle_time_total": ("total handle time", "handle time total", "总处理时长",
                          "处理总时长", "总通话时长"),
    "aht": ("aht", "average handle time", "avg handle time", "平均处理时长", "平均通话时长"),
    "asa": ("asa", "average speed of answer", "avg wait", "平均等待时长", "平均应答时长"),
}
INTERVAL_ROLES_SHARED = ("queue", "channel")

_UNIT_WORDS = {
    "ms": "milliseconds", "msec": "milliseconds", "millis": "milliseconds",
    "milliseconds": "milliseconds", "毫秒": "milliseconds",
    "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds",
    "seconds": "seconds", "秒": "seconds",
    "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "分钟": "minutes", "分": "minutes",
}
_BRACKETS = re.compile(r"[(（\[【]\s*([^)）\]】]*)\s*[)）\]】]")
SEPARATORS = re.compile(r"[\s_\-./:]+")


def normal_header(header: str) -> tuple[str, str | None]:
    """A header as the synonym tables spell it, and the unit it names, if any.

    `Handle Time (s)` -> (`handle time`, `seconds`); `handle_seconds` -> (`handle seconds`,
    `seconds`); `处理时长（秒）` -> (`处理时长`, `seconds`).
    """
    text = str(header).strip().casefold()
    unit = None
    for inside in _BRACKETS.findall(text):
        unit = _UNIT_WORDS.get(inside.strip(), unit)
    text = _BRACKETS.sub(" ", text)
    text = SEPARATORS.sub(" ", text).strip()
    words = text.split(" ")
    if len(words) > 1 and words[-1] in _UNIT_WORDS:
        unit = unit or _UNIT_WORDS[words[-1]]
    for suffix in ("毫秒", "秒", "分钟"):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            unit = unit or _UNIT_WORDS[suffix]
            text = text[: -len(suffix)].strip()
    return text, unit


DURATION_ROLES = ("handle_time", "wait_time", "handle_time_total", "aht", "asa")


def _matches(header: str, synonyms: tuple[str, ...], duration: bool = False) -> bool:
    text, _ = normal_header(header)
    if text in synonyms:
        return True
    words = text.split(" ")
    # a duration's unit: `handle seconds` -> `handle`; `talk time sec` -> `talk time`
    return (duration and len(words) > 1 and words[-1] in _UNIT_WORDS
            and " ".join(words[:-1]) in synonyms)


def match_headers(headers: list[str] | tuple[str, ...]) -> dict[str, list[str]]:
    """For each role (contact-log and interval-file roles together), the headers whose
    name is one of its synonyms, in file order. Roles no header fits are left out."""
    found: dict[str, list[str]] = {}
    tables = (CONTACT_SYNONYMS, INTERVAL_SYNONYMS)
    for header in headers:
        if not str(header).strip():
            continue
        for table in tables:
            for role, synonyms in table.items():
                key = f"interval_{role}" if table is INTERVAL_SYNONYMS and role == "start" \
                    else role
                hit = _matches(header, synonyms, role in DURATION_ROLES)
                if hit and header not in found.get(key, []):
                    found.setdefault(key, []).append(header)
    return found


def _score(headers: list[str]) -> int:
    return len(match_headers(headers))


def find_header_row(path: str | Path, source: Source) -> Source:
    """The source opened at the row that names the most roles, when title rows sit above
    the header (an Excel report with its title in row 1); `source` itself otherwise."""
    best, best_score = source, _score(source.headers)
    if best_score >= 2:
        return source
    for skip in range(1, HEADER_SCAN_ROWS + 1):
        try:
            candidate = open_source(path, skip_rows=skip, encoding=source.encoding
                                    if source.kind == "text" else None)
        except HistoryError:
            break
        score = _score(candidate.headers)
        if score > best_score:
            best, best_score = candidate, score
        if score >= 3:
            break
    return best
