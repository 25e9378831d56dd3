"""The AI policy a candidate is held to, and the disclosure they choose to give at submit.

The platform records only what the candidate writes here: no keystrokes, pastes, tab switches
or webcam. Their words and transcript are stored as text and always rendered escaped; deleting
their code deletes them too (`erase`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select

from ..assignments import ai_policy
from ..assignments.ai_policy import Policy
from ..core.errors import InvalidInput
from ..extensions import db
from ..models import AiDisclosure, Assignment, Invitation, Role, Submission, utcnow

CHOICES = ("none", "used")
TRANSCRIPT_SUFFIXES = (".txt", ".md", ".markdown")
MAX_TOOLS = 4000
MAX_NAME = 200


def role_policy(role: Role, assignment: Assignment) -> Policy:
    """The policy a new invitation to this role and assignment would show: the role's
    override, else the assignment's."""
    if role.ai_use:
        return ai_policy.make(role.ai_use, role.ai_policy_text, "role")
    return ai_policy.make(assignment.ai_use, assignment.ai_policy_text, "assignment")


def policy_for(invitation: Invitation) -> Policy:
    """The policy this candidate is held to: the one frozen when they accepted the terms, else
    the one they are reading now."""
    if invitation.ai_use:
        return ai_policy.make(invitation.ai_use, invitation.ai_policy_text, "invitation")
    return role_policy(invitation.role, invitation.assignment)


def freeze(invitation: Invitation) -> None:
    """Keep the policy the candidate read as they accept the terms."""
    policy = policy_for(invitation)
    invitation.ai_use, invitation.ai_policy_text = policy.use, policy.text


@dataclass(frozen=True)
class Given:
    """A disclosure as the candidate gave it, checked, before the submission exists."""

    used_tools: bool
    tools: str
    transcript: str
    transcript_name: str


def parse(choice: object, tools: object, transcript: bytes | str | None,
          transcript_name: str | None, *, max_bytes: int, required: bool) -> Given | None:
    """Check a disclosure from the submit form or the API; None when none was given and none
    is required (the API's `ai` is optional). Raises InvalidInput saying what to change."""
    has_transcript = transcript is not None and len(transcript) > 0
    if choice is None or choice == "":
        if required:
            raise InvalidInput("please say whether you used AI assistants: choose one of the two")
        if (isinstance(tools, str) and tools.strip()) or has_transcript:
            raise InvalidInput('say "used" (or "none") along with the tools and transcript')
        return None
    if choice not in CHOICES:
        raise InvalidInput('whether you used AI assistants must be "none" or "used"')
    if tools is not None and not isinstance(tools, str):
        raise InvalidInput("the tools you used must be text")
    words = (tools or "").strip().replace("\r\n", "\n")
    if choice == "none":
        if words or has_transcript:
            raise InvalidInput('you chose "I used none": leave the description and the '
                               'transcript empty, or choose that you used AI assistants')
        return Given(False, "", "", "")
    if not words:
        raise InvalidInput("please say which AI assistants you used and for what, in a few words")
    if len(words) > MAX_TOOLS:
        raise InvalidInput(f"please keep the description under {MAX_TOOLS} characters")
    text, name = _transcript(transcript, transcript_name, max_bytes) if has_transcript \
        else ("", "")
    return Given(True, words, text, name)


def from_json(value: object, *, max_bytes: int) -> Given | None:
    """`ai_disclosure` of `POST /api/v1/candidate/submit`: absent or null says nothing;
    `{"used_tools": false}`, or `{"used_tools": true, "tools": "...", "transcript": "...",
    "transcript_name": "chat.md"}`."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"used_tools", "tools", "transcript",
                                                    "transcript_name"}:
        raise InvalidInput('ai_disclosure must be {"used_tools": true or false, "tools": ..., '
                           '"transcript": ..., "transcript_name": ...}')
    used = value.get("used_tools")
    if not isinstance(used, bool):
        raise InvalidInput("ai_disclosure.used_tools must be true or false")
    transcript, name = value.get("transcript"), value.get("transcript_name")
    if not isinstance(transcript, str | None) or not isinstance(name, str | None):
        raise InvalidInput("ai_disclosure.transcript and transcript_name must be text")
    return parse("used" if used else "none", value.get("tools"), transcript, name,
                 max_bytes=max_bytes, required=True)


def _transcript(data: bytes | str | None, filename: str | None,
                max_bytes: int) -> tuple[str, str]:
    """A transcript: text or Markdown, UTF-8, at most `max_bytes`; kept as text."""
    name = PurePosixPath((filename or "transcript.txt").replace("\\", "/")).name[:MAX_NAME]
    if not name.lower().endswith(TRANSCRIPT_SUFFIXES):
        raise InvalidInput("a transcript must be a text or Markdown file (.txt or .md)")
    raw = data.encode("utf-8") if isinstance(data, str) else (data or b"")
    if len(raw) > max_bytes:
        raise InvalidInput(f"the transcript is larger than the {max_bytes // 1024} KB accepted; "
                           "shorten it, or keep the parts that show how you worked")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the transcript must be UTF-8 text") from None
    if "\x00" in text:
        raise InvalidInput("the transcript must be text, not a binary file")
    return text.replace("\r\n", "\n"), name


def record(submission: Submission, given: Given | None) -> AiDisclosure | None:
    """Store the disclosure with the submission (the caller commits)."""
    if given is None:
        return None
    row = AiDisclosure(submission_id=submission.id, used_tools=given.used_tools,
                       tools=given.tools, transcript=given.transcript,
                       transcript_name=given.transcript_name)
    db.session.add(row)
    db.session.flush()
    return row


def for_submission(submission: Submission | None) -> AiDisclosure | None:
    if submission is None:
        return None
    return db.session.scalar(
        select(AiDisclosure).where(AiDisclosure.submission_id == submission.id))


def erase(submission: Submission) -> None:
    """The candidate's words and transcript go with their code."""
    row = for_submission(submission)
    if row is not None and row.erased_at is None:
        row.tools, row.transcript, row.transcript_name = "", "", ""
        row.erased_at = utcnow()


def conflicts(invitation: Invitation, row: AiDisclosure | None) -> bool:
    return row is not None and ai_policy.conflicts(policy_for(invitation), row.used_tools)


def as_json(row: Any) -> dict[str, Any] | None:
    """The disclosure as the candidate gave it (None: they said nothing): the row, or a
    viewer's copy of it with the same fields (review/process.py)."""
    if row is None:
        return None
    return {
        "used_tools": row.used_tools,
        "tools": row.tools,
        "transcript_name": row.transcript_name or None,
        "transcript": row.transcript or None,
        "erased": row.erased_at is not None,
        "given_at": row.created_at.isoformat(),
    }
