"""What the reviewers liked, in plain words a candidate can read.

A strength comment is written for colleagues: it may end in a "but", ask a question, name a
flag or speak of "the candidate". This module keeps only its praising clauses, speaks to the
candidate directly, and drops anything the tone check would hold, so that the composer can
carry the reviewers' own words into a rejection without carrying any criticism with them.
Pure: no database, no Flask.
"""

from __future__ import annotations

import re

from . import tone

# A clause is cut just before any of these: what follows qualifies or criticises the praise.
_CONTRAST = re.compile(
    r"\s*(?:,\s*)?\b(?:but|however|although|though|except|apart from|aside from|despite|"
    r"whereas|yet|other than|would|could|should|might|maybe|perhaps|consider|instead|"
    r"missing|unless|if only|needs?)\b",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"(?<=[.!;])\s+|\n+|;\s*")
_CODE_BLOCK = re.compile(r"```.*?(```|$)", re.DOTALL)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
# Speaking to the candidate rather than about them.
_PERSON = (
    (re.compile(r"\b(?:the )?(?:candidate|author|applicant)'s\b", re.IGNORECASE), "your"),
    (re.compile(r"\b(?:the )?(?:candidate|author|applicant)\b", re.IGNORECASE), "you"),
    (re.compile(r"\b(?:he|she) (?:is|was)\b", re.IGNORECASE), "you were"),
    (re.compile(r"\b(?:his|her)\b(?= (?:code|work|tests|solution|approach))", re.IGNORECASE),
     "your"),
)
_MIN_WORDS = 3
MAX_CHARS = 220


def _clean(body: str) -> str:
    body = _CODE_BLOCK.sub(" ", body)
    body = _LINK.sub(r"\1", body)
    body = re.sub(r"\b(\w+)\((?=[\s,.;]|$)", r"\1()", body)  # "name(" written for "name()"
    return re.sub(r"[ \t]+", " ", body).strip()


def _praise(clause: str) -> str:
    """The clause up to its first contrast word, or "" if too little praise is left."""
    clause = clause.strip().strip("-*> ").strip()
    if "?" in clause:
        return ""
    cut = _CONTRAST.search(clause)
    if cut is not None:
        clause = clause[: cut.start()]
    clause = clause.strip().rstrip(".,:;!- \u2013").strip()
    if len(clause.split()) < _MIN_WORDS or tone.check(clause):
        return ""
    for pattern, replacement in _PERSON:
        clause = pattern.sub(replacement, clause)
    return clause[0].upper() + clause[1:]


def strength_sentence(body: str) -> str:
    """A strength comment's praise as one sentence for the candidate, or "" if none survives.

    Clauses are kept in order until MAX_CHARS; a clause with criticism in it keeps only what
    comes before its first contrast word, a question is dropped whole."""
    kept: list[str] = []
    for clause in _CLAUSES.split(_clean(body)):
        praise = _praise(clause)
        if not praise:
            continue
        if kept and len("; ".join([*kept, praise])) > MAX_CHARS:
            break
        kept.append(praise if not kept else praise[0].lower() + praise[1:])
    sentence = "; ".join(kept)
    if len(sentence) > MAX_CHARS:
        sentence = sentence[:MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return sentence if not tone.check(sentence) else ""


def level_sentence(criterion: str, description: str) -> str:
    """A rubric criterion's top-level description, addressed to the candidate ("" if the
    wording would trip the tone check)."""
    description = description.strip().rstrip(".")
    if not description or tone.check(description):
        return ""
    return f"Your {criterion.lower()} stood out: {description[0].lower()}{description[1:]}."
