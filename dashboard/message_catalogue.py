"""The catalogue of `dashboard.messages`: each English reason the libraries give, as a
regular expression, with its Chinese template (`ZH_REASONS`), and the words the
templates share (what a column holds, file kinds, roles, Python type names).
`dashboard.messages` splits a message into location and reason and looks the reason
up here.
"""

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


def _list_zh(text: str) -> str:
    """A list as the libraries write it ("a, b or c", "x and y") with Chinese joints."""
    return re.sub(r",? (?:or|and) (?:the )?", "、", text).replace(", ", "、")


def _word_zh(text: str) -> str:
    """A phrase from one of the tables above, or a number of minutes, in Chinese."""
    for table in (ZH_WHAT, ZH_KINDS, ZH_ROLES):
        if text in table:
            return table[text]
    minutes = re.fullmatch(r"(\d+)-minute intervals", text)
    return f"{minutes.group(1)} 分钟时段" if minutes else text


def _t(template: str, *, words: tuple[int, ...] = (),
       lists: tuple[int, ...] = ()) -> Callable[[re.Match[str]], str]:
    """A template in `str.format` style ({0} is the first group) whose groups in `words`
    are looked up in the tables above and whose groups in `lists` are lists."""
    def expand(match: re.Match[str]) -> str:
        groups = []
        for i, group in enumerate(match.groups(), start=1):
            group = group or ""
            if i in words:
                group = _word_zh(group)
            if i in lists:
                group = _list_zh(group)
            groups.append(group)
        return template.format(*groups)
    return expand


def _what(index: int, template: str) -> Callable[[re.Match[str]], str]:
    """A template whose group `index` is a ZH_WHAT phrase (kept as it is if unknown)."""
    def expand(match: re.Match[str]) -> str:
        word = match.group(index)
        return template.format(*match.groups(), what=ZH_WHAT.get(word, word))
    return expand


# Python type names a scenario message gives ("expected a list, got str").
ZH_TYPES = {"list": "列表", "str": "文本", "int": "整数", "float": "数字", "dict": "映射",
            "NoneType": "空值", "bool": "布尔值", "date": "日期", "datetime": "日期时间"}
_BOUND_ZH = {"above": "大于", "at least": "至少为", "at most": "最多为"}


def _type_zh(name: str) -> str:
    return ZH_TYPES.get(name, f" {name}")


Template = str | Callable[[re.Match[str]], str]

