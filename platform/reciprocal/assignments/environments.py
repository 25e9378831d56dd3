"""The environments of an assignments folder: which assignments have one, and building them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..runner.environments import ensure_environment
from .spec import AssignmentInvalid, load_spec


def with_environments(root: Path) -> list[tuple[str, Path, str]]:
    """(slug, environment folder, runner) of every valid assignment under ``root`` that has an
    ``[environment]``; invalid folders are left to `assignments validate` to explain."""
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            spec = load_spec(folder)
        except AssignmentInvalid:
            continue
        if spec.plan.environment:
            found.append((spec.slug, folder / "environment", spec.runner))
    return found


def build_all(root: Path, *, progress: Callable[[str], None] = print) -> dict[str, str]:
    """Build every missing environment image under ``root``; slug -> tag."""
    return {slug: ensure_environment(slug, folder, runner, progress=progress)
            for slug, folder, runner in with_environments(root)}
