"""Numbers, times, dates and names the way a planner reads them, in English or Chinese.

The one formatting module of the dashboard: every card and table writes its values
through these helpers, so no page shows ∞, None, NaN or an unrounded float.

- `num` counts and hours with thousands separators; `pct` rates (0-1) as percentages;
  `duration` waits in seconds (`34 s`) or minutes and seconds (`2:05`, `1:02:05`);
- `day`, `stamp`, `weekday_name` dates and times of day;
- `event_name` holidays and shopping events by their names, not their ids;
- `nobody_note` what to say instead of an infinite wait.

A value that is missing or infinite is written "–" (the pages say why next to it).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"
MISSING = "–"

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}

# Calendar ids (forecasting.calendar: holidays of the `holidays` package made into ids,
# shopping festivals, make-up working days) -> (English, Chinese).
EVENT_NAMES: dict[str, tuple[str, str]] = {
    "new_year_s_day": ("New Year's Day", "元旦"),
    "new_year": ("New Year's Day", "元旦"),
    "spring_festival": ("Spring Festival", "春节"),
    "chinese_new_year_spring_festival": ("Spring Festival", "春节"),
    "tomb_sweeping_day": ("Tomb-Sweeping Day", "清明节"),
    "labor_day": ("Labour Day", "劳动节"),
    "labour_day": ("Labour Day", "劳动节"),
    "dragon_boat_festival": ("Dragon Boat Festival", "端午节"),
    "mid_autumn_festival": ("Mid-Autumn Festival", "中秋节"),
    "national_day": ("National Day", "国庆节"),
    "makeup_workday": ("make-up working day", "调休上班日"),
    "double_11": ("Double 11", "双十一"),
    "double11": ("Double 11", "双十一"),
    "double_12": ("Double 12", "双十二"),
    "double12": ("Double 12", "双十二"),
    "618": ("618 festival", "618 大促"),
    "holiday": ("public holiday", "公共假日"),
}


def current_language() -> str:
    """The language chosen in the sidebar (English outside a Streamlit session)."""
    try:
        import streamlit as st

        lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    except Exception:  # noqa: BLE001 - no session: a figure built in a test or script
        lang = DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _lang(lang: str | None) -> str:
    return lang or current_language()


def _missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA and infinities: nothing a planner can read."""
    if value is None:
        return True
    try:
        number = float(value)
    except (TypeError, ValueError):
        return True
    return not math.isfinite(number)


def num(value: float | int | None, decimals: int = 0, lang: str | None = None) -> str:
    """A number with thousands separators (both locales group by three with commas);
    "–" when missing or infinite."""
    if _missing(value):
        return MISSING
    text = f"{float(value):,.{decimals}f}"
    return "0" if decimals == 0 and text in ("-0", "−0") else text


def pct(value: float | None, decimals: int = 1, lang: str | None = None) -> str:
    """A rate (0-1) as a percentage; "–" when missing."""
    if _missing(value):
        return MISSING
    return f"{float(value) * 100:.{decimals}f}%"


def hours(value: float | None, lang: str | None = None) -> str:
    """Hours (agent-hours, paid hours): whole hours from 100 up, one decimal below."""
    if _missing(value):
        return MISSING
    value = float(value)
    return num(value, 0 if abs(value) >= 100 else 1)


def duration(seconds: float | None, lang: str | None = None) -> str:
    """A wait or handling time: `34 s` (`34 秒`) below 100 seconds, else `m:ss` or
    `h:mm:ss`; "–" when missing or infinite."""
    if _missing(seconds):
        return MISSING
    total = max(float(seconds), 0.0)
    if total < 100:
        return f"{total:.0f} 秒" if _lang(lang) == "zh" else f"{total:.0f} s"
    whole = int(round(total))
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def change(value: float | None, kind: str = "number", lang: str | None = None) -> str:
    """A difference against a baseline with its sign: `+1.5 pp` for rates, `+12 s` for
    times, `+3` otherwise; "" for no change, "–" when missing."""
    if _missing(value):
        return MISSING
    value = float(value)
    if kind == "rate":
        if abs(value) < 0.0005:
            return ""
        return f"{value * 100:+.1f} pp" if _lang(lang) != "zh" else f"{value * 100:+.1f} 个百分点"
    if abs(value) < 0.05:
        return ""
    if kind == "seconds":
        sign = "+" if value > 0 else "−"
        return sign + duration(abs(value), lang)
    return f"{value:+,.0f}" if abs(value) >= 10 else f"{value:+,.1f}"


def day(value: Any, lang: str | None = None) -> str:
    """A date: `Mon 19 Oct 2026` or `2026年10月19日 周一`."""
    lang = _lang(lang)
    moment = _as_datetime(value)
    weekday = _WEEKDAYS[lang if lang in _WEEKDAYS else "en"][moment.weekday()]
    if lang == "zh":
        return f"{moment.year}年{moment.month}月{moment.day}日 {weekday}"
    return f"{weekday} {moment.day} {moment.strftime('%b')} {moment.year}"


