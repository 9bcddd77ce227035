"""The words of `dashboard.message_catalogue`'s Chinese templates: what a column holds,
file kinds, roles, Python type names, the places a message names, and the small
template helpers the reason tables share."""


from __future__ import annotations

import re
from collections.abc import Callable

# What a column of contact history holds, as the importer words it.
ZH_WHAT = {
    "a queue name": "队列名称", "a channel": "渠道", "a date and time": "日期时间",
    "a date": "日期", "a time of day": "时刻", "a handle time": "处理时长",
    "a wait time": "等待时长", "handle time": "处理时长", "wait time": "等待时长",
    "AHT": "平均处理时长（AHT）", "ASA": "平均等待时长（ASA）",
    "average handle time": "平均处理时长", "a service level": "服务水平",
    "a number of agents": "坐席数", "a number": "数字",
    "the handle time of an answered contact in seconds": "已接通来话的处理时长（秒）",
    "the seconds the contact waited": "来话的等待秒数",
    "the number of contacts offered": "来话量",
}


# What a file turned out to be (forecasting.history.read, planning.uploads).
ZH_KINDS = {
    "a Windows program (.exe/.dll)": "Windows 程序（.exe/.dll）", "a Linux program": "Linux 程序",
    "a macOS program": "macOS 程序", "a Java class or macOS program": "Java 类或 macOS 程序",
    "a PDF document": "PDF 文档", "a script": "脚本", "a RAR archive": "RAR 压缩包",
    "a 7-Zip archive": "7-Zip 压缩包", "a PNG image": "PNG 图片", "a JPEG image": "JPEG 图片",
    "CSV/TSV text": "CSV/TSV 文本", "gzipped text": "gzip 压缩的文本",
    "an .xlsx workbook": ".xlsx 工作簿", "a Parquet file": "Parquet 文件",
    "binary data, not text": "二进制数据（不是文本）",
    "an old Excel .xls workbook": "旧版 Excel .xls 工作簿", "daily totals": "按日汇总",
}

# The roles of a column mapping (forecasting.history.mapping.ROLE_WORDS).
ZH_ROLES = {
    "start time": "开始时间", "date": "日期", "time of day": "时刻", "queue": "队列",
    "channel": "渠道", "handle time": "处理时长", "wait time": "等待时长", "outcome": "结果",
    "agent": "坐席", "contacts offered": "来话量", "contacts answered": "接通量",
    "contacts abandoned": "放弃量", "average handle time": "平均处理时长",
    "average wait": "平均等待时长", "kind of file": "文件类别", "total handle time": "总处理时长",
}


def list_zh(text: str) -> str:
    """A list as the libraries write it ("a, b or c", "x and y") with Chinese joints."""
    return re.sub(r",? (?:or|and) (?:the )?", "、", text).replace(", ", "、")


def word_zh(text: str) -> str:
    """A phrase from one of the tables above, or a number of minutes, in Chinese."""
    for table in (ZH_WHAT, ZH_KINDS, ZH_ROLES):
        if text in table:
            return table[text]
    minutes = re.fullmatch(r"(\d+)-minute intervals", text)
    return f"{minutes.group(1)} 分钟时段" if minutes else text


def fill(template: str, *, words: tuple[int, ...] = (),
         lists: tuple[int, ...] = ()) -> Callable[[re.Match[str]], str]:
    """A template in `str.format` style ({0} is the first group) whose groups in `words`
    are looked up in the tables above and whose groups in `lists` are lists."""
    def expand(match: re.Match[str]) -> str:
        groups = []
        for i, group in enumerate(match.groups(), start=1):
            group = group or ""
            if i in words:
                group = word_zh(group)
            if i in lists:
                group = list_zh(group)
            groups.append(group)
        return template.format(*groups)
    return expand


def what_zh(index: int, template: str) -> Callable[[re.Match[str]], str]:
    """A template whose group `index` is a ZH_WHAT phrase (kept as it is if unknown)."""
    def expand(match: re.Match[str]) -> str:
        word = match.group(index)
        return template.format(*match.groups(), what=ZH_WHAT.get(word, word))
    return expand


# Python type names a scenario message gives ("expected a list, got str").
ZH_TYPES = {"list": "列表", "str": "文本", "int": "整数", "float": "数字", "dict": "映射",
            "NoneType": "空值", "bool": "布尔值", "date": "日期", "datetime": "日期时间"}
BOUND_ZH = {"above": "大于", "at least": "至少为", "at most": "最多为"}


def type_zh(name: str) -> str:
    return ZH_TYPES.get(name, f" {name}")


Template = str | Callable[[re.Match[str]], str]




def unfitted_zh(part: str) -> str:
    """One queue of "no queue could be forecast": "queue x: no model could be fitted (why)"."""
    match = re.fullmatch(r"(?:queue )?(.+?): no model could be fitted \((.*)\)", part, re.DOTALL)
    if not match:
        return part
    return f"队列“{match[1]}”：无法拟合任何模型（详情：{match[2]}）"


# The places a message names before its reason, "FILE, line 3, column 'x'".
SOURCES = {
    "queue settings": "队列设置", "shifts": "班次设置", "agents": "坐席表",
    "forecast": "预测", "roster": "排班", "shift templates": "班次模板",
    "forecast adjustment": "预测调整", "import profile": "导入配置", "history": "历史数据",
    "events": "事件", "columns": "columns（列）", "outcomes": "outcomes（结果）",
    "start": "start（开始时间）", "the edited import profile": "编辑中的导入配置",
    "channels": "channels（渠道）", "channel_values": "channel_values（渠道值）",
    "optional": "optional（可选列）", "rules": "rules（规则）", "weights": "weights（权重）",
    "requirements": "人员需求", "actuals": "实际数据", "scenario": "情景",
    "queue_settings": "队列设置",
}


GRID_ZH = {"the hour": "整点", "the day's start": "零点"}


def rows_zh(text: str) -> str:
    """Rows as the importer names them ("line 7", "sheet 'Data' row 9") in Chinese."""
    text = re.sub(r"sheet '(.*?)' row (\d+)", r"工作表“\1”第 \2 行", text)
    return re.sub(r"(?:line|row) (\d+)", r"第 \1 行", text)


def also_zh(text: str | None) -> str:
    """" (also line 7, line 9 and 4 more)" in Chinese ("" when there is none)."""
    if not text:
        return ""
    more = re.search(r" and ([\d,]+) more$", text)
    rows = rows_zh(text[:more.start()] if more else text).replace(", ", "、")
    return f"（另有{rows}{f'等 {more[1]} 行' if more else ''}）"


def source_zh(name: str) -> str:
    """A frame a message names ("forecast", "requirements") in Chinese, else as it is."""
    return SOURCES.get(name, f" {name} ")
