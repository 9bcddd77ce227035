"""Chinese templates for the reasons of importing contact history and uploads: each
English reason as a regular expression, with its Chinese template (see
`dashboard.message_catalogue`)."""

from __future__ import annotations

from dashboard.message_words import GRID_ZH, Template, also_zh, fill, rows_zh, what_zh, word_zh

IMPORT_REASONS: tuple[tuple[str, Template], ...] = (
    # -- contact history: the importer (forecasting.history) ----------------------------
    (r"is empty; expected an outcome, one of (.+)", r"为空；应为结果，为以下之一：\1"),
    (r"is empty; expected (.+)", what_zh(1, "为空；应为{what}")),
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
     fill("未知结果 {0}；应为以下之一：{1}", lists=(2,))),
    (r"has a header but no data rows", r"只有表头，没有数据行"),
    (r"the file is empty; expected a header row and data rows", r"文件为空；应有表头行和数据行"),
    (r"the workbook's sheet is empty; expected a header row and data rows",
     r"工作表为空；应有表头行和数据行"),
    (r"has (\d+) fields but the header has (\d+); .+", r"有 \1 个字段，但表头有 \2 列；"
     r"每列应各有一个值"),
    (r"(.+) of (.+) s is more than (.+) hours; expected .+",
     what_zh(1, "{what}为 {1} 秒，超过 {2} 小时；请检查时长单位")),
    (r"(.+) is negative \((.+) s\); expected seconds >= 0",
     what_zh(1, "{what}为负数（{1} 秒）；应为 0 或以上")),
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
     r"each role", fill("无法判断如何读取此文件：{0}可能在 {1} 中；请为每个角色选择列",
                      words=(1,), lists=(2,))),
    (r"cannot tell how to read this file: no column looks like the (.+) \(columns: (.+)\); "
     r"choose the column of each role",
     fill("无法判断如何读取此文件：没有像是{0}的列（文件的列：{1}）；请为每个角色选择列",
        lists=(1,))),
    (r"cannot tell how to read this file: (.+?)(?:; choose the column of each role)?",
     fill("无法判断如何读取此文件：{0}；请为每个角色选择列", lists=(1,))),
    (r"cannot tell which export this is from its headers \((.+)\); .+",
     r"无法从表头（\1）判断这是哪种导出文件；请在数据页为各列指定角色"),
    (r"no column chosen for the (.+)", lambda m: "未为以下角色选择列：" + "、".join(
        word_zh(w) for w in m.group(1).split(" or the "))),
    (r"the column (.+) is chosen for (.+); expected one column per role",
     fill("列 {0} 被同时选为 {1}；每个角色应各用一列", lists=(2,))),
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
     fill("是{0}，不是来话历史；应为 CSV/TSV 文本、.csv.gz、Excel .xlsx 或 Parquet", words=(1,))),
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
     fill("文件的时段为{0}，无法拆分为 {1}；应选择 {2}", words=(1,), lists=(3,))),
    (r"the file has (.+); expected intervals of 60 minutes or less .+",
     fill("文件的时段为{0}；应为 60 分钟或更短的时段（15、30 或 60 分钟）", words=(1,))),
    (r"unknown interval (.+); expected one of (.+)",
     fill("未知时段长度 {0}；应为以下之一：{1}", lists=(2,))),
    # an import profile typed on the Data page
    (r"is not valid YAML \((.+)\)", r"不是有效的 YAML（详情：\1）"),
    (r"import profile is not UTF-8 text \((.+)\)", r"导入配置不是 UTF-8 文本（详情：\1）"),
    (r"import profile is ([\d,]+) bytes; expected .+", r"导入配置有 \1 字节；应为较小的 YAML 文件"),
    (r"import profile uses a YAML alias .+",
     r"导入配置使用了 YAML 别名（*name）；应只用普通的值、列表和映射"),
    (r"import profile uses the tag (.+), which would build a Python object; .+",
     r"导入配置使用了标签 \1，会构造 Python 对象，已拒绝（未执行任何内容）；应只用普通 YAML"),
    (r"no such import profile; expected a YAML file or one of the shipped profiles: (.+)",
     fill("没有这个导入配置；应为 YAML 文件或以下内置配置之一：{0}", lists=(1,))),
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
    (r"unknown kind (.+); expected one of (.+)",
     fill("未知类别 {0}；应为以下之一：{1}", lists=(2,))),
    (r"answered must list the outcome values of answered contacts",
     r"answered 必须列出表示已接通的结果值"),
    (r"expected reason, column, values \(and optionally outcomes\)",
     r"应有 reason、column、values（以及可选的 outcomes）"),
    (r"duration_unit is (.+); expected one of (.+)",
     fill("duration_unit 为 {0}；应为以下之一：{1}", lists=(2,))),
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
     f"{rows_zh(m[2])}重复{rows_zh(m[3])}）；每行只计一次"),
    (r"([\d,]+) rows? repeats? the queue and interval start of another row with other "
     r"figures \(first: (.+) and (.+)\); their figures were added together, as for a queue "
     r"split over several rows",
     lambda m: f"{m[1]} 行与另一行的队列和时段开始时间相同但数字不同（首例：{rows_zh(m[2])}和"
     f"{rows_zh(m[3])}）；已将数字相加，视为一个队列拆成了多行"),
    (r"([\d,]+) records? (?:are exact copies|is an exact copy) of an earlier one with the "
     r"same contact id \(first: (.+) repeats (.+)\); each contact was counted once",
     lambda m: f"{m[1]} 条记录与前面同一来话编号的记录完全相同（首例：{rows_zh(m[2])}重复"
     f"{rows_zh(m[3])}）；每个来话只计一次"),
    (r"([\d,]+) records? (?:are|is) identical to an earlier one in every column read \(first: "
     r"(.+) repeats (.+)\); each was counted as a contact .+",
     lambda m: f"{m[1]} 条记录在读取的每一列上都与前面某条相同（首例：{rows_zh(m[2])}重复"
     f"{rows_zh(m[3])}）；每条都计为一个来话（两个来话可能在同一秒）；如果导出重复了，请删除"
     "重复行，或在配置的 columns 下指定来话编号列 'contact_id' 以只计一次"),
    (r"([\d,]+) empty cells? in column (.+) \(first: (.+)\) read as 0",
     lambda m: f"列 {m[2]} 中有 {m[1]} 个空单元格（首个：{rows_zh(m[3])}）按 0 读取"),
    (r"starts at (\d\d:\d\d), off the file's (\d+)-minute intervals \(([\d,]+) of ([\d,]+) "
     r"rows? (?:is|are) off them; the others start on (.+)\); expected .+",
     lambda m: f"开始于 {m[1]}，不在文件的 {m[2]} 分钟时段上（{m[4]} 行中有 {m[3]} 行不在；其余行"
     f"开始于{GRID_ZH.get(m[5], ' ' + m[5])}）；每行都应在同一时段网格上，是多余或输错的行吗？"
     "请修正或删除"),
    (r"(\S+) is ([\d,]+) days away from the other rows \((\S+) to (\S+), ([\d,]+) rows\); "
     r"([\d,]+) rows? (?:lie|lies) more than (\d+) days outside them(?: \(also (.+)\))?; "
     r"expected .+",
     lambda m: f"{m[1]} 与其他行（{m[3]} 至 {m[4]}，共 {m[5]} 行）相隔 {m[2]} 天；有 {m[6]} 行"
     f"在其范围之外超过 {m[7]} 天{also_zh(m[8])}；历史数据中不应有这样的空档（年份输错了？）"),
    (r"(\S+) is before (\S+), the earliest date accepted; expected a date of the history"
     r"(?: \(also (.+)\))?",
     lambda m: f"{m[1]} 早于允许的最早日期 {m[2]}{also_zh(m[3])}；应为历史数据的日期"),
    (r"(\S+) is more than (\d+) days after today \((\S+)\); expected a date of the history "
     r"\(a mistyped year\?\)(?: \(also (.+)\))?",
     lambda m: f"{m[1]} 比今天（{m[3]}）晚 {m[2]} 天以上{also_zh(m[4])}；应为历史数据的日期"
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
     lambda m: f"来话编号 {m[1]} 也出现在{rows_zh(m[2])}，但其他值不同；每个来话应只有一条记录"),
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
     fill("压缩文件只接受 gzip 压缩的 CSV 文本（.csv.gz）；应为 {0}", lists=(1,))),
    (r"is (.+), more than the upload limit of (.+) \(set \w+ to change it\)",
     r"大小为 \1，超过上传上限 \2（上限由管理员设置）"),
    (r"the name says (.+) but the content is (.+); expected (.+) with matching content",
     fill("文件名表明是{0}，但内容是{1}；应为 {2}，且内容与扩展名一致", words=(1, 2), lists=(3,))),
    (r"(.+) files are not accepted; expected (.+)", fill("不接受 {0} 文件；应为 {1}", lists=(2,))),
    (r"a file without an ending is not accepted; expected (.+)",
     fill("不接受没有扩展名的文件；应为 {0}", lists=(1,))),
    (r"no shipped import profile called (.+); expected one of (.+)",
     r"没有名为 \1 的内置导入配置；应为以下之一：\2"),
    (r"the mapping name (.+) cannot be used; expected .+",
     r"不能使用映射名称 \1；应由字母、数字、- 或 _ 组成，且不与内置配置重名"),
    # -- why rows were left out of an import (the Data page's excluded rows) ------------
    (r"duplicate \(same contact id\)", r"重复记录（来话编号相同）"),
    (r"outcome (\S+)", r"结果为 \1，不计为来话"),
    (r"rule (\d+)", r"导入配置的第 \1 条排除规则"),
    (r"phantom call", r"虚假来电（系统记录，非客户来话）"),   # the shipped anonymous_bank profile
    (r"hung up in the voice menu", r"在语音菜单中挂断，未进入坐席队列"),
)
