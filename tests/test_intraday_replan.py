"""The intraday re-plan (`scheduling.intraday`): one small real CP-SAT solve per lever,
on two or three agents, checking the change made and the rules it must respect."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scheduling.intraday import CHANGE_COLUMNS, ReplanOptions, replan
from scheduling.roster import Agent, check_roster, shift_settings

DAY = "2026-10-21"  # a Wednesday
NOW = pd.Timestamp(f"{DAY} 10:00")
SHIFTS = shift_settings({
    "queues": {"chat": {"open": "08:00", "close": "22:00"},
               "voice": {"open": "08:00", "close": "22:00"}},
    "templates": {
        "day": {"earliest_start": "08:00", "latest_start": "12:00", "lengths": ["8:00"],
                "breaks": [{"name": "break", "length": 30, "window": ["2:00", "5:00"]}]},
        "part": {"earliest_start": "08:00", "latest_start": "16:00",
                 "lengths": ["4:00", "6:00"]},
    },
    "rules": {"min_rest_hours": 11, "max_late_shifts_per_week": None},
})
SETTINGS = pd.DataFrame({
    "queue": ["chat", "voice"], "channel": ["voice", "voice"], "service_level": [0.8, 0.8],
    "target_seconds": [20, 20], "asa_seconds": [np.nan, np.nan],
    "max_occupancy": [0.95, 0.95], "shrinkage": [0.0, 0.0], "concurrency": [1, 1],
    "patience_seconds": [np.nan, np.nan]})


def agent(agent_id: str, queues: tuple[str, ...], max_hours: float = 40.0) -> Agent:
    return Agent(agent_id=agent_id, name=agent_id, queues=queues, min_hours_week=0.0,
                 max_hours_week=max_hours, max_days_week=5)


def shift(agent_id: str, start: str, end: str, queue: str, breaks: str = "",
          name: str = "day") -> dict:
    return {"agent_id": agent_id, "date": DAY, "shift": name, "start": f"{DAY} {start}",
            "end": f"{DAY} {end}", "queue": queue, "breaks": breaks}


def forecast(per_queue: dict[str, float]) -> pd.DataFrame:
    """Contacts per 30 minutes from 08:00 to 22:00 (AHT 360 s); none at night."""
    stamps = pd.date_range(DAY, periods=48, freq="30min")
    open_ = (stamps.hour >= 8) & (stamps.hour < 22)
    return pd.concat([pd.DataFrame({"queue": q, "interval_start": stamps,
                                    "contacts": np.where(open_, c, 0.0),
                                    "aht_seconds": 360.0})
                      for q, c in per_queue.items()], ignore_index=True)


def test_a_multi_skilled_agent_moves_to_the_queue_that_needs_help():
    roster = pd.DataFrame([shift("A1", "08:00", "16:00", "chat", "12:00-12:30"),
                           shift("A2", "08:00", "16:00", "voice", "12:00-12:30"),
                           shift("A3", "08:00", "16:00", "voice", "12:30-13:00")])
    agents = [agent("A1", ("chat", "voice")), agent("A2", ("voice",)),
              agent("A3", ("voice",))]
    result = replan(roster, forecast({"chat": 0.5, "voice": 12.0}), SETTINGS, agents,
                    SHIFTS, NOW, ReplanOptions(time_limit=10, max_changed_share=None))
    assert list(result.changes.columns) == list(CHANGE_COLUMNS)
    moves = result.changes[result.changes["change"] == "move"]
    assert list(moves["agent_id"]) == ["A1"] and list(moves["queue"]) == ["voice"]
    assert moves["from"].iloc[0] >= "10:00"
    voice = result.summary.set_index("queue").loc["voice"]
    assert voice["service_level_after"] > voice["service_level_before"] + 0.05
    # the roster before now is pinned: A1 still answered chat from 08:00
    a1 = result.roster[result.roster["agent_id"] == "A1"].sort_values("start")
    assert a1["queue"].iloc[0] == "chat" and a1["start"].iloc[0] == pd.Timestamp(f"{DAY} 08:00")


def test_overtime_stays_within_the_weekly_maximum_hours():
    roster = pd.DataFrame([shift("P1", "10:00", "14:00", "voice", name="part"),
                           shift("P2", "10:00", "14:00", "voice", name="part")])
    agents = [agent("P1", ("voice",), max_hours=6.0), agent("P2", ("voice",), max_hours=4.0)]
    result = replan(roster, forecast({"voice": 4.0}), SETTINGS, agents, SHIFTS, NOW,
                    ReplanOptions(time_limit=10, max_changed_share=None, allow_vto=False,
                                  extra_hours_week=0.0))
    overtime = result.changes[result.changes["change"] == "overtime"]
    assert list(overtime["agent_id"]) == ["P1"]  # P2 has no hours left this week
    start, end = overtime["to"].iloc[0].split("-")
    hours = (pd.Timestamp(f"{DAY} {end}") - pd.Timestamp(f"{DAY} {start}")) / pd.Timedelta(
        hours=1)
    assert 4.0 < hours <= 6.0
    assert list(overtime["overtime_minutes"]) == [0]  # within P1's contract


def test_overtime_above_the_contract_within_the_labour_rules_by_default():
    roster = pd.DataFrame([shift("P1", "10:00", "14:00", "voice", name="part"),
                           shift("P2", "10:00", "14:00", "voice", name="part")])
    agents = [agent("P1", ("voice",), max_hours=6.0), agent("P2", ("voice",), max_hours=4.0)]
    result = replan(roster, forecast({"voice": 4.0}), SETTINGS, agents, SHIFTS, NOW,
                    ReplanOptions(time_limit=10, max_changed_share=None, allow_vto=False))
    overtime = result.changes[result.changes["change"] == "overtime"].set_index("agent_id")
    assert set(overtime.index) == {"P1", "P2"}  # P2 now does paid overtime
    for agent_id, row in overtime.iterrows():
        start, end = row["to"].split("-")
        extra = (pd.Timestamp(f"{DAY} {end}") - pd.Timestamp(f"{DAY} {start}")) / pd.Timedelta(
            minutes=1) - 240
        assert 0 < extra <= 120  # at most 2 hours a day
        paid = row["overtime_minutes"]
        assert paid == (extra if agent_id == "P2" else max(0, extra - 120))


def test_over_staffed_afternoon_gets_voluntary_time_off_and_a_cap_on_changes():
    roster = pd.DataFrame([shift(f"A{i}", "08:00", "16:00", "voice", "11:00-11:30")
                           for i in range(1, 5)])
    agents = [agent(f"A{i}", ("voice",)) for i in range(1, 5)]
    result = replan(roster, forecast({"voice": 2.0}), SETTINGS, agents, SHIFTS, NOW,
                    ReplanOptions(time_limit=10, max_changed_share=0.5, agent_cost=10,
                                  vto_saving=1.0, allow_overtime=False))
    vto = result.changes[result.changes["change"] == "vto"]
    assert len(vto) >= 1
    assert result.agents_changed <= 2
    assert all(t.split("-")[1] < "16:00" for t in vto["to"])
    assert all(t.split("-")[1] >= "11:30" for t in vto["to"])  # after the last break


def test_a_break_moves_out_of_a_peak_within_its_window():
    roster = pd.DataFrame([shift("A1", "08:00", "16:00", "voice", "11:00-11:30"),
                           shift("A2", "08:00", "16:00", "voice", "11:00-11:30")])
    agents = [agent("A1", ("voice",)), agent("A2", ("voice",))]
    fc = forecast({"voice": 0.5})  # one agent is enough, but at 11:00-12:00
    peak = fc["interval_start"].between(pd.Timestamp(f"{DAY} 11:00"),
                                        pd.Timestamp(f"{DAY} 11:30"))
    fc.loc[peak, "contacts"] = 4.0
    result = replan(roster, fc, SETTINGS, agents, SHIFTS, NOW,
                    ReplanOptions(time_limit=10, max_changed_share=None, allow_vto=False))
    moved = result.changes[result.changes["change"] == "break"]
    assert len(moved) >= 1
    for new in moved["to"]:
        start = pd.Timestamp(f"{DAY} {new.split('-')[0]}")
        assert pd.Timestamp(f"{DAY} 10:00") <= start <= pd.Timestamp(f"{DAY} 13:00")
        assert not pd.Timestamp(f"{DAY} 11:00") <= start < pd.Timestamp(f"{DAY} 12:00")


def test_an_agent_off_today_is_called_in_within_the_labour_rules():
    """C1 is off today with hours and days left; C2 has worked five days this week
    already (max_days_week 5) and C3 worked Monday only (coming in on Wednesday would
    leave Tuesday a lone day off), so only C1 may come in, on a shift of the templates,
    though the queue would take all three."""
    def other(agent_id: str, day: str) -> dict:
        return {"agent_id": agent_id, "date": day, "shift": "day",
                "start": f"{day} 08:00", "end": f"{day} 16:00", "queue": "voice",
                "breaks": "11:00-11:30"}
    week = ["2026-10-19", "2026-10-20", "2026-10-22", "2026-10-23", "2026-10-24"]
    roster = pd.DataFrame([shift("A1", "08:00", "16:00", "voice", "11:00-11:30"),
                           other("C1", "2026-10-19"), other("C1", "2026-10-20"),
                           *[other("C2", d) for d in week], other("C3", "2026-10-19")])
    agents = [agent(a, ("voice",)) for a in ("A1", "C1", "C2", "C3")]
    result = replan(roster, forecast({"voice": 9.0}), SETTINGS, agents, SHIFTS, NOW,
                    ReplanOptions(time_limit=10, max_changed_share=None, allow_overtime=False))
    called = result.changes[result.changes["change"] == "call_in"]
    assert list(called["agent_id"]) == ["C1"]
    assert called["from"].iloc[0] == "off" and called["queue"].iloc[0] == "voice"
    start, end = called["to"].iloc[0].split("-")
    assert start >= "10:00"
    row = result.roster[(result.roster["agent_id"] == "C1")
                        & (pd.to_datetime(result.roster["date"]) == pd.Timestamp(DAY))]
    assert len(row) == 1 and row["shift"].iloc[0] in ("day", "part")
    voice = result.summary.set_index("queue").loc["voice"]
    assert voice["service_level_after"] > voice["service_level_before"]
    after = check_roster(result.roster, agents, SHIFTS, "2026-10-19")
    before = check_roster(roster, agents, SHIFTS, "2026-10-19")
    assert {(v.agent_id, v.rule) for v in after} <= {(v.agent_id, v.rule) for v in before}


def test_no_call_in_when_switched_off():
    roster = pd.DataFrame([shift("A1", "08:00", "16:00", "voice", "11:00-11:30"),
                           {**shift("C1", "08:00", "16:00", "voice", "11:00-11:30"),
                            "date": "2026-10-19", "start": "2026-10-19 08:00",
                            "end": "2026-10-19 16:00"}])
    agents = [agent("A1", ("voice",)), agent("C1", ("voice",))]
    result = replan(roster, forecast({"voice": 10.0}), SETTINGS, agents, SHIFTS, NOW,
                    ReplanOptions(time_limit=5, max_changed_share=None, allow_call_in=False))
    assert "call_in" not in set(result.changes["change"])


def test_changes_that_buy_no_service_are_not_proposed():
    """A day that already fits: whatever the solver shuffles, the service level does not
    rise by the minimum gain asked, so nothing is proposed and the note says why."""
    roster = pd.DataFrame([shift("A1", "08:00", "16:00", "voice", "12:00-12:30"),
                           shift("A2", "08:00", "16:00", "voice", "12:30-13:00")])
    agents = [agent("A1", ("voice",)), agent("A2", ("voice",))]
    options = ReplanOptions(time_limit=5, max_changed_share=None, allow_vto=False,
                            agent_cost=0, change_cost=0, min_gain=0.5)
    result = replan(roster, forecast({"voice": 2.0}), SETTINGS, agents, SHIFTS, NOW, options)
    assert result.changes.empty and result.agents_changed == 0
    assert len(result.roster) == 2 and set(result.roster["start"]) == {
        pd.Timestamp(f"{DAY} 08:00")}
    assert any("roster is kept" in n for n in result.notes)
    total = result.summary.set_index("queue").loc["all queues"]
    assert total["service_level_after"] == total["service_level_before"]


def test_a_shift_not_begun_yet_moves_to_the_evening_peak():
    """A quiet afternoon and a busy evening: the agent due at 10:00 starts later (same
    length, break along, within the template's starts, by 12:00, and the queue's
    hours)."""
    roster = pd.DataFrame([shift("A1", "08:00", "16:00", "voice", "11:00-11:30"),
                           shift("A2", "10:00", "18:00", "voice", "13:00-13:30")])
    agents = [agent("A1", ("voice",)), agent("A2", ("voice",))]
    fc = forecast({"voice": 0.2})
    evening = fc["interval_start"] >= pd.Timestamp(f"{DAY} 18:00")
    fc.loc[evening & (fc["interval_start"] < pd.Timestamp(f"{DAY} 20:00")), "contacts"] = 4.0
    result = replan(roster, fc, SETTINGS, agents, SHIFTS, NOW,
                    ReplanOptions(time_limit=10, max_changed_share=None, allow_vto=False,
                                  allow_overtime=False, allow_call_in=False))
    moved = result.changes[result.changes["change"] == "shift"]
    assert list(moved["agent_id"]) == ["A2"] and moved["from"].iloc[0] == "10:00-18:00"
    start, end = moved["to"].iloc[0].split("-")
    assert "10:00" < start <= "12:00" and end > "18:00"  # the template starts by 12:00
    a2 = result.roster[result.roster["agent_id"] == "A2"]
    offset = pd.Timestamp(f"{DAY} {start}") - pd.Timestamp(f"{DAY} 10:00")
    moved_break = (pd.Timestamp(f"{DAY} 13:00") + offset).strftime("%H:%M")
    assert len(a2) == 1 and a2["breaks"].iloc[0].startswith(moved_break)
    voice = result.summary.set_index("queue").loc["voice"]
    assert voice["service_level_after"] > voice["service_level_before"] + 0.05
