"""The Scenarios page in a real browser (Debian's chromium driven by Playwright): build a
scenario with the forms, run it, read the comparison's cards, in English and in Chinese
with every card label translated and no ∞, None or NaN on screen."""

from __future__ import annotations

import re
import time

import pytest
from browser_helpers import launch_chromium, running_app

from dashboard.figures_scenarios import label

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CARDS = ("service_level", "asa_seconds", "abandon_rate", "first_response_seconds",
         "sc_short_people", "sc_short_hours", "paid_hours", "sc_cost_card")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture()
def app_url(tmp_path):
    """The app on a free localhost port with an empty workspace."""
    with running_app(tmp_path) as url:
        yield url


def _cards(page, lang: str) -> dict[str, str]:
    """The comparison's cards, label -> value, once the cost card (the last) is drawn."""
    page.locator("[data-testid='stMetric']").filter(
        has_text=label("sc_cost_card", lang)).first.wait_for()
    page.wait_for_timeout(1000)
    cards = {}
    for metric in page.locator("[data-testid='stMetric']").all():
        name = metric.locator("[data-testid='stMetricLabel']").inner_text().strip()
        cards[name] = metric.locator("[data-testid='stMetricValue']").inner_text().strip()
    return cards


def _wait_for_text(page, text: str, seconds: float = 600) -> None:
    """Wait for `text`; fail at once with the page's message if an error shows instead."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = page.locator("body").inner_text()
        if text in body:
            return
        alerts = page.locator("[data-testid='stAlertContentError']").all_inner_texts()
        if alerts:
            raise AssertionError(f"error instead of {text!r}: {alerts}")
        page.wait_for_timeout(2000)
    raise AssertionError(f"{text!r} did not appear in {seconds:.0f} s")


def _no_raw_values(values: list[str]) -> None:
    for value in values:
        assert not re.search(r"∞|None|NaN|\bnan\b|\binf\b|\d\.\d{4,}", value), value


def test_build_run_and_read_a_scenario_in_english_and_chinese(app_url, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        try:
            page.set_default_timeout(300_000)
            page.goto(app_url)
            page.get_by_role("heading", name="Contact history").wait_for()
            page.get_by_role("link", name="Scenarios").click()
            page.get_by_role("heading", name=label("sc_build", "en")).wait_for()

            # the forms: one day of Double 11, 30% of chat to a chatbot, a short solve
            page.get_by_label(label("sc_name", "en"), exact=True).fill("Form bot")
            page.get_by_label(label("sc_first_day", "en"), exact=True).fill("2026-11-11")
            page.get_by_label(label("sc_days", "en"), exact=True).fill("1")
            page.get_by_label(label("sc_deflection", "en"), exact=True).fill("30")
            page.get_by_label(label("sc_time_limit", "en"), exact=True).fill("5")
            page.get_by_label(label("sc_time_limit", "en"), exact=True).press("Tab")
            page.get_by_role("button", name=label("sc_build_button", "en")).click()
            page.get_by_text(label("sc_advanced", "en")).click()
            page.wait_for_function(
                "() => [...document.querySelectorAll('textarea')]"
                ".some(t => t.value.includes('name: Form bot') && t.value.includes('chat: 0.3'))")
            page.get_by_role("button", name=label("sc_run", "en"), exact=True).click()
            _wait_for_text(page, "Saved Form bot as plan")

            page.get_by_text(label("sc_reasons", "en")).wait_for()
            cards = _cards(page, "en")
            for key in CARDS:
                assert label(key, "en") in cards, (key, cards)
            _no_raw_values(list(cards.values()))

            # Chinese: the sidebar's language
            page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
            page.get_by_role("option", name="简体中文").click()
            page.get_by_role("heading", name=label("sc_title", "zh")).wait_for()
            page.get_by_text(label("sc_reasons", "zh")).wait_for()
            cards = _cards(page, "zh")
            for key in CARDS:
                assert label(key, "zh") in cards, (key, cards)
            assert all(HAN.search(name) for name in cards), cards
            _no_raw_values(list(cards.values()))
            body = page.locator("body").inner_text()
            assert "Traceback" not in body
            page.screenshot(path=str(tmp_path / "scenarios_zh.png"))
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print("page text at failure:\n" + page.locator("body").inner_text()[-4000:])
            raise
        finally:
            browser.close()
