"""Bad scenario files given to `wfm scenario run`, one test per kind: each refused with
exit 2, naming the field or file (CLI level only; the scenario modules are not changed
here)."""

from __future__ import annotations

import pytest
from fuzzkit import refused

BASE = """\
name: fuzz
base:
  history: {history}
  queues: {queues}
  agents: {agents}
  shifts: {shifts}
horizon: {{start: 2026-10-26, days: 2}}
model: profile
roster_time_limit: 2
seed: 0
"""


def _scenario(inputs, text: str | None = None, **changes: str):
    body = (text or BASE).format(history=inputs.history, queues=inputs.queues,
                                 agents=inputs.agents, shifts=inputs.shifts)
    for old, new in changes.items():
        body = body.replace(old.replace("__", " "), new)
    return inputs.write("bad_scenario.yaml", body)


def _run(capsys, inputs, path, names: tuple[str, ...]):
    return refused(capsys, "scenario", "run", path, "--no-save", "--workspace",
                   inputs.folder / "ws", names=names)


@pytest.mark.parametrize("limit", ["inf", "0", "-5", ".nan"])
def test_roster_time_limit_out_of_range(capsys, inputs, limit):
    path = inputs.write("bad_scenario.yaml", BASE.format(
        history=inputs.history, queues=inputs.queues, agents=inputs.agents,
        shifts=inputs.shifts).replace("roster_time_limit: 2", f"roster_time_limit: {limit}"))
    _run(capsys, inputs, path, names=("roster_time_limit",))


def test_horizon_february_30(capsys, inputs):
    path = inputs.write("bad_scenario.yaml", BASE.format(
        history=inputs.history, queues=inputs.queues, agents=inputs.agents,
        shifts=inputs.shifts).replace("2026-10-26", "2026-02-30"))
    _run(capsys, inputs, path, names=("start",))


def test_missing_history_file(capsys, inputs):
    path = inputs.write("bad_scenario.yaml", BASE.format(
        history=inputs.folder / "nope.csv", queues=inputs.queues, agents=inputs.agents,
        shifts=inputs.shifts))
    _run(capsys, inputs, path, names=("nope.csv",))


def test_shifts_with_a_misspelt_rules_key(capsys, inputs):
    from fuzzkit import SHIFTS_YAML

    bad = inputs.write("bad_shifts.yaml", SHIFTS_YAML.replace("rules:", "rulez:"))
    path = inputs.write("bad_scenario.yaml", BASE.format(
        history=inputs.history, queues=inputs.queues, agents=inputs.agents, shifts=bad))
    _run(capsys, inputs, path, names=("rulez",))


def test_scenario_not_yaml(capsys, inputs):
    path = inputs.write("bad_scenario.yaml", "name: [unclosed\n")
    _run(capsys, inputs, path, names=("bad_scenario.yaml",))


def test_history_that_is_not_a_csv(capsys, inputs):
    binary = inputs.folder / "history.csv.bin"
    binary.write_bytes(b"\x00\x01PK\x03\x04" * 200)
    path = inputs.write("bad_scenario.yaml", BASE.format(
        history=binary, queues=inputs.queues, agents=inputs.agents, shifts=inputs.shifts))
    _run(capsys, inputs, path, names=("history.csv.bin",))
