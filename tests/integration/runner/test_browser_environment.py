"""The browser environment (delivery-slots': Node, React, esbuild, Debian's Chromium driven by
Playwright from the judge) against a hostile submission, on the real engine: its build step and
its page reach no network, its build cannot read the hidden tests nor change the environment's
packages, the judge still drives its page (with the Chromium its warm judge started before the
job), and the declared photographs come back capped."""

from __future__ import annotations

import base64
import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reciprocal.runner import Limits, run_tests
from reciprocal.runner.environments import ensure_environment

from tests.support.paths import ROOT

pytestmark = pytest.mark.docker

WriteTree = Callable[[str, dict[str, str]], Path]
FOLDER = ROOT / "assignments" / "delivery-slots" / "environment"

BUILD = textwrap.dedent("""\
    mkdir -p dist
    # The network, from the build step (a bare address of npm's registry).
    node -e "
      const fs = require('fs');
      const say = (word) => { fs.writeFileSync('dist/net.txt', word); process.exit(0); };
      const s = require('net').connect({host: '104.16.0.35', port: 443, timeout: 3000});
      s.on('connect', () => say('reached'));
      s.on('error', () => say('blocked'));
      s.on('timeout', () => say('blocked'));
    "
    # The hidden tests and the environment's packages.
    word=denied; cat /work/hidden/*.py > /dev/null 2>&1 && word=read
    echo $word > dist/hidden.txt
    word=denied; echo x 2>/dev/null >> /opt/frontend/node_modules/react/index.js && word=changed
    echo $word > dist/packages.txt
    cat > dist/index.html <<'HTML'
    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>waiting</title></head>
    <body style="background:#2a6; height:1200px"><h1>Hostile page</h1>
    <script>
      const done = (word) => { document.title = word; };
      fetch('https://registry.npmjs.org/', {mode: 'no-cors'})
        .then(() => done('reached'), () => done('blocked'));
      setTimeout(() => done('blocked'), 8000);
    </script></body></html>
    HTML
    """)
PACKAGE = {"name": "hostile", "private": True, "scripts": {"build": "sh build.sh"}}
HIDDEN = textwrap.dedent("""\
    from pathlib import Path

    from reciprocal_judge import browser, submission


    def test_the_judge_started_chromium_before_the_job():
        # The environment names chromium in RECIPROCAL_JUDGE_WARM: the browser is already up,
        # idle, for the first browser.chromium() below to take.
        assert browser._early is not None
        assert browser._early[1].is_connected()


    def test_the_build_reached_no_network():
        assert (submission.root / "dist" / "net.txt").read_text() == "blocked"


    def test_the_build_could_not_read_the_hidden_tests():
        assert (submission.root / "dist" / "hidden.txt").read_text().strip() == "denied"


    def test_the_build_could_not_change_the_environments_packages():
        assert (submission.root / "dist" / "packages.txt").read_text().strip() == "denied"


    def test_the_page_reaches_no_network():
        with browser.site("dist") as base, browser.chromium() as running:
            page = running.new_page()
            page.goto(base)
            page.wait_for_function("document.title !== 'waiting'", timeout=30_000)
            assert page.title() == "blocked"
    """)


@pytest.fixture(scope="module")
def browser_environment(docker_client: Any, runner_images: dict[str, str]) -> str:
    """Built by `reciprocal runners build` in `make test`; built here when it is missing."""
    return ensure_environment("delivery-slots", FOLDER, "python", client=docker_client,
                              progress=lambda _line: None)


def test_a_hostile_build_and_page_stay_in_the_sandbox(browser_environment: str,
                                                      tree: WriteTree) -> None:
    sub = tree("sub", {"package.json": json.dumps(PACKAGE), "build.sh": BUILD})
    hidden = tree("hidden", {"test_hostile_page.py": HIDDEN})
    result = run_tests("python", sub, hidden, Limits(timeout_seconds=600, memory_mb=2048,
                                                     pids=1024),
                       image=browser_environment,
                       tests={"build": ["npm", "run", "build"],
                              "screenshots": {"site": "dist", "pages": ["/"],
                                              "widths": [375, 1280]}})
    outcomes = {t.name: (t.outcome, t.message[:300]) for t in result.tests}
    assert result.status == "passed", (result.reason, outcomes, result.output[-3000:])
    assert set(outcomes) == {"test_the_judge_started_chromium_before_the_job",
                             "test_the_build_reached_no_network",
                             "test_the_build_could_not_read_the_hidden_tests",
                             "test_the_build_could_not_change_the_environments_packages",
                             "test_the_page_reaches_no_network"}
    assert result.integrity == "clean", result.integrity_evidence
    # The declared photographs: one per width, real PNGs, under the cap.
    shots = {shot["name"]: shot for shot in result.screenshots}
    assert set(shots) == {"home-375", "home-1280"}
    for shot in shots.values():
        data = base64.b64decode(shot["png"])
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 3 << 20
