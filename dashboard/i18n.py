"""Labels in English and Simplified Chinese, and numbers and dates in the chosen locale.

Every label the app shows goes through `t(key)`; `LABELS` is the one
dictionary (key -> English, Chinese), joined from the tables in `labels_pages`,
`labels_access` and `labels_planning`; table headers and solver statuses are in
`column_labels`. Numbers, times, dates and event names are
written by `dashboard.formatting` (re-exported here: `num`, `pct`, `duration`, `day`,
`stamp`, `event_name`).
"""

from __future__ import annotations

from typing import Any

from dashboard.column_labels import COLUMNS, STATUSES
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
from dashboard.labels_access import ACCESS_LABELS
from dashboard.labels_pages import PAGE_LABELS
from dashboard.labels_planning import PLANNING_LABELS

# key -> (English, Chinese): every label of the app, from its tables
LABELS: dict[str, tuple[str, str]] = {**PAGE_LABELS, **ACCESS_LABELS, **PLANNING_LABELS}


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
