"""The Assumed list: what a plan takes for granted that the planner did not give.

Shown on the pages whose results depend on it: the holiday calendar (its country and
why, the shopping events, the special days the history shows no effect of) with the
forecast, and an invented starter team wherever the roster uses it.
"""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.i18n import current_language, t
from dashboard.messages import message_in
from planning.plans import starter_team
from planning.steps import calendar_for


def calendar_lines() -> list[str]:
    """The calendar assumptions of the open plan, in the chosen language."""
    settings = state.settings()
    lines = []
    reason = settings.country_reason or ""
    if settings.country:
        if reason.startswith("guessed: "):
            lines.append(t("assumed_country_guessed", country=settings.country,
                           reason=message_in(reason.removeprefix("guessed: "),
                                            current_language())))
        else:
            lines.append(t("assumed_country", country=settings.country))
    else:
        lines.append(t("assumed_no_holidays"))
    lines.append(t("assumed_shopping_on") if settings.shopping else t("assumed_shopping_off"))
    history = state.frame("history")
    calendar = calendar_for(settings, state.frame("events"), history)
    if calendar.exclude:
        lines.append(t("assumed_no_effect", events=", ".join(sorted(calendar.exclude))))
    return lines


def team_lines() -> list[str]:
    """The team assumption of the open plan (empty when the planner gave the team)."""
    count = starter_team(state.workspace(), state.plan_id())
    return [t("assumed_starter_team", count=count)] if count else []


def show_assumed(calendar: bool = True, team: bool = True) -> None:
    """The Assumed list under a page's results."""
    lines = (calendar_lines() if calendar else []) + (team_lines() if team else [])
    if lines:
        st.markdown(f"**{t('assumed_header')}**\n\n" + "\n".join(f"- {line}" for line in lines))
