"""docs/production.md lists every RECIPROCAL_* setting of config.SETTINGS with its default, and
config.py reads no setting it does not declare there."""

from __future__ import annotations

import html
import re

from reciprocal.config import SETTINGS

from tests.support.paths import ROOT


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


def test_every_setting_the_configuration_reads_is_declared_and_documented() -> None:
    source = (ROOT / "platform" / "reciprocal" / "config.py").read_text()
    read = set(re.findall(r'\b_env(?:_[a-z_]+)?\("([A-Z_]+)"', source))
    declared = {setting.name for setting in SETTINGS}
    assert read and read <= declared, f"read but not declared in SETTINGS: {read - declared}"


def test_the_operational_endpoints_are_documented_as_they_answer() -> None:
    """What the refusal tells an operator to set is what docs/production.md describes."""
    text = (ROOT / "docs" / "production.md").read_text()
    source = (ROOT / "platform" / "reciprocal" / "observability.py").read_text()
    for name in ("RECIPROCAL_METRICS_TOKEN", "RECIPROCAL_METRICS_ALLOW_FROM"):
        assert name in source
        observability = text[text.index("- **Metrics.**"):text.index("- **Health.**")]
        assert f"`{name}`" in observability, name
    assert "answers only loopback" not in text and "loopback only" not in text
