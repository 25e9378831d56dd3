"""One module per language, each with the same two entry points:

* ``prepare(header)``: place the hidden tests and the sentinels, as root, before the
  submission is handed to the candidate's uid;
* ``run(header, capture, deadline) -> LanguageRun``: run the tests and read their results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

from ..child import ChildResult


@dataclass
class LanguageRun:
    """What one language hands back to the harness."""

    child: ChildResult
    junit: str | None = None
    report_error: str | None = None
    build_failed: bool = False
    build_error: str | None = None  # why it did not build, for people
    # photographs of the candidate's pages, each {"name", "width", "png"} (base64)
    screenshots: list[dict[str, object]] = field(default_factory=list)
    integrity: dict[str, object] = field(default_factory=dict)


def adapter(language: str) -> ModuleType | None:
    from . import command, go, node, python

    return {"python": python, "node": node, "go": go, "command": command}.get(language)
