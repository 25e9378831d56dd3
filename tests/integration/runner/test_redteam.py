"""The red-team suite (tests/redteam/): every known way of forging a verdict, each a failing
starter with the attack added, graded in the real runner containers. None may come out a clean
pass, and a candidate may never be shown a test id the reference solution's run does not have."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from reciprocal.runner import Limits, run_tests

from tests.support.paths import ROOT

pytestmark = pytest.mark.docker

ASSIGNMENTS = ROOT / "assignments"
CASES = sorted(p.parent for p in (ROOT / "tests" / "redteam").glob("*/*/case.toml"))
LIMITS = Limits(timeout_seconds=120)
RUNNERS = {"python": "python", "node": "node", "go": "go"}
_reference_ids: dict[str, set[str]] = {}


def build(case: Path, dest: Path) -> Path:
    """The starter of the case's assignment with the attack put in."""
    spec = tomllib.loads((case / "case.toml").read_text())
    root = dest / "submission"
    shutil.copytree(ASSIGNMENTS / spec["assignment"] / "starter", root)
    for part in ("add", "append", "prepend"):
        folder = case / part
        for source in sorted(p for p in folder.rglob("*") if p.is_file()):
            target = root / source.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text()
            if part == "append":
                text = target.read_text() + text
            elif part == "prepend":
                text = text + target.read_text()
            target.write_text(text)
    return root


def reference_ids(slug: str, language: str) -> set[str]:
    """The ids a candidate may be shown: those of the reference solution's run."""
    if slug not in _reference_ids:
        result = run_tests(language, ASSIGNMENTS / slug / "solution", ASSIGNMENTS / slug / "tests",
                           LIMITS)
        assert result.status == "passed", result.reason
        _reference_ids[slug] = {t.candidate_id for t in result.tests if t.candidate_id}
    return _reference_ids[slug]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_a_known_forgery_never_comes_out_a_clean_pass(runner_images: dict[str, str],
                                                       case: Path, tmp_path: Path) -> None:
    spec = tomllib.loads((case / "case.toml").read_text())
    language = RUNNERS[case.parent.name]
    slug = spec["assignment"]
    result = run_tests(language, build(case, tmp_path), ASSIGNMENTS / slug / "tests", LIMITS)
    summary = (result.status, result.reason, result.integrity, result.integrity_evidence)
    assert not (result.status == "passed" and result.integrity == "clean"), summary
    assert result.status != "passed", summary
    if spec["expect"] == "altered":
        assert result.integrity == "altered", summary
        assert result.reason.startswith("The test results were altered by the submission")
    elif spec["expect"] == "fails":
        assert result.status in ("failed", "error"), summary
        assert result.integrity != "altered", summary
    else:  # the attack's effect depends on timing: either way it is not a pass
        assert spec["expect"] == "fails or altered"
    if language == "python":
        assert result.checks.startswith("boundary"), result.checks
    shown = {t.candidate_id for t in result.tests if t.candidate_id}
    assert shown <= reference_ids(slug, language), shown - reference_ids(slug, language)
