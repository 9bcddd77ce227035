"""Bad inputs to `wfm roster`, one test per kind: each refused with exit 2, naming the place."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fuzzkit import AGENTS_CSV, SHIFTS_YAML, refused, run_wfm


def _roster(capsys, inputs, *, requirements=None, agents=None, shifts=None, extra=(),
            names: tuple[str, ...]):
    return refused(capsys, "roster", requirements or inputs.requirements,
                   "--agents", agents or inputs.agents, "--shifts", shifts or inputs.shifts,
                   "-o", inputs.folder / "out.csv", *extra, names=names)


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-5", "1e9"])
def test_time_limit_out_of_range(capsys, inputs, value):
    _roster(capsys, inputs, extra=("--time-limit", value), names=("--time-limit",))


def test_time_limit_not_a_number(capsys, inputs):
    _roster(capsys, inputs, extra=("--time-limit", "soon"), names=("--time-limit",))


def test_workers_zero(capsys, inputs):
    _roster(capsys, inputs, extra=("--workers", "0"), names=("--workers",))


def _bad_requirements(inputs, row: int, column: str, value) -> object:
    frame = pd.read_csv(inputs.requirements)
    if isinstance(value, str):
        frame[column] = frame[column].astype(object)
    frame.loc[row, column] = value
    return inputs.write_frame("bad_requirements.csv", frame)


def test_negative_staff(capsys, inputs):
    path = _bad_requirements(inputs, 4, "staff", -40)
    result = _roster(capsys, inputs, requirements=path,
                     names=("bad_requirements.csv", "row 6", "staff"))
    assert "np." not in result.err


def test_nan_staff(capsys, inputs):
    path = _bad_requirements(inputs, 4, "staff", np.nan)
    _roster(capsys, inputs, requirements=path, names=("bad_requirements.csv", "row 6", "staff"))


def test_absurd_staff(capsys, inputs):
    path = _bad_requirements(inputs, 4, "staff", 1e12)
    _roster(capsys, inputs, requirements=path, names=("row 6", "staff"))


def test_requirement_at_seven_past_midnight_blames_the_requirements(capsys, inputs):
    path = _bad_requirements(inputs, 4, "interval_start", "2026-11-02 00:07:00")
    result = _roster(capsys, inputs, requirements=path,
                     names=("bad_requirements.csv", "row 6", "interval_start"))
    assert "shifts" not in result.err


def test_requirements_without_the_cover_column(capsys, inputs):
    frame = pd.read_csv(inputs.requirements).drop(columns="staff")
    path = inputs.write_frame("bad_requirements.csv", frame)
    _roster(capsys, inputs, requirements=path, names=("bad_requirements.csv", "staff"))


def test_previous_shift_ending_at_25_00(capsys, inputs):
    path = inputs.write("bad_agents.csv",
                        AGENTS_CSV.replace("2026-11-01 08:00-16:30", "2026-11-01 08:00-25:00"))
    _roster(capsys, inputs, agents=path,
            names=("bad_agents.csv", "row 2", "A1", "previous_shifts"))


def test_agent_with_negative_hours(capsys, inputs):
    path = inputs.write("bad_agents.csv", AGENTS_CSV.replace("A2,Bo,hotline;chat,0,40",
                                                             "A2,Bo,hotline;chat,-5,40"))
    _roster(capsys, inputs, agents=path, names=("row 3", "A2", "min_hours_week"))


def test_agent_twice(capsys, inputs):
    path = inputs.write("bad_agents.csv", AGENTS_CSV + "A1,Ann again,chat,0,40,5,,\n")
    _roster(capsys, inputs, agents=path, names=("row 5", "A1", "twice"))


def test_agent_with_eight_days_a_week(capsys, inputs):
    path = inputs.write("bad_agents.csv", AGENTS_CSV.replace("A3,Cy,chat,0,40,5",
                                                             "A3,Cy,chat,0,40,8"))
    _roster(capsys, inputs, agents=path, names=("row 4", "A3", "max_days_week"))


def _shifts(capsys, inputs, text: str, names: tuple[str, ...]):
    path = inputs.write("bad_shifts.yaml", text)
    return _roster(capsys, inputs, shifts=path, names=("bad_shifts.yaml", *names))


def test_rules_key_misspelt(capsys, inputs):
    _shifts(capsys, inputs, SHIFTS_YAML.replace("rules:", "rulez:"),
            names=("rulez", "known keys", "rules"))


def test_rule_name_misspelt(capsys, inputs):
    _shifts(capsys, inputs, SHIFTS_YAML.replace("min_rest_hours", "min_rest_hour"),
            names=("min_rest_hour", "min_rest_hours"))


def test_negative_rest(capsys, inputs):
    _shifts(capsys, inputs, SHIFTS_YAML.replace("min_rest_hours: 11", "min_rest_hours: -11"),
            names=("min_rest_hours", "-11"))


def test_rest_as_text(capsys, inputs):
    _shifts(capsys, inputs, SHIFTS_YAML.replace("min_rest_hours: 11", "min_rest_hours: lots"),
            names=("min_rest_hours", "lots"))


def test_priority_banana(capsys, inputs):
    _shifts(capsys, inputs, SHIFTS_YAML.replace("priority: 2", "priority: banana"),
            names=("queues.hotline.priority", "banana"))


def test_template_field_misspelt(capsys, inputs):
    _shifts(capsys, inputs, SHIFTS_YAML.replace("start_step:", "start_stpe:"),
            names=("templates.day", "start_stpe"))


def test_opening_hour_25(capsys, inputs):
    _shifts(capsys, inputs, SHIFTS_YAML.replace('close: "20:00", priority: 2',
                                                'close: "25:00", priority: 2'),
            names=("queues.hotline.close", "25:00"))


def test_weight_as_text(capsys, inputs):
    _shifts(capsys, inputs, SHIFTS_YAML.replace("under: 1000", "under: high"),
            names=("weights.under", "high"))


def test_unknown_weight(capsys, inputs):
    _shifts(capsys, inputs, SHIFTS_YAML.replace("under: 1000", "undr: 1000"),
            names=("weights", "undr"))


def test_shifts_not_yaml(capsys, inputs):
    _shifts(capsys, inputs, "queues: [unclosed\n", names=("yaml",))


def test_wall_clock_short_limit_runs(capsys, inputs):
    """Accepted: a 1-second wall-clock limit on a small team gives a roster, no overflow."""
    result = run_wfm(capsys, "roster", inputs.requirements, "--agents", inputs.agents,
                     "--shifts", inputs.shifts, "--wall-clock", "--time-limit", "1",
                     "-o", inputs.folder / "out.csv")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
