"""Import of contact history: shipped profiles, formats, encodings, zero-filled grid."""

from __future__ import annotations

import gzip
import math
from datetime import datetime, time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.history import ingest, load_profile, shipped_profiles

HERE = Path(__file__).resolve().parent / "data" / "ingest"
BANK = "anonymous_bank_feb1999_calls.tsv"


def row(history: pd.DataFrame, queue: str, start: str) -> pd.Series:
    hit = history[(history["queue"] == queue)
                  & (history["interval_start"] == pd.Timestamp(start))]
    assert len(hit) == 1, (queue, start)
    return hit.iloc[0]


# --- the Anonymous Bank log, checked against an independent pandas computation ----------

@pytest.fixture(scope="module")
def bank_log(shared_data: Path) -> pd.DataFrame:
    log = pd.read_csv(shared_data / BANK, sep="\t", dtype=str)
    log["offered"] = (log["outcome"] == "AGENT") | (
        (log["outcome"] == "HANG") & (log["q_start"] != "0:00:00"))
    log["start"] = pd.to_datetime(log["date"] + " " + log["vru_entry"],
                                  format="%y%m%d %H:%M:%S")
    return log


@pytest.fixture(scope="module")
def bank(shared_data: Path):
    return ingest(shared_data / BANK, interval="30min")


def test_bank_log_is_recognised_without_a_profile(bank) -> None:
    assert bank.profile.name == "anonymous_bank"
    assert bank.summary.kind == "contacts"
    assert bank.channels == {q: "voice" for q in ("IN", "NE", "NW", "PE", "PS", "TT")}


def test_bank_per_queue_totals_match_the_log(bank, bank_log: pd.DataFrame) -> None:
    offered = bank_log[bank_log["offered"]]
    answered = offered[offered["outcome"] == "AGENT"]
    got = bank.history.groupby("queue")
    pd.testing.assert_series_equal(got["contacts"].sum(), offered.groupby("type").size(),
                                   check_names=False)
    pd.testing.assert_series_equal(got["answered"].sum(), answered.groupby("type").size(),
                                   check_names=False)
    pd.testing.assert_series_equal(
        got["abandoned"].sum(), (offered["outcome"] == "HANG").groupby(offered["type"]).sum(),
        check_names=False)
    assert 19_500 < got["contacts"].sum()["PS"] < 20_500  # "about 20,000" PS calls
    assert got["contacts"].sum()["PS"] == 20_027
    # AHT of the whole month per queue, rebuilt from interval AHT x answered
    h = bank.history
    talk = (h["aht_seconds"].fillna(0) * h["answered"]).groupby(h["queue"]).sum()
    expected = answered["ser_time"].astype(float).groupby(answered["type"]).sum()
    np.testing.assert_allclose(talk.loc[expected.index], expected, rtol=1e-9)


def test_bank_summary_counts_every_row(bank, bank_log: pd.DataFrame) -> None:
    s = bank.summary
    assert s.rows_read == len(bank_log) == 33_344
    assert s.rows_used == int(bank_log["offered"].sum()) == 31_125
    assert s.excluded == {"hung up in the voice menu": 1_941, "phantom call": 278}
    assert s.rows_read == s.rows_used + s.rows_excluded
    text = str(s)
    assert "33,344 rows read; 31,125 contacts used; 2,219 excluded" in text
    assert "1,941 hung up in the voice menu, 278 phantom call" in text


def test_bank_intervals_match_an_independent_groupby(bank, bank_log: pd.DataFrame) -> None:
    offered = bank_log[bank_log["offered"] & (bank_log["type"] == "PS")].copy()
    offered["interval_start"] = offered["start"].dt.floor("30min")
    answered = offered[offered["outcome"] == "AGENT"]
    per = offered.groupby("interval_start").size()
    asa = answered.groupby("interval_start")["q_time"].apply(lambda s: s.astype(float).mean())
    within = (answered["q_time"].astype(int) <= 20).groupby(answered["interval_start"]).sum()
    ps = bank.history[bank.history["queue"] == "PS"].set_index("interval_start")
    assert (ps.loc[per.index, "contacts"] == per).all()
    assert ps["contacts"].drop(per.index).eq(0).all()
    np.testing.assert_allclose(ps.loc[asa.index, "asa_seconds"], asa)
    sl = within.reindex(per.index, fill_value=0) / per
    np.testing.assert_allclose(ps.loc[per.index, "service_level"], sl)


