"""The two layouts of the design: slots and summary side by side from 768px, one column
below it with nothing wider than the screen; slots big enough to tap."""

from __future__ import annotations

from conftest import slot
from playwright.sync_api import expect
from reciprocal_judge import browser


def boxes(page):
    picker = page.get_by_role("tabpanel").bounding_box()
    summary = page.get_by_role("complementary", name="Your delivery").bounding_box()
    assert picker and summary
    return picker, summary


def test_wide_layout_has_two_columns(open_page):
    page = open_page(1280)
    picker, summary = boxes(page)
    assert summary["x"] >= picker["x"] + picker["width"], "the summary sits right of the slots"
    assert abs(summary["y"] - picker["y"]) < 200, "side by side, near the same height"
    assert 300 <= summary["width"] <= 360, f"the summary is 320px wide, is {summary['width']}"
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading and 1280 - (summary["x"] + summary["width"]) >= 100, (
        "the content is at most 1040px wide, centred")
    assert abs((1280 - (summary["x"] + summary["width"])) - heading["x"]) <= 2, "centred"


def test_narrow_layout_has_one_column_and_no_sideways_scroll(open_page):
    page = open_page(375)
    picker, summary = boxes(page)
    assert summary["y"] >= picker["y"] + picker["height"] - 1, "the summary comes after the slots"
    assert summary["width"] >= 300, "one column: the summary takes the width"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide at 375px: something overflows"
    browser.screenshot(page, "narrow-with-summary")


def test_slots_are_big_enough_to_tap(open_page):
    page = open_page(375)
    for time_range in ("10:00–12:00", "14:00–16:00"):
        label = page.locator("label", has=slot(page, time_range))
        box = label.bounding_box()
        assert box and box["height"] >= 44, f"{time_range}: a target at least 44px tall"
    label = page.locator("label", has=slot(page, "16:00–18:00"))
    label.click(position={"x": 200, "y": 10})
    expect(slot(page, "16:00–18:00")).to_be_checked()
