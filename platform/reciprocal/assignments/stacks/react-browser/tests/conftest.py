"""The candidate's built page (dist/, made by `npm run build` before the tests: [tests] build)
served from the judge with the harness's browser helpers and driven in Debian's Chromium. The
candidate's code runs in the page; the tests read what the page shows."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from reciprocal_judge import browser

expect.set_options(timeout=10_000)  # generous: Chromium under gVisor on a busy machine


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    with browser.site("dist") as base:
        yield base


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with browser.chromium() as running:
        yield running


@pytest.fixture
def open_page(site: str, chromium: Browser) -> Iterator[Callable[..., Page]]:
    """Open the page at a width; each page in a context of its own."""
    contexts = []

    def open_(width: int = 1280) -> Page:
        context = chromium.new_context(viewport={"width": width, "height": 800},
                                       locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(site)
        expect(page.get_by_role("heading", name="Send a message")).to_be_visible(
            timeout=20_000)  # the first page waits for Chromium to warm up
        return page

    yield open_
    for context in contexts:
        context.close()


def message_box(page: Page):
    return page.get_by_label("Message")


def counter(page: Page):
    return page.locator("#counter")
