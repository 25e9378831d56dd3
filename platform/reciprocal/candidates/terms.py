"""The candidate-ownership terms: shown before starting, accepted with their version, and written
into every candidate repository as OWNERSHIP.md so the promise travels with the code."""

from __future__ import annotations

from dataclasses import dataclass

TERMS_VERSION = "2026-11-1"


@dataclass(frozen=True)
class Terms:
    version: str
    retention_days: int

    @property
    def points(self) -> list[str]:
        return [
            "You own the code you write for this assignment. We claim no rights to it.",
            "We use it only to evaluate this application: it is read by the reviewers named "
            "for it and run by our automated tests, and never used in our products.",
            f"We keep it for {self.retention_days} days after our decision, then delete it, "
            "unless you ask us to keep it on file.",
            "You can download your repository or delete your submission at any time from your "
            "candidate page.",
        ]

    def ownership_markdown(self, company: str, role_title: str) -> str:
        lines = [
            "# Ownership of this code",
            "",
            f"This repository was created for your application to **{role_title}** at {company}.",
            "",
            *[f"- {point}" for point in self.points],
            "",
            f"Terms version {self.version}.",
            "",
        ]
        return "\n".join(lines)


def current_terms(retention_days: int) -> Terms:
    return Terms(version=TERMS_VERSION, retention_days=retention_days)
