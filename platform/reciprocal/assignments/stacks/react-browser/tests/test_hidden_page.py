"""The page as it opens: what already worked."""

from __future__ import annotations

from conftest import counter, message_box
from playwright.sync_api import expect
from reciprocal_judge import browser

SERIOUS = {"serious", "critical"}


def test_the_box_is_labelled_and_counts_from_the_limit(open_page):
    page = open_page()
    expect(message_box(page)).to_be_visible()
    expect(counter(page)).to_have_text("280 characters left")
    expect(message_box(page)).to_have_attribute("aria-describedby", "counter")


def test_no_serious_accessibility_problem(open_page):
    page = open_page(375)
    found = [v for v in browser.axe(page) if v["impact"] in SERIOUS]
    assert not found, "axe-core: " + "; ".join(f"{v['id']}: {v['help']}" for v in found)
