"""Projected response times: what a roster will deliver against a forecast, per queue and interval.

From the roster, each queue's agents on line per interval are counted to the second
(shift minus breaks, averaged over the interval), then unplanned shrinkage from the
queue settings is taken off. The agents on line, the forecast contacts and AHT give
the projected service level, ASA, 90th-percentile wait, abandonment and occupancy:

- per queue with Erlang C, or Erlang A where the queue's `patience_seconds` is known
  (chat queues through the chat concurrency model), each agent counting for the
  queue the roster assigns; or
- with `simulate=True`, by a seeded discrete-event simulation in which agents with
  several skills (`skills`) answer every queue they know, their rostered queue first
  (`scheduling.pooled_simulation`).

For chat queues `asa_seconds` and `wait_p90_seconds` are the mean and 90th
percentile of the first-response time.
"""

from scheduling.projection.formulas import (
    WAIT_PERCENTILE,
    erlang_c_wait_percentile,
    formula_metrics,
)
from scheduling.projection.inputs import (
    FORECAST_NEEDS,
    ProjectionInputError,
    break_spans,
    check_forecast,
    interval_length,
    parse_roster,
    settings_table,
)
from scheduling.projection.on_line import agents_on_line, on_line_windows
from scheduling.projection.per_interval import (
    EXTRA_COLUMNS,
    PROJECTION_COLUMNS,
    below_target,
    project,
)
from scheduling.projection.rollups import ROLLUP_COLUMNS, rollup
from scheduling.projection.simulation import simulation_agents

__all__ = [
    "EXTRA_COLUMNS", "FORECAST_NEEDS", "PROJECTION_COLUMNS", "ROLLUP_COLUMNS",
    "WAIT_PERCENTILE", "ProjectionInputError", "agents_on_line", "below_target",
    "break_spans", "check_forecast", "erlang_c_wait_percentile", "interval_length",
    "on_line_windows", "parse_roster", "project", "rollup", "formula_metrics",
    "settings_table", "simulation_agents",
]
