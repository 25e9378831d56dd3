"""One choice for the whole schedule, a summary that follows it, an error when there is none,
and the confirmation."""

from __future__ import annotations

from conftest import day_tab, slot
from playwright.sync_api import expect


def test_summary_follows_the_choice(open_page):
    page = open_page()
    status = page.get_by_role("status")
    expect(status).to_contain_text("No slot chosen yet.")
    slot(page, "16:00–18:00").check()
    expect(status).to_contain_text("Tuesday 5 November, 16:00–18:00")
    expect(status).to_contain_text("Delivery fee: €3.50")
    summary = page.get_by_role("complementary", name="Your delivery")
    expect(summary).to_contain_text("Tuesday 5 November, 16:00–18:00")


def test_choice_survives_switching_days(open_page):
    page = open_page()
    slot(page, "10:00–12:00").check()
    day_tab(page, "Thu 7 Nov").click()
    for radio in page.get_by_role("radio").all():
        expect(radio).not_to_be_checked()
    expect(page.get_by_role("status")).to_contain_text("Tuesday 5 November, 10:00–12:00")
    day_tab(page, "Tue 5 Nov").click()
    expect(slot(page, "10:00–12:00")).to_be_checked()
    day_tab(page, "Thu 7 Nov").click()
    slot(page, "08:00–10:00").check()
    expect(page.get_by_role("status")).to_contain_text("Thursday 7 November, 08:00–10:00")
    day_tab(page, "Tue 5 Nov").click()
    expect(slot(page, "10:00–12:00")).not_to_be_checked()


def test_confirm_without_choice_shows_error(open_page):
    page = open_page()
    page.get_by_role("button", name="Confirm slot").click()
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Choose a time slot to continue.")
    expect(page.get_by_role("group", name="Time slots on Tuesday 5 November")) \
        .to_have_accessible_description("Choose a time slot to continue.")
    expect(page.get_by_role("heading", name="Delivery booked")).to_have_count(0)


def test_error_clears_after_choice(open_page):
    page = open_page()
    page.get_by_role("button", name="Confirm slot").click()
    expect(page.get_by_role("alert")).to_be_visible()
    slot(page, "14:00–16:00").check()
    expect(page.get_by_text("Choose a time slot to continue.")).to_have_count(0)


def test_confirmation_and_change_slot(open_page):
    page = open_page()
    slot(page, "10:00–12:00").check()
    page.get_by_role("button", name="Confirm slot").click()
    heading = page.get_by_role("heading", name="Delivery booked", level=2)
    expect(heading).to_be_focused()
    expect(page.get_by_text("We'll deliver to 4 Quai Saint-Vincent, 69001 Lyon on Tuesday 5 "
                            "November between 10:00 and 12:00.")).to_be_visible()
    expect(page.get_by_role("tablist")).to_have_count(0)
    page.get_by_role("button", name="Change slot").click()
    expect(slot(page, "10:00–12:00")).to_be_checked()
    expect(slot(page, "10:00–12:00")).to_be_focused()
