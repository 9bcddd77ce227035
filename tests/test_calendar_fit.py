"""The calendar fitted to the history: the holiday country guessed from the data, and
no effect for holidays and shopping events the history does not show."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.calendar import Calendar
from forecasting.calendar_fit import guess_country, quiet_events
from planning.settings import PlanSettings
from planning.steps import calendar_for, special_days


def daily_history(start: str, days: int, weekend: tuple[int, ...],
                  closed: tuple[str, ...] = (), queue: str = "retail",
                  spikes: dict[str, float] | None = None) -> pd.DataFrame:
    """Hourly history with 100 contacts an hour on working days, 10 on weekend days and
    on `closed` days, times `spikes` on the given days."""
    stamps = pd.date_range(start, periods=days * 24, freq="60min")
    dates = stamps.normalize()
    contacts = np.where(stamps.day_of_week.isin(weekend), 10.0, 100.0)
    contacts = np.where(dates.isin(pd.DatetimeIndex(list(closed))), 10.0, contacts)
    for day, factor in (spikes or {}).items():
        contacts = np.where(dates == pd.Timestamp(day), contacts * factor, contacts)
    return pd.DataFrame({"queue": queue, "interval_start": stamps, "contacts": contacts,
                         "aht_seconds": 300.0})


def test_a_friday_saturday_weekend_is_israel() -> None:
    history = daily_history("1999-02-01", 28, weekend=(4, 5))
    guess = guess_country(history)
    assert guess.country == "IL" and "Friday and Saturday" in guess.reason


def test_quiet_national_days_tell_china() -> None:
    golden_week = tuple(str(d.date()) for d in pd.date_range("2025-10-01", "2025-10-08"))
    history = daily_history("2025-09-01", 60, weekend=(5, 6), closed=golden_week)
    guess = guess_country(history)
    assert guess.country == "CN", guess


def test_a_time_zone_names_its_country() -> None:
    history = daily_history("2025-09-01", 3, weekend=(5, 6))
    assert guess_country(history, timezone="Asia/Jerusalem").country == "IL"
    assert guess_country(history).country is None  # three days tell nothing


def test_events_the_history_does_not_show_get_no_effect() -> None:
    # a year with a Double 11 spike and nothing on 12.12 or 618
    history = daily_history("2025-01-06", 364, weekend=(5, 6),
                            spikes={"2025-11-11": 4.0, "2025-11-10": 2.0})
    quiet = quiet_events(history, Calendar(country=None, shopping=True))
    assert "double_12" in quiet and "618" in quiet and "double_11" not in quiet
    calendar = Calendar(country=None, shopping=True, exclude=quiet)
    occ = calendar.occurrences(pd.Timestamp("2026-12-01"), pd.Timestamp("2026-12-31"))
    assert "double_12" not in set(occ["event"])


def test_an_israeli_upload_gets_no_spring_festival_and_no_12_12() -> None:
    history = daily_history("1999-01-04", 56, weekend=(4, 5))
    country, _reason = guess_country(history).country, None
    settings = PlanSettings(country=country, shopping=False, calendar_from_history=True)
    days = special_days(settings, None, pd.Timestamp("1999-01-01"),
                        pd.Timestamp("1999-12-31"), history)
    assert "spring_festival" not in set(days["name"])
    assert "double_12" not in set(days["name"])
    # even with the China calendar and shopping events chosen, the ones the Israeli
    # history does not show get no effect
    china = PlanSettings(country="CN", shopping=True, calendar_from_history=True)
    assert "double_12" in calendar_for(china, None, history).exclude


def test_the_israeli_bank_log_guesses_israel(shared_data) -> None:
    from forecasting.history import ingest

    history = ingest(shared_data / "anonymous_bank_feb1999_calls.tsv").history
    guess = guess_country(history)
    assert guess.country == "IL", guess
    settings = PlanSettings(country=guess.country, shopping=guess.country == "CN",
                            calendar_from_history=True)
    days = special_days(settings, None, pd.Timestamp("1999-02-01"),
                        pd.Timestamp("1999-03-31"), history)
    assert "spring_festival" not in set(days["name"])
