"""Projected response times: on-line counting, formulas per channel, roll-ups, refusals, CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planning.cli import main
from scheduling import chat, erlang, erlang_a
from scheduling.projection import (
    PROJECTION_COLUMNS,
    ProjectionInputError,
    agents_on_line,
    erlang_c_wait_percentile,
    on_line_windows,
    project,
    rollup,
)

DAY = "2026-11-02"  # a Monday


def settings(**overrides: dict) -> pd.DataFrame:
    rows = {
        "voice": {"channel": "voice", "service_level": 0.8, "target_seconds": 20,
                  "shrinkage": 0.0, "max_occupancy": 1.0},
        "patient": {"channel": "voice", "service_level": 0.8, "target_seconds": 20,
                    "shrinkage": 0.0, "max_occupancy": 1.0, "patience_seconds": 120},
        "chat": {"channel": "chat", "service_level": 0.8, "target_seconds": 60,
                 "shrinkage": 0.0, "max_occupancy": 1.0, "concurrency": 3},
        "email": {"channel": "email", "service_level": 0.9, "target_seconds": 7200,
                  "shrinkage": 0.0, "max_occupancy": 1.0},
    }
    for queue, values in overrides.items():
        rows[queue] = {**rows[queue], **values}
    return pd.DataFrame([{"queue": q, **v} for q, v in rows.items()])


def forecast(queue: str = "voice", contacts: float = 100.0, aht: float = 180.0,
             start: str = f"{DAY} 08:00", periods: int = 20, freq: str = "30min",
             days: int = 1) -> pd.DataFrame:
    stamps = pd.DatetimeIndex([])
    for d in range(days):
        stamps = stamps.append(pd.date_range(pd.Timestamp(start) + pd.Timedelta(days=d),
                                             periods=periods, freq=freq))
    return pd.DataFrame({"queue": queue, "interval_start": stamps, "contacts": contacts,
                         "contacts_lo": contacts, "contacts_hi": contacts,
                         "aht_seconds": aht, "model": "test"})


def shift(agent: str, queue: str = "voice", start: str = "08:00", end: str = "18:00",
          breaks: str = "", day: str = DAY) -> dict:
    begin = pd.Timestamp(f"{day} {start}")
    finish = pd.Timestamp(f"{day} {end}")
    if finish <= begin:
        finish += pd.Timedelta(days=1)
    return {"agent_id": agent, "date": day, "shift": "day", "start": begin, "end": finish,
            "queue": queue, "breaks": breaks}


def roster(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


# on line -------------------------------------------------------------------------

def test_breaks_come_off_the_agents_on_line_to_the_minute() -> None:
    r = roster(shift("a", start="08:15", breaks="10:00-10:15;12:00-12:30"),
               shift("b", breaks="10:15-10:45"))
    windows = on_line_windows(r)
    intervals = pd.DataFrame({"queue": "voice", "interval_start": pd.to_datetime(
        [f"{DAY} 07:30", f"{DAY} 08:00", f"{DAY} 09:30", f"{DAY} 10:00", f"{DAY} 10:30",
         f"{DAY} 12:00", f"{DAY} 17:30", f"{DAY} 18:00"])})
    got = agents_on_line(windows, intervals, 30)
    # 08:00 a starts at 08:15 (half); 10:00 a off 15 min, b off 15 min; 10:30 b off 15 min.
    assert got.tolist() == [0.0, 1.5, 2.0, 1.0, 1.5, 1.0, 2.0, 0.0]


def test_night_shift_break_after_midnight_falls_on_the_next_day() -> None:
    r = roster(shift("n", start="22:00", end="06:00", breaks="02:00-02:30"))
    windows = on_line_windows(r)
    assert list(zip(windows["start"].dt.strftime("%d %H:%M"),
                    windows["end"].dt.strftime("%d %H:%M"), strict=True)) == [
        ("02 22:00", "03 02:00"), ("03 02:30", "03 06:00")]


def test_scheduled_is_on_line_after_unplanned_shrinkage() -> None:
    r = roster(*(shift(f"a{i}", breaks="12:00-12:30") for i in range(10)))
    out = project(r, forecast(), settings(voice={"shrinkage": 0.2}))
    noon = out["interval_start"] == pd.Timestamp(f"{DAY} 12:00")
    assert out.loc[noon, "scheduled"].item() == 0.0
    assert np.allclose(out.loc[~noon, "scheduled"], 8.0)


def test_multi_skilled_agents_count_for_their_rostered_queue_only() -> None:
    fc = pd.concat([forecast("voice"), forecast("chat", contacts=60, aht=300)])
    r = roster(*(shift(f"v{i}") for i in range(14)), *(shift(f"c{i}", "chat") for i in range(6)))
    out = project(r, fc, settings())
    assert set(out.groupby("queue")["scheduled"].max().items()) == {("voice", 14.0),
                                                                    ("chat", 6.0)}


# formulas --------------------------------------------------------------------------

def test_erlang_c_queue_gets_erlang_c_metrics_and_the_closed_form_percentile() -> None:
    r = roster(*(shift(f"a{i}") for i in range(12)))
    out = project(r, forecast(), settings())
    row = out.iloc[3]
    assert row["method"] == "erlang_c"
    assert row["required"] == erlang.agents_needed(100, 180, 1800, service_level=0.8,
                                                   target_seconds=20, max_occupancy=1.0)
    assert row["service_level"] == pytest.approx(erlang.service_level(100, 180, 1800, 12, 20))
    assert row["asa_seconds"] == pytest.approx(erlang.asa_seconds(100, 180, 1800, 12))
    assert row["occupancy"] == pytest.approx(10 / 12)
    assert row["abandon_rate"] == 0.0
    # 90% of contacts are answered within the percentile, by Erlang C's own service level.
    p90 = row["wait_p90_seconds"]
    assert 0 < p90 < 600
    assert erlang.service_level(100, 180, 1800, 12, p90) == pytest.approx(0.9, abs=1e-9)


def test_wait_percentile_is_zero_when_few_wait_and_infinite_when_overloaded() -> None:
    p = erlang_c_wait_percentile(np.array([10.0, 100.0, 100.0]), np.array([180.0] * 3), 1800.0,
                                 np.array([5.0, 10.0, 9.0]))
    assert p[0] == 0.0  # load 1 Erlang on 5 agents: under 10% wait at all
    assert np.isinf(p[1]) and np.isinf(p[2])


def test_patience_switches_a_voice_queue_to_erlang_a() -> None:
    r = roster(*(shift(f"a{i}", "patient") for i in range(10)))
    out = project(r, forecast("patient"), settings())
    row = out.iloc[0]
    m = erlang_a.erlang_a(100, 180, 1800, 10, 120, 20)
    assert row["method"] == "erlang_a"
    assert row["service_level"] == pytest.approx(float(m.service_level))
    assert row["abandon_rate"] == pytest.approx(float(m.abandon_rate)) and row["abandon_rate"] > 0
    # Erlang A stays finite where Erlang C (10 agents = the load) would blow up.
    assert np.isfinite(row["asa_seconds"])
    within = erlang_a.erlang_a(100, 180, 1800, 10, 120, row["wait_p90_seconds"]).service_level
    assert within / (1 - m.abandon_rate) == pytest.approx(0.9, abs=2e-3)


def test_chat_queue_reports_first_response_time_mean_and_percentile() -> None:
    r = roster(*(shift(f"c{i}", "chat") for i in range(10)))
    out = project(r, forecast("chat", contacts=100, aht=300), settings())
    row = out.iloc[0]
    m = chat.chat_metrics(100, 300, 1800, 10, 3, 60)
    assert row["method"] == "chat"
    assert row["service_level"] == pytest.approx(float(m.service_level))
    assert row["asa_seconds"] == pytest.approx(float(m.asa_seconds))
    p90 = row["wait_p90_seconds"]
    assert p90 > 0
    assert float(chat.chat_metrics(100, 300, 1800, 10, 3, p90).service_level) == pytest.approx(
        0.9, abs=1e-6)


def test_fractional_scheduled_agents_interpolate_chat_between_whole_numbers() -> None:
    r = roster(*(shift(f"c{i}", "chat") for i in range(8)))
    out = project(r, forecast("chat", contacts=60, aht=300),
                  settings(chat={"shrinkage": 0.0625}))  # 8 x 0.9375 = 7.5 on line
    lo, hi = (chat.chat_metrics(60, 300, 1800, n, 3, 60).service_level for n in (7, 8))
    assert out.iloc[0]["scheduled"] == 7.5
    assert out.iloc[0]["service_level"] == pytest.approx(float(lo + hi) / 2)


def test_email_is_projected_as_a_backlog_cleared_by_its_deadline() -> None:
    r = roster(*(shift(f"e{i}", "email") for i in range(2)))
    out = project(r, forecast("email", contacts=20, aht=300), settings())
    assert set(out["method"]) == {"deferred"}
    assert out["service_level"].between(0, 1).all()
    assert out["wait_p90_seconds"].isna().all()


def test_intervals_below_target_are_flagged_and_idle_ones_never() -> None:
    fc = forecast(periods=4)
    fc.loc[3, "contacts"] = 0.0
    r = roster(shift("a", start="08:00", end="09:00"),
               *(shift(f"b{i}", start="08:00", end="10:00") for i in range(13)))
    out = project(r, fc, settings())
    assert out["below_target"].tolist() == [False, False, True, False]
    assert out.loc[2, "service_level"] < 0.8


def test_projection_frame_has_the_design_columns_first() -> None:
    out = project(roster(shift("a")), forecast(), settings())
    assert tuple(out.columns[: len(PROJECTION_COLUMNS)]) == PROJECTION_COLUMNS


# roll-ups --------------------------------------------------------------------------

def test_rollups_weight_by_contacts_answered_contacts_and_agents() -> None:
    p = pd.DataFrame({
        "queue": "voice",
        "interval_start": pd.to_datetime([f"{DAY} 08:00", f"{DAY} 08:30", "2026-11-03 08:00",
                                          "2026-11-09 08:00"]),
        "required": [10, 20, 10, 10], "scheduled": [10.0, 30.0, 10.0, 10.0],
        "service_level": [0.9, 0.5, 0.7, 0.7], "asa_seconds": [10.0, 50.0, 20.0, 20.0],
        "abandon_rate": [0.0, 0.5, 0.0, 0.0], "occupancy": [0.9, 0.5, 0.8, 0.8],
        "contacts": [100.0, 300.0, 50.0, 50.0], "below_target": [False, True, True, True],
    })
    day = rollup(p, "day").iloc[0]
    assert day["contacts"] == 400
    assert day["service_level"] == pytest.approx((0.9 * 100 + 0.5 * 300) / 400)
    assert day["abandon_rate"] == pytest.approx(150 / 400)
    assert day["asa_seconds"] == pytest.approx((10 * 100 + 50 * 150) / 250)
    assert day["occupancy"] == pytest.approx((0.9 * 10 + 0.5 * 30) / 40)
    assert day["required_hours"] == 15 and day["scheduled_hours"] == 20
    assert day["intervals_below_target"] == 1
    week = rollup(p, "week", all_queues=True)
    assert week["period_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-11-02", "2026-11-09", "2026-11-02", "2026-11-09"]
    assert week.iloc[0]["contacts"] == 450 and week.iloc[0]["intervals_below_target"] == 2
    assert list(week["queue"]) == ["voice", "voice", "all queues", "all queues"]


# refusals --------------------------------------------------------------------------

def test_unknown_queue_in_the_roster_is_refused_naming_agent_and_queue() -> None:
    with pytest.raises(ProjectionInputError, match=r"agent z.*unknown queue 'sales'"):
        project(roster(shift("a"), shift("z", "sales")), forecast(), settings())


def test_rostered_queue_without_forecast_is_refused() -> None:
    with pytest.raises(ProjectionInputError, match=r"agent c.*'chat' has no forecast"):
        project(roster(shift("c", "chat")), forecast(), settings())


def test_forecast_queue_without_settings_is_refused() -> None:
    with pytest.raises(ValueError, match="sales"):
        project(roster(shift("a")), pd.concat([forecast(), forecast("sales")]), settings())


def test_roster_day_outside_the_forecast_is_refused_with_dates() -> None:
    with pytest.raises(ProjectionInputError,
                       match=r"agent b.*2026-11-05 is outside the forecast \(the forecast "
                             r"covers 2026-11-02 to 2026-11-03\)"):
        project(roster(shift("a"), shift("b", day="2026-11-05")), forecast(days=2), settings())


def test_forecast_mixing_interval_lengths_is_refused_naming_queues() -> None:
    fc = pd.concat([forecast("voice"), forecast("chat", freq="15min")])
    with pytest.raises(ProjectionInputError, match=r"chat: 15 min, voice: 30 min"):
        project(roster(shift("a")), fc, settings())


def test_forecast_of_another_interval_length_than_asked_is_refused() -> None:
    with pytest.raises(ProjectionInputError, match="30-minute intervals; expected 15-minute"):
        project(roster(shift("a")), forecast(), settings(), interval_minutes=15)


def test_interval_off_its_boundary_is_refused() -> None:
    with pytest.raises(ProjectionInputError, match="does not start on a 30-minute boundary"):
        project(roster(shift("a")), forecast(start=f"{DAY} 08:10"), settings())


def test_break_outside_the_shift_is_refused_naming_agent_and_day() -> None:
    with pytest.raises(ProjectionInputError, match=r"agent a, 2026-11-02.*19:00-19:15"):
        project(roster(shift("a", breaks="19:00-19:15")), forecast(), settings())


def test_unreadable_break_and_shift_times_are_refused() -> None:
    with pytest.raises(ProjectionInputError, match="not HH:MM-HH:MM"):
        project(roster(shift("a", breaks="10:00")), forecast(), settings())
    bad = roster(shift("a"))
    bad["end"] = "soon"
    with pytest.raises(ProjectionInputError, match=r"row 2 \(agent a\), column end: 'soon'"):
        project(bad, forecast(), settings())


def test_skills_naming_an_unknown_queue_are_refused() -> None:
    with pytest.raises(ProjectionInputError, match=r"agent a.*'sales'"):
        project(roster(shift("a")), forecast(), settings(), simulate=True,
                skills={"a": ["voice", "sales"]})


# the command -----------------------------------------------------------------------

def test_wfm_project_writes_the_projection_and_prints_the_rollup(tmp_path, capsys) -> None:
    fc = pd.concat([forecast("voice", periods=4), forecast("chat", contacts=60, aht=300,
                                                          periods=4)])
    fc.to_csv(tmp_path / "forecast.csv", index=False)
    settings().to_csv(tmp_path / "queues.csv", index=False)
    roster(*(shift(f"v{i}", start="08:00", end="10:00") for i in range(12)),
           *(shift(f"c{i}", "chat", start="08:00", end="10:00") for i in range(7))
           ).to_csv(tmp_path / "roster.csv", index=False)
    code = main(["project", str(tmp_path / "roster.csv"), "--forecast",
                 str(tmp_path / "forecast.csv"), "--queues", str(tmp_path / "queues.csv"),
                 "-o", str(tmp_path / "projection.csv"), "--daily", str(tmp_path / "d.csv")])
    out = capsys.readouterr().out
    assert code == 0
    written = pd.read_csv(tmp_path / "projection.csv")
    assert tuple(written.columns[:8]) == PROJECTION_COLUMNS and len(written) == 8
    assert "all queues" in out and "voice" in out and "2026-11-02" in out
    daily = pd.read_csv(tmp_path / "d.csv")
    assert set(daily["queue"]) == {"voice", "chat", "all queues"}


def test_wfm_project_refuses_a_roster_that_does_not_fit(tmp_path, capsys) -> None:
    forecast().to_csv(tmp_path / "forecast.csv", index=False)
    settings().to_csv(tmp_path / "queues.csv", index=False)
    roster(shift("a", "sales")).to_csv(tmp_path / "roster.csv", index=False)
    code = main(["project", str(tmp_path / "roster.csv"), "--forecast",
                 str(tmp_path / "forecast.csv"), "--queues", str(tmp_path / "queues.csv"),
                 "-o", str(tmp_path / "p.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown queue 'sales'" in err and "Traceback" not in err


def test_the_terminal_summary_says_overload_not_inf() -> None:
    from planning.commands.project import format_rollup

    weekly = pd.DataFrame({
        "queue": ["chat", "(all queues)"], "period_start": pd.to_datetime(["2026-10-19"] * 2),
        "contacts": [900.0, 900.0], "service_level": [0.42, 0.42],
        "asa_seconds": [np.inf, np.inf], "abandon_rate": [0.0, 0.0], "occupancy": [1.0, 1.0],
        "intervals_below_target": [12, 12], "intervals": [96, 96]})
    text = format_rollup(weekly)
    assert "inf" not in text and "overload" in text
    assert "no finite average" in text