def test_bank_grid_is_full_and_zero_filled(bank) -> None:
    h = bank.history
    assert list(h.columns) == ["queue", "interval_start", "contacts", "aht_seconds", "answered",
                               "abandoned", "asa_seconds", "service_level", "agents"]
    assert len(h) == 6 * 28 * 48
    for _, one in h.groupby("queue"):
        starts = one["interval_start"]
        assert starts.iloc[0] == pd.Timestamp("1999-02-01 00:00")
        assert starts.iloc[-1] == pd.Timestamp("1999-02-28 23:30")
        assert starts.diff().dropna().eq(pd.Timedelta("30min")).all()
    night = row(h, "PS", "1999-02-01 03:00")
    assert night["contacts"] == 0 and night["answered"] == 0 and night["agents"] == 0
    assert math.isnan(night["aht_seconds"]) and math.isnan(night["service_level"])


@pytest.mark.parametrize(("interval", "per_day"), [("15min", 96), ("60min", 24)])
def test_bank_other_intervals_keep_the_totals(shared_data: Path, bank, interval: str,
                                              per_day: int) -> None:
    other = ingest(shared_data / BANK, interval=interval).history
    assert len(other) == 6 * 28 * per_day
    assert other["contacts"].sum() == bank.history["contacts"].sum() == 31_125


def test_small_bank_log_by_hand() -> None:
    result = ingest(HERE / "bank_small.tsv", profile="anonymous_bank", interval="60min")
    h = result.history
    assert result.summary.excluded == {"phantom call": 1, "hung up in the voice menu": 1}
    eight = row(h, "PS", "1999-02-01 08:00")  # 8:09 HANG (queued), 8:19, 8:29, 8:39, 8:55
    assert (eight["contacts"], eight["answered"], eight["abandoned"]) == (5, 4, 1)
    assert eight["aht_seconds"] == pytest.approx((104 + 294 + 148 + 376) / 4)
    assert eight["asa_seconds"] == pytest.approx((34 + 68 + 0 + 12) / 4)
    assert eight["service_level"] == pytest.approx(2 / 5)  # waits 0 and 12 within 20 s
    assert eight["agents"] == 2  # MICHAL twice, KAZAV twice
    seven = row(h, "PS", "1999-02-01 07:00")
    assert seven["agents"] == 1  # DORIT; NO_SERVER is not an agent
    assert h["interval_start"].max() == pd.Timestamp("1999-02-01 23:00")  # phantom day dropped


# --- shipped interval profiles --------------------------------------------------------

def test_genesys_export_is_recognised_and_weighted() -> None:
    result = ingest(HERE / "genesys_intervals.csv", interval="60min")
    assert result.profile.name == "genesys"
    assert result.channels == {"Sales": "voice", "Support": "chat"}
    h = result.history
    sales = row(h, "Sales", "2026-03-02 08:00")
    assert (sales["contacts"], sales["answered"], sales["abandoned"]) == (14, 13, 1)
    assert sales["aht_seconds"] == pytest.approx((2700 + 1000) / 13)
    assert sales["asa_seconds"] == pytest.approx((12 * 9 + 30 * 4) / 13)
    assert sales["service_level"] == pytest.approx((0.8 * 10 + 0.5 * 4) / 14)
    support = row(h, "Support", "2026-03-02 09:00")
    assert support["aht_seconds"] == 600  # "0:10:00" over one handled contact
    assert math.isnan(support["asa_seconds"])
    assert len(h) == 2 * 2 * 24  # two queues, two days, full grid
    assert row(h, "Support", "2026-03-03 12:00")["contacts"] == 0


def test_genesys_keeps_its_own_interval_by_default() -> None:
    result = ingest(HERE / "genesys_intervals.csv")
    assert result.summary.interval == "30min"
    assert row(result.history, "Sales", "2026-03-02 08:30")["aht_seconds"] == 250


def test_a_queue_on_two_channels_is_split(tmp_path: Path) -> None:
    text = (HERE / "genesys_intervals.csv").read_text() + "2026-03-02 08:00,Sales,chat,3,3,0," \
        "600,,\n"
    path = tmp_path / "genesys.csv"
    path.write_text(text)
    result = ingest(path)
    assert set(result.history["queue"]) == {"Sales (voice)", "Sales (chat)", "Support"}
    assert row(result.history, "Sales (chat)", "2026-03-02 08:00")["contacts"] == 3
    assert any("split per channel" in note for note in result.summary.notes)


