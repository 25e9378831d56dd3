"""The source says what the code does, not which ticket asked for it: no issue number and no
design file that is not in the repository, anywhere under platform/, runners/, scripts/ or
bench/ (templates, stylesheets, migrations and shell scripts included)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.paths import ROOT

SOURCES = ("platform", "runners", "scripts", "bench")
GENERATED = {"__pycache__", "node_modules", ".pytest_cache"}
CITATION = re.compile(r"\bissues? (?:#|no\.? ?)?\d|\bDESIGN\.md\b", re.IGNORECASE)


def _files() -> list[Path]:
    return [path for root in SOURCES for path in sorted((ROOT / root).rglob("*"))
            if path.is_file() and not GENERATED & set(path.parts)
            and not any(part.endswith(".egg-info") for part in path.parts)]


def test_no_issue_numbers_or_outside_design_files_in_the_source() -> None:
    found = []
    for path in _files():
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for number, line in enumerate(text.splitlines(), 1):
            if CITATION.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not found, "say what the code does instead:\n" + "\n".join(found)


def test_the_check_sees_the_forms_used() -> None:
    for line in ("Similarity (issue 15): ...", "Issue 16: more time", "issues 12 to 17",
                 "the safety rules of DESIGN.md", "see issue #3"):
        assert CITATION.search(line), line
    assert not CITATION.search("an issue of the candidate's, 15 of them; color: #116329")
