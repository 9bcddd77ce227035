"""The Data page's column mapping: an export no profile fits is read by the guessed
mapping, the page asks where two readings are possible, and a saved mapping recognises
the next file with the same headers."""

from __future__ import annotations

import pytest
from dashboard_helpers import open_page

from dashboard.i18n import header, t

pytestmark = pytest.mark.usefixtures("local_server")


def export(start_headers: tuple[str, ...] = ("start_time",)) -> bytes:
    rows = [",".join((*start_headers, "queue", "channel", "handle_seconds", "wait_seconds",
                      "outcome"))]
    for i in range(40):
        stamp = f"2026-03-02 {8 + i // 4:02d}:{15 * (i % 4):02d}:00"
        rows.append(",".join((*[stamp] * len(start_headers), "sales", "电话",
                              str(100 + i), str(i % 30), "接通" if i % 5 else "放弃")))
    return ("\n".join(rows) + "\n").encode("utf-8")


def test_a_plain_export_is_read_by_the_guessed_mapping(plan):
    _, plan_id = plan
    at = open_page("data", plan_id)
    at.file_uploader[0].set_value(("export.csv", export(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    preview = at.dataframe[-1].value
    assert preview[header("contacts", "en")].sum() == 40
    rows = at.dataframe[0].value  # the first rows as the mapping reads them
    assert list(rows[t("role_channel", "en")].unique()) == ["voice"]
    assert set(rows[t("role_outcome", "en")]) <= {"answered", "abandoned"}
    assert rows[t("role_handle_time", "en")].iloc[0] == 100
    page = " ".join(str(e.value) for e in (*at.info, *at.warning, *at.caption, *at.markdown))
    assert "--profile" not in page


def test_two_start_columns_ask_and_the_choice_is_saved(plan):
    ws, plan_id = plan
    at = open_page("data", plan_id, lang="zh")
    data = export(("arrived_at", "created_time"))
    at.file_uploader[0].set_value(("crm.csv", data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert at.warning and "arrived_at / created_time" in at.warning[0].value
    assert t("mapping_missing", "zh", roles=t("role_start", "zh")) in at.info[0].value
    start = [s for s in at.selectbox if s.label == t("role_start", "zh")][0]
    start.set_value("created_time")
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    at.text_input(key="mapping_name").set_value("crm")
    at.button(key="save_mapping").click()
    at.run()
    assert not at.exception, at.exception
    assert (ws.folder / "profiles" / "crm.yaml").is_file()
    again = open_page("data", plan_id)
    again.file_uploader[0].set_value(("crm_next_week.csv", data, "text/csv"))
    again.run()
    assert not again.exception, again.exception
    assert any("crm" in i.value for i in again.info)
    assert again.dataframe[-1].value[header("contacts", "en")].sum() == 40
    assert "crm" in again.selectbox(key="profile").options  # and can be picked by name
    again.selectbox(key="profile").set_value("crm")
    again.run()
    assert not again.exception and not again.error
    assert "created_time" in again.text_area(key="profile_yaml_crm").value


def test_a_problem_names_file_row_and_column_in_the_chosen_language(plan):
    _, plan_id = plan
    at = open_page("data", plan_id, lang="zh")
    bad = export().decode().replace("2026-03-02 09:15:00", "yesterday", 1).encode()
    at.file_uploader[0].set_value(("bad.csv", bad, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    message = at.error[0].value
    assert "bad.csv" in message and "第 7 行" in message and "列“start_time”" in message
    assert "无法将 'yesterday' 读作日期时间" in message
    assert "--" not in message


def test_a_gbk_chinese_export_in_chinese_with_the_calendar_guessed(plan):
    _, plan_id = plan
    rows = ["开始时间,技能组,渠道,处理时长,等待时长,结果"]
    for day in range(21):
        for i in range(12):
            stamp = f"2026-03-{2 + day:02d} {8 + i:02d}:10:00"
            rows.append(f"{stamp},售后,{'在线' if i % 2 else '电话'},{100 + i},{i},"
                        f"{'接通' if i % 4 else '放弃'}")
    data = ("\n".join(rows) + "\n").encode("gbk")
    at = open_page("data", plan_id, lang="zh")
    at.file_uploader[0].set_value(("导出.csv", data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    country = [x for x in at.text_input if x.label == t("holiday_country", "zh")][0]
    assert country.value == "CN"
    assert "252" in at.success[0].value  # rows read, in the Chinese summary


@pytest.mark.parametrize("body", [
    "start_time,queue\n",  # header only
    "start_time,queue,channel\n2026-03-02 08:00:00,sales,fax\n",  # unknown channel
    "start_time,queue\n2026-03-02 08:00:00,\n",  # empty queue
    "start_time,queue\n2026-03-02 08:00:00,sales,extra\n",  # a field too many
])
def test_common_import_reasons_are_translated(tmp_path, body):
    from dashboard.messages import reason_in
    from forecasting.history import HistoryError, ingest

    path = tmp_path / "f.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(HistoryError) as info:
        ingest(path)
    reason = info.value.reason
    assert reason_in(reason, "en") == reason
    translated = reason_in(reason, "zh")
    assert translated != reason and not translated.isascii(), reason


def test_the_forecast_page_lists_the_assumed_calendar(plan):
    from planning.plans import plan_settings, save_settings

    ws, plan_id = plan
    settings = plan_settings(ws, plan_id)
    settings.country, settings.shopping = "IL", False
    settings.country_reason = "guessed: the weekend falls on Friday and Saturday"
    save_settings(ws, plan_id, settings)
    at = open_page("forecast", plan_id)
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    assert t("assumed_header", "en") in text
    assert t("assumed_country_guessed", "en", country="IL",
             reason="the weekend falls on Friday and Saturday") in text
    assert t("assumed_shopping_off", "en") in text


def test_a_recognised_export_can_be_mapped_by_hand(plan):
    _, plan_id = plan
    rows = ["Interval Start,Queue,Media Type,Offered,Handled,Total Handle Time"]
    for i in range(8):
        rows.append(f"2026-03-02 {8 + i // 2:02d}:{30 * (i % 2):02d},sales,voice,{10 + i},"
                    f"{10 + i},{(10 + i) * 200}")
    at = open_page("data", plan_id)
    at.file_uploader[0].set_value(("genesys.csv", ("\n".join(rows) + "\n").encode(),
                                   "text/csv"))
    at.run()
    assert any("genesys" in i.value for i in at.info)
    [box for box in at.checkbox if box.label == t("mapping_own", "en")][0].check()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    offered = [s for s in at.selectbox if s.label == t("role_offered", "en")][0]
    assert offered.value == "Offered"
    assert at.dataframe[-1].value[header("contacts", "en")].sum() == sum(range(10, 18))


def test_the_israeli_bank_upload_is_given_israels_calendar(plan, shared_data):
    _, plan_id = plan
    at = open_page("data", plan_id)
    data = (shared_data / "anonymous_bank_feb1999_calls.tsv").read_bytes()
    at.file_uploader[0].set_value(("anonymous_bank_feb1999_calls.tsv", data, "text/plain"))
    at.run()
    assert not at.exception, at.exception
    assert any("anonymous_bank" in i.value for i in at.info)
    country = [x for x in at.text_input if x.label == t("holiday_country", "en")][0]
    assert country.value == "IL"
    shopping = [c for c in at.checkbox if c.label == t("shopping_events", "en")][0]
    assert not shopping.value


def test_a_contact_id_column_counts_a_copied_record_once(plan):
    _, plan_id = plan
    lines = export().decode("utf-8").splitlines()
    rows = [f"{lines[0]},call_id"] + [f"{line},c{i}" for i, line in enumerate(lines[1:])]
    rows.append(rows[5])  # the system exported one record twice
    at = open_page("data", plan_id)
    at.file_uploader[0].set_value(("calls.csv", ("\n".join(rows) + "\n").encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    chosen = [s for s in at.selectbox if s.label == t("role_contact_id", "en")]
    assert chosen and chosen[0].value == "call_id"
    assert at.dataframe[-1].value[header("contacts", "en")].sum() == 40


def test_rows_left_out_are_explained_in_chinese(plan):
    _, plan_id = plan
    lines = export().decode("utf-8").splitlines()
    rows = [f"{lines[0]},call_id"] + [f"{line},c{i}" for i, line in enumerate(lines[1:])]
    rows.append(rows[5])
    at = open_page("data", plan_id, lang="zh")
    at.file_uploader[0].set_value(("calls.csv", ("\n".join(rows) + "\n").encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    reasons = [str(v) for frame in at.dataframe for column in frame.value.columns
               if column == header("reason", "zh") for v in frame.value[column]]
    assert "重复记录（来话编号相同）" in reasons, reasons