def test_injixo_gbk_semicolon_file() -> None:
    result = ingest(HERE / "injixo_gbk.csv", interval="30min")
    assert result.profile.name == "injixo"
    h = result.history
    assert set(h["queue"]) == {"售前咨询", "售后服务"}
    pre = row(h, "售前咨询", "2026-03-02 08:00")
    assert (pre["contacts"], pre["answered"]) == (30, 28)
    assert pre["aht_seconds"] == pytest.approx((18 * 240 + 10 * 180) / 28)
    assert row(h, "售后服务", "2026-03-03 23:30")["contacts"] == 1
    assert "abandoned" not in h and "service_level" not in h
    assert ingest(HERE / "injixo_gbk.csv").summary.interval == "15min"


def test_own_format_sample_round_trip(sample_dir: Path, tmp_path: Path) -> None:
    path = sample_dir / "history.csv"
    if not path.exists():
        pytest.skip("data/sample/history.csv not generated yet")
    sample = pd.read_csv(path, parse_dates=["interval_start"])
    result = ingest(path)
    assert result.profile.name == "wfm" and result.summary.interval == "15min"
    h = result.history
    assert set(h["queue"]) == {"presales_chat", "aftersales_chat", "order_hotline", "email"}
    got = h.set_index(["queue", "interval_start"])["contacts"]
    want = sample.set_index(["queue", "interval_start"])["contacts"]
    assert (got.loc[want.index] == want).all()
    hourly = ingest(path, interval="60min").history
    assert hourly["contacts"].sum() == sample["contacts"].sum()
    busy = sample[sample["contacts"] > 0]
    q = busy["queue"].iloc[0]
    day = busy[busy["queue"] == q]
    hour = day["interval_start"].iloc[0].floor("60min")
    part = day[day["interval_start"].dt.floor("60min") == hour]
    expected = (part["aht_seconds"] * part["contacts"]).sum() / part["contacts"].sum()
    assert row(hourly, q, str(hour))["aht_seconds"] == pytest.approx(expected)


def test_own_format_reads_its_own_output_as_parquet(tmp_path: Path) -> None:
    first = ingest(HERE / "bank_small.tsv", interval="30min").history
    path = tmp_path / "history.parquet"
    first.to_parquet(path)
    again = ingest(path)
    assert again.profile.name == "wfm"
    pd.testing.assert_frame_equal(again.history, first, check_dtype=False)


# --- a planner's own profile, encodings, delimiters, Excel, gzip -------------------------

def check_chat(history: pd.DataFrame) -> None:
    first = row(history, "presales_chat", "2026-03-02 08:00")
    assert (first["contacts"], first["answered"], first["abandoned"]) == (2, 1, 1)
    assert first["aht_seconds"] == 300 and first["asa_seconds"] == 5
    assert first["service_level"] == 0.5  # answered within 30 s / offered
    voicemail = row(history, "presales_chat", "2026-03-02 09:30")
    assert (voicemail["contacts"], voicemail["answered"]) == (1, 0)
    assert math.isnan(voicemail["aht_seconds"]) and voicemail["service_level"] == 0
    mail = row(history, "email", "2026-03-02 09:00")
    assert (mail["contacts"], mail["aht_seconds"], mail["asa_seconds"]) == (1, 600, 3600)
    assert len(history) == 2 * 48
    assert "Customer Email" not in history.columns
    assert not history.isin(["li.wei@example.com"]).any().any()


