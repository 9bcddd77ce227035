"""The dashboard switched to Chinese: table headers, figure axes and date formats
translated, while saved frames and downloads keep the planner's column names."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from dashboard_helpers import PAGES, open_page

from dashboard import figures
from dashboard.i18n import COLUMNS, date_axis, from_headers, header, headers

pytestmark = pytest.mark.usefixtures("local_server")

DESIGN_COLUMNS = {
    "queue", "interval_start", "contacts", "aht_seconds", "answered", "abandoned",
    "asa_seconds", "service_level", "agents", "contacts_lo", "contacts_hi", "model", "staff",
    "occupancy", "channel", "target_seconds", "max_occupancy", "shrinkage", "concurrency",
    "patience_seconds", "agent_id", "date", "shift", "start", "end", "breaks", "required",
    "scheduled", "abandon_rate"}


def _switch_to_chinese(page: str, plan_id: int):
    at = open_page(page, plan_id, lang="en")
    at.sidebar.selectbox(key="lang").set_value("zh")
    at.run()
    assert not at.exception, at.exception
    return at


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _assert_chinese_date_axis(layout: dict) -> None:
    axis = layout["xaxis"]
    assert axis["hoverformat"] == "%Y-%m-%d %H:%M"
    formats = [stop["value"] for stop in axis["tickformatstops"]]
    assert "%m月%d日" in formats
    assert not any(code in f for f in formats for code in ("%b", "%B", "%a", "%A"))


def test_every_design_column_has_both_headers():
    for column in DESIGN_COLUMNS:
        en, zh = COLUMNS[column]
        assert en and _is_chinese(zh), column
    frame = pd.DataFrame(columns=sorted(DESIGN_COLUMNS))
    shown = headers(frame, "zh")
    assert all(_is_chinese(c) or c == "WAPE" for c in shown.columns)
    assert shown.columns.is_unique
    assert list(from_headers(shown, frame.columns, "zh").columns) == list(frame.columns)


def test_roster_page_in_chinese(plan):
    _, plan_id = plan
    at = _switch_to_chinese("roster", plan_id)
    assert at.title[0].value == "排班表"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["求解状态"] == "可行"
    tables = [list(d.value.columns) for d in at.dataframe]
    assert ["坐席编号", "规则", "详情"] in tables
    assert ["坐席编号", "日期", "班次", "开始", "结束", "队列", "休息"] in tables
    assert not any(c in DESIGN_COLUMNS | {"rule", "detail"} for cols in tables for c in cols)
    gantt, coverage = _figures(at)
    _assert_chinese_date_axis(gantt["layout"])
    _assert_chinese_date_axis(coverage["layout"])
    assert coverage["layout"]["xaxis"]["title"]["text"] == "时段开始"
    assert {tr["name"] for tr in coverage["data"]} == {"需求", "已排"}


def test_forecast_page_in_chinese(plan):
    _, plan_id = plan
    at = _switch_to_chinese("forecast", plan_id)
    assert at.title[0].value == "来话预测"
    (fig,) = _figures(at)
    _assert_chinese_date_axis(fig["layout"])
    assert fig["layout"]["xaxis"]["title"]["text"] == "时段开始"
    assert fig["layout"]["yaxis"]["title"]["text"] == "来话量"
    names = [tr.get("name") for tr in fig["data"] if tr.get("showlegend", True)]
    assert names == ["历史", "80% 预测区间", "预测"]
    assert at.dataframe[0].value.index.name == "模型"
    assert "2026年10月19日 周一" in at.caption[0].value


def test_tables_of_other_pages_have_chinese_headers(plan):
    _, plan_id = plan
    for page in ("requirements", "response", "plans"):
        at = open_page(page, plan_id, lang="zh")
        for table in at.dataframe:
            assert all(_is_chinese(str(c)) for c in table.value.columns), \
                (page, list(table.value.columns))
    at = open_page("data", plan_id, lang="zh")
    (daily, _) = _figures(at)
    assert daily["layout"]["xaxis"]["hoverformat"] == "%Y-%m-%d"
    assert PAGES


@pytest.mark.slow
def test_queue_settings_saved_in_chinese_keep_their_column_names(plan):
    ws, plan_id = plan
    before = list(ws.load_frame(plan_id, "queue_settings").columns)
    at = open_page("requirements", plan_id, lang="zh")
    at.button(key="save_queue_settings").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    after = list(ws.load_frame(plan_id, "queue_settings").columns)
    # the checked settings may gain columns with defaults (open_hours), never lose or
    # translate one
    assert after[:len(before)] == before
    assert not any(_is_chinese(c) for c in after)
    assert header("queue", "zh") not in ws.load_frame(plan_id, "requirements").columns


def test_figures_keep_plotly_formats_in_english():
    stamps = pd.date_range("2026-10-19", periods=96, freq="30min")
    cov = pd.DataFrame({"queue": "q", "interval_start": stamps, "required": 2.0,
                        "scheduled": 1.0})
    fig = figures.coverage_figure(cov, "q", lang="en")
    assert fig.layout.xaxis.hoverformat is None and not fig.layout.xaxis.tickformatstops
    assert date_axis("en") == {}
