"""Everything works from the keyboard: the days are a tab list with roving tabindex and arrow
keys, the slots native radios, focus goes where the README says."""

from __future__ import annotations

from conftest import day_tab, slot
from playwright.sync_api import expect


def test_only_the_selected_day_is_in_the_tab_order(open_page):
    page = open_page()
    tabs = page.get_by_role("tab")
    indexes = [tabs.nth(i).get_attribute("tabindex") for i in range(tabs.count())]
    assert indexes == ["-1", "0", "-1", "-1", "-1"], f"roving tabindex expected, got {indexes}"


def test_tab_order_days_slots_confirm(open_page):
    page = open_page()
    page.keyboard.press("Tab")
    expect(day_tab(page, "Tue 5 Nov")).to_be_focused()
    page.keyboard.press("Tab")
    expect(slot(page, "10:00–12:00")).to_be_focused()  # the first slot that is not full
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Confirm slot")).to_be_focused()


def test_arrow_keys_move_between_days(open_page):
    page = open_page()
    day_tab(page, "Tue 5 Nov").focus()
    page.keyboard.press("ArrowRight")
    expect(day_tab(page, "Wed 6 Nov")).to_be_focused()
    expect(day_tab(page, "Wed 6 Nov")).to_have_attribute("aria-selected", "true")
    expect(day_tab(page, "Wed 6 Nov")).to_have_attribute("tabindex", "0")
    expect(day_tab(page, "Tue 5 Nov")).to_have_attribute("tabindex", "-1")
    expect(page.get_by_role("group", name="Time slots on Wednesday 6 November")).to_be_visible()
    page.keyboard.press("End")
    expect(day_tab(page, "Fri 8 Nov")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(day_tab(page, "Mon 4 Nov")).to_be_focused()  # wraps around
    expect(page.get_by_role("tabpanel")).to_contain_text("Every slot on Monday 4 November")
    page.keyboard.press("ArrowLeft")
    expect(day_tab(page, "Fri 8 Nov")).to_be_focused()
    page.keyboard.press("Home")
    expect(day_tab(page, "Mon 4 Nov")).to_be_focused()
    expect(day_tab(page, "Mon 4 Nov")).to_have_attribute("aria-selected", "true")


def test_arrow_keys_choose_slots_skipping_full_ones(open_page):
    page = open_page()
    slot(page, "10:00–12:00").focus()
    page.keyboard.press("Space")
    expect(slot(page, "10:00–12:00")).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(slot(page, "14:00–16:00")).to_be_checked()  # 12:00–14:00 is full
    expect(slot(page, "14:00–16:00")).to_be_focused()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Tuesday 5 November, 14:00–16:00")
    expect(status).to_contain_text("Free")


def test_whole_flow_by_keyboard(open_page):
    page = open_page()
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # Wed 6 Nov: only 16:00–18:00 is left
    page.keyboard.press("Tab")
    expect(slot(page, "16:00–18:00")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="Delivery booked")
    expect(heading).to_be_focused()
    expect(page.get_by_text("on Wednesday 6 November between 16:00 and 18:00")).to_be_visible()
    change = page.get_by_role("button", name="Change slot")
    change.focus()
    page.keyboard.press("Enter")
    expect(slot(page, "16:00–18:00")).to_be_focused()
    expect(slot(page, "16:00–18:00")).to_be_checked()
    expect(day_tab(page, "Wed 6 Nov")).to_have_attribute("aria-selected", "true")