def short_day(value: Any, lang: str | None = None) -> str:
    """A date in a table column or chart axis: `Wed 11.11` or `11月11日 周三`."""
    lang = _lang(lang)
    moment = _as_datetime(value)
    weekday = _WEEKDAYS[lang if lang in _WEEKDAYS else "en"][moment.weekday()]
    if lang == "zh":
        return f"{moment.month}月{moment.day}日 {weekday}"
    return f"{weekday} {moment.month}.{moment.day:02d}"


def stamp(value: Any, lang: str | None = None) -> str:
    """A date and time of day: `Mon 19 Oct 2026 09:30` or `2026年10月19日 周一 09:30`."""
    moment = _as_datetime(value)
    return f"{day(moment, lang)} {moment.strftime('%H:%M')}"


def weekday_name(weekday: int, lang: str | None = None) -> str:
    """Short weekday name, Monday = 0."""
    lang = _lang(lang)
    return _WEEKDAYS[lang if lang in _WEEKDAYS else "en"][weekday]


def event_name(event: Any, lang: str | None = None) -> str:
    """A holiday or shopping event by its name (`national_day` -> National Day / 国庆节);
    ids the table does not know are written with spaces (`summer_sale` -> summer sale)."""
    if _missing(event) and not isinstance(event, str):
        return MISSING
    text = str(event)
    key = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    pair = EVENT_NAMES.get(key) or EVENT_NAMES.get(key.replace("_", ""))
    if pair is None:
        return text.replace("_", " ")
    return pair[1] if _lang(lang) == "zh" else pair[0]


def nobody_note(intervals: int, lang: str | None = None) -> str:
    """What a card says instead of an infinite wait: contacts arrive while nobody is on
    line (or the backlog is never cleared) in that many intervals."""
    if _lang(lang) == "zh":
        return f"{intervals:,} 个时段无人在线"
    return f"nobody on line in {intervals:,} interval{'s' if intervals != 1 else ''}"


def _as_datetime(value: Any) -> _dt.datetime:
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    import pandas as pd

    return pd.Timestamp(value).to_pydatetime()


_SOLVER_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"agent by agent \((\d+) pass(?:es)? of one small exact model per agent\), then one "
     r"CP-SAT model over all agents",
     r"逐个坐席求解（\1 轮，每人一个小型精确模型），再用一个覆盖全体坐席的 CP-SAT 模型"),
    (r"by queue group and team: (\d+) models over (\d+) independent queue groups?",
     r"按队列组和班组拆分：\2 个独立队列组共 \1 个模型"),
    (r"by queue group: (\d+) models over (\d+) independent queue groups?",
     r"按队列组拆分：\2 个独立队列组共 \1 个模型"),
    (r"one CP-SAT model", "一个 CP-SAT 模型"),
    (r"one model", "一个模型"),
    (r", then column generation and a dive", "，再做列生成与下潜"),
    (r", then a roster LNS around it", "，再围绕其做大邻域搜索"),
    (r"queues ", "队列 "),
    (r" team ", " 班组 "),
    (r" ?\((\d+) agents\)", r"（\1 名坐席）"),
)


def solver_description(text: Any, lang: str | None = None) -> str:
    """How the roster was found (the roster library's `decomposition`), in the chosen
    language; English as the library writes it."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    out = str(text)
    if _lang(lang) != "zh":
        return out
    for pattern, replacement in _SOLVER_PATTERNS:
        out = re.sub(pattern, replacement, out)
    return out.replace(" -- ", "——").replace("; ", "；")


RATE_COLUMNS = ("service_level", "abandon_rate", "occupancy", "max_occupancy", "shrinkage",
                "target_service_level", "service_level_gap", "coverage", "wape",
                "covered_pct")
SECONDS_COLUMNS = ("asa_seconds", "wait_p90_seconds", "first_response_seconds",
                   "aht_seconds", "target_seconds", "patience_seconds")
WHOLE_COLUMNS = ("intervals", "intervals_below_target", "intervals_short", "rostered_agents",
                 "missing_agents_max", "agents", "rows", "count")
DAY_COLUMNS = ("date", "period_start")
TIME_COLUMNS = ("interval_start",)


def column_formatter(column: str, lang: str | None = None) -> Any:
    """How a frame column is written in a table, by its planner's name: rates as %,
    times as s or m:ss, counts whole, other numbers with one decimal, dates by `day`."""
    def rate(v: Any) -> str:
        return pct(v, lang=lang)

    def seconds(v: Any) -> str:
        return duration(v, lang)

    def whole(v: Any) -> str:
        return num(v, 0, lang)

    def one(v: Any) -> str:
        if isinstance(v, bool):
            return "✓" if v else ""
        if isinstance(v, str):
            return v
        return num(v, 1, lang)

    def date(v: Any) -> str:
        return MISSING if _missing_date(v) else day(v, lang)

    def moment(v: Any) -> str:
        return MISSING if _missing_date(v) else stamp(v, lang)

    if column in RATE_COLUMNS:
        return rate
    if column in SECONDS_COLUMNS:
        return seconds
    if column in WHOLE_COLUMNS:
        return whole
    if column in DAY_COLUMNS:
        return date
    if column in TIME_COLUMNS:
        return moment
    return one


def _missing_date(value: Any) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
