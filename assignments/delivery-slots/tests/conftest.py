"""The candidate's built page (dist/, made by `npm run build` before the tests) served from the
judge and driven in Chromium. Every page gets the tests' own schedule (a route answers
slots.json), so the checks do not depend on the data the candidate ships."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from reciprocal_judge import browser

expect.set_options(timeout=10_000)  # generous: Chromium under gVisor on a busy machine

FEES = {"08:00": 450, "10:00": 299, "12:00": 299, "14:00": 0, "16:00": 350, "18:00": 650}
ENDS = {"08:00": "10:00", "10:00": "12:00", "12:00": "14:00", "14:00": "16:00",
        "16:00": "18:00", "18:00": "20:00"}
FULL = {  # the slots already taken on each day
    "2024-11-04": set(FEES),
    "2024-11-05": {"08:00", "12:00", "18:00"},
    "2024-11-06": {"08:00", "10:00", "12:00", "14:00", "18:00"},
    "2024-11-07": set(),
    "2024-11-08": set(FEES),
}


def schedule(currency: str = "EUR") -> dict[str, Any]:
    return {
        "address": "4 Quai Saint-Vincent, 69001 Lyon",
        "currency": currency,
        "days": [{"date": date, "slots": [
            {"id": f"s-{date}-{start[:2]}", "start": start, "end": ENDS[start], "fee": fee,
             "available": start not in taken} for start, fee in FEES.items()]}
            for date, taken in FULL.items()],
    }


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    with browser.site("dist") as base:
        yield base


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with browser.chromium() as running:
        yield running


OpenPage = Callable[..., Page]
# The first page may take a while (Chromium starting under gVisor); once a page has never shown
# the tab list, the following tests wait less for it, so a page that renders nothing fails fast.
READY_MS = {"wait": 20_000}


@pytest.fixture
def open_page(site: str, chromium: Browser) -> Iterator[OpenPage]:
    contexts = []

    def open_(width: int = 1280, *, data: dict[str, Any] | None = None,
              timezone: str = "Europe/Paris", answer: Callable[[Route], None] | None = None,
              ready: bool = True) -> Page:
        context = chromium.new_context(viewport={"width": width, "height": 900},
                                       timezone_id=timezone, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        body = json.dumps(data or schedule())

        def serve(route: Route) -> None:
            if answer is not None:
                answer(route)
            else:
                route.fulfill(status=200, content_type="application/json", body=body)

        page.route(re.compile(r".*/slots\.json(\?.*)?$"), serve)
        page.goto(site)
        if ready:
            try:
                expect(page.get_by_role("tablist", name="Delivery day")).to_be_visible(
                    timeout=READY_MS["wait"])
            except AssertionError:
                READY_MS["wait"] = 2_000
                raise
        return page

    yield open_
    for context in contexts:
        context.close()


def day_tab(page: Page, short: str) -> Any:
    return page.get_by_role("tab", name=re.compile(rf"^\s*{re.escape(short)}"))


def slot(page: Page, time_range: str) -> Any:
    return page.get_by_role("radio", name=re.compile(rf"^\s*{re.escape(time_range)}"))


def words(text: str) -> str:
    return " ".join(text.split())