# (English pattern of a reason, Chinese template with the pattern's groups)
ZH_REASONS: tuple[tuple[str, Template], ...] = (
    # -- contact history: the importer (forecasting.history) ----------------------------
    (r"is empty; expected an outcome, one of (.+)", r"为空；应为结果，为以下之一：\1"),
    (r"is empty; expected (.+)", _what(1, "为空；应为{what}")),
    (r"cannot read (.+) as a date-time; expected .+", r"无法将 \1 读作日期时间；"
     r"应为如 2026-03-02 08:30:00 的日期时间"),
    (r"cannot read (.+) as a date; expected .+", r"无法将 \1 读作日期；应为如 2026-03-02 的日期"),
    (r"cannot read (.+) as a time of day; expected .+", r"无法将 \1 读作时刻；应为如 08:30 的时刻"),
    (r"cannot read (.+) as a (handle time|wait time|duration); expected .+",
     r"无法将 \1 读作时长；应为秒数或 H:MM:SS"),
    (r"cannot read (.+) as an? .+; expected .+", r"无法将 \1 读作数字；应为数字"),
    (r"unknown channel (.+?); expected .+",
     r"未知渠道 \1；应为 voice（电话、语音）、chat（在线、文字）或 email（邮件、工单）"),
    (r"unknown outcome (.+?); expected one of (.+?) \(.*",
     _t("未知结果 {0}；应为以下之一：{1}", lists=(2,))),
    (r"has a header but no data rows", r"只有表头，没有数据行"),
    (r"the file is empty; expected a header row and data rows", r"文件为空；应有表头行和数据行"),
    (r"the workbook's sheet is empty; expected a header row and data rows",
     r"工作表为空；应有表头行和数据行"),
    (r"has (\d+) fields but the header has (\d+); .+", r"有 \1 个字段，但表头有 \2 列；"
     r"每列应各有一个值"),
    (r"(.+) of (.+) s is more than (.+) hours; expected .+",
     _what(1, "{what}为 {1} 秒，超过 {2} 小时；请检查时长单位")),
    (r"(.+) is negative \((.+) s\); expected seconds >= 0",
     _what(1, "{what}为负数（{1} 秒）；应为 0 或以上")),
    (r"is negative \((.+)\); expected .+", r"为负数（\1）；应为 0 或以上"),
    (r"is (.+); expected a whole number of contacts", r"为 \1；来话量应为整数"),
    (r"service level (.+) is above 100%; expected .+",
     r"服务水平 \1 超过 100%；应为 0 到 1 或 0% 到 100%"),
    (r"interval starts must fall on whole minutes; expected .+",
     r"时段开始时间应为整分钟；如 08:00、08:15、08:30"),
    (r"holds ([\d,]+) different values; expected at most ([\d,]+) queues -- .+",
     r"有 \1 个不同的值，队列最多 \2 个；此列是否为队列名称？"),
    (r"holds (.+) values; expected .+", r"的值类型为 \1，类型不符"),
    (r"has no contacts: all ([\d,]+) rows are excluded \((.+)\)",
     r"没有来话：全部 \1 行都被排除（\2）"),
    (r"no value of this column says a contact was answered .+",
     r"此列没有表示“已接通”的值（如 answered、接通、已接）；这是结果列吗？"),
    (r"holds ([\d,]+) values that are neither answered nor abandoned, .+",
     r"有 \1 个值既不是接通也不是放弃，其中一些像编号或文本（未显示）；这是结果列吗？"),
    (r"cannot tell how to read this file: the header line holds (.+)",
     r"无法判断如何读取此文件：表头行为 \1"),
    (r"cannot tell how to read this file: the (.+) could be in (.+); choose the column of "
     r"each role", _t("无法判断如何读取此文件：{0}可能在 {1} 中；请为每个角色选择列",
                      words=(1,), lists=(2,))),
    (r"cannot tell how to read this file: no column looks like the (.+) \(columns: (.+)\); "
     r"choose the column of each role",
     _t("无法判断如何读取此文件：没有像是{0}的列（文件的列：{1}）；请为每个角色选择列",
        lists=(1,))),
    (r"cannot tell how to read this file: (.+?)(?:; choose the column of each role)?",
     _t("无法判断如何读取此文件：{0}；请为每个角色选择列", lists=(1,))),
    (r"cannot tell which export this is from its headers \((.+)\); .+",
     r"无法从表头（\1）判断这是哪种导出文件；请在数据页为各列指定角色"),
    (r"no column chosen for the (.+)", lambda m: "未为以下角色选择列：" + "、".join(
        _word_zh(w) for w in m.group(1).split(" or the "))),
    (r"the column (.+) is chosen for (.+); expected one column per role",
     _t("列 {0} 被同时选为 {1}；每个角色应各用一列", lists=(2,))),
    (r"has no column (.+); its columns are (.+)", r"没有列 \1；文件的列为 \2"),
    (r"missing column '(.+)' \((.+)\).*, required by import profile (.+); the file's columns "
     r"are (.+) -- does the profile fit this file\?",
     r"缺少导入配置 \3 所需的列“\1”（\2）；文件的列为 \4。此配置适合这个文件吗？"),
    (r"(\d+) columns are called '(.+)' \((.+)\); expected each column the profile reads once",
     r"有 \1 列都叫“\2”（\3）；配置读取的每列应只出现一次"),
    (r"no such file; check the path", r"找不到文件；请检查路径"),
    (r"is a folder; expected a contact log or interval file", r"是文件夹；应为来话记录或时段文件"),
    (r"is an old Excel \.xls workbook; .+", r"是旧版 Excel .xls 工作簿；请另存为 .xlsx 或 CSV"),
    (r"holds binary data, not text; expected .+",
     r"是二进制数据而非文本；应为 CSV/TSV 文本、.csv.gz、Excel .xlsx 或 Parquet"),
    (r"is (.+), not contact history; expected .+",
     _t("是{0}，不是来话历史；应为 CSV/TSV 文本、.csv.gz、Excel .xlsx 或 Parquet", words=(1,))),
    (r"cannot be read as a Parquet file \((.+)\)", r"无法作为 Parquet 文件读取（详情：\1）"),
    (r"cannot be opened as an \.xlsx workbook \((.+)\)", r"无法作为 .xlsx 工作簿打开（详情：\1）"),
    (r"is a zip archive but not an Excel workbook \(no (.+)\); .+",
     r"是 zip 压缩包而不是 Excel 工作簿（缺少 \1）；应为 Excel、LibreOffice 或 WPS 保存的 .xlsx"),
    (r"refused: .*(?:zip bomb|gzip bomb).*",
     r"已拒绝：解压后过大，可能是压缩炸弹；请上传普通的文件"),
    (r"cannot be unpacked as gzip \((.+)\)", r"无法按 gzip 解压（详情：\1）"),
    (r"cannot be read \((.+)\)", r"无法读取（详情：\1）"),
    (r"cannot be decoded as (.+?) \((.+)\); set encoding: in the profile",
     r"无法按 \1 解码（详情：\2）；请在导入配置中设置 encoding"),
    (r"has only (\d+) lines but the profile skips (\d+)", r"只有 \1 行，但导入配置要跳过 \2 行"),
    (r"cannot tell the text encoding \(tried .+\); .+",
     r"无法判断文本编码（已尝试 UTF-8、带 BOM 的 UTF-8、UTF-16、GBK）；"
     r"请在导入配置中设置 encoding"),
    (r"cannot be read as (.+?) text separated by (.+?) \((.+)\)",
     r"无法作为以 \2 分隔的 \1 文本读取（详情：\3）"),
    (r"has no sheet (.+); sheets: (.+)", r"没有工作表 \1；工作表为：\2"),
    (r"history file not found", r"找不到历史数据文件"),
    (r"the file is empty", r"文件为空"),
    (r"no rows", r"没有数据行"),
    (r"empty queue name", r"队列名称为空"),
    (r"negative value (.+)", r"为负数（\1）"),
    (r"missing column\(s\) (.+); expected (.+) but found (.+)",
     r"缺少列 \1；应有 \2，实际为 \3"),
    (r"(.+) is not a date-time \(expected e\.g\. 2026-03-02 09:30\)",
     r"\1 不是日期时间（应如 2026-03-02 09:30）"),
    (r"(.+) is not on the (\d+)-minute grid", r"\1 不在 \2 分钟的时段网格上"),
    (r"(.+) is not a number", r"\1 不是数字"),
    (r"queue (.+) has interval_start (.+) twice; one row per queue and interval expected",
     r"队列 \1 的时段 \2 出现两次；每个队列和时段应只有一行"),
    (r"need at least two intervals to tell the interval length",
     r"至少需要两个时段才能判断时段长度"),
    (r"interval length (.+) does not divide a day", r"时段长度 \1 不能整除一天"),
    (r"the file has (.+), which cannot be split into (.+); expected an interval of (.+)",
     _t("文件的时段为{0}，无法拆分为 {1}；应选择 {2}", words=(1,), lists=(3,))),
    (r"the file has (.+); expected intervals of 60 minutes or less .+",
     _t("文件的时段为{0}；应为 60 分钟或更短的时段（15、30 或 60 分钟）", words=(1,))),
    (r"unknown interval (.+); expected one of (.+)",
     _t("未知时段长度 {0}；应为以下之一：{1}", lists=(2,))),
    # an import profile typed on the Data page
    (r"is not valid YAML \((.+)\)", r"不是有效的 YAML（详情：\1）"),
    (r"import profile is not UTF-8 text \((.+)\)", r"导入配置不是 UTF-8 文本（详情：\1）"),
    (r"import profile is ([\d,]+) bytes; expected .+", r"导入配置有 \1 字节；应为较小的 YAML 文件"),
    (r"import profile uses a YAML alias .+",
     r"导入配置使用了 YAML 别名（*name）；应只用普通的值、列表和映射"),
    (r"import profile uses the tag (.+), which would build a Python object; .+",
     r"导入配置使用了标签 \1，会构造 Python 对象，已拒绝（未执行任何内容）；应只用普通 YAML"),
    (r"no such import profile; expected a YAML file or one of the shipped profiles: (.+)",
     _t("没有这个导入配置；应为 YAML 文件或以下内置配置之一：{0}", lists=(1,))),
    (r"expected a mapping of settings \((.+)\)", r"应为设置项的映射（\1）"),
    (r"unknown setting (.+); expected one of (.+)", r"未知设置项 \1；应为以下之一：\2"),
    (r"kind is (.+); expected 'contacts' .+", r"kind 为 \1；应为 'contacts'（每行一次来话）或 "
     r"'intervals'（已按时段汇总）"),
    (r"expected a mapping of role to column header", r"应为角色到列名的映射"),
    (r"unknown role (.+) for kind (.+); expected one of (.+)",
     r"\2 类文件没有角色 \1；应为以下之一：\3"),
    (r"(\w+) must name a column header", r"\1 必须填写一个列名"),
    (r"(\w+) is required for kind (\w+)", r"\2 类文件必须有 \1"),
    (r"(.+) must be one of the profile's non-required columns", r"\1 必须是配置中的非必需列"),
    (r"expected a mapping such as (.+)", r"应为映射，例如 \1"),
    (r"unknown kind (.+); expected one of (.+)", _t("未知类别 {0}；应为以下之一：{1}", lists=(2,))),
    (r"answered must list the outcome values of answered contacts",
     r"answered 必须列出表示已接通的结果值"),
    (r"expected reason, column, values \(and optionally outcomes\)",
     r"应有 reason、column、values（以及可选的 outcomes）"),
    (r"duration_unit is (.+); expected one of (.+)",
     _t("duration_unit 为 {0}；应为以下之一：{1}", lists=(2,))),
    (r"service_level_unit is (.+); expected fraction or percent",
     r"service_level_unit 为 \1；应为 fraction 或 percent"),
    (r"expected a mapping of queue to channel \(voice, chat, email\)",
     r"应为队列到渠道（voice、chat、email）的映射"),
    (r"expected a mapping of the file's channel value to voice, chat or email .+",
     r"应为文件中的渠道值到 voice、chat 或 email 的映射（如 {电话: voice, 在线: chat}）"),
    (r"(\w+) is (.+); expected a number >= 0", r"\1 为 \2；应为 0 或以上的数字"),
    (r"decimal is (.+); expected '\.' or ','", r"decimal 为 \1；应为 '.' 或 ','"),
    (r"expected a column name, or .+", r"应为列名，或 {column, format}，或 "
     r"{date, date_format, time, time_format}"),
    (r"unknown key (.+); expected (.+)", r"未知键 \1；应为 \2"),
    (r"give either column \(one date-time column\) or both date and time",
     r"请填写 column（一个日期时间列），或同时填写 date 和 time"),
    (r"expected a list of values", r"应为值的列表"),
    (r"([\d,]+) rows? (?:are exact copies|is an exact copy) of an earlier row \(same queue, "
     r"interval start and figures; first: (.+) repeats (.+)\); each was counted once",
     lambda m: f"{m[1]} 行与前面的某行完全相同（队列、时段开始时间和数字都相同；首例："
     f"{_rows_zh(m[2])}重复{_rows_zh(m[3])}）；每行只计一次"),
    (r"([\d,]+) rows? repeats? the queue and interval start of another row with other "
     r"figures \(first: (.+) and (.+)\); their figures were added together, as for a queue "
     r"split over several rows",
     lambda m: f"{m[1]} 行与另一行的队列和时段开始时间相同但数字不同（首例：{_rows_zh(m[2])}和"
     f"{_rows_zh(m[3])}）；已将数字相加，视为一个队列拆成了多行"),
    (r"([\d,]+) records? (?:are exact copies|is an exact copy) of an earlier one with the "
     r"same contact id \(first: (.+) repeats (.+)\); each contact was counted once",
     lambda m: f"{m[1]} 条记录与前面同一来话编号的记录完全相同（首例：{_rows_zh(m[2])}重复"
     f"{_rows_zh(m[3])}）；每个来话只计一次"),
    (r"([\d,]+) records? (?:are|is) identical to an earlier one in every column read \(first: "
     r"(.+) repeats (.+)\); each was counted as a contact .+",
     lambda m: f"{m[1]} 条记录在读取的每一列上都与前面某条相同（首例：{_rows_zh(m[2])}重复"
     f"{_rows_zh(m[3])}）；每条都计为一个来话（两个来话可能在同一秒）；如果导出重复了，请删除"
     "重复行，或在配置的 columns 下指定来话编号列 'contact_id' 以只计一次"),
    (r"([\d,]+) empty cells? in column (.+) \(first: (.+)\) read as 0",
     lambda m: f"列 {m[2]} 中有 {m[1]} 个空单元格（首个：{_rows_zh(m[3])}）按 0 读取"),
    (r"starts at (\d\d:\d\d), off the file's (\d+)-minute intervals \(([\d,]+) of ([\d,]+) "
     r"rows? (?:is|are) off them; the others start on (.+)\); expected .+",
     lambda m: f"开始于 {m[1]}，不在文件的 {m[2]} 分钟时段上（{m[4]} 行中有 {m[3]} 行不在；其余行"
     f"开始于{_GRID_ZH.get(m[5], ' ' + m[5])}）；每行都应在同一时段网格上，是多余或输错的行吗？"
     "请修正或删除"),
    (r"(\S+) is ([\d,]+) days away from the other rows \((\S+) to (\S+), ([\d,]+) rows\); "
     r"([\d,]+) rows? (?:lie|lies) more than (\d+) days outside them(?: \(also (.+)\))?; "
     r"expected .+",
     lambda m: f"{m[1]} 与其他行（{m[3]} 至 {m[4]}，共 {m[5]} 行）相隔 {m[2]} 天；有 {m[6]} 行"
     f"在其范围之外超过 {m[7]} 天{_also_zh(m[8])}；历史数据中不应有这样的空档（年份输错了？）"),
    (r"(\S+) is before (\S+), the earliest date accepted; expected a date of the history"
     r"(?: \(also (.+)\))?",
     lambda m: f"{m[1]} 早于允许的最早日期 {m[2]}{_also_zh(m[3])}；应为历史数据的日期"),
    (r"(\S+) is more than (\d+) days after today \((\S+)\); expected a date of the history "
     r"\(a mistyped year\?\)(?: \(also (.+)\))?",
     lambda m: f"{m[1]} 比今天（{m[3]}）晚 {m[2]} 天以上{_also_zh(m[4])}；应为历史数据的日期"
     "（年份输错了？）"),
    (r"the history runs from (\S+) to (\S+), more than (\d+) years; expected at most \d+ "
     r"years \(import the recent years only\)",
     r"历史数据从 \1 到 \2，超过 \3 年；最多 \3 年（只导入最近几年）"),
    (r"(.+) answered \+ (.+) abandoned \(column (.+)\) is more than the (.+) offered "
     r"\(column (.+)\); expected at most the contacts offered",
     r"接通 \1 + 放弃 \2（列 \3）多于来话量 \4（列 \5）；不应超过来话量"),
    (r"(.+) is more than the (.+) offered \(column (.+)\); expected at most the contacts "
     r"offered", r"\1 多于来话量 \2（列 \3）；不应超过来话量"),
    (r"(.+) (contacts|agents) in one row is more than ([\d,]+); expected .+",
     lambda m: f"一行中的{'来话量' if m[2] == 'contacts' else '坐席数'} {m[1]} 超过 {m[3]}；"
     f"应为 0 到 {m[3]} 的数字（请检查列及其单位）"),
    (r"contact id (.+) is also on (.+) with other values; expected one record per contact",
     lambda m: f"来话编号 {m[1]} 也出现在{_rows_zh(m[2])}，但其他值不同；每个来话应只有一条记录"),
    (r"field start\.(\w+) (.+?) (?:is not a valid format \((.+)\)|has no (year|hour) \(none "
     r"of .+\)|(does not give the day and month) .+); expected strptime codes such as (.+) "
     r"\(the data was not read\)",
     lambda m: f"字段 start.{m[1]} {m[2]} "
     + (f"不是有效的日期格式（详情：{m[3]}）" if m[3] else
        "没有年份（'%Y'、'%y' 或 '%G'）" if m[4] == "year" else
        "没有小时（'%H'、'%I'、'%T' 或 '%R'）" if m[4] else "缺少月和日（请加上 '%m' 和 '%d'）")
     + f"；应为日期格式代码，如 {m[6]}（数据尚未读取）"),
    # -- uploads (planning.uploads, planning.imports) -------------------------------------
    (r"(\w+)=(.+): expected a number of megabytes, e\.g\. 200",
     r"上传上限设置 \2 不是兆字节数（应如 200）；请联系管理员"),
    (r"upload size limit (.+) MB: expected more than 0 MB", r"上传上限 \1 MB 应大于 0 MB"),
    (r"only gzipped CSV text \(\.csv\.gz\) is accepted; expected (.+)",
     _t("压缩文件只接受 gzip 压缩的 CSV 文本（.csv.gz）；应为 {0}", lists=(1,))),
    (r"is (.+), more than the upload limit of (.+) \(set \w+ to change it\)",
     r"大小为 \1，超过上传上限 \2（上限由管理员设置）"),
    (r"the name says (.+) but the content is (.+); expected (.+) with matching content",
     _t("文件名表明是{0}，但内容是{1}；应为 {2}，且内容与扩展名一致", words=(1, 2), lists=(3,))),
    (r"(.+) files are not accepted; expected (.+)", _t("不接受 {0} 文件；应为 {1}", lists=(2,))),
    (r"a file without an ending is not accepted; expected (.+)",
     _t("不接受没有扩展名的文件；应为 {0}", lists=(1,))),
    (r"no shipped import profile called (.+); expected one of (.+)",
     r"没有名为 \1 的内置导入配置；应为以下之一：\2"),
    (r"the mapping name (.+) cannot be used; expected .+",
     r"不能使用映射名称 \1；应由字母、数字、- 或 _ 组成，且不与内置配置重名"),
    # -- queue settings (scheduling.queue_settings) ---------------------------------------
    (r"expected a list of queues \(each with queue, channel, \.\.\.\) or a mapping from queue "
     r"name to its settings",
     r"应为队列列表（每项含 queue、channel 等），或从队列名到其设置的映射"),
    (r"queue settings file not found: (.+)", r"找不到队列设置文件：\1"),
    (r"unknown column\(s\) (.+); expected (.+)", r"未知列 \1；应为 \2"),
    (r"missing the 'queue' column", r"缺少“queue”列"),
    (r"no queues", r"没有队列"),
    (r"open_hours must look like 08:00-20:00, got (.+)",
     r"open_hours 应形如 08:00-20:00，实际为 \1"),
    (r"open_hours must be two different times between 00:00 and 24:00, got (.+)",
     r"open_hours 应为 00:00 到 24:00 之间的两个不同时刻，实际为 \1"),
    (r"open_hours is for email deadlines; .+",
     r"open_hours 仅用于邮件的处理时限；"
     r"电话和在线的营业时间请在班次设置中填写（queues：open/close）"),
    (r"service_level must be between 0 and 1 \(e\.g\. 0\.8 or 80%\), got (.+)",
     r"service_level 应在 0 到 1 之间（如 0.8 或 80%），实际为 \1"),
    (r"target_seconds must be 0 or more, got (.+)", r"target_seconds 应为 0 或以上，实际为 \1"),
    (r"service_level and target_seconds go together",
     r"service_level 和 target_seconds 须同时填写"),
    (r"asa_seconds must be above 0, got (.+)", r"asa_seconds 应大于 0，实际为 \1"),
    (r"max_occupancy must be above 0 and at most 1 \(e\.g\. 0\.85\), got (.+)",
     r"max_occupancy 应大于 0 且不超过 1（如 0.85），实际为 \1"),
    (r"shrinkage must be at least 0 and below 1 \(e\.g\. 0\.3\), got (.+)",
     r"shrinkage 应不小于 0 且小于 1（如 0.3），实际为 \1"),
    (r"concurrency must be a whole number >= 1, got (.+)",
     r"concurrency 应为 1 或以上的整数，实际为 \1"),
    (r"concurrency above 1 is only for chat, got (.+)",
     r"concurrency 大于 1 只适用于在线（chat），实际为 \1"),
    (r"email needs target_seconds \(the deadline\), not only asa_seconds",
     r"邮件须填写 target_seconds（处理时限），不能只填 asa_seconds"),
    (r"(\w+) must be a number, got (.+)", r"\1 应为数字，实际为 \2"),
    (r"(\w+) cannot be a percentage, got (.+)", r"\1 不能是百分比，实际为 \2"),
    (r"queue name is empty", r"队列名称为空"),
    (r"queue (.+) is listed twice \(first at row (\d+)\)", r"队列 \1 出现两次（首次在第 \2 行）"),
    (r"channel must be one of (.+), got (.+)", _t("channel 应为 {0} 之一，实际为 {1}", lists=(1,))),
    (r"patience_seconds must be above 0, got (.+)", r"patience_seconds 应大于 0，实际为 \1"),
    (r"patience_seconds is for voice \(Erlang A\) and chat, not email",
     r"patience_seconds 只适用于电话（Erlang A）和在线，不适用于邮件"),
    (r"not a readable CSV: (.+)", r"不是可读的 CSV（详情：\1）"),
    (r"queue (.+) must map field names to values", r"队列 \1 应为字段名到值的映射"),
    (r"not valid YAML: (.+)", r"不是有效的 YAML（详情：\1）"),
    (r"not valid YAML \((.+)\)", r"不是有效的 YAML（详情：\1）"),
    # -- staffing (scheduling.staffing) ----------------------------------------------------
    (r"forecast is missing column\(s\) (.+); expected (.+)", r"预测缺少列 \1；应有 \2"),
    (r"queue\(s\) (.+) are in the forecast but not in the queue settings; add a row for each "
     r"\(known queues: (.+)\)",
     r"队列 \1 在预测中，但不在队列设置中；请为每个队列添加一行（已有队列：\2）"),
    (r"cannot infer the interval length: no queue has two intervals; .+",
     r"无法推断时段长度：没有队列有两个时段"),
    (r"must be a number >= 0, got (.+)", r"应为 0 或以上的数字，实际为 \1"),
    (r"(.+) is above the most accepted \((.+)\); check the unit",
     r"\1 超过允许的上限（\2）；请检查单位"),
    (r"0 with (.+) contacts; contacts take time to handle, give their average handle time in "
     r"seconds", r"为 0，但有 \1 个来话；处理来话需要时间，请填写平均处理时长（秒）"),
    (r"this queue and interval appear twice", r"此队列和时段出现两次"),
    (r"interval length must be one of \[(.+)\] minutes, got (.+)",
     _t("时段长度应为 {0} 分钟之一，实际为 {1}", lists=(1,))),
    (r"interval length (.+) minutes does not match the (.+)-minute intervals of (.+)",
     lambda m: f"时段长度 {m[1]} 分钟与{_source_zh(m[3])}的 {m[2]} 分钟时段不符"),
    (r"intervals are (.+) minutes apart; one frame uses one interval length, one of \[(.+)\]",
     _t("时段间隔为 {0} 分钟；一份数据只能用一种时段长度，应为 {1} 分钟之一", lists=(2,))),
    (r"not on the (.+)-minute grid of the other intervals in (.+)",
     lambda m: f"不在{_source_zh(m[2])}其他时段的 {m[1]} 分钟网格上"),
    (r"contacts x aht_seconds is (.+) erlangs of work in one interval, above the most "
     r"accepted \((.+)\); check the units",
     r"contacts × aht_seconds 为一个时段 \1 爱尔兰的工作量，超过允许的上限（\2）；请检查单位"),
    (r"([\d,]+) interval\(s\) missing inside the day \((.+?)(?: and (\d+) more)?\); no staff "
     r"is planned for them",
     lambda m: f"当天内缺少 {m[1]} 个时段（{m[2]}{f' 等，另有 {m[3]} 个' if m[3] else ''}）；"
     "这些时段不安排人员"),
    # -- the roster step (planning.roster_step) -------------------------------------------
    (r"([^:]+) is not a number of seconds", r"\1 不是秒数"),
    (r"(\w+) must be between (\S+) and (\S+) seconds, got (.+)",
     r"\1 应在 \2 到 \3 秒之间，实际为 \4"),
    (r"missing column\(s\) (.+) \(the roster covers the (.+) column\)",
     r"缺少列 \1（排班覆盖的是 \2 列）"),
    (r"must be a number from 0 to (.+), got (.+)", r"应为 0 到 \1 之间的数字，实际为 \2"),
    # -- history values before a forecast (forecasting.forecaster) ------------------------
    (r"is empty or not a number; give 0 for an interval without contacts",
     r"为空或不是数字；没有来话的时段请填 0"),
    (r"(.+) is not a number from 0 to (.+)", r"\1 不是 0 到 \2 之间的数字"),
    (r"the history runs from (.+) \(row (\d+)\) to (.+) \(row (\d+)\), more than (\d+) "
     r"years; check those dates",
     r"历史数据从 \1（第 \2 行）到 \3（第 \4 行），跨度超过 \5 年；请检查这些日期"),
    # -- the forecast request (forecasting.forecaster) ------------------------------------
    (r"unknown model (.+); choose one of (.+)",
     _t("未知模型 {0}；请选择以下之一：{1}", lists=(2,))),
    (r"days must be at least 1, got (.+)", r"预测天数应至少为 1，实际为 \1"),
    (r"level must be between 0 and 100, got (.+)", r"置信水平应在 0 到 100 之间，实际为 \1"),
    (r"forecast start (\S+) is not after the end of the history \((\S+)\); start on (\S+) or "
     r"later", r"预测开始日期 \1 不晚于历史数据的结束日期（\2）；请从 \3 或之后开始"),
    (r"no queue could be forecast: (.+)", lambda m: "没有可以预测的队列：" + "；".join(
        _unfitted_zh(part) for part in m[1].split("; queue "))),
    # -- shift settings (scheduling.roster.templates) -------------------------------------
    (r"expected a time 'HH:MM' or minutes, got (.+)", r"应为 HH:MM 格式的时刻或分钟数，实际为 \1"),
    (r"expected a time 'HH:MM', got (.+)", r"应为 HH:MM 格式的时刻，实际为 \1"),
    (r"(.+) is not a valid time \(00:00 to 24:00\)", r"\1 不是有效的时刻（00:00 到 24:00）"),
    (r"(.+) is not a whole number of minutes from 0 to 1440", r"\1 不是 0 到 1440 之间的整数分钟"),
    (r"(.+) is not a whole number", r"\1 不是整数"),
    (r"(.+) is not between (\S+) and (\S+) hours", r"\1 不在 \2 到 \3 小时之间"),
    (r"(.+) is not between (\S+) and (\S+)", r"\1 不在 \2 到 \3 之间"),
    (r"(.+) is not a number of hours", r"\1 不是小时数"),
    (r"(.+) is not true or false", r"\1 不是“true”或“false”"),
    (r"needs a number \(only (.+) may be null\)",
     _t("须为数字（只有 {0} 可以为“null”）", lists=(1,))),
    (r"every shift length must be above 0", r"每个班次时长都应大于 0"),
    (r"expected a list of breaks", r"应为休息的列表"),
    (r"expected a mapping of rule: value", r"应为“规则: 值”的映射"),
    (r"expected a mapping of weight: number", r"应为“权重: 数字”的映射"),
    (r"(templates|queues): expected a mapping of name: fields", r"\1：应为“名称: 字段”的映射"),
    (r"expected a mapping of template fields", r"应为模板字段的映射"),
    (r"(\d+) must divide a day \(15, 30, 60\)", r"\1 应能整除一天（15、30、60）"),
    (r"latest_start is before earliest_start", r"latest_start 早于 earliest_start"),
    (r"expected a mapping with 'queues' and 'templates'", r"应为含 queues 和 templates 的映射"),
    (r"no 'templates' given", r"没有填写 templates（班次模板）"),
    (r"no 'queues' \(opening hours\) given", r"没有填写 queues（营业时间）"),
    (r"unknown key (.+); known keys: (.+)", _t("未知键 {0}；已知的键：{1}", lists=(2,))),
    (r"shifts file not found: (.+)", r"找不到班次设置文件：\1"),
    (r"unknown weekday (.+); use mon\.\.sun", r"未知星期 \1；请用 mon 到 sun"),
    (r"missing field '(.+)'", r"缺少字段“\1”"),
    (r"break windows of '(.+)' and '(.+)' overlap; .+",
     r"休息“\1”和“\2”的时间窗重叠；后一个休息应在前一个可能结束之后开始"),
    (r"break '(.+)' can end after a (\d+)-minute shift",
     r"休息“\1”可能在 \2 分钟的班次结束之后才结束"),
    (r"needs 'open' and 'close' times", r"须填写 open 和 close 时刻"),
    (r"close must be after open", r"close 应晚于 open"),
    (r"needs length and window \[earliest, latest\]", r"须填写 length 和 window [最早, 最晚]"),
    # -- the agents table (scheduling.roster.inputs, planning.team) -----------------------
    (r"(.+) is neither a date YYYY-MM-DD nor a weekday", r"\1 既不是 YYYY-MM-DD 日期，也不是星期"),
    (r"(.+) is not 'YYYY-MM-DD HH:MM-HH:MM'", r"\1 不是 YYYY-MM-DD HH:MM-HH:MM 格式"),
    (r"missing columns (.+); expected (.+) and optionally (.+)",
     r"缺少列 \1；应有 \2，可选 \3"),
    (r"no agents", r"没有坐席"),
    (r"agents file not found: (.+)", r"找不到坐席文件：\1"),
    (r"empty agent_id", r"agent_id（工号）为空"),
    (r"agent_id (.+) appears twice", r"agent_id（工号）\1 出现两次"),
    (r"no queue given", r"没有填写队列"),
    (r"need 0 <= min_hours_week <= max_hours_week, got (.+) and (.+)",
     r"应满足 0 <= min_hours_week <= max_hours_week，实际为 \1 和 \2"),
    (r"(.+) not in 0\.\.7", r"\1 不在 0 到 7 之间"),
    (r"min_hours_week, max_hours_week and max_days_week must be numbers",
     r"min_hours_week、max_hours_week 和 max_days_week 应为数字"),
    (r"(.+) is not 'HH:MM-HH:MM'", r"\1 不是 HH:MM-HH:MM 格式"),
    (r"not a readable CSV agents file: (.+)", r"不是可读的 CSV 坐席文件（详情：\1）"),
    (r"cannot be read as an agent list \((.+)\)", r"无法作为坐席名单读取（详情：\1）"),
    (r"no column names the agents; .+", r"没有标明坐席的列；应有 agent_id 或 name（工号、姓名）"),
    (r"no column says which queues each agent works; .+",
     r"没有说明坐席所属队列的列；应有 queues（技能组）"),
    (r"unknown queue (.+?); the plan's queues are (.+?) \(or write all\)",
     r"未知队列 \1；方案的队列为 \2（或填写 all）"),
    (r"the template (.+) is listed twice", r"模板 \1 出现两次"),
    (r"(.+) is not a number of minutes", r"\1 不是分钟数"),
    (r"expected at least one template", r"至少应有一个模板"),
    # -- projection (scheduling.projection) -----------------------------------------------
    (r"missing columns (.+); expected (.+)", r"缺少列 \1；应有 \2"),
    (r"(.+) is not a date YYYY-MM-DD", r"\1 不是 YYYY-MM-DD 日期"),
    (r"(.+) is not a date and time", r"\1 不是日期时间"),
    (r"a shift of more than 24 hours \((.+) to (.+)\)", r"班次超过 24 小时（\1 至 \2）"),
    (r"(.+) is not the day the shift starts \((.+)\)", r"\1 不是班次开始的那天（\2）"),
    (r"overlaps the agent's shift on row (\d+) \((.+) to (.+)\); an agent works one shift at "
     r"a time \(a duplicated row would count the agent twice\)",
     r"与该坐席第 \1 行的班次（\2 至 \3）重叠；坐席同一时间只上一个班次（重复的行会把坐席算两次）"),
    (r"shift ends (.+) before it starts (.+)", r"班次结束时间 \1 早于开始时间 \2"),
    (r"one interval only, and its start is not on a 15-, 30- or 60-minute boundary",
     r"只有一个时段，且其开始时间不在 15、30 或 60 分钟的整点上"),
    (r"queues have intervals of different lengths \((.+)\); one forecast uses one interval "
     r"length", r"各队列的时段长度不同（\1）；一份预测只能用一种时段长度"),
    (r"queue (.+) has (\d+)-minute intervals; expected 15, 30 or 60",
     r"队列 \1 的时段为 \2 分钟；应为 15、30 或 60"),
    (r"queue (.+) has interval (.+) twice", r"队列 \1 的时段 \2 出现两次"),
    (r"forecast has (\d+)-minute intervals; expected (\d+)-minute intervals",
     r"预测的时段为 \1 分钟；应为 \2 分钟"),
    (r"queue (.+) interval (.+) does not start on a (\d+)-minute boundary",
     r"队列 \1 的时段 \2 不在 \3 分钟的整点上开始"),
    (r"forecast queue (.+) has no queue settings; the queue settings list (.+)",
     r"预测中的队列 \1 没有队列设置；队列设置中有 \2"),
    (r"day (\S+) has no forecast intervals \(the forecast covers (.+) to (.+)\)",
     r"\1 这天没有预测时段（预测覆盖 \2 至 \3）"),
    (r"day (\S+) is outside the forecast \(the forecast covers (.+) to (.+)\)",
     r"\1 这天不在预测范围内（预测覆盖 \2 至 \3）"),
    (r"no intervals to project", r"没有可推算的时段"),
    (r"roll-up period (.+); expected 'day' or 'week'", r"汇总周期 \1；应为 day 或 week"),
    (r"(.+); expected a number >= 0", r"\1；应为 0 或以上的数字"),
    (r"unknown queue (.+); the queue settings list (.+)", r"未知队列 \1；队列设置中有 \2"),
    (r"queue (.+) has no forecast; the forecast covers (.+)", r"队列 \1 没有预测；预测中有 \2"),
    # -- today's actuals and the reforecast (forecasting.intraday, planning.intraday) -----
    (r"now (.+) is not a date and time 'YYYY-MM-DD HH:MM'",
     r"当前时间 \1 不是日期时间（应如 YYYY-MM-DD HH:MM）"),
    (r"(.+) is not a date and time 'YYYY-MM-DD HH:MM'",
     r"\1 不是日期时间（应如 YYYY-MM-DD HH:MM）"),
    (r"no queue has two intervals, so the interval length is unknown",
     r"没有任何队列有两个时段，无法判断时段长度"),
    (r"missing column\(s\) (.+); the actuals need (.+) and may have (.+)",
     r"缺少列 \1；实际数据应有 \2，可选 \3"),
    (r"missing column\(s\) (.+); expected (.+)", r"缺少列 \1；应有 \2"),
    (r"missing column\(s\) (.+)", r"缺少列 \1"),
    (r"(.+) is not a number >= 0", r"\1 不是 0 或以上的数字"),
    (r"interval (.+) is not over at now \((.+)\); actuals are for finished intervals only",
     r"时段 \1 在当前时间（\2）还没有结束；实际数据只填已结束的时段"),
    (r"interval (.+) is not on the day of now \((.+)\)", r"时段 \1 不在当前时间所在的那天（\2）"),
    (r"interval (.+) does not start on a (\d+)-minute boundary; the actuals must use the "
     r"forecast's (\d+)-minute intervals",
     r"时段 \1 不在 \2 分钟的整点上开始；实际数据应使用预测的 \3 分钟时段"),
    (r"the actuals use (\d+)-minute intervals; the forecast uses (\d+)-minute intervals",
     r"实际数据的时段为 \1 分钟；预测的时段为 \2 分钟"),
    (r"no rows with contacts", r"没有含来话量的行"),
    (r"now (.+) is outside the forecast, which covers (.+) to (.+)",
     r"当前时间 \1 不在预测范围内（预测覆盖 \2 至 \3）"),
    (r"a re-plan needs the agents, the shift templates and the queue settings with the "
     r"roster", r"重新排班除排班外还需要坐席表、班次模板和队列设置"),
    (r"not a readable actuals file \((.+)\)", r"不是可读的实际数据文件（详情：\1）"),
    # -- scenarios (planning.scenarios, planning.scenario_run): the Scenarios page --------
    (r"no such scenario file", r"找不到情景文件"),
    (r"expected a mapping with at least `name`, got (\w+)",
     lambda m: f"应为至少含“name”的映射，实际为{_type_zh(m[1])}"),
    (r"unknown field; expected one of (.+)", r"未知字段；应为以下之一：\1"),
    (r"every scenario needs a name \(text\)", r"每个情景都需要名称（文本）"),
    (r"expected a mapping of file paths or `plan`", r"应为文件路径或“plan”的映射"),
    (r"expected a file path or plan name, got (.+)", r"应为文件路径或方案名称，实际为 \1"),
    (r"expected \{start: YYYY-MM-DD, days: N\}", r"应为 {start: YYYY-MM-DD, days: N}"),
    (r"(.+) would deflect every contact; expected a share from 0 to below 1, e\.g\. 0\.3 "
     r"for 30%", r"\1 会分流全部来话；应为 0 到 1（不含 1）之间的比例，如 0.3 表示 30%"),
    (r"expected a mapping of \[(.+)\]", r"应为 [\1] 的映射"),
    (r"(.+) leaves nobody on line; expected a share from 0 to below 1, e\.g\. 0\.3",
     r"\1 会使无人在线；应为 0 到 1（不含 1）之间的比例，如 0.3"),
    (r"two groups use the same prefix \[(.+)\]; give each group its own `prefix` so agent "
     r"ids stay unique",
     r"两组使用了相同的前缀 [\1]；请为每组设置不同的“prefix”，使坐席编号不重复"),
    (r"expected a mapping merged into the base shift templates", r"应为合并到基础班次模板中的映射"),
    (r"expected a number, got (.+)", r"应为数字，实际为 \1"),
    (r"expected a finite number, got (.+)", r"应为有限的数字，实际为 \1"),
    (r"(\S+) is out of range; expected (above|at least|at most) (\S+)",
     lambda m: f"{m[1]} 超出范围；应{_BOUND_ZH[m[2]]} {m[3]}"),
    (r"expected a whole number, got (.+)", r"应为整数，实际为 \1"),
    (r"expected true or false, got (.+)", r"应为“true”或“false”，实际为 \1"),
    (r"expected a date YYYY-MM-DD, got (.+)", r"应为 YYYY-MM-DD 日期，实际为 \1"),
    (r"expected a list, got (\w+)", lambda m: f"应为列表，实际为{_type_zh(m[1])}"),
    (r"expected a mapping, got (\w+)", lambda m: f"应为映射，实际为{_type_zh(m[1])}"),
    (r"give either `dates` or `start`/`end`, not both",
     r"请填写“dates”或“start”/“end”，不能同时填写"),
    (r"`start` and `end` go together \(dates, inclusive\)",
     r"“start”和“end”须同时填写（日期，含首尾两天）"),
    (r"(\S+) is before start (\S+)", r"\1 早于开始日期 \2"),
    (r"give either `event` or dates, not both", r"请填写“event”或日期，不能同时填写"),
    (r"say which days: `event: NAME` or `dates: \[YYYY-MM-DD, \.\.\.\]`",
     r"请说明是哪些天：“event: NAME”或“dates: [YYYY-MM-DD, ...]”"),
    (r"`learnt` needs an `event` whose past occurrences the forecaster learnt from; for "
     r"dates give a multiplier such as 1\.5",
     r"“learnt”需要一个“event”，预测从它以往的发生中学习增幅；按日期时请填写倍数，如 1.5"),
    (r"(\S+) would make negative volume; expected a multiplier of 0 or more \(1\.5 = 50% "
     r"more contacts\) or `learnt`",
     r"\1 会使来话量为负；应为 0 或以上的倍数（1.5 表示来话多 50%）或“learnt”"),
    (r"missing `change` \(an AHT multiplier, e\.g\. 1\.1 for 10% longer\)",
     r"缺少“change”（AHT 倍数，如 1.1 表示处理时长增加 10%）"),
    (r"missing: how many agents to add", r"缺少：要新增多少名坐席"),
    (r"must not be empty", r"不能为空"),
    (r"missing: the queues the added agents answer", r"缺少：新增坐席接听的队列"),
    (r"(\S+) is below min_hours_week (\S+)", r"\1 小于 min_hours_week \2"),
    (r"a saved plan needs the workspace; run the scenario with a workspace",
     r"使用已保存的方案需要工作区；请在工作区中运行此情景"),
    (r"no plan called (.+) in workspace (\S+); saved plans: (.+)",
     r"工作区 \2 中没有名为 \1 的方案；已保存的方案：\3"),
    (r"no such file (.+)", r"找不到文件 \1"),
    (r"plan (.+) has no (.+); name a file in (base\.\w+)",
     lambda m: f"方案 {m[1]} 没有{_source_zh(m[2]).strip()}；请在 {m[3]} 中填写文件"),
    (r"unknown queue (.+); the plan has queues (.+) \(or a channel: (.+)\)",
     r"未知队列 \1；方案的队列为 \2（或渠道：\3）"),
    (r"(\S+) is outside the horizon (\S+)\.\.(\S+); change `horizon` or the dates",
     r"\1 不在预测期 \2 至 \3 内；请修改“horizon”或日期"),
    (r"(\S+) is outside the horizon (\S+)\.\.(\S+)", r"\1 不在预测期 \2 至 \3 内"),
    (r"no event (.+) in the calendar near the horizon (\S+)\.\.(\S+); events in the "
     r"horizon: (.+)", r"日历中在预测期 \2 至 \3 附近没有事件 \1；预测期内的事件：\4"),
    (r"(.+) falls on (.+), outside the horizon (\S+)\.\.(\S+); move `horizon`",
     r"\1 在 \2，不在预测期 \3 至 \4 内；请调整“horizon”"),
    (r"the forecast has no contacts for queue\(s\) (.+) of the queue settings; check the "
     r"history", r"预测中没有队列设置里的队列 \1 的来话；请检查历史数据"),
    (r"no plain forecast", r"没有未经调整的基础预测"),
    (r"cannot remove it, the base has only (.+)", r"无法删除，基础设置中只有 \1"),
    (r"unknown agent (.+); the team has (\d+) agents \((.+)\)",
     r"未知坐席 \1；团队有 \2 名坐席（\3）"),
    (r"(\d+) is more than the (\d+) agents of the team", r"\1 超过团队的 \2 名坐席"),
    (r"unknown shift template (.+); templates: (.+) \(add it under shifts\.templates\)",
     r"未知班次模板 \1；模板有 \2（请在 shifts.templates 下添加）"),
    (r"agent id (\S+) is already in the team; pick another prefix",
     r"坐席编号 \1 已在团队中；请换一个前缀"),
    (r"the scenario leaves no agents to roster; remove fewer or add some under agents\.add",
     r"此情景没有可排班的坐席；请少删一些，或在 agents.add 下添加"),
    (r"(\S+) is inside the history, which runs to (\S+); start on (\S+) or later",
     r"\1 在历史数据范围内（历史数据到 \2）；请从 \3 或之后开始"),
    (r"queue settings list (.+), which the history does not have \(history queues: (.+)\)",
     r"队列设置中有 \1，但历史数据中没有（历史数据的队列：\2）"),
    (r"plan (\S+) is not a saved scenario run \(no scenario_daily\)",
     r"方案 \1 不是保存的情景运行结果（没有“scenario_daily”）"),
    (r"plan (.+) was not made by a scenario run", r"方案 \1 不是由情景运行生成的"),
    (r"input (\S+) \((.+)\) has changed since the run was saved, so it cannot be reproduced "
     r"exactly", r"输入 \1（\2）在保存运行后已更改，无法完全重现"),
    # -- forecast adjustments, events, calendar (planning.steps/plans, forecasting) -------
    (r"end (.+) is not after start (.+)", r"结束 \1 不晚于开始 \2"),
    (r"(.+)% would leave no contacts; expected more than -100%",
     r"\1% 会使来话量为零；应大于 -100%"),
    (r"unknown queue (.+); the forecast has (.+)", r"未知队列 \1；预测中有 \2"),
    (r"the plan has no forecast to adjust yet", r"方案还没有可调整的预测"),
    (r"events file not found", r"找不到事件文件"),
    (r"(.+) is not a date \(expected e\.g\. 2026-11-11\)", r"\1 不是日期（应如 2026-11-11）"),
    (r"(.+) is outside 0-60 days", r"\1 不在 0 到 60 天之间"),
    (r"the file is empty; expected columns (.+)", r"文件为空；应有列 \1"),
    (r"missing column (.+); expected columns (.+), found (.+)", r"缺少列 \1；应有列 \2，实际为 \3"),
    (r"empty event name", r"事件名称为空"),
    (r"empty; expected a date such as 2026-11-11", r"为空；应为如 2026-11-11 的日期"),
    (r"end (.+) is before start (.+)", r"结束 \1 早于开始 \2"),
    (r"(.+) is not a whole number of days", r"\1 不是整数天数"),
    (r"country (.+) is not known to the holidays package; .+",
     r"未知国家或地区 \1；请使用 ISO 代码，如 CN、US、GB、DE，或交易所日历，如 NYSE"),
    (r"closed days: (.+); expected dates such as 2026-09-07",
     r"休息日有误（详情：\1）；应为如 2026-09-07 的日期"),
    # -- the roster solve (scheduling.roster.errors) --------------------------------------
    (r"no roster found within the time limit of (.+) s; allow more time to search",
     r"在 \1 秒的时限内没有找到排班；请延长求解时限"),
    (r"no roster found within the time limit; allow more time to search",
     r"在时限内没有找到排班；请延长求解时限"),
    (r"the hard rules cannot all hold; rules in conflict per agent:",
     r"硬性规则无法同时满足；各坐席相互冲突的规则："),
    (r"\(no shift fits the agent's queues\)", r"（没有适合该坐席队列的班次）"),
    # -- users and signing in (planning.users): the sign-in and admin pages ---------------
    (r"user name (.+) must be 1-100 letters, digits or \. _ @ \+ - \(an e-mail address "
     r"works\), starting with a letter or digit",
     r"用户名 \1 应为 1 到 100 个字母、数字或 . _ @ + -（可用电子邮件地址），并以字母或数字开头"),
    (r"role (.+) is not one of (.+)", _t("角色 {0} 不是以下之一：{1}", lists=(2,))),
    (r"the password is (\d+) characters long; at least (\d+) please",
     r"密码只有 \1 个字符；至少应有 \2 个"),
    (r"the password is one of the most common passwords \(or one with digits added\); "
     r"choose a longer phrase of your own",
     r"这是最常见的密码之一（或只是加了数字）；请改用一个更长的、自己想的短语"),
    (r"the password is one character repeated; choose another",
     r"密码只是同一个字符的重复；请换一个"),
    (r"the password contains the user name; choose another", r"密码包含用户名；请换一个"),
    (r"user (.+) already exists; .+", r"用户 \1 已存在；如需修改，请更改其角色或密码"),
    (r"there is no user (.+); .+", r"没有用户 \1"),
    (r"(.+) is the last active admin; make someone else admin first, or nobody could manage "
     r"users any more", r"\1 是最后一个在用的管理员；请先让其他人成为管理员，否则将无人能管理用户"),
    (r"user (.+) is disabled; ask an admin", r"用户 \1 已停用；请联系管理员"),
    (r"wrong user name or password", r"用户名或密码错误"),
    (r"too many wrong passwords for (.+); try again in (\d+) minutes or ask an admin",
     r"\1 的密码错误次数过多；请 \2 分钟后再试，或联系管理员"),
    # -- the workspace and its plans (planning.workspace) ----------------------------------
    (r"workspace folder (.+) cannot be created: (.+)", r"无法创建工作区文件夹 \1（详情：\2）"),
    (r"workspace (.+) is busy; try again", r"工作区 \1 正忙；请稍后再试"),
    (r"workspace (.+) could not be compacted: (.+)", r"工作区 \1 无法压缩（详情：\2）"),
    (r"workspace (.+) is locked by another program; try again",
     r"工作区 \1 被其他程序锁定；请稍后再试"),
    (r"workspace (.+) cannot be opened: (.+)", r"无法打开工作区 \1（详情：\2）"),
    (r"no plan with id (.+)", r"没有编号为 \1 的方案"),
    (r"a plan called (.+) already exists; pick another name", r"已有名为 \1 的方案；请换一个名称"),
    (r"a plan needs a name", r"方案需要名称"),
    (r"plan name is (\d+) characters long; at most 120 please",
     r"方案名称有 \1 个字符；最多 120 个"),
    # -- why the holiday country was guessed (forecasting.calendar_fit) -------------------
    (r"the time zone (.+)", r"时区为 \1"),
    (r"the history has (\d+) days, too few to tell", r"历史数据只有 \1 天，不足以判断"),
    (r"(\d+) of its public holidays are quiet days in the history \((.+) of a normal day\)",
     r"其 \1 个公共假日在历史数据中来话明显减少（为平日的 \2）"),
    (r"the weekend falls on Friday and Saturday", r"周末为周五和周六"),
    (r"the queue names are in Chinese", r"队列名称为中文"),
    (r"no country's public holidays show in the history", r"历史数据中看不出任何国家的公共假日"),
    # -- the Dask cluster (planning.cluster) ------------------------------------------------
    (r"(.+) asks for (\d+) workers; give local:1 to local:256",
     r"\1 要求 \2 个工作进程；请填写 local:1 到 local:256"),
    (r"(.+) is not a cluster; give .+",
     r"\1 不是集群地址；请填写“local”、“local:N”、调度器地址（如“tcp://10.0.0.5:8786”）或“none”"),
    (r"no Dask scheduler answered within (\S+) s \((.*)\); .+",
     r"\1 秒内没有 Dask 调度器响应（详情：\2）；"
     r"请用“dask scheduler”启动一个，或不填集群，在本进程中运行"),
    (r"the scheduler has no worker; start one with (.+)",
     r"调度器没有工作进程；请用 \1 启动一个"),
    (r"a worker cannot run wfm's code \((.+)\); .+",
     r"工作进程无法运行 wfm 的代码（\1）；请在每个工作进程上安装同一版本的 wfm"),
    (r"task (\S+) was lost with its worker several times \((.*)\); .+",
     r"任务 \1 随其工作进程多次丢失（\2）；"
     r"工作进程可能内存不足：请给它们更多内存，或减少每个进程的线程数"),
)


def _unfitted_zh(part: str) -> str:
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


_GRID_ZH = {"the hour": "整点", "the day's start": "零点"}


def _rows_zh(text: str) -> str:
    """Rows as the importer names them ("line 7", "sheet 'Data' row 9") in Chinese."""
    text = re.sub(r"sheet '(.*?)' row (\d+)", r"工作表“\1”第 \2 行", text)
    return re.sub(r"(?:line|row) (\d+)", r"第 \1 行", text)


def _also_zh(text: str | None) -> str:
    """" (also line 7, line 9 and 4 more)" in Chinese ("" when there is none)."""
    if not text:
        return ""
    more = re.search(r" and ([\d,]+) more$", text)
    rows = _rows_zh(text[:more.start()] if more else text).replace(", ", "、")
    return f"（另有{rows}{f'等 {more[1]} 行' if more else ''}）"


def _source_zh(name: str) -> str:
    """A frame a message names ("forecast", "requirements") in Chinese, else as it is."""
    return SOURCES.get(name, f" {name} ")
