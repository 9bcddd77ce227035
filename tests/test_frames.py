"""The scheduling frames' codecs: break strings and interval length."""

from __future__ import annotations

import pandas as pd
import pytest

from scheduling.frames import break_minutes, break_spans, break_text, interval_minutes


def test_break_spans_fall_on_or_after_the_shift_start() -> None:
    start = pd.Timestamp("2026-10-19 22:00")
    spans = break_spans("23:30-23:45;01:00-01:30", start, start + pd.Timedelta(hours=8))
    assert spans == [(pd.Timestamp("2026-10-19 23:30"), pd.Timestamp("2026-10-19 23:45")),
                     (pd.Timestamp("2026-10-20 01:00"), pd.Timestamp("2026-10-20 01:30"))]
    assert break_minutes("23:30-23:45;01:00-01:30") == [15, 30]
    assert break_spans("", start) == [] and break_spans(float("nan"), start) == []


def test_break_text_writes_what_break_spans_reads() -> None:
    day = 2 * 1440  # minutes from the horizon's start: the clock wraps past midnight
    text = break_text([(day + 23 * 60 + 30, day + 23 * 60 + 45), (day + 1500, day + 1530)])
    assert text == "23:30-23:45;01:00-01:30" and break_text([]) == ""
    start = pd.Timestamp("2026-10-19 22:00")
    assert [int((b - a) / pd.Timedelta(minutes=1)) for a, b in break_spans(text, start)] == \
        [15, 30]


@pytest.mark.parametrize(("text", "message"), [
    ("10:30", "not HH:MM-HH:MM"),
    ("10:3x-10:45", "not HH:MM"),
    ("10:70-10:80", "not a clock time"),
    ("18:00-18:30", "not inside the shift"),
    ("10:00-10:30;10:15-10:45", "overlap"),
])
def test_break_spans_name_the_break_that_cannot_be_read(text: str, message: str) -> None:
    start = pd.Timestamp("2026-10-19 09:00")
    with pytest.raises(ValueError, match=message):
        break_spans(text, start, start + pd.Timedelta(hours=8))


def test_interval_minutes_is_the_smallest_step_of_any_queue() -> None:
    frame = pd.DataFrame({
        "queue": ["a", "a", "a", "b", "b"],
        "interval_start": pd.to_datetime(["2026-10-19 08:00", "2026-10-19 09:00",
                                          "2026-10-19 08:30", "2026-10-19 08:00",
                                          "2026-10-19 10:00"]),
    })
    assert interval_minutes(frame) == 30
    single = frame.iloc[:1]
    assert interval_minutes(single, default=15) == 15
    with pytest.raises(ValueError, match="two intervals"):
        interval_minutes(single)
