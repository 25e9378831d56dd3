"""A real browser for hidden tests of frontend work: Debian's Chromium driven by Playwright (its
Python package, installed in the environment's image; no browser is ever downloaded).

The candidate's code runs in the page, in Chromium's own processes; the tests drive it from the
judge and read what the page shows, so what the submission controls is the page, which is what
the tests judge. ``site(folder)`` serves a folder of the submission (its build output) from the
judge over loopback: regular files inside the folder only, never a link, so nothing outside the
candidate's own files (the hidden tests least of all) reaches the page. ``screenshot`` keeps a
photograph the reviewers (and, with visible results, the candidate) see beside the results.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import re
import stat
import tempfile
import threading
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import submission

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic", "--font-render-hinting=none"]
SHOTS = Path("/work/.screenshots")
AXE = [os.path.join(folder, "axe-core", "axe.min.js") for folder in
       [*os.environ.get("NODE_PATH", "").split(":"), "/usr/share/nodejs",
        "/usr/lib/node_modules", "/usr/local/lib/node_modules"] if folder]
MAX_FILE = 20 << 20
_NAME = re.compile(r"[^a-z0-9._-]+")


# Playwright and a Chromium started by the warm judge before the job (launch_early), for the
# first chromium() to take; under gVisor their start is seconds of a run.
_early: tuple[Any, Any] | None = None


def launch_early() -> None:
    """Start Playwright and Chromium, idle, with a private home of their own: the judge's home
    is made with the job's files. Nothing of the job is known yet."""
    global _early
    from playwright.sync_api import sync_playwright

    home = tempfile.mkdtemp(prefix="reciprocal-browser-", dir="/tmp")  # a 0700 folder
    os.environ.update(HOME=home, TMPDIR=home)  # Playwright's driver keeps these
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # One blank page, closed: a first page costs about 0.5 s more than the next ones.
        browser.new_context().new_page().context.close()
        _early = (playwright, browser)
    except BaseException:
        playwright.stop()
        raise


def _close(started: tuple[Any, Any]) -> None:
    playwright, browser = started
    with contextlib.suppress(Exception):  # it may have closed already, or crashed
        browser.close()
    with contextlib.suppress(Exception):
        playwright.stop()


def close_early() -> None:
    """Close a browser started early that no test took."""
    global _early
    if _early is not None:
        started, _early = _early, None
        _close(started)


@contextlib.contextmanager
def chromium(**launch: Any) -> Iterator[Any]:
    """A Playwright Browser on Debian's Chromium, closed afterwards: the one the warm judge
    started, the first time and when no launch option is asked for, or a new one."""
    global _early
    from playwright.sync_api import sync_playwright

    if _early is not None and not launch:
        started, _early = _early, None
        try:
            if started[1].is_connected():
                yield started[1]
                return
        finally:
            _close(started)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, **launch)
        try:
            yield browser
        finally:
            browser.close()


class _SiteHandler(BaseHTTPRequestHandler):
    root: Path

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        path = self._file(unquote(urlsplit(self.path).path))
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            data = handle.read(MAX_FILE)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _file(self, url_path: str) -> Path | None:
        parts = [p for p in url_path.split("/") if p]
        if any(p in (".", "..") or "\0" in p for p in parts):
            return None
        here = self.root
        for part in parts:
            here = here / part
            if here.is_symlink():
                return None
        if here.is_dir():
            here = here / "index.html"
            if here.is_symlink():
                return None
        return here if here.is_file() else None


@contextlib.contextmanager
def site(folder: str | Path) -> Iterator[str]:
    """Serve ``folder`` of the submission (relative to it, or absolute inside it) on loopback;
    yields the base URL (ending in /)."""
    root = Path(folder)
    root = root if root.is_absolute() else submission.root / root
    if not root.resolve().is_relative_to(submission.root.resolve()) or root.is_symlink():
        raise ValueError(f"{folder} is not a folder of the submission")
    if not root.is_dir():
        raise FileNotFoundError(f"the submission has no {folder}/ (did its build run?)")
    handler = type("SiteHandler", (_SiteHandler,), {"root": root})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Photograph ``page`` for the reviewers, named ``name`` and its viewport's width."""
    width = (page.viewport_size or {}).get("width", 0)
    slug = _NAME.sub("-", name.lower()).strip("-") or "page"
    path = SHOTS / f"{slug}-{width}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe(page: Any, *, rules: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """axe-core's violations on the page (each with id, impact, help and nodes' targets)."""
    script = next((p for p in AXE if os.path.isfile(p)), None)
    if script is None:
        raise FileNotFoundError("axe-core is not installed in this environment")
    page.add_script_tag(path=script)
    options = json.dumps({"rules": rules} if rules else {})
    result = page.evaluate(f"async () => await axe.run(document, {options})")
    return [{"id": v["id"], "impact": v.get("impact"), "help": v.get("help"),
             "targets": [n.get("target") for n in v.get("nodes", [])][:10]}
            for v in result.get("violations", [])]


def take_declared(config: dict[str, Any]) -> None:
    """The assignment's ``[screenshots]``: every page of its site at every width."""
    folder, pages = config.get("site"), config.get("pages") or ["/"]
    widths = config.get("widths") or [1280]
    if not folder:
        return
    with site(str(folder)) as base, chromium() as browser:
        for width in widths:
            context = browser.new_context(viewport={"width": int(width), "height": 900})
            page = context.new_page()
            for path in pages:
                page.goto(base + str(path).lstrip("/"), wait_until="networkidle")
                screenshot(page, "home" if str(path).strip("/") == "" else str(path))
            context.close()
