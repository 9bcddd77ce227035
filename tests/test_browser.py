"""The dashboard in a real browser: Debian's chromium driven by Playwright.

Starts `streamlit run app.py` on a free localhost port with an empty workspace,
waits for the sample plan, uploads the Anonymous Bank call log, lets the app
build its forecast, requirements and roster, opens the Roster page and saves a
screenshot: to docs/screenshot.png (the README's picture) when
WFM_UPDATE_SCREENSHOT=1, else to the test's temporary folder so a test run
leaves the tree clean.
"""

from __future__ import annotations

import os

import pytest
from browser_helpers import ROOT, launch_chromium, running_app

README_SCREENSHOT = ROOT / "docs" / "screenshot.png"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture()
def app_url(tmp_path):
    """The app on a free localhost port with an empty workspace."""
    with running_app(tmp_path) as url:
        yield url


def test_upload_bank_log_build_roster_and_screenshot(app_url, shared_data, tmp_path):
    update = os.environ.get("WFM_UPDATE_SCREENSHOT") == "1"
    shot = README_SCREENSHOT if update else tmp_path / "screenshot.png"
    playwright = pytest.importorskip("playwright.sync_api")
    log_file = shared_data / "anonymous_bank_feb1999_calls.tsv"
    with playwright.sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        try:
            page.set_default_timeout(240_000)
            page.goto(app_url)
            # The opening plan: the bundled sample, computed on first start.
            page.get_by_role("heading", name="Contact history").wait_for()
            page.locator("[data-testid='stMetric']").first.wait_for()

            page.locator("input[type='file']").set_input_files(str(log_file))
            page.get_by_text("31,125 contacts offered in 6 queues").wait_for()
            page.get_by_role("button", name="Save as a new plan and compute").click()
            # Forecast, requirements, roster and projection run; then the page reopens on
            # the new plan.
            page.get_by_text("Plan anonymous_bank_feb1999_calls:").wait_for()

            page.get_by_role("link", name="Roster").click()
            page.get_by_role("heading", name="Roster").wait_for()
            page.locator("[data-testid='stMetric']").first.wait_for()
            page.locator(".js-plotly-plot").first.wait_for()
            # the coverage chart of the bank's first queue draws after the Gantt
            page.get_by_text("Coverage against requirements: IN").wait_for(timeout=60_000)
            body = page.locator("body").inner_text()
            assert "Traceback" not in body
            assert "Coverage against requirements: IN" in body
            page.wait_for_timeout(1500)  # let Plotly finish drawing
            shot.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(shot), full_page=False)
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print("page text at failure:\n" + page.locator("body").inner_text()[:3000])
            raise
        finally:
            browser.close()
    assert shot.stat().st_size > 20_000
