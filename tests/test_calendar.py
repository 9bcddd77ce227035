import pandas as pd
import pytest

from forecasting.calendar import Calendar, CalendarError
from forecasting.events import EventsError, check_events, read_events


def _day(days: pd.DataFrame, date: str) -> pd.Series:
    return days.set_index("date").loc[pd.Timestamp(date)]


def test_spring_festival_is_anchored_on_lunar_new_year_each_year():
    cal = Calendar("CN", shopping=False)
    for new_year in ("2025-01-29", "2026-02-17"):
        days = cal.days(pd.Timestamp(new_year) - pd.Timedelta(days=20),
                        pd.Timestamp(new_year) + pd.Timedelta(days=20))
        row = _day(days, new_year)
        assert (row["event"], row["offset"], bool(row["core"])) == ("spring_festival", 0, True)
        before = _day(days, str((pd.Timestamp(new_year) - pd.Timedelta(days=5)).date()))
        assert before["event"] == "spring_festival" and before["offset"] == -5
        assert not before["core"]


def test_double_11_presale_starts_around_20_october_and_has_a_tail():
    days = Calendar(None).days("2026-10-01", "2026-12-31")
    d11 = days[days["event"] == "double_11"]
    assert d11["date"].min() == pd.Timestamp("2026-10-20")
    assert _day(days, "2026-11-11")["offset"] == 0
    assert d11["date"].max() == pd.Timestamp("2026-11-21")
    assert _day(days, "2026-12-12")["event"] == "double_12"


def test_618_and_makeup_working_days():
    days = Calendar("CN").days("2025-01-01", "2025-12-31")
    assert _day(days, "2025-06-18")["event"] == "618"
    # 2025-04-27 (a Sunday) was worked in exchange for the Labour Day break
    assert _day(days, "2025-04-27")["event"] == "makeup_workday"
    assert _day(days, "2025-10-01")["event"] == "national_day"


def test_planner_events_take_the_place_of_the_built_in_festival():
    events = check_events(pd.DataFrame({
        "name": ["double11", "brand_day"], "start": ["2026-11-11", "2026-03-08"],
        "end": ["", "2026-03-09"], "days_before": ["3", ""], "days_after": ["1", "2"]}))
    days = Calendar("CN", events=events).days("2026-01-01", "2026-12-31")
    assert _day(days, "2026-11-11")["event"] == "double11"
    assert _day(days, "2026-11-08")["offset"] == -3
    # the planner's row replaces the built-in Double 11 of that year, window and all
    assert pd.Timestamp("2026-11-01") not in set(days["date"])
    last_year = Calendar("CN", events=events).days("2025-11-01", "2025-11-30")
    assert _day(last_year, "2025-11-11")["event"] == "double_11"
    brand = days[days["event"] == "brand_day"]
    assert list(brand["offset"]) == [0, 1, 2, 3]
    assert list(brand["core"]) == [True, True, False, False]


def test_events_file_errors_name_the_line_and_column(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("name,start,end,days_before,days_after\nsale,2026-13-40,,1,1\n")
    with pytest.raises(EventsError, match=r"line 2, column start: '2026-13-40'"):
        read_events(path)
    path.write_text("name,start,end,days_before,days_after\nsale,2026-03-01,,two,1\n")
    with pytest.raises(EventsError, match=r"line 2, column days_before"):
        read_events(path)
    path.write_text("name,when\nsale,2026-03-01\n")
    with pytest.raises(EventsError, match="missing column 'start'"):
        read_events(path)
    path.write_text("name,start,end\nsale,2026-03-05,2026-03-01\n")
    with pytest.raises(EventsError, match="before start"):
        read_events(path)


def test_unknown_country_is_refused():
    with pytest.raises(CalendarError, match="XX"):
        Calendar("XX")


def test_sample_events_file_reads(sample_dir):
    path = sample_dir / "events.csv"
    if not path.exists():
        pytest.skip("sample events not generated")
    events = read_events(path)
    assert {"double11", "618"} <= set(events["name"])


def test_known_closed_days_are_kept_as_dates_and_bad_ones_refused():
    cal = Calendar(None, shopping=False, closed=["2026-09-07", "2026-09-07 00:00", "2026-12-25"])
    assert list(cal.closed) == [pd.Timestamp("2026-09-07"), pd.Timestamp("2026-12-25")]
    assert "2 known closed day(s)" in cal.describe()
    with pytest.raises(CalendarError, match="closed days"):
        Calendar(None, closed=["2026-13-01"])


def test_breaks_mark_days_off_make_up_days_and_the_days_after_a_long_break():
    days = Calendar("CN").breaks("2026-02-10", "2026-03-02").set_index("date")
    # Spring Festival 2026: 15-23 February off, 14 and 28 February (Saturdays) worked
    off = days.index[days["day_off"]]
    assert off.min() == pd.Timestamp("2026-02-15") and off.max() == pd.Timestamp("2026-02-23")
    assert set(days.index[days["makeup"]]) == {pd.Timestamp("2026-02-14"),
                                                pd.Timestamp("2026-02-28")}
    assert days.loc["2026-02-24", "after_break"] == 1
    assert days.loc["2026-02-25", "after_break"] == 2
    us = Calendar("US", shopping=False).breaks("2025-08-28", "2025-09-05").set_index("date")
    assert list(us.index[us["day_off"]].day.to_list()) == [30, 31, 1]  # Labor Day weekend
    assert us.loc["2025-09-02", "after_break"] == 1
    # known closed days break the week like a holiday
    shut = Calendar(None, shopping=False, closed=["2025-03-14"]).breaks("2025-03-10",
                                                                         "2025-03-18")
    assert shut.set_index("date").loc["2025-03-17", "after_break"] == 1


def test_a_day_inside_a_holiday_and_a_shopping_season_belongs_to_both():
    windows = Calendar("CN").windows("2025-06-01", "2025-06-01")
    assert set(zip(windows["event"], windows["offset"], strict=True)) == {
        ("618", -17), ("dragon_boat_festival", 1)}


def test_a_market_calendar_can_stand_for_the_country():
    days = Calendar("NYSE", shopping=False).days("2003-04-01", "2003-10-31")
    assert "good_friday" in set(days["event"])
    assert "columbus_day" not in set(days["event"])  # the exchange trades on Columbus Day
