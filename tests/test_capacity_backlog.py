"""Email in the goal-seek as a backlog cleared by its deadline (scheduling.capacity.backlog)
and the plan's temp shifts dealt out to people (scheduling.capacity.people): real solves,
judged by the real projection."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from planning.capacity_team import email_first, email_profile
from scheduling.capacity import Levers, TempLever, deal_temps, goal_seek
from scheduling.capacity.backlog import backlog_queues
from scheduling.projection import project
from scheduling.queue_settings import queue_settings_frame
from scheduling.roster.templates import shift_settings
from scheduling.staffing import requirements

DAY = pd.Timestamp("2026-11-11")


def _mail_settings() -> pd.DataFrame:
    return queue_settings_frame(pd.DataFrame([
        {"queue": "mail", "channel": "email", "service_level": 0.9, "target_seconds": 7200,
         "max_occupancy": 1.0, "shrinkage": 0.0, "open_hours": "08:00-16:00"}]))


def _mail_requirements() -> pd.DataFrame:
    """A burst of 40 emails of 15 minutes' work at 08:00 and a trickle after, 30-minute
    intervals over one day: a 2-hour deadline lets the burst be worked until 10:00."""
    starts = [DAY + pd.Timedelta(minutes=30 * k) for k in range(48)]
    contacts = [40.0 if s.hour == 8 and s.minute == 0 else (3.0 if 8 < s.hour < 15 else 0.0)
                for s in starts]
    forecast = pd.DataFrame({"queue": "mail", "interval_start": starts,
                             "contacts": contacts, "aht_seconds": 900.0})
    return requirements(forecast, _mail_settings())


def _mail_shifts():
    return shift_settings({
        "queues": {"mail": {"open": "08:00", "close": "16:00"}},
        "templates": {"two": {"earliest_start": "08:00", "latest_start": "14:00",
                              "start_step": 30, "lengths": ["2:00"]}},
        "rules": {"days_off_per_week": None}})


def _misses(roster: pd.DataFrame, req: pd.DataFrame) -> int:
    forecast = req[["queue", "interval_start", "contacts", "aht_seconds"]]
    return int(project(roster, forecast, _mail_settings())["below_target"].sum())


def test_backlog_windows_follow_the_deadline_in_open_hours() -> None:
    req = _mail_requirements()
    (bq,) = backlog_queues(req.sort_values("interval_start", ignore_index=True),
                           _mail_settings(), 30)
    assert len(bq.open_rows) == 16  # 08:00-16:00
    first = min(bq.work)  # the 08:00 burst: due by the end of 09:30 (the 4th open interval)
    assert bq.due[first] == 3
    assert bq.before[first] == 0.0
    assert bq.per_staff == pytest.approx(1800.0)
    assert bq.goal == pytest.approx(0.9)


def test_email_is_planned_as_a_backlog_minimal_and_cheaper_than_its_requirement() -> None:
    """The plan meets the deadline target in every interval, taking one temp shift out
    of it misses somewhere, and it buys fewer hours than the per-interval requirement."""
    req = _mail_requirements()
    levers = Levers(temps=[TempLever("two", ("mail",), 10.0, 50)])
    plan = goal_seek(req, [], _mail_shifts(), levers, _mail_settings(), time_limit=20,
                     email_backlog=True)
    assert plan.reasons.empty
    assert _misses(plan.roster, req) == 0
    assert plan.bound <= plan.objective + 1e-6
    hours = plan.levers.loc[plan.levers["lever"] == "temp shifts", "hours"].sum()
    assert hours <= 0.9 * req["staff"].sum() * 0.5  # the requirement, in staff-hours
    for k in plan.roster.index:  # every single shift is needed
        assert _misses(plan.roster.drop(index=k), req) > 0, plan.roster.loc[k].to_dict()


def test_temps_are_dealt_in_blocks_of_days_within_the_rules() -> None:
    """Twelve 8-hour shifts a day for 7 days at 08:00 and 6 on the eighth: people work
    consecutive days, at most 5 a week (2 days off), the same start, and every shift is
    dealt out exactly once."""
    shifts = shift_settings({
        "queues": {"voice": {"open": "08:00", "close": "20:00"}},
        "templates": {"day": {"earliest_start": "08:00", "latest_start": "12:00",
                              "start_step": 240, "lengths": ["8:00"]}},
        "rules": {"days_off_per_week": 2, "min_rest_hours": 11,
                  "max_consecutive_days": 6, "min_consecutive_days_off": 2}})
    rows = [{"lever": 0, "template": "day", "queue": "voice", "day": d,
             "start": d * 1440 + 480, "end": d * 1440 + 960, "paid_hours": 8.0,
             "count": 12 if d < 7 else 6} for d in range(8)]
    people = deal_temps(pd.DataFrame(rows), Levers(temps=[
        TempLever("day", ("voice",), 10.0, 100, 40.0, 5)]), shifts)
    dealt = sorted((d, s) for p in people for d, s, _e, _q in p.shifts)
    assert dealt == sorted((r["day"], r["start"]) for r in rows for _ in range(r["count"]))
    for p in people:
        days = p.days
        assert len({d for d in days if d < 7}) <= 5
        assert len(days) == len(set(days))
        gaps = [b - a for a, b in zip(days, days[1:], strict=False)]
        assert all(g == 1 or g >= 3 for g in gaps), days  # off days come in twos
    assert len(people) <= 12 * 7 // 5 + 12  # no one works a single stray day per person


def test_check_roster_covers_the_plans_email_profile_email_first() -> None:
    """Planned as a backlog, the check roster is given email's plan profile (fewer staff
    than its per-interval requirement, still every interval on time when rostered
    as planned) and email above every other queue; other queues keep their rows."""
    req = _mail_requirements()
    levers = Levers(temps=[TempLever("two", ("mail",), 10.0, 50)])
    plan = goal_seek(req, [], _mail_shifts(), levers, _mail_settings(), time_limit=20,
                     email_backlog=True)
    other = req.assign(queue="chat", staff=5)
    both = pd.concat([req, other], ignore_index=True)
    out = email_profile(both, plan, _mail_settings())
    mail = out[out["queue"] == "mail"]
    assert (out.loc[out["queue"] == "chat", "staff"] == 5).all()
    assert 0 < mail["staff"].sum() < req["staff"].sum()
    at = mail.set_index("interval_start")["staff"]
    per = plan.roster.groupby("start").size()  # two-hour shifts: on line from their start
    for start, count in per.items():
        assert at[start] >= count
    text = "queues:\n  mail: {priority: 2}\n  chat: {priority: 3}\n"
    queues = yaml.safe_load(email_first(text, _mail_settings()))["queues"]
    assert queues["mail"]["priority"] == 4 and queues["chat"]["priority"] == 3
