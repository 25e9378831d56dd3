"""Screenshots of the main pages of each role at 1280 px, into docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

It makes a fresh data directory, runs `reciprocal db upgrade` and `reciprocal demo` (the demo
pipeline of `make run`), starts `reciprocal serve` on a free loopback port, signs in as each
demo role in headless Chromium (/usr/bin/chromium, driven by Playwright) and saves one PNG per
page. Nothing outside the temporary directory and the output folder is touched.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin" / "reciprocal"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu"]
PASSWORD = "reciprocal-demo"  # noqa: S105 -- the demo's published password
MAX_HEIGHT = 2400  # long pages are cut here: the top of a page is what a reader looks at


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def first(pattern: str, html: str) -> str:
    found = re.search(pattern, html)
    if not found:
        raise SystemExit(f"not found on the page: {pattern}")
    return found.group(1)


def login(page: object, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def shoot(page: object, base: str, out: Path, name: str, path: str) -> None:
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
    page.screenshot(path=str(out / f"{name}.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": 1280, "height": height})
    print(f"  {name}.png  {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="reciprocal-shots-") as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECIPROCAL_")}
        env.update({"RECIPROCAL_DATA_DIR": str(Path(tmp) / "data"), "RECIPROCAL_BASE_URL": base,
                    "RECIPROCAL_SECRET_KEY": "screenshots-" + str(port)})
        subprocess.run([str(BIN), "db", "upgrade"], env=env, check=True, cwd=ROOT,
                       capture_output=True, text=True)
        demo = subprocess.run([str(BIN), "demo"], env=env, check=True, cwd=ROOT,
                              capture_output=True, text=True).stdout
        portal = first(r"Sam Candidate: (\S+)", demo)
        serve = subprocess.Popen([str(BIN), "serve", "--port", str(port), "--workers", "0"],
                                 env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                time.sleep(0.5)
            else:
                raise SystemExit("reciprocal serve did not answer /healthz")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                shots(browser, base, out, portal)
                browser.close()
        finally:
            os.killpg(serve.pid, signal.SIGTERM)
            serve.wait(60)


def signed_in(browser: object, base: str, email: str | None) -> tuple[object, object]:
    """A fresh 1280 px wide browser context, signed in as `email` (None: a candidate)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    print(email or "candidate")
    if email:
        login(page, base, email)
    return context, page


def shots(browser: object, base: str, out: Path, portal: str) -> None:
    context, page = signed_in(browser, base, None)
    shoot(page, base, out, "candidate-landing", portal.removeprefix(base))
    context.close()

    context, page = signed_in(browser, base, "reviewer@example.com")
    shoot(page, base, out, "reviewer-queue", "/queue")
    # An open review with graded code (the first rows may still wait for the workers).
    sids = re.findall(r'/submissions/(\d+)/code"', page.content())
    sid = sids[len(sids) // 2]
    page.goto(f"{base}/submissions/{sid}/changes")
    source = first(r'href="(/submissions/\d+/code/[^"#?]+\.(?:py|go|js))"', page.content())
    shoot(page, base, out, "reviewer-changes", f"/submissions/{sid}/changes")
    shoot(page, base, out, "reviewer-changes-split", f"/submissions/{sid}/changes?view=split")
    shoot(page, base, out, "reviewer-file", source)
    shoot(page, base, out, "reviewer-comment-form", f"{source}?line=3")
    shoot(page, base, out, "reviewer-comment-library", f"/submissions/{sid}/snippets")
    shoot(page, base, out, "reviewer-scorecard", f"/submissions/{sid}/review")
    shoot(page, base, out, "reviewer-kit", f"/submissions/{sid}/kit")
    context.close()

    context, page = signed_in(browser, base, "recruiter@example.com")
    shoot(page, base, out, "recruiter-dashboard", "/dashboard")
    role = first(r'href="/roles/(\d+)/panel"', page.content())
    shoot(page, base, out, "recruiter-pipeline", "/outcomes/pipeline")
    shoot(page, base, out, "recruiter-board", f"/outcomes/roles/{role}/board")
    shoot(page, base, out, "recruiter-panel", f"/roles/{role}/panel")
    shoot(page, base, out, "recruiter-process-health", "/outcomes/health")
    shoot(page, base, out, "recruiter-queue", "/queue")
    reviewed = re.findall(r'/submissions/(\d+)"', page.content())
    if reviewed:
        shoot(page, base, out, "recruiter-submission", f"/submissions/{reviewed[-1]}")
        shoot(page, base, out, "recruiter-scorecards", f"/submissions/{reviewed[-1]}/review")
        shoot(page, base, out, "recruiter-kit", f"/submissions/{reviewed[-1]}/kit")
    context.close()

    context, page = signed_in(browser, base, "admin@example.com")
    shoot(page, base, out, "admin-calibration", "/review/calibration")
    shoot(page, base, out, "admin-users", "/admin/users")
    shoot(page, base, out, "admin-tokens", "/admin/tokens")
    shoot(page, base, out, "admin-funnel", "/reports/funnel")
    shoot(page, base, out, "admin-fairness", "/reports/fairness")
    context.close()


if __name__ == "__main__":
    sys.exit(main())
