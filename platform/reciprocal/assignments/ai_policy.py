"""Whether AI assistants may be used on an assignment, in the team's own words (pure: no
database).

An assignment says it in `assignment.toml`'s `[ai_policy]` table (`use` and `text`); a role may
override it for its openings; the candidate reads the effective one before accepting the terms,
and it is frozen on the invitation when they accept, so a policy changed later never turns what
they were told into a conflict. Detecting AI-written code does not work reliably, so the
platform never tries: it states the rule and asks the candidate to say what they used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORBIDDEN = "forbidden"
WITH_DISCLOSURE = "allowed-with-disclosure"
EXPECTED = "expected"
DEFAULT_USE = WITH_DISCLOSURE
USES = {
    FORBIDDEN: "AI assistants are not allowed",
    WITH_DISCLOSURE: "AI assistants are allowed: say what you used",
    EXPECTED: "AI assistants are expected",
}
# In a line of a listing (Greenhouse's test names).
SHORT = {
    FORBIDDEN: "no AI assistants",
    WITH_DISCLOSURE: "AI allowed, disclosed",
    EXPECTED: "AI expected",
}
# What a policy says when its author wrote nothing of their own.
DEFAULT_TEXTS = {
    FORBIDDEN: "Please write this one yourself: no AI assistants, chat or autocomplete. Looking "
               "things up in documentation and search engines is fine, as it would be at work.",
    WITH_DISCLOSURE: "Use the tools you would use at work, AI assistants included. When you "
                     "submit, tell us which ones you used and for what; it is weighed like any "
                     "other tool, and in the interview you walk us through the code as your own.",
    EXPECTED: "We work with AI assistants every day and expect you to use them here. When you "
              "submit, tell us which ones you used and for what: how you steer and check them "
              "is part of what we look at.",
}
MAX_TEXT = 2000
TABLE_KEYS = {"use", "text"}


@dataclass(frozen=True)
class Policy:
    """The policy a candidate reads: `use` (one of USES), the team's `text`, and where it came
    from (`assignment`, `role`, or `invitation` once frozen at acceptance)."""

    use: str
    text: str
    source: str = "assignment"

    @property
    def label(self) -> str:
        return USES[self.use]

    @property
    def short(self) -> str:
        return SHORT[self.use]

    @property
    def asks_disclosure(self) -> bool:
        return self.use != FORBIDDEN

    def as_json(self) -> dict[str, Any]:
        return {"use": self.use, "label": self.label, "text": self.text, "source": self.source}


def make(use: str | None, text: str | None, source: str = "assignment") -> Policy:
    """A policy from stored values: an unknown use reads as the default, empty text as the
    use's default text."""
    use = use if use in USES else DEFAULT_USE
    return Policy(use, (text or "").strip() or DEFAULT_TEXTS[use], source)


def parse(table: object, problems: list[str]) -> tuple[str, str]:
    """`[ai_policy] use = "...", text = "..."` from assignment.toml: (use, text as written).
    Absent: allowed with disclosure and no text of its own (the default text is shown)."""
    if table is None:
        return DEFAULT_USE, ""
    if not isinstance(table, dict):
        problems.append("[ai_policy] must be a table")
        return DEFAULT_USE, ""
    unknown = sorted(set(table) - TABLE_KEYS)
    if unknown:
        problems.append(f"unknown keys in [ai_policy]: {', '.join(unknown)}")
    use = table.get("use", DEFAULT_USE)
    if use not in USES:
        problems.append(f"[ai_policy] use must be one of {', '.join(USES)}")
        use = DEFAULT_USE
    text = table.get("text", "")
    if not isinstance(text, str):
        problems.append("[ai_policy] text must be a string")
        text = ""
    elif len(text.strip()) > MAX_TEXT:
        problems.append(f"[ai_policy] text is longer than {MAX_TEXT} characters")
    return use, text.strip()


def check_override(use: str | None, text: str | None) -> tuple[str | None, str | None]:
    """A role's override as entered (form or API): no use means "follow the assignment";
    raises ValueError with what is wrong."""
    use = (use or "").strip() or None
    text = (text or "").strip() or None
    if use is None:
        if text is not None:
            raise ValueError("an AI policy text needs a policy: choose one, or clear the text")
        return None, None
    if use not in USES:
        raise ValueError(f"ai_policy use must be one of {', '.join(USES)}")
    if text is not None and len(text) > MAX_TEXT:
        raise ValueError(f"the AI policy text is longer than {MAX_TEXT} characters")
    return use, text


def conflicts(policy: Policy, used_tools: bool | None) -> bool:
    """A disclosure conflicts with the policy when tools are disclosed under `forbidden`.
    Saying "none" under `expected` is not a conflict: not using a tool breaks no rule."""
    return policy.use == FORBIDDEN and bool(used_tools)
