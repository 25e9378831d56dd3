"""What the page shows for a schedule, in every time zone, and while it loads or fails."""

from __future__ import annotations

import json
import re
import time

import pytest
from conftest import day_tab, schedule, slot, words
from playwright.sync_api import expect

SHORT = ["Mon 4 Nov", "Tue 5 Nov", "Wed 6 Nov", "Thu 7 Nov", "Fri 8 Nov"]
LEFT = ["Fully booked", "3 slots left", "1 slot left", "6 slots left", "Fully booked"]


def test_heading_and_address(open_page):
    page = open_page()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a delivery slot")
    expect(page.get_by_text("4 Quai Saint-Vincent, 69001 Lyon")).to_be_visible()


def test_day_tabs_show_date_and_slots_left(open_page):
    page = open_page()
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(5)
    for index, (short, left) in enumerate(zip(SHORT, LEFT, strict=True)):
        text = words(tabs.nth(index).inner_text())
        assert text.startswith(short) and text.endswith(left), (
            f"tab {index + 1} should read {short!r} then {left!r}, reads {text!r}")


@pytest.mark.parametrize("timezone", ["America/New_York", "Pacific/Auckland"])
def test_day_labels_do_not_depend_on_time_zone(open_page, timezone):
    page = open_page(timezone=timezone)
    names = [words(t).split(" ")[:3] for t in page.get_by_role("tab").all_inner_texts()]
    assert [" ".join(n) for n in names] == SHORT, (
        f"in {timezone} the days read {names}: a date without a time is the same day everywhere")
    expect(page.get_by_role("group", name="Time slots on Tuesday 5 November")).to_be_visible()


def test_first_day_with_free_slots_is_selected(open_page):
    page = open_page()
    expect(day_tab(page, "Tue 5 Nov")).to_have_attribute("aria-selected", "true")
    expect(day_tab(page, "Mon 4 Nov")).to_have_attribute("aria-selected", "false")
    panel = page.get_by_role("tabpanel")
    expect(panel).to_have_count(1)
    assert panel.get_attribute("aria-labelledby") == day_tab(page, "Tue 5 Nov").get_attribute("id")


def test_slots_are_radios_named_by_time_and_fee(open_page):
    page = open_page()
    group = page.get_by_role("group", name="Time slots on Tuesday 5 November")
    radios = group.get_by_role("radio")
    expect(radios).to_have_count(6)
    expect(slot(page, "10:00–12:00")).to_be_enabled()
    expect(slot(page, "08:00–10:00")).to_be_disabled()
    for time_range, fee in (("10:00–12:00", "€2.99"), ("14:00–16:00", "Free"),
                            ("16:00–18:00", "€3.50"), ("08:00–10:00", "Full")):
        label = page.locator("label", has=slot(page, time_range))
        expect(label).to_contain_text(fee)
    for radio in radios.all():
        expect(radio).not_to_be_checked()


def test_fees_use_the_schedules_currency(open_page):
    page = open_page(data=schedule("GBP"))
    expect(page.locator("label", has=slot(page, "16:00–18:00"))).to_contain_text("£3.50")


def test_fully_booked_day_says_so(open_page):
    page = open_page()
    day_tab(page, "Mon 4 Nov").click()
    panel = page.get_by_role("tabpanel")
    expect(panel).to_contain_text("Every slot on Monday 4 November is booked")
    expect(panel.get_by_role("radio")).to_have_count(0)


def test_loading_state(open_page):
    held = []
    page = open_page(answer=held.append, ready=False)
    expect(page.get_by_role("status").filter(has_text="Loading delivery slots")).to_be_visible()
    held[0].fulfill(status=200, content_type="application/json",
                    body=json.dumps(schedule()))
    expect(page.get_by_role("tablist", name="Delivery day")).to_be_visible()
    expect(page.get_by_text("Loading delivery slots")).to_have_count(0)


def test_load_failure_and_try_again(open_page):
    calls = []

    def answer(route):
        calls.append(time.monotonic())
        if len(calls) == 1:
            route.fulfill(status=503, body="unavailable")
        else:
            route.fulfill(status=200, content_type="application/json",
                          body=json.dumps(schedule()))

    page = open_page(answer=answer, ready=False)
    expect(page.get_by_role("alert")).to_have_text(
        re.compile(r"We couldn.t load the delivery slots\."))
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("tablist", name="Delivery day")).to_be_visible()
    assert len(calls) == 2
