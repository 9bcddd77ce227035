"""Every import and validation message the app shows, in the planner's language.

The libraries (`forecasting`, `scheduling`, `planning`) word their errors in English:
they also reach the terminal and logs. A message is a location and a reason,
``FILE, line 3, column 'queue': is empty; expected a queue name``, or nested,
``shifts: templates.early.start_step: 45 must divide a day (15, 30, 60)``. In Chinese
each location part (file, line, row, column, queue, agent, interval, template ...) is
translated with the same words everywhere and each reason by `dashboard.message_catalogue` (an
English regular expression and its Chinese template); the values a message names
(file names, queues, agents, columns, fields, cell values) are kept as they are.

A reason the catalogue does not know is shown as the library wrote it, after its
translated location. `message_in(text, lang)` is the one function every page calls.
"""

from __future__ import annotations

import re

from dashboard.message_catalogue import SOURCES, ZH_REASONS

_FIELD = r"((?:\.\w+|\[\d+\])*)"
# A field of a scenario file ("horizon.days", "volume[0].uplift", "targets.chat_a.asa_seconds").
_SCENARIO_FIELD = (r"((?:name|description|base|horizon|model|roster_time_limit|seed|country|"
                   r"shopping|volume|aht|deflection|targets|shrinkage|agents|overtime|shifts)"
                   r"(?:\.[^.\[\s:,]+|\[\d+\])*)")
_NAME = r"('[^']*'|[^\s,:]+)"
ZH_PLACES: tuple[tuple[str, str], ...] = (
    (r"line (\d+)", r"第 \1 行"),
    (r"row (\d+)", r"第 \1 行"),
    (r"sheet '(.*)' row (\d+)", r"工作表“\1”第 \2 行"),
    (r"column " + _NAME, r"列“\1”"),
    (r"queue " + _NAME, r"队列“\1”"),
    (r"interval (\d{4}-\d\d-\d\d(?: \d\d:\d\d(?::\d\d)?)?)", r"时段 \1"),
    (r"interval (\S+)", r"时段 \1"),
    (r"workspace (\S+)", r"工作区 \1"),
    (r"skills of agent " + _NAME, r"坐席 \1 的技能"),
    (r"agent " + _NAME, r"坐席 \1"),
    (r"not_contact_when rule (\d+)", r"not_contact_when 第 \1 条规则"),
    (r"scenario " + _NAME, r"情景“\1”"),
    (_SCENARIO_FIELD, r"字段 \1"),
    (r"(\d{4}-\d\d-\d\d(?: \d\d:\d\d(?::\d\d)?)?)", r"\1"),
)

# The hard rules of the roster (scheduling.roster.rules.HARD_RULES) named in a conflict.
ZH_RULES = {
    "offered_shifts": "可用班次", "queue_skills": "队列技能", "opening_hours": "营业时间",
    "break_windows": "休息时间窗", "one_shift_a_day": "每天一个班次",
    "unavailable_days_off": "不可上班日", "minimum_rest_between_shifts": "班次间最短休息",
    "forbidden_shift_successions": "禁止的班次衔接",
    "max_consecutive_working_days": "最多连续工作天数",
    "min_consecutive_working_days": "最少连续工作天数",
    "min_consecutive_days_off": "最少连续休息天数", "days_off_per_week": "每周休息天数",
    "weekends_off": "周末休息", "max_late_shifts": "晚班上限",
    "max_shifts_per_type": "每类班次上限", "contract_hours": "合同工时",
}


