"""Every import and validation message in the planner's language (dashboard/messages.py).

The messages are produced by the real libraries with bad input wherever that is
practical; the few that need a broken file system, a huge upload or a solver run are
written out as the library words them. Each entry of the catalogue is exercised by
at least one of them, and the Chinese shows no English word but the names and values
the message quotes (file, queue, agent, column, field names, formats).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pytest

from dashboard.messages import (
    ZH_REASONS,
    ZH_RULES,
    catalogue_entry,
    catalogue_match,
    message_in,
    split_message,
)

# Names a Chinese message keeps as they are: the columns, fields and settings the planner
# types (they are the headers of the tables and of the YAML), the channels and formats.
NAMES = {
    # queue settings
    "queue", "channel", "service_level", "target_seconds", "asa_seconds", "max_occupancy",
    "shrinkage", "concurrency", "patience_seconds", "open_hours", "voice", "chat", "email",
    "open", "close", "queues", "templates",
    # the agents table and shift templates
    "agent_id", "name", "min_hours_week", "max_hours_week", "max_days_week", "unavailable",
    "preferred_days_off", "preferred_start", "shifts", "previous_shifts", "team",
    "earliest_start", "latest_start", "start_step", "lengths", "breaks", "length", "window",
    "days", "priority", "rules", "weights", "mon", "sun", "all", "template",
    # forecast, roster and history frames
    "interval_start", "contacts", "contacts_lo", "contacts_hi", "aht_seconds", "date",
    "start", "end", "shift", "day", "week", "model",
    # import profiles
    "kind", "columns", "outcomes", "answered", "abandoned", "duration_unit", "fraction",
    "percent", "service_level_unit", "decimal", "encoding", "not_contact_when", "reason",
    "values", "column", "format", "date_format", "time", "time_format", "intervals", "tag",
    "python", "object",
    # formats and products
    "HH", "MM", "SS", "H", "YYYY", "DD", "YAML", "CSV", "TSV", "Excel", "xlsx", "xls", "csv",
    "gz", "gzip", "zip", "Parquet", "UTF", "BOM", "GBK", "LibreOffice", "WPS", "ISO", "CN",
    "US", "GB", "DE", "NYSE", "Erlang", "A", "MB", "s", "im", "ticket", "phone", "call",
    "e", "AHT", "ASA", "Python", "PNG", "JPEG", "PDF", "RAR", "Zip", "Windows", "Linux",
    "macOS", "Java", "exe", "dll", "D", "min", "ms",
    # the roster's hard rules, named with their Chinese
    *ZH_RULES,
}

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|\[[^\]]*\]|\{[^}]*\}")
_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")


def _error(call: Callable[[], object]) -> str:
    try:
        call()
    except (ValueError, FileNotFoundError) as exc:
        return str(exc)
    raise AssertionError("no error raised")


def _queue_settings(**changed: object) -> Callable[[], object]:
    from scheduling.queue_settings import queue_settings_frame

    row = {"queue": "chat_a", "channel": "chat", "service_level": "0.8",
           "target_seconds": "60", "max_occupancy": "0.85", "shrinkage": "0.3",
           "concurrency": "2", "patience_seconds": "300"}
    row.update({k: str(v) for k, v in changed.items() if v is not None})
    for k in [k for k, v in changed.items() if v is None]:
        row.pop(k)
    return lambda: queue_settings_frame(pd.DataFrame([row]))


def _shifts(template: dict | None = None, queues: dict | None = None,
            **top: object) -> Callable[[], object]:
    from scheduling.roster.templates import shift_settings

    base = {"earliest_start": "08:00", "latest_start": "10:00", "start_step": 30,
            "lengths": ["8:00"], "breaks": [{"name": "lunch", "length": 30,
                                             "window": ["3:00", "5:00"]}]}
    raw: dict = {"templates": {"early": {**base, **(template or {})}},
                 "queues": queues or {"chat_a": {"open": "08:00", "close": "20:00"}}}
    raw.update(top)
    return lambda: shift_settings({k: v for k, v in raw.items() if v is not None})


def _agents(**changed: object) -> Callable[[], object]:
    from scheduling.roster.inputs import agents_from_frame

    row = {"agent_id": "A1", "name": "Li", "queues": "chat_a", "min_hours_week": "8",
           "max_hours_week": "40", "max_days_week": "5", "unavailable": ""}
    row.update(changed)
    return lambda: agents_from_frame(pd.DataFrame([row]))


def _forecast(**changed: object) -> pd.DataFrame:
    stamps = pd.date_range("2026-10-19", periods=4, freq="30min")
    frame = pd.DataFrame({"queue": "chat_a", "interval_start": stamps, "contacts": 10.0,
                          "aht_seconds": 300.0})
    for column, value in changed.items():
        frame[column] = value
    return frame


def _roster(**changed: object) -> pd.DataFrame:
    frame = pd.DataFrame({"agent_id": ["A1"], "date": ["2026-10-19"], "shift": ["early"],
                          "start": ["2026-10-19 08:00"], "end": ["2026-10-19 10:00"],
                          "queue": ["chat_a"], "breaks": [""]})
    for column, value in changed.items():
        frame[column] = value
    return frame


def _history(text: str, name: str = "calls.csv", **kw: object) -> Callable[[], object]:
    from planning.imports import import_history

    return lambda: import_history(text.encode("utf-8"), name, **kw)


def _profile(yaml: str) -> Callable[[], object]:
    from planning.imports import import_history

    return lambda: import_history(b"a,b\n1,2\n", "calls.csv", profile_yaml=yaml)


def _produced(folder: str) -> list[str]:
    """Messages made by the real libraries from bad input (`folder`: a scratch folder)."""
    from forecasting.calendar import Calendar
    from forecasting.events import check_events
    from forecasting.forecaster import check_history_values, forecast
    from planning.roster_step import check_requirements, check_time_limit
    from planning.steps import apply_adjustments, parse_shifts
    from planning.team import apply_templates_table, read_agents_file
    from planning.uploads import check_upload, max_upload_bytes
    from scheduling.projection import check_forecast, parse_roster, project, rollup
    from scheduling.queue_settings import queue_settings_frame
    from scheduling.roster.errors import RosterInfeasibleError, RosterTimeoutError
    from scheduling.roster.inputs import agents_from_frame, read_agents
    from scheduling.staffing import requirements

    settings = queue_settings_frame(pd.DataFrame([{"queue": "chat_a", "channel": "chat"}]))
    header = "start_time,queue,channel,handle_seconds,wait_seconds,outcome\n"
    good = "2026-03-02 08:00:00,sales,voice,120,10,answered\n"
    calls: list[Callable[[], object]] = [
        # queue settings
        _queue_settings(service_level=1.5), _queue_settings(target_seconds=-1),
        _queue_settings(channel="voice", asa_seconds=0, service_level="",
                        target_seconds="", concurrency=1),
        _queue_settings(max_occupancy=1.5), _queue_settings(shrinkage=1),
        _queue_settings(concurrency=1.5), _queue_settings(channel="voice"),
        _queue_settings(channel="email", service_level="", target_seconds="",
                        asa_seconds=60, concurrency=1, patience_seconds=None),
        _queue_settings(shrinkage="abc"), _queue_settings(concurrency="80%"),
        _queue_settings(queue=""), _queue_settings(channel="fax"),
        _queue_settings(patience_seconds=0),
        _queue_settings(channel="email", concurrency=1, target_seconds=3600,
                        service_level=0.9),
        _queue_settings(open_hours="8 to 20"), _queue_settings(open_hours="08:00-08:00"),
        _queue_settings(channel="voice", concurrency=1, open_hours="08:00-20:00"),
        _queue_settings(bogus=1),
        lambda: queue_settings_frame(pd.DataFrame({"channel": ["chat"]})),
        lambda: queue_settings_frame(pd.DataFrame({"queue": []})),
        lambda: queue_settings_frame(pd.DataFrame({"queue": ["a", "a"],
                                                   "channel": ["chat", "chat"]})),
        # staffing
        lambda: requirements(_forecast().drop(columns="aht_seconds"), settings),
        lambda: requirements(pd.concat([_forecast(), _forecast()]), settings),
        lambda: requirements(_forecast(queue="voice_b"), settings),
        lambda: requirements(_forecast().head(1), settings),
        lambda: requirements(_forecast(interval_start="soon"), settings),
        lambda: requirements(_forecast(contacts=-1.0), settings),
        lambda: requirements(_forecast(), settings, interval_minutes=0),
        lambda: requirements(_forecast(contacts=200_000.0), settings),
        lambda: requirements(_forecast(aht_seconds=99_999.0), settings),
        lambda: requirements(_forecast(aht_seconds=0.0), settings),
        lambda: requirements(_forecast(contacts=90_000.0, aht_seconds=28_000.0), settings),
        lambda: requirements(_forecast(), settings, interval_minutes=15),
        lambda: requirements(_forecast(interval_start=pd.date_range(
            "2026-10-19", periods=4, freq="20min")), settings),
        lambda: requirements(_forecast(interval_start=pd.to_datetime(
            ["2026-10-19 00:00", "2026-10-19 00:30", "2026-10-19 01:00",
             "2026-10-19 01:40"])), settings),
        # the roster step
        lambda: check_time_limit("soon", "roster_time_limit"),
        lambda: check_time_limit(0, "roster_time_limit"),
        lambda: check_requirements(_forecast(), cover="staff"),
        lambda: check_requirements(_forecast(staff=1.0, interval_start="soon")),
        lambda: check_requirements(_forecast(staff=-1.0)),
        # history values before a forecast
        lambda: check_history_values(_forecast(contacts=None)),
        lambda: check_history_values(_forecast(contacts=-3.0)),
        lambda: forecast(_forecast(), "2026-10-21", 7, model="best"),
        lambda: forecast(_forecast(), "2026-10-21", 0),
        lambda: forecast(_forecast(), "2026-10-21", 7, level=100),
        lambda: forecast(_forecast(), "2026-10-19", 7),
        lambda: check_history_values(_forecast(interval_start=pd.to_datetime(
            ["2001-01-01", "2026-01-01", "2026-01-02", "2026-01-03"]))),
        # shift settings
        _shifts({"earliest_start": "8 o'clock"}), _shifts({"earliest_start": [8]}),
        _shifts({"earliest_start": "25:00"}),
        lambda: parse_shifts("templates:\n  early: 3\nqueues:\n  a: {open: '08:00', "
                             "close: '20:00'}\n"),
        _shifts({"start_step": 7}),
        _shifts({"latest_start": "07:00"}),
        lambda: parse_shifts("- 1\n"), _shifts(templates=None),
        _shifts(rules={"nap_time": 1}), _shifts(weights={"joy": 1}),
        _shifts({"days": "mon,fun"}), _shifts({"lengths": None}),
        _shifts({"breaks": [{"name": "a", "length": 30, "window": ["3:00", "5:00"]},
                            {"name": "b", "length": 30, "window": ["3:00", "5:00"]}]}),
        _shifts({"breaks": [{"name": "late", "length": 30, "window": ["7:50", "9:00"]}]}),
        _shifts(queues={"chat_a": {"open": "08:00"}}),
        _shifts(queues={"chat_a": {"open": "20:00", "close": "08:00"}}),
        _shifts({"breaks": [{"name": "a"}]}),
        lambda: parse_shifts("templates: [\n"),
        _shifts({"lengths": [2000]}), _shifts({"start_step": "half"}),
        _shifts({"start_step": 5000}), _shifts({"lengths": ["0:00"]}),
        _shifts({"breaks": "lunch"}), _shifts({"nap": 1}), _shifts(bogus=1),
        _shifts(rules={"min_rest_hours": "long"}), _shifts(rules={"min_rest_hours": 99}),
        _shifts(rules={"min_rest_hours": None}), _shifts(rules={"fairness": "maybe"}),
        _shifts(rules=[1]), _shifts(weights=[1]), _shifts(weights={"under": "x"}),
        _shifts(templates=[1]),
        lambda: read_agents(_agents_csv(folder)),
        # the agents table
        _agents(unavailable="someday"), _agents(previous_shifts="yesterday"),
        lambda: agents_from_frame(pd.DataFrame({"agent_id": ["A1"]})),
        lambda: agents_from_frame(_agents_frame().head(0)),
        _agents(agent_id=""), lambda: agents_from_frame(pd.concat([_agents_frame()] * 2)),
        _agents(queues=""), _agents(min_hours_week="50"), _agents(max_days_week="9"),
        _agents(max_hours_week="lots"), _agents(preferred_start="morning"),
        _agents(proficiency="0.7"), _agents(proficiency="email=0.7"),
        _agents(proficiency="chat_a=0.5;chat_a=0.6"), _agents(proficiency="chat_a=1.5"),
        lambda: read_agents_file(b"\x00\x01", "team.xlsx", ["chat_a"]),
        lambda: read_agents_file(b"queues\nchat_a\n", "team.csv", ["chat_a"]),
        lambda: read_agents_file(b"name\nLi\n", "team.csv", ["chat_a"]),
        lambda: read_agents_file(b"name,queues\nLi,voice_x\n", "team.csv", ["chat_a"]),
        lambda: apply_templates_table("", pd.DataFrame([_tpl("early"), _tpl("early")])),
        lambda: apply_templates_table("", pd.DataFrame([_tpl("early", start_step="half")])),
        lambda: apply_templates_table("", pd.DataFrame([_tpl("")])),
        # projection
        lambda: parse_roster(_roster().drop(columns="queue")),
        lambda: parse_roster(_roster(date="Monday")),
        lambda: parse_roster(_roster(end="2026-10-19 07:00")),
        lambda: parse_roster(_roster(start="early")),
        lambda: parse_roster(_roster(end="2026-10-21 08:00")),
        lambda: parse_roster(_roster(date="2026-10-20")),
        lambda: parse_roster(pd.concat([_roster(), _roster()], ignore_index=True)),
        lambda: check_forecast(_forecast().head(1).assign(
            interval_start=pd.Timestamp("2026-10-19 08:10"))),
        lambda: check_forecast(pd.concat([
            _forecast(), _forecast(queue="voice_b", interval_start=pd.date_range(
                "2026-10-19", periods=4, freq="15min"))])),
        lambda: check_forecast(_forecast(interval_start=pd.date_range(
            "2026-10-19", periods=4, freq="20min"))),
        lambda: check_forecast(_forecast().drop(columns="contacts")),
        lambda: check_forecast(_forecast(interval_start="soon")),
        lambda: check_forecast(pd.concat([_forecast(), _forecast().head(1)])),
        lambda: check_forecast(_forecast(), interval_minutes=15),
        lambda: check_forecast(_forecast(interval_start=pd.date_range(
            "2026-10-19 00:10", periods=4, freq="30min"))),
        lambda: check_forecast(_forecast(contacts=-1.0)),
        lambda: project(_roster(), _forecast(queue="voice_b"), settings),
        lambda: project(_roster(queue="voice_b"), _forecast(), settings),
        lambda: project(_roster(queue="voice_b"), _forecast(), pd.concat([
            settings, settings.assign(queue="voice_b")])),
        lambda: project(_roster(date="2026-11-01", start="2026-11-01 08:00",
                                end="2026-11-01 10:00"), _forecast(), settings),
        lambda: project(_roster(), _forecast().head(0), settings),
        lambda: rollup(pd.DataFrame(), period="month"),
        # forecast adjustments, events, the calendar
        lambda: apply_adjustments(_forecast(), [{"start": "2026-10-20", "end": "2026-10-19",
                                                 "percent": 5}]),
        lambda: apply_adjustments(_forecast(), [{"start": "2026-10-19", "end": "2026-10-20",
                                                 "percent": -100}]),
        lambda: apply_adjustments(_forecast(), [{"start": "2026-10-19", "end": "2026-10-20",
                                                 "percent": 5, "queue": "voice_b"}]),
        lambda: check_events(_events(start="someday")),
        lambda: check_events(_events(days_before=99)),
        lambda: check_events(_events().drop(columns="name")),
        lambda: check_events(_events(name="")), lambda: check_events(_events(start="")),
        lambda: check_events(_events(end="2026-11-01")),
        lambda: check_events(_events(days_after="two")),
        lambda: Calendar(country="XX"), lambda: Calendar(closed=["someday"]),
        # uploads and the importer
        lambda: max_upload_bytes(0), lambda: check_upload(b"x", "calls.xls"),
        lambda: check_upload(b"x", "calls.gz"), lambda: check_upload(b"x", "calls.doc"),
        lambda: check_upload(b"x", "calls"),
        lambda: check_upload(b"", "calls.csv"), lambda: check_upload(b"a" * 2048,
                                                                     "calls.csv", max_mb=0.001),
        lambda: check_upload(b"PK\x03\x04" + b"\x00" * 40, "calls.csv"),
        lambda: check_upload(b"PK\x03\x04" + b"\x00" * 40, "calls.xlsx"),
        _history(header), _history(header + good.replace("2026-03-02 08:00:00", "soon")),
        _history(header + good.replace("voice", "fax")),
        _history(header + good + good.replace(",answered", ",")),
        _history(header + good.replace(",answered", ",")),
        _history(header + good.replace("120", "-5")),
        _history(header + good.replace("120", "99999999")),
        _history(header + good.replace("120", "abc")),
        _history(header + good + "1,2\n"),
        _history(header + good.replace(",sales,", ",,")),
        _history(header + good, interval="7min"),
        _history("who,what\n" + "x,y\n"),
        _history("\x00\x01\x02" * 20, name="calls.csv"),
        _profile("name: x\nkind: contacts\ncolumns: [1]\n"),
        _profile("name: x\nkind: calls\n"), _profile("name: x\nflavour: 1\n"),
        _profile("[1, 2]"), _profile("name: x\nkind: contacts\ncolumns: {start: a, "
                                     "queue: b, bogus: c}\n"),
        _profile("x: [\n"),
    ]
    out = [_error(call) for call in calls]
    out.append(str(RosterInfeasibleError({"A1": ["contract_hours", "days_off_per_week"],
                                          "A2": ["(no shift fits the agent's queues)"]})))
    out.append(str(RosterTimeoutError(30)))
    out.append(str(RosterTimeoutError()))
    return out + _account_messages(folder) + _today_messages() + _scenario_messages(folder)


def _account_messages(folder: str) -> list[str]:
    """What the sign-in and admin pages are told by planning.users."""
    from planning import users
    from planning.workspace import Workspace

    ws = Workspace(folder + "/workspace")
    plan_id = ws.create_plan("October")
    users.add_user(ws, "boss", "admin", "a long phrase of my own")
    users.add_user(ws, "li", "planner", "another long phrase")
    users.disable(ws, "li", by="boss")
    calls: list[Callable[[], object]] = [
        lambda: users.check_password("short"),
        lambda: users.check_password("password123"),
        lambda: users.check_password("zzzzzzzzzz"),
        lambda: users.check_password("boss-is-my-password", "boss"),
        lambda: users.add_user(ws, "!bad name", "admin", "a long phrase of my own"),
        lambda: users.add_user(ws, "wang", "king", "a long phrase of my own"),
        lambda: users.add_user(ws, "boss", "admin", "a long phrase of my own"),
        lambda: users.set_role(ws, "nobody", "viewer"),
        lambda: users.set_role(ws, "boss", "viewer"),
        lambda: users.verify(ws, "li", "another long phrase"),
        lambda: users.verify(ws, "boss", "wrong"),
        lambda: ws.create_plan("October"), lambda: ws.create_plan(" "),
        lambda: ws.create_plan("x" * 121), lambda: ws.plan(plan_id + 99),
    ]
    out = [_error(call) for call in calls]
    for _ in range(users.MAX_REFUSED):
        _error(lambda: users.verify(ws, "zhao", "wrong"))
    out.append(_error(lambda: users.verify(ws, "zhao", "wrong")))
    return out


def _today_messages() -> list[str]:
    """What the Today page is told by forecasting.intraday and planning.intraday, with the
    place the page puts before it (the actuals file, or the input at fault)."""
    from forecasting.intraday import IntradayInputError, check_forecast, fit_intraday, reforecast
    from planning.intraday import read_actuals, run_intraday

    stamps = pd.date_range("2026-10-21", periods=48, freq="30min")
    fc = pd.DataFrame({"queue": "chat", "interval_start": stamps, "contacts": 10.0,
                       "aht_seconds": 300.0})
    act = fc[fc["interval_start"] < pd.Timestamp("2026-10-21 12:00")][
        ["queue", "interval_start", "contacts"]].reset_index(drop=True)

    def today(actuals: pd.DataFrame, forecast: pd.DataFrame = fc,
              now: str = "2026-10-21 12:00") -> Callable[[], object]:
        def call() -> object:
            try:
                return reforecast(forecast, actuals, now)
            except IntradayInputError as exc:  # as dashboard/pages/today.py words it
                if exc.source == "now":
                    raise
                where = "actuals.csv" if exc.source == "actuals" else exc.source
                joint = ", " if exc.row is not None or exc.column else ": "
                raise ValueError(f"{where}{joint}{exc}") from None
        return call

    late = pd.concat([act, pd.DataFrame({"queue": ["chat"], "interval_start": [
        pd.Timestamp("2026-10-21 12:30")], "contacts": [5]})], ignore_index=True)
    calls: list[Callable[[], object]] = [
        today(act, now="soon"), today(act, now="2026-10-25 12:00"),
        today(act, forecast=fc.drop(columns="contacts")),
        today(act, forecast=fc.assign(interval_start=["soon"] * 48)),
        today(act, forecast=fc.assign(contacts=-1.0)),
        today(act, forecast=fc.head(1)),
        today(act.drop(columns="contacts")),
        today(act.assign(queue="billing")),
        today(act.assign(interval_start="soon")),
        today(late),
        today(act.assign(interval_start=act["interval_start"] - pd.Timedelta(days=1))),
        today(act.assign(interval_start=act["interval_start"] + pd.Timedelta(minutes=15))
              .iloc[:-1]),
        today(act.iloc[::2].reset_index(drop=True)),
        today(pd.concat([act, act.head(1)], ignore_index=True)),
        today(act.assign(contacts="many")),
        lambda: check_forecast(fc.assign(interval_start="soon")),
        lambda: fit_intraday(fc.drop(columns="queue")),
        lambda: fit_intraday(fc.assign(contacts=None)),
        lambda: run_intraday(fc, fc, act, "2026-10-21 12:00", roster=pd.DataFrame()),
        lambda: read_actuals(b'queue,interval_start\n"chat,2026\n', "today.csv"),
    ]
    return [_error(call) for call in calls]


def _scenario_messages(folder: str) -> list[str]:
    """What the Scenarios page is told by planning.scenarios: a scenario typed on the page
    (source "scenario") or read from a file, checked alone and against its base."""
    from planning.scenario_base import load_base
    from planning.scenario_changes import (
        apply_agent_changes,
        apply_shift_changes,
        check_against_base,
    )
    from planning.scenarios import parse_scenario, read_scenario
    from planning.workspace import Workspace

    def typed(body: str, source: str = "scenario") -> Callable[[], object]:
        return lambda: parse_scenario("name: peak\n" + body, source=source)

    texts = [
        "volume: [\n", "bogus: 1\n", "base: [1]\n", "base: {history: ''}\n",
        "horizon: [1]\n", "horizon: {days: many}\n", "horizon: {days: .inf}\n",
        "horizon: {days: 0}\n", "horizon: {days: 99}\n", "horizon: {days: 2.5}\n",
        "horizon: {start: someday}\n", "model: best\n", "shopping: maybe\n",
        "deflection: {chat: 1}\n", "targets: {chat: 3}\n", "shrinkage: {chat: 1}\n",
        "targets: {chat: {asa_seconds: 0}}\n", "volume: 3\n", "deflection: [1]\n",
        "volume: [3]\n", "volume: [{event: x, dates: [2026-11-11]}]\n", "volume: [{}]\n",
        "volume: [{dates: [2026-11-11], start: 2026-11-11}]\n",
        "volume: [{start: 2026-11-11}]\n",
        "volume: [{start: 2026-11-12, end: 2026-11-11}]\n",
        "volume: [{dates: [2026-11-11]}]\n",
        "volume: [{dates: [2026-11-11], uplift: -1}]\n",
        "aht: [3]\n", "aht: [{queues: [chat]}]\n",
        "agents: {add: [3]}\n", "agents: {add: [{queues: [chat]}]}\n",
        "agents: {add: [{count: 2, prefix: ' ', queues: [chat]}]}\n",
        "agents: {add: [{count: 2}]}\n",
        "agents: {add: [{count: 2, queues: [chat], min_hours_week: 30, max_hours_week: 20}]}\n",
        "agents: {add: [{count: 2, queues: [chat]}, {count: 1, queues: [chat]}]}\n",
        "shifts: {templates: 3}\n",
    ]
    calls: list[Callable[[], object]] = [typed(t) for t in texts]
    calls += [lambda: parse_scenario("[1]"), lambda: parse_scenario("description: x\n"),
              typed("horizon: {days: 0}\n", source="scenarios/peak.yaml"),
              lambda: read_scenario(folder + "/none.yaml")]

    ws = Workspace(folder + "/scenario_ws")
    ws.create_plan("October")
    settings = pd.DataFrame([{"queue": "chat_a", "channel": "chat"}])
    agents = _agents_frame()
    shifts_text = ("templates:\n  early: {earliest_start: '08:00', latest_start: '10:00', "
                   "start_step: 30, lengths: ['8:00']}\nqueues:\n  chat_a: {open: '08:00', "
                   "close: '20:00'}\n")

    def scenario(body: str) -> object:
        return parse_scenario("name: peak\n" + body, folder=folder)

    calls += [
        lambda: load_base(scenario("base: {plan: October}\n")),
        lambda: load_base(scenario("base: {plan: November}\n"), ws),
        lambda: load_base(scenario("base: {history: none.csv}\n")),
        lambda: load_base(scenario("base: {plan: October}\n"), ws),
        lambda: check_against_base(scenario("volume: [{dates: [2026-11-11], uplift: 2, "
                                            "queues: [billing]}]\n"), settings,
                                   pd.Timestamp("2026-11-09")),
        lambda: check_against_base(scenario("volume: [{dates: [2026-12-11], uplift: 2}]\n"),
                                   settings, pd.Timestamp("2026-11-09")),
        lambda: apply_shift_changes(scenario("shifts: {templates: {late: null}}\n"),
                                    shifts_text),
        lambda: apply_agent_changes(scenario("agents: {remove: [Z9]}\n"), agents, settings,
                                    shifts_text),
        lambda: apply_agent_changes(scenario("agents: {remove: {count: 5}}\n"), agents,
                                    settings, shifts_text),
        lambda: apply_agent_changes(scenario("agents: {add: [{count: 1, queues: [chat_a], "
                                             "shifts: [night]}]}\n"), agents, settings,
                                    shifts_text),
        lambda: apply_agent_changes(scenario("agents: {add: [{count: 1, prefix: A, queues: "
                                             "[chat_a]}]}\n"), agents.assign(agent_id="A001"),
                                    settings, shifts_text),
        lambda: apply_agent_changes(scenario("agents: {remove: [A1]}\n"), agents, settings,
                                    shifts_text),
    ]
    return [_error(call) for call in calls]


def _agents_csv(folder: str) -> str:
    path = f"{folder}/agents.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('agent_id,name\n"A1,Li\n')
    return path


def _agents_frame() -> pd.DataFrame:
    return pd.DataFrame([{"agent_id": "A1", "name": "Li", "queues": "chat_a",
                          "min_hours_week": "8", "max_hours_week": "40",
                          "max_days_week": "5", "unavailable": ""}])


def _tpl(name: str, **changed: object) -> dict:
    return {"template": name, "earliest_start": "08:00", "latest_start": "10:00",
            "start_step": 30, "lengths": "8:00", **changed}


def _events(**changed: object) -> pd.DataFrame:
    row = {"name": "sale", "start": "2026-11-11", "end": "2026-11-11", "days_before": 1,
           "days_after": 1}
    row.update(changed)
    return pd.DataFrame([row])


# Messages that need a broken disk, a solver or a planner's own setup, worded as the
# libraries word them (the value parts are examples).
WRITTEN = [
    "scenario: volume[0].event: no event 'double11' in the calendar near the horizon "
    "2026-11-09..2026-11-15; events in the horizon: ['618']",
    "scenario: volume[0].event: 'double11' falls on ['2026-11-11'], outside the horizon "
    "2026-12-01..2026-12-07; move `horizon`",
    "scenario: the forecast has no contacts for queue(s) ['chat_a'] of the queue settings; "
    "check the history",
    "scenario: volume[0].dates: 2026-12-11 is outside the horizon 2026-11-09..2026-11-15",
    "scenario: volume[0]: no plain forecast",
    "scenario: shifts: templates.early.start_step: 7 must divide a day (15, 30, 60)",
    "scenarios/peak.yaml: horizon.start: 2026-10-01 is inside the history, which runs to "
    "2026-10-31; start on 2026-11-01 or later",
    "scenario: queue settings list ['email_c'], which the history does not have (history "
    "queues: ['chat_a'])",
    "plan 3 is not a saved scenario run (no scenario_daily)",
    "plan 'October' was not made by a scenario run",
    "scenario 'peak': input history (plan October:history) has changed since the run was "
    "saved, so it cannot be reproduced exactly",
    "actuals.csv: missing column(s) ['contacts']; the actuals need ['queue', "
    "'interval_start', 'contacts'] and may have ['aht_seconds', 'answered', 'abandoned']",
    "queue settings.yaml: expected a list of queues (each with queue, channel, ...) or a "
    "mapping from queue name to its settings",
    "queue settings file not found: settings.csv",
    "settings.csv: not a readable CSV: Error tokenizing data",
    "settings.yaml: queue 'chat_a' must map field names to values",
    "settings.yaml: not valid YAML: mapping values are not allowed here",
    "shifts file not found: shifts.yaml", "agents file not found: agents.csv",
    "shifts.yaml: not valid YAML (mapping values are not allowed here)",
    "events.csv: events file not found",
    "events.csv: the file is empty; expected columns name,start,end,days_before,days_after",
    "calls.csv: the file is empty",
    "history: no rows", "history: row 3, column queue: empty queue name",
    "history: row 4, column contacts: negative value -2",
    "history: missing column(s) ['queue']; expected ['queue', 'interval_start', 'contacts', "
    "'aht_seconds'] but found ['x']",
    "history: row 2, column interval_start: 'soon' is not a date-time (expected e.g. "
    "2026-03-02 09:30)",
    "history: row 2, column interval_start: 2026-03-02 09:10:00 is not on the 30-minute grid",
    "history: row 2, column contacts: 'many' is not a number",
    "history: row 5: queue 'sales' has interval_start 2026-03-02 09:00:00 twice; one row per "
    "queue and interval expected",
    "history: need at least two intervals to tell the interval length",
    "history: interval length 0 days 00:07:00 does not divide a day",
    "calls.csv, line 2, column 'start': holds int64 values; expected date-times",
    "calls.csv, line 2, column 'start': cannot read '32.13.2026' as a date; expected a date "
    "such as 2026-03-02",
    "calls.csv, line 2, column 'time': cannot read '8h' as a time of day; expected a time "
    "such as 08:30",
    "calls.csv, line 2, column 'agents': cannot read 'x' as a number of agents; expected a "
    "number",
    "calls.csv, column 'queue': holds 30,000 different values; expected at most 5,000 queues "
    "-- does the profile's queue column hold queue names?",
    "calls.csv: has no contacts: all 20 rows are excluded (20 transfers)",
    "calls.csv, column 'result': no value of this column says a contact was answered "
    "(answered, 接通, 已接 ...); is it the outcome column?",
    "calls.csv, column 'result': holds 12 values that are neither answered nor abandoned, "
    "some of which look like ids or text (not shown); is it the outcome column?",
    "calls.csv, line 1: cannot tell how to read this file: the handle time could be in 'a' "
    "or 'b'; choose the column of each role",
    "calls.csv, line 1: cannot tell how to read this file: the header line holds 'a', 'b'",
    "calls.csv, line 1: cannot tell which export this is from its headers ('a', 'b'); "
    "expected the headers of a shipped profile (genesys) or a saved column mapping",
    "calls.csv: no column chosen for the queue or the start time",
    "calls.csv: the column 'a' is chosen for queue and channel; expected one column per role",
    "calls.csv: has no column 'x'; its columns are 'a', 'b'",
    "calls.csv, line 1, column 'Start': missing column 'Start' (start), required by import "
    "profile genesys; the file's columns are 'a', 'b' -- does the profile fit this file?",
    "calls.csv, line 1, column 'Queue': 2 columns are called 'Queue' ('Queue', 'queue'); "
    "expected each column the profile reads once",
    "calls.csv: no such file; check the path",
    "calls: is a folder; expected a contact log or interval file",
    "calls.xls: is an old Excel .xls workbook; expected .xlsx (save it as .xlsx or CSV)",
    "calls.png: is a PNG image, not contact history; expected CSV/TSV text, .csv.gz, Excel "
    ".xlsx or Parquet",
    "calls.parquet: cannot be read as a Parquet file (bad magic)",
    "calls.xlsx: cannot be opened as an .xlsx workbook (bad zip)",
    "calls.xlsx: is a zip archive but not an Excel workbook (no xl/workbook.xml); expected "
    "an .xlsx saved by Excel, LibreOffice or WPS",
    "calls.xlsx: refused: the workbook holds 20,000 parts, more than 10,000 (a zip bomb?); "
    "expected an ordinary .xlsx",
    "calls.csv.gz: cannot be unpacked as gzip (bad header)",
    "calls.csv: cannot be read (permission denied)",
    "calls.csv: cannot be decoded as GBK (illegal multibyte sequence); set encoding: in the "
    "profile",
    "calls.csv: has only 2 lines but the profile skips 3",
    "calls.csv: cannot tell the text encoding (tried UTF-8, UTF-8 with BOM, UTF-16, GBK); "
    "set encoding: in the profile",
    "calls.csv: cannot be read as UTF-8 text separated by ',' (bad line)",
    "calls.xlsx: has no sheet 'Data'; sheets: Sheet1",
    "calls.xlsx: the workbook's sheet is empty; expected a header row and data rows",
    "calls.csv: history file not found",
    "calls.csv: the file has daily totals; expected intervals of 60 minutes or less (15, 30 "
    "or 60-minute history)",
    "calls.csv: the file has 60-minute intervals, which cannot be split into 30min; expected "
    "an interval of 60min or 1D",
    "calls.csv, line 3, column 'offered': is 2.5; expected a whole number of contacts",
    "queue 'chat_a': 12 interval(s) missing inside the day (2026-10-19 10:00:00, 2026-10-19 "
    "10:30:00, 2026-10-19 11:00:00 and 9 more); no staff is planned for them",
    "1 row is an exact copy of an earlier row (same queue, interval start and figures; first: "
    "line 842 repeats line 9); each was counted once",
    "2 rows repeat the queue and interval start of another row with other figures (first: "
    "line 842 and line 9); their figures were added together, as for a queue split over "
    "several rows",
    "3 records are exact copies of an earlier one with the same contact id (first: line 6 "
    "repeats line 2); each contact was counted once",
    "1 record is identical to an earlier one in every column read (first: line 30962 repeats "
    "line 16140); each was counted as a contact (two contacts can share a second); if the "
    "export was duplicated, remove the copies, or name a contact id column (columns: "
    "contact_id:) to count them once",
    "2 empty cells in column 'abandoned' (first: line 7) read as 0",
    "calls.csv, line 7, column 'interval_start': starts at 10:37, off the file's 30-minute "
    "intervals (1 of 840 rows is off them; the others start on :00, :30); expected every row "
    "on the same interval grid -- a stray or mistyped row? Fix or remove it",
    "calls.csv, line 2, column 'start': 1970-01-01 is 20,717 days away from the other rows "
    "(2026-09-21 to 2026-10-25, 838 rows); 2 rows lie more than 400 days outside them (also "
    "line 3); expected one history without such a gap (a mistyped year?)",
    "calls.csv, line 2, column 'start': 1986-09-21 is before 1990-01-01, the earliest date "
    "accepted; expected a date of the history (also line 3, line 4, line 5 and 836 more)",
    "calls.csv, line 2, column 'start': 2029-09-21 is more than 366 days after today "
    "(2026-12-05); expected a date of the history (a mistyped year?)",
    "calls.csv, line 9, column 'start': the history runs from 2000-01-01 to 2026-01-01, more "
    "than 20 years; expected at most 20 years (import the recent years only)",
    "calls.csv, line 11, column 'answered': 28 is more than the 23 offered (column "
    "'contacts'); expected at most the contacts offered",
    "calls.csv, line 11, column 'answered': 20 answered + 8 abandoned (column 'abandoned') is "
    "more than the 23 offered (column 'contacts'); expected at most the contacts offered",
    "calls.csv, line 4, column 'contacts': 1e+09 contacts in one row is more than 100,000; "
    "expected a number from 0 to 100,000 (check the column and its unit)",
    "calls.csv, line 6, column 'contact_id': contact id 'c1' is also on line 2 with other "
    "values; expected one record per contact",
    "profile.yaml: import profile: field start.format '%Y-%m-%d %H:%M:%Q' is not a valid "
    "format ('Q' is a bad directive in format '%Y-%m-%d %H:%M:%Q'); expected strptime codes "
    "such as '%Y-%m-%d %H:%M' (the data was not read)",
    "profile.yaml: import profile: field start.format '%H:%M' has no year (none of %Y, %y, "
    "%G); expected strptime codes such as '%Y-%m-%d %H:%M' (the data was not read)",
    "calls.csv, line 3, column 'sl': service level '120%' is above 100%; expected a fraction "
    "or percent",
    "calls.csv, line 3, column 'start': interval starts must fall on whole minutes; expected "
    "e.g. 08:00, 08:15, 08:30",
    "calls.csv, line 3, column 'agents': is negative (-1); expected a number of agents >= 0",
    "calls.csv, line 3, column 'aht': AHT is negative (-5 s); expected seconds >= 0",
    "profile.yaml: import profile is not UTF-8 text (invalid start byte)",
    "profile.yaml: import profile is 70,000 bytes; expected a small YAML file (at most "
    "65,536 bytes)",
    "profile.yaml: import profile uses a YAML alias (*name); expected plain values, lists "
    "and mappings",
    "profile.yaml: import profile uses the tag !!python/object, which would build a Python "
    "object; refused (nothing was run). Expected plain YAML: values, lists and mappings",
    "nosuch: no such import profile; expected a YAML file or one of the shipped profiles: "
    "genesys, five9",
    "profile.yaml: import profile: columns: queue must name a column header",
    "profile.yaml: import profile: columns: queue is required for kind contacts",
    "profile.yaml: import profile: optional: 'agent' must be one of the profile's "
    "non-required columns",
    "profile.yaml: import profile: outcomes: expected a mapping such as {answered: [AGENT], "
    "abandoned: [HANG]}",
    "profile.yaml: import profile: outcomes: unknown kind 'lost'; expected one of answered, "
    "abandoned, excluded",
    "profile.yaml: import profile: outcomes: answered must list the outcome values of "
    "answered contacts",
    "profile.yaml: import profile: not_contact_when rule 1: expected reason, column, values "
    "(and optionally outcomes)",
    "profile.yaml: import profile: duration_unit is 'h'; expected one of s, ms, min",
    "profile.yaml: import profile: service_level_unit is 'x'; expected fraction or percent",
    "profile.yaml: import profile: channels: expected a mapping of queue to channel (voice, "
    "chat, email)",
    "profile.yaml: import profile: channel_values: expected a mapping of the file's channel "
    "value to voice, chat or email (e.g. {电话: voice, 在线: chat})",
    "profile.yaml: import profile: max_handle_hours is -1; expected a number >= 0",
    "profile.yaml: import profile: decimal is ';'; expected '.' or ','",
    "profile.yaml: import profile: start: expected a column name, or {column, format}, or "
    "{date, date_format, time, time_format}",
    "profile.yaml: import profile: start: unknown key 'zone'; expected column, date",
    "profile.yaml: import profile: start: give either column (one date-time column) or both "
    "date and time",
    "profile.yaml: import profile: outcomes.answered: expected a list of values",
    "profile.yaml: import profile: columns: expected a mapping of role to column header",
    "MAX_UPLOAD_MB='lots': expected a number of megabytes, e.g. 200",
    "calls.gz: only gzipped CSV text (.csv.gz) is accepted; expected .csv, .tsv, .txt, "
    ".csv.gz, .xlsx or .parquet",
    "no shipped import profile called 'x'; expected one of ['genesys']",
    "calls.csv: unknown interval '7min'; expected one of 15min, 30min, 60min",
    "cannot infer the interval length: no queue has two intervals; give the interval length "
    "in minutes",
    "roster row 1 (agent A1, queue chat_a): day 2026-10-20 has no forecast intervals (the "
    "forecast covers 2026-10-19 to 2026-10-21)",
    "skills of agent A1: unknown queue 'x'; the queue settings list ['chat_a']",
    "the plan has no forecast to adjust yet",
    "shifts: no 'queues' (opening hours) given",
    "calls.csv, line 3, column 'outcome': unknown outcome 'maybe'; expected one of answered, "
    "abandoned (list it under outcomes: in the profile)",
    "calls.csv: holds binary data, not text; expected CSV/TSV text, .csv.gz, Excel .xlsx or "
    "Parquet",
    "calls.csv, line 1: cannot tell how to read this file: the header line holds nothing",
    "calls.csv, line 2: cannot tell how to read this file: 'a' or 'b'",
    "profile.yaml: import profile: columns: unknown role 'x' for kind contacts; expected one "
    "of start, queue",
    "shifts: templates.early.lengths: expected a time 'HH:MM' or minutes, got 8.5",
    "shifts: templates.early.earliest_start: '08:75' is not a valid time (00:00 to 24:00)",
    "shifts: templates.early: missing field 'lengths'",
    "team.xlsx: cannot be read as an agent list (File is not a zip file)",
    "team.csv, line 1: no column says which queues each agent works; expected queues (技能组)",
    "queue settings, row 2, queue 'chat_a': service_level and target_seconds go together",
    "no queue could be forecast: queue chat_a: no model could be fitted (too few intervals); "
    "queue voice_b: no model could be fitted (no contacts)",
    "workspace folder /srv/wfm cannot be created: [Errno 13] Permission denied: '/srv/wfm'",
    "workspace /srv/wfm is busy; try again",
    "workspace /srv/wfm/wfm.duckdb could not be compacted: IO Error: disk full",
    "workspace /srv/wfm is locked by another program; try again",
    "workspace /srv/wfm/wfm.duckdb cannot be opened: IO Error: Could not set lock on file",
    "the mapping name 'genesys' cannot be used; expected a name of letters, digits, - or _ "
    "that is not a shipped profile's",
    "Dask cluster: 'local:999' asks for 999 workers; give local:1 to local:256",
    "Dask cluster: 'banana' is not a cluster; give `local`, `local:N`, a scheduler address "
    "such as tcp://10.0.0.5:8786, or `none`",
    "Dask cluster tcp://10.0.0.5:8786: no Dask scheduler answered within 10 s (Timed out "
    "trying to connect); start one with `dask scheduler`, or name no cluster (and unset "
    "WFM_DASK_SCHEDULER) to run in this process",
    "Dask cluster tcp://10.0.0.5:8786: the scheduler has no worker; start one with "
    "`dask worker tcp://10.0.0.5:8786`",
    "Dask cluster tcp://10.0.0.5:8786: a worker cannot run wfm's code (ImportError: no "
    "module named wfm); install this wfm version on every worker",
    "duplicate (same contact id)",
    "outcome PHANTOM",
    "rule 2",
    "phantom call",
    "hung up in the voice menu",
    "task forecast-1f2e was lost with its worker several times (KilledWorker); the workers "
    "may be running out of memory: give them more, or fewer threads each",
]


@pytest.fixture(scope="module")
def messages(tmp_path_factory) -> list[str]:
    return _produced(str(tmp_path_factory.mktemp("profiles"))) + WRITTEN


def _reasons(message: str) -> list[str]:
    """The reasons of a message as message_in reads them (a reason over several lines,
    else one a line)."""
    whole = split_message(message)[1]
    if "\n" in message and catalogue_entry(whole) is not None:
        return [whole]
    return [split_message(line)[1] for line in message.split("\n") if line.strip()]


def test_every_catalogue_entry_has_a_message(messages):
    used = {catalogue_entry(r) for m in messages for r in _reasons(m)}
    missing = [pattern for i, (pattern, _t) in enumerate(ZH_REASONS) if i not in used]
    # why a holiday country was guessed is tested on the Data page (tests/test_calendar_*)
    missing = [p for p in missing if not re.search(
        r"time zone|history has|public holidays|weekend falls|queue names are", p)]
    assert not missing, "\n".join(missing)


GLUE = {"a", "an", "and", "or", "the", "of", "is", "not", "with", "to", "in", "be"}


def _english_words(zh: str, english: str) -> list[str]:
    """ASCII words of the Chinese that are neither quoted, nor a name the English message
    gives (a location, a file, a value the catalogue copies), nor a column or field name,
    nor the detail of a third-party error (shown after 详情)."""
    kept = set(_WORD.findall(" ".join(_QUOTED.findall(english))))
    for line in english.split("\n"):
        places, reason = split_message(line)
        kept |= set(_WORD.findall(" ".join(places)))
        match = catalogue_match(reason)
        shown = set(_WORD.findall(zh))
        for group in match.groups() if match else ():
            words = set(_WORD.findall(group or "")) - GLUE
            if words <= shown:
                kept |= words
    bare = re.sub(r"（详情：.*）", " ", zh, flags=re.DOTALL)
    bare = _QUOTED.sub(" ", bare)
    bare = re.sub(r"[\w.\-/]*\.\w+", " ", bare)   # file names, extensions, dotted fields
    bare = re.sub(r"(?<!\w)/[\w.\-/]+", " ", bare)   # folders (a workspace's)
    return [w for w in _WORD.findall(bare) if w not in NAMES and w not in kept]


def test_every_message_in_chinese(messages):
    untranslated = []
    for english in messages:
        zh = message_in(english, "zh")
        assert message_in(english, "en") == english
        words = _english_words(zh, english)
        if words or not re.search(r"[\u4e00-\u9fff]", zh):
            untranslated.append((english, zh, words))
    assert not untranslated, "\n".join(f"{e}\n  -> {z}\n  {w}" for e, z, w in untranslated)


@pytest.mark.parametrize(("english", "chinese"), [
    ("queue settings, row 2, queue 'chat_a': service_level must be between 0 and 1 (e.g. 0.8 "
     "or 80%), got 1.5",
     "队列设置，第 2 行，队列“chat_a”：service_level 应在 0 到 1 之间（如 0.8 或 80%），"
     "实际为 1.5"),
    ("calls.csv, line 3, column 'channel': unknown channel 'fax'; expected voice (电话, 语音, "
     "phone, call), chat (在线, 文字, im) or email (邮件, 工单, ticket)",
     "calls.csv，第 3 行，列“channel”：未知渠道 'fax'；应为 voice（电话、语音）、chat（在线、文字）"
     "或 email（邮件、工单）"),
    ("agents row 3 (A7), column max_days_week: 9 not in 0..7",
     "坐席表第 3 行（A7），列“max_days_week”：9 不在 0 到 7 之间"),
    ("shifts: templates.early.start_step: 7 must divide a day (15, 30, 60)",
     "班次设置：模板“early”的 start_step：7 应能整除一天（15、30、60）"),
    ("roster row 1 (agent A1, 2026-10-19): unknown queue 'x'; the queue settings list "
     "['chat_a']", "排班第 1 行（坐席 A1，2026-10-19）：未知队列 'x'；队列设置中有 ['chat_a']"),
    ("actuals.csv, row 14, column interval_start: 'x' is not a date and time 'YYYY-MM-DD HH:MM'",
     "actuals.csv，第 14 行，列“interval_start”：'x' 不是日期时间（应如 YYYY-MM-DD HH:MM）"),
    ("actuals, row 3, column queue: unknown queue 'x'; the forecast has ['chat']",
     "实际数据，第 3 行，列“queue”：未知队列 'x'；预测中有 ['chat']"),
    ("scenarios/peak.yaml: agents.add[0].count: 0 is out of range; expected at least 1",
     "scenarios/peak.yaml：字段 agents.add[0].count：0 超出范围；应至少为 1"),
    ("scenario 'peak': input history (plan October:history) has changed since the run was "
     "saved, so it cannot be reproduced exactly",
     "情景“peak”：输入 history（plan October:history）在保存运行后已更改，无法完全重现"),
])
def test_places_are_named_alike(english, chinese):
    assert message_in(english, "zh") == chinese


def test_unknown_reason_keeps_its_words_after_a_translated_place():
    assert message_in("calls.csv, line 4: something new", "zh") == (
        "calls.csv，第 4 行：something new")
    assert message_in("something new: with a colon", "zh") == "something new: with a colon"


def test_no_message_names_a_command_line_flag(messages):
    for english in messages:
        for shown in (english, message_in(english, "zh")):
            assert not re.search(r"(?<![\w-])--\w", shown), shown


@pytest.mark.parametrize("odd", ["", ": x", "a: : b", "x (y: z", "{0} {what}: is empty; "
                                 "expected {1}", "line 2:", "\n\n", "agents row 2 (: x"])
def test_odd_text_is_shown_not_lost(odd):
    assert isinstance(message_in(odd, "zh"), str)
    assert message_in(odd, "en") == odd
