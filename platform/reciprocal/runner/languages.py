"""The registry of runner languages: one entry per folder under ``runners/``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LanguageSpec:
    """How one language is tested.

    ``runner_dir`` is the folder under ``runners/`` holding the Dockerfile; the shared harness
    (``runners/harness``) is copied next to it in the build context and picks its adapter from
    the image's ENTRYPOINT argument. ``results`` says how the harness produces JUnit.
    """

    name: str
    runner_dir: str
    results: str


LANGUAGES: dict[str, LanguageSpec] = {
    spec.name: spec
    for spec in (
        LanguageSpec("python", "python", "pytest --junitxml on the hidden tests only"),
        LanguageSpec("node", "node", "node --test with a JSON-lines reporter, converted"),
        LanguageSpec("go", "go", "go test -json with hidden *_test.go overlaid, converted"),
        LanguageSpec("command", "command", "the assignment's [tests] command, its JUnit XML"),
    )
}


def language_spec(language: str) -> LanguageSpec:
    try:
        return LANGUAGES[language]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise ValueError(f"unknown runner language {language!r}; known: {known}") from None