def test_own_profile_on_a_bom_csv() -> None:
    result = ingest(HERE / "chat_log_bom.csv", profile=HERE / "chat_log.yaml")
    check_chat(result.history)
    assert result.summary.excluded == {"spam": 1}
    assert result.summary.rows_read == 6 and result.summary.rows_used == 5
    assert result.channels == {"presales_chat": "chat", "email": "email"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_delimiters_and_encodings_are_detected(tmp_path: Path, delimiter: str,
                                               encoding: str) -> None:
    text = (HERE / "chat_log_bom.csv").read_text(encoding="utf-8-sig")
    text = text.replace("presales_chat", "售前咨询").replace(",", delimiter)
    path = tmp_path / "log.txt"
    path.write_bytes(text.encode(encoding))
    result = ingest(path, profile=HERE / "chat_log.yaml")
    check_chat(result.history.replace({"queue": {"售前咨询": "presales_chat"}}))


def test_gbk_beyond_the_detection_sample_falls_back(tmp_path: Path) -> None:
    header = "queue,interval_start,contacts,aht_seconds\n"
    ascii_rows = "".join(f"a,2026-03-02 {h:02d}:00,1,60\n" for h in range(24)) * 2_000
    path = tmp_path / "late_gbk.csv"
    path.write_bytes((header + ascii_rows + "售后,2026-03-03 08:00,2,90\n").encode("gbk"))
    result = ingest(path)
    assert "售后" in set(result.history["queue"])
    assert any("GBK" in note for note in result.summary.notes)


@pytest.mark.parametrize("date", ["2026-03-02", "2026/3/2", "02.03.2026", "20260302",
                                  "2026年3月2日"])
def test_date_formats_are_recognised(tmp_path: Path, date: str) -> None:
    path = tmp_path / "injixo.csv"
    path.write_text("Queue;Date;Time;IncomingCalls;AnsweredCalls;AHT\n"
                    f"q;{date};8:00;4;4;120\nq;{date};08:30:00;2;2;60\n", encoding="utf-8")
    h = ingest(path).history
    assert row(h, "q", "2026-03-02 08:00")["contacts"] == 4
    assert row(h, "q", "2026-03-02 08:30")["aht_seconds"] == 60


def test_gzip_csv(tmp_path: Path) -> None:
    path = tmp_path / "log.csv.gz"
    path.write_bytes(gzip.compress((HERE / "chat_log_bom.csv").read_bytes()))
    check_chat(ingest(path, profile=HERE / "chat_log.yaml").history)


def test_excel_with_typed_cells(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    log = pd.read_csv(HERE / "chat_log_bom.csv", encoding="utf-8-sig")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(log.columns))
    for values in log.itertuples(index=False):
        cells = [None if isinstance(v, float) and math.isnan(v) else v for v in values]
        cells[0] = datetime.fromisoformat(cells[0])
        sheet.append(cells)
    sheet.append([None] * len(log.columns))  # a trailing empty row is ignored
    path = tmp_path / "log.xlsx"
    book.save(path)
    check_chat(ingest(path, profile=HERE / "chat_log.yaml").history)


def test_excel_date_and_time_cells(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Queue", "Date", "Time", "IncomingCalls", "AnsweredCalls", "AHT"])
    sheet.append(["售前咨询", datetime(2026, 3, 2), time(8, 0), 20, 18, 240])
    sheet.append(["售前咨询", datetime(2026, 3, 2), time(8, 15), 10, 10, "0:03:00"])
    path = tmp_path / "injixo.xlsx"
    book.save(path)
    h = ingest(path, interval="30min").history
    first = row(h, "售前咨询", "2026-03-02 08:00")
    assert first["contacts"] == 30
    assert first["aht_seconds"] == pytest.approx((18 * 240 + 10 * 180) / 28)


def test_zero_filled_intervals(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("queue,interval_start,contacts,aht_seconds\n"
                    "email,2026-03-02 09:00,3,300\nemail,2026-03-03 17:30,1,\n")
    h = ingest(path, interval="30min").history
    assert len(h) == 96
    assert h["contacts"].tolist().count(0) == 94
    assert h.loc[h["contacts"] == 0, "aht_seconds"].isna().all()
    assert h["interval_start"].is_monotonic_increasing


def test_timestamps_with_offsets_keep_the_clock_or_convert(tmp_path: Path) -> None:
    path = tmp_path / "utc.csv"
    path.write_text("Interval Start,Queue,Media Type,Offered,Handled,Total Handle Time\n"
                    "2026-03-02T00:30:00.000Z,Sales,voice,5,5,1500\n")
    kept = ingest(path)
    assert row(kept.history, "Sales", "2026-03-02 00:30")["contacts"] == 5
    assert any("UTC offset" in note for note in kept.summary.notes)
    profile = load_profile("genesys")
    shanghai = profile.__class__(**{**profile.__dict__, "timezone": "Asia/Shanghai"})
    moved = ingest(path, profile=shanghai)
    assert row(moved.history, "Sales", "2026-03-02 08:30")["contacts"] == 5


def test_every_shipped_profile_is_exercised() -> None:
    assert set(shipped_profiles()) == {"anonymous_bank", "genesys", "injixo", "wfm"}
    for name in shipped_profiles():
        assert load_profile(name).detect, name


def test_headers_match_ignoring_case_and_spaces(tmp_path: Path) -> None:
    path = tmp_path / "loose.csv"
    path.write_text(" QUEUE , Interval_Start ,contacts,AHT_seconds,notes,notes\n"
                    "q,2026-03-02 08:00,2,60,a,b\n")
    result = ingest(path)
    assert result.profile.name == "wfm"
    assert row(result.history, "q", "2026-03-02 08:00")["contacts"] == 2
