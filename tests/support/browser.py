"""Headless Chromium from Debian's packages (no browser download), and axe-core's verdict on a
page, for the browser tests."""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
BLOCKING = ("serious", "critical")


def violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, each with where and why."""
    from axe_playwright_python.sync_playwright import Axe  # only browser tests load axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes'][:3]]} "
        f"{v['nodes'][0].get('failureSummary', '')[:200]}"
        for v in results.response["violations"] if v.get("impact") in BLOCKING
    ]
