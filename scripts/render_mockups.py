"""Render delivery-slots' design mock-ups from its reference solution, in its grading
environment: the starter's design/*.png are the solution's page photographed by Chromium.

    python scripts/render_mockups.py [IMAGE]    (default reciprocal-env-dev:delivery-slots)

The photographs are taken by a throwaway hidden test in a runner container (the solution is
built by `npm run build` there first), so they show what the grader's Chromium shows.
"""

from __future__ import annotations

import base64
import sys
import tempfile
from pathlib import Path

from reciprocal.runner import Limits, run_tests

ROOT = Path(__file__).resolve().parents[1] / "assignments" / "delivery-slots"

SHOTS = '''
import re
from playwright.sync_api import expect
from reciprocal_judge import browser


def test_mockups():
    with browser.site("dist") as base, browser.chromium() as chromium:
        for width in (1280, 375):
            context = chromium.new_context(viewport={"width": width, "height": 900},
                                           locale="en-GB", timezone_id="Europe/Paris")
            page = context.new_page()
            page.goto(base)
            expect(page.get_by_role("tablist")).to_be_visible()
            browser.screenshot(page, "design-first-view")
            radio = page.get_by_role("radio", name=re.compile("^14:00"))
            radio.focus()
            page.keyboard.press("Space")
            browser.screenshot(page, "design-chosen-with-keyboard-focus")
            page.get_by_role("tab", name=re.compile("^Mon 3 Jun")).click()
            browser.screenshot(page, "design-fully-booked-day")
            page.reload()
            expect(page.get_by_role("tablist")).to_be_visible()
            page.get_by_role("button", name="Confirm slot").click()
            browser.screenshot(page, "design-error")
            if width == 1280:
                page.get_by_role("radio", name=re.compile("^10:00")).check()
                page.get_by_role("button", name="Confirm slot").click()
                browser.screenshot(page, "design-confirmed")
            context.close()
'''


def main() -> int:
    image = sys.argv[1] if len(sys.argv) > 1 else "reciprocal-env-dev:delivery-slots"
    with tempfile.TemporaryDirectory() as hidden:
        Path(hidden, "test_mockups.py").write_text(SHOTS)
        result = run_tests("python", ROOT / "solution", Path(hidden),
                           Limits(timeout_seconds=240, memory_mb=2048, pids=1024), image=image,
                           tests={"build": ["npm", "run", "build"]})
    if result.status != "passed":
        print(result.reason, result.output[-3000:], file=sys.stderr)
        return 1
    design = ROOT / "starter" / "design"
    design.mkdir(exist_ok=True)
    for shot in result.screenshots:
        name = shot["name"].removeprefix("design-")
        (design / f"{name}.png").write_bytes(base64.b64decode(shot["png"]))
        print(f"design/{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
