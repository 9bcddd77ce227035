"""Intraday reforecast: the rest of today and the next days from what has arrived so far.

The learnt rule, per queue: each later interval's forecast is multiplied by
`exp(b . x)`, where `x` holds the morning's log actual-to-forecast ratios (the whole
morning; the last half hour and the last two hours, each split into a part that fades
with the hours ahead, `exp(-h / tau)`, and a part that does not). `b` is a weighted
least-squares regression of each later interval's log ratio on the same quantities
over the history's days cut at every hour, weighted by the forecast and shrunk
towards 0 (no correction): empirical Bayes in effect, the history says how far the
morning is to be believed, and the shrinkage and `tau` are chosen on the last third
of the days (no correction at all is one of the candidates). The next days get the
day's implied ratio carried at the history's day-to-day persistence,
`1 + carry**k x (ratio - 1)` on day k.

An event (a surge, an outage): when the last two hours run further from the forecast
than `event_threshold` robust standard deviations of the history's two-hour ratios
(`event_sd`), steadily through both hours and as a break from the morning before,
the rest of the day follows those two hours instead (without the history's
deviations to go by, `event_sd` is Poisson noise alone), keeping `event_follow` of
their log ratio: the history's own breaks regressed on how far the rest of their day
kept them, shrunk towards all of it as if `EVENT_PRIOR_DAYS` more event days had kept
theirs (a few bursts that faded do not teach the rule to ignore the next surge; many
do). The threshold is learnt too (3, 4, 6 or never): where the history's steady
bursts faded, following them costs accuracy, and the lowest threshold that costs
under 0.5% is kept. It is learnt twice, for breaks after a morning at least as long
as the window and for the day's first hours (a queue's opening, where a deviation
tells the day's level and the history says separately how far it lasts); the first
hours are followed whole when beyond theirs.

Without enough history for the regression the older level rule is used: the morning's
ratio `r` shrunk by the elapsed share `s` of the day's forecast,
`1 + s / (s + strength) x (r - 1)` (`strength` backtested on the history); AHT follows
it. The history's stand-in for the week-ahead forecast is the median of the same
weekday over the weeks before (or `past_forecasts`, forecasts once made), and days
whose total is far off it (holidays a calendar knows) are left out of the fit. One
noisy interval cannot swing the day: each interval's actual is capped near the median
interval ratio before the ratios are taken.

Frames: actuals (`queue, interval_start, contacts`, optional `aht_seconds`, `answered`,
`abandoned`) in; the reforecast frame (`REFORECAST_COLUMNS`: the forecast columns,
so it feeds staffing and projection unchanged, plus `forecast_contacts`,
`actual_contacts`, `ratio`, `source`) out.
"""

from forecasting.intraday.fit import fit_intraday
from forecasting.intraday.inputs import (
    ACTUALS_COLUMNS,
    ACTUALS_OPTIONAL,
    REFORECAST_COLUMNS,
    IntradayInputError,
    check_actuals,
    check_forecast,
    forecast_interval_minutes,
    parse_now,
)
from forecasting.intraday.reforecasting import Reforecast, reforecast
from forecasting.intraday.rule import (
    BASELINE_WEEKS,
    DEFAULT_STRENGTH,
    EVENT_HOURS,
    EVENT_MIN_CONTACTS,
    EVENT_PRIOR_DAYS,
    EVENT_THRESHOLD,
    EVENT_THRESHOLDS,
    FIT_DAYS,
    HALFLIVES,
    MAX_LOG_FACTOR,
    RECENT_HOURS,
    RIDGES,
    STRENGTHS,
    TAUS,
    IntradayRule,
)

__all__ = [
    "ACTUALS_COLUMNS", "ACTUALS_OPTIONAL", "BASELINE_WEEKS", "DEFAULT_STRENGTH", "EVENT_HOURS",
    "EVENT_MIN_CONTACTS", "EVENT_PRIOR_DAYS", "EVENT_THRESHOLD", "EVENT_THRESHOLDS", "FIT_DAYS",
    "HALFLIVES",
    "MAX_LOG_FACTOR", "RECENT_HOURS", "REFORECAST_COLUMNS", "RIDGES", "STRENGTHS", "TAUS",
    "IntradayInputError", "IntradayRule", "Reforecast", "check_actuals", "check_forecast",
    "fit_intraday", "forecast_interval_minutes", "parse_now", "reforecast",
]