def _parts(where: str) -> list[str]:
    """`where` split at ", " outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(where):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and where.startswith(", ", i):
            parts.append(where[start:i])
            start = i + 2
    parts.append(where[start:])
    return [p for p in parts if p]


def _path_zh(kind: str, name: str, fields: str) -> str:
    """`templates.early.breaks[0].window` as 模板“early”的 breaks 第 1 项 window."""
    out = f"{kind}“{name}”"
    if fields:
        steps = re.findall(r"\.(\w+)|\[(\d+)\]", fields)
        shown = " ".join(f"第 {int(i) + 1} 项" if i else f for f, i in steps)
        out += f"的 {shown}"
    return out


def _unquoted(text: str) -> str:
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] == "'" else text


def _place_zh(part: str) -> tuple[str, bool]:
    """One location part in Chinese, and whether it was recognised as one (a file name
    or other value is kept as it is)."""
    part = part.strip()
    if part in SOURCES:
        return SOURCES[part], True
    yaml_path = re.fullmatch(r"(templates|queues|rules|weights)\.([^.\[\s]+)" + _FIELD, part)
    if yaml_path:
        kind = {"templates": "模板", "queues": "队列", "rules": "规则", "weights": "权重"}[
            yaml_path.group(1)]
        return _path_zh(kind, yaml_path.group(2), yaml_path.group(3)), True
    numbered = re.fullmatch(r"(.+?) row (\d+)(?: \((.+)\))?", part)
    if numbered and not part.startswith("sheet '"):
        source, known = _place_zh(numbered.group(1))
        inner = numbered.group(3)
        out = f"{source}第 {numbered.group(2)} 行"
        return out + (f"（{where_in(inner, 'zh')}）" if inner else ""), known
    bracketed = re.fullmatch(r"(.+?) \((.+)\)", part)
    if bracketed:
        source, known = _place_zh(bracketed.group(1))
        return f"{source}（{where_in(bracketed.group(2), 'zh')}）", known
    for pattern, template in ZH_PLACES:
        match = re.fullmatch(pattern, part)
        if match:
            return match.expand(template).replace("“'", "“").replace("'”", "”"), True
    return part, False


def _location_zh(where: str) -> str | None:
    """`where` in Chinese when it is a location: every part recognised, except a first
    part that names a file (it has an extension or a folder)."""
    parts = _parts(where)
    if not parts:
        return None
    shown, known = zip(*(_place_zh(p) for p in parts), strict=True)
    if all(known) or (all(known[1:]) and re.search(r"[./\\]\w", parts[0])):
        return "，".join(shown)
    return None


def where_in(where: str, lang: str) -> str:
    """A location ("FILE, line 3, column 'x'") in the language `lang`."""
    if lang != "zh":
        return where
    return "，".join(_place_zh(p)[0] for p in _parts(where))


def catalogue_match(reason: str) -> re.Match[str] | None:
    """The match of the catalogue entry that translates `reason`, or None."""
    index = catalogue_entry(reason)
    return None if index is None else re.fullmatch(ZH_REASONS[index][0], reason, re.DOTALL)


def catalogue_entry(reason: str) -> int | None:
    """The index in ZH_REASONS of the entry that translates `reason` (a message without
    its location), or None when the catalogue does not know it."""
    for index, (pattern, _template) in enumerate(ZH_REASONS):
        if re.fullmatch(pattern, reason, flags=re.DOTALL):
            return index
    return None


def _reason_zh(reason: str) -> str | None:
    index = catalogue_entry(reason)
    if index is None:
        return None
    template = ZH_REASONS[index][1]
    match = re.fullmatch(ZH_REASONS[index][0], reason, flags=re.DOTALL)
    assert match is not None
    return template(match) if callable(template) else match.expand(template)


def _rules_zh(text: str) -> str | None:
    """A list of hard-rule names (a roster conflict) in Chinese, or None."""
    names = [n.strip() for n in text.split(",")]
    if not all(n in ZH_RULES for n in names):
        return None
    return "、".join(f"{ZH_RULES[n]}（{n}）" for n in names)


def _whole_reason(text: str) -> bool:
    """Whether `text` is one reason with ": " inside, met by a catalogue entry that begins
    with its own words ("workspace folder X cannot be created: why"): a location before
    it could not match, so nothing of it is to be peeled off as one."""
    index = catalogue_entry(text)
    pattern = "" if index is None else ZH_REASONS[index][0]
    return ": " in pattern and re.match(r"[a-z]{2,} ", pattern) is not None


def split_message(line: str) -> tuple[list[str], str]:
    """One line of a message as its locations in Chinese and its English reason: what
    comes before ": " is peeled off while it reads as a location."""
    text = line.strip()
    places: list[str] = []
    if not text:
        return places, text
    while True:
        where, sep, rest = text.partition(": ")
        if sep and _whole_reason(text):
            return places, text
        place = _location_zh(where) if sep else None
        if place is None and sep and _reason_zh(text) is None and _reason_zh(rest) is not None:
            place = where_in(where, "zh")  # a file named without an extension
        if place is None:
            return places, text
        places.append(place)
        text = rest


def _line_zh(line: str) -> str:
    """One line of a message in Chinese: its location parts, then its reason."""
    indent = line[:len(line) - len(line.lstrip())]
    if not line.strip():
        return line
    places, reason = split_message(line)
    shown = _reason_zh(reason) or _rules_zh(reason) or reason
    return indent + "：".join([*places, shown])


def message_in(text: str, lang: str) -> str:
    """An error or validation message from the libraries in the language `lang` (`en` or
    `zh`): every location part and every reason the catalogue knows translated, the named
    file, row, column, queue, agent and values kept as they are."""
    if lang != "zh":
        return text
    text = str(text)
    try:
        if "\n" in text:  # a detail over several lines (YAML), else one message a line
            _places, reason = split_message(text)
            if _reason_zh(reason) is not None:
                return _line_zh(text)
        return "\n".join(_line_zh(line) for line in text.split("\n"))
    except Exception:  # noqa: BLE001 - a message is shown as written rather than lost
        return text


def summary_in(text: str, lang: str) -> str:
    """An import summary (`ImportSummary` as text) with its `Note:` lines, what the import
    assumed, in the language `lang`; the figures' lines stay as written."""
    if lang != "zh":
        return text
    return "\n".join(f"说明：{message_in(line[6:].rstrip('.'), lang)}。"
                     if line.startswith("Note: ") else line for line in text.split("\n"))


def reason_in(reason: str, lang: str) -> str:
    """A reason without its location (a `HistoryError.reason`) in the language `lang`."""
    return message_in(reason, lang)
