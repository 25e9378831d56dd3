"""axe-core finds no serious or critical problem in any state; the landmarks and the tab
pattern are named as the README says."""

from __future__ import annotations

import pytest
from conftest import day_tab, slot
from playwright.sync_api import expect
from reciprocal_judge import browser

SERIOUS = {"serious", "critical"}


def assert_no_serious(page, state):
    found = [v for v in browser.axe(page) if v["impact"] in SERIOUS]
    assert not found, f"axe-core in the {state} state: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {v['targets'][:3]}" for v in found)


@pytest.mark.parametrize("width", [375, 1280])
def test_axe_first_view(open_page, width):
    assert_no_serious(open_page(width), f"first view at {width}px")


def test_axe_error_and_fully_booked_states(open_page):
    page = open_page()
    page.get_by_role("button", name="Confirm slot").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_serious(page, "error")
    day_tab(page, "Mon 4 Nov").click()
    assert_no_serious(page, "fully booked day")


def test_axe_confirmation(open_page):
    page = open_page(375)
    slot(page, "10:00–12:00").check()
    page.get_by_role("button", name="Confirm slot").click()
    expect(page.get_by_role("heading", name="Delivery booked")).to_be_visible()
    browser.screenshot(page, "confirmation")
    assert_no_serious(page, "confirmation")


def test_landmarks_and_names(open_page):
    page = open_page()
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("complementary", name="Your delivery")).to_be_visible()
    expect(page.get_by_role("tablist", name="Delivery day")).to_be_visible()
    tab = day_tab(page, "Tue 5 Nov")
    panel = page.get_by_role("tabpanel")
    assert tab.get_attribute("aria-controls") == panel.get_attribute("id")
    expect(page.get_by_role("button", name="Confirm slot")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
