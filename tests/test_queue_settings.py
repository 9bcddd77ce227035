"""Queue settings: defaults per channel, CSV and YAML, clear refusals."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from scheduling.queue_settings import (
    QueueSettingsError,
    queue_settings_frame,
    read_queue_settings,
)

HEADER = ("queue,channel,service_level,target_seconds,asa_seconds,max_occupancy,shrinkage,"
          "concurrency,patience_seconds\n")


def write(tmp_path, text, name="queues.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_empty_cells_take_channel_defaults(tmp_path):
    path = write(tmp_path, HEADER + "calls,voice,,,,,,,\nweb,chat,,,,,,,\ninbox,email,,,,,,,\n"
                 "vip,voice,85%,15,,0.8,0.25,,180\n")
    s = read_queue_settings(path).set_index("queue")
    assert s.loc["calls", ["service_level", "target_seconds", "max_occupancy", "shrinkage",
                           "concurrency"]].tolist() == [0.8, 20.0, 0.85, 0.3, 1]
    assert s.loc["web", ["service_level", "target_seconds", "concurrency"]].tolist() == [
        0.8, 60.0, 2]
    assert s.loc["inbox", ["service_level", "target_seconds"]].tolist() == [0.9, 14400.0]
    assert s.loc["vip", ["service_level", "target_seconds", "patience_seconds"]].tolist() == [
        0.85, 15.0, 180.0]
    assert math.isnan(s.loc["calls", "asa_seconds"])
    assert math.isnan(s.loc["calls", "patience_seconds"])


def test_asa_only_queue_keeps_no_service_level(tmp_path):
    s = read_queue_settings(write(tmp_path, HEADER + "calls,voice,,,30,,,,\n"))
    assert math.isnan(s.loc[0, "service_level"]) and s.loc[0, "asa_seconds"] == 30


def test_yaml_with_the_same_keys(tmp_path):
    path = write(tmp_path, "queues:\n  - queue: calls\n    channel: voice\n"
                 "    service_level: 0.9\n  - queue: web\n    channel: chat\n"
                 "    concurrency: 3\n", name="queues.yaml")
    s = read_queue_settings(path).set_index("queue")
    assert s.loc["calls", "service_level"] == 0.9 and s.loc["web", "concurrency"] == 3
    mapping = write(tmp_path, "calls: {channel: voice, shrinkage: 0.2}\n", name="q.yml")
    assert read_queue_settings(mapping).loc[0, "shrinkage"] == 0.2


def test_sample_queue_settings_read(sample_dir):
    s = read_queue_settings(sample_dir / "queues.csv")
    assert set(s["channel"]) <= {"voice", "chat", "email"} and len(s) >= 1


@pytest.mark.parametrize("row,field", [
    ("calls,voice,1.2,20,,,,,", "service_level"),
    ("calls,voice,,,,,1.0,,", "shrinkage"),
    ("calls,voice,,,,1.5,,,", "max_occupancy"),
    ("calls,fax,,,,,,,", "channel"),
    ("calls,voice,,,,,,3,", "concurrency"),
    ("calls,voice,,-5,,,,,", "target_seconds"),
    ("calls,voice,abc,,,,,,", "service_level"),
    ("calls,email,,,,,,,60", "patience_seconds"),
    ("calls,voice,,,-3,,,,", "asa_seconds"),
])
def test_bad_settings_name_queue_and_field(tmp_path, row, field):
    with pytest.raises(QueueSettingsError) as err:
        read_queue_settings(write(tmp_path, HEADER + row + "\n"))
    message = str(err.value)
    assert "'calls'" in message and field in message and "row 2" in message


def test_unknown_column_and_duplicate_queue_refused(tmp_path):
    with pytest.raises(QueueSettingsError, match="unknown column"):
        read_queue_settings(write(tmp_path, "queue,colour\ncalls,red\n"))
    with pytest.raises(QueueSettingsError, match="listed twice"):
        read_queue_settings(write(tmp_path, HEADER + "calls,voice,,,,,,,\ncalls,voice,,,,,,,\n"))


def test_frame_of_numbers_and_nans_is_accepted():
    raw = pd.DataFrame({"queue": ["a", "b"], "channel": ["voice", "chat"],
                        "concurrency": [float("nan"), 3.0]})
    s = queue_settings_frame(raw)
    assert s["concurrency"].tolist() == [1, 3]
    assert queue_settings_frame(s).equals(s)
