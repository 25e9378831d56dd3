"""docs/production.md lists every RECIPROCAL_* setting of config.SETTINGS with its default."""

from __future__ import annotations

import html

from reciprocal.config import SETTINGS

from tests.conftest import ROOT


def test_configuration_reference_matches_the_code() -> None:
    text = (ROOT / "docs" / "production.md").read_text()
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`RECIPROCAL_"):
            rows[cells[0].strip("`")] = html.unescape(cells[1])
    for setting in SETTINGS:
        name = f"RECIPROCAL_{setting.name}"
        assert name in rows, f"{name} is missing from docs/production.md"
        assert rows[name] == setting.default, f"{name}: the docs' default is not the code's"
