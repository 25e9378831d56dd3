"""Blind review: the candidate's identity masked out of text they wrote (History's commit
summaries), before a reviewer may see their name.

What is masked, as whole words (a part inside a longer word is not the part: "Al" never masks
"also", nor "jli" "jlint"):
- any e-mail address, the full name, and each part of the name of three letters or more, in any
  case, accents or not ("Zoë" and "Zoe");
- the handles people make from a name or an address, in any case and with digits after them:
  the e-mail's local part (without a "+tag"), the parts joined ("alwong", "al.wong", "wong_al"),
  initials and surname ("awong", "j.doe", "jqdoe"), first name and surname initial ("janed")
  and surname and first initial ("doej");
- a part of one or two letters ("Al", "Jo", "Li") written as a name is written, capitalised or
  in capitals; in lower case it is far more often a word or code ("al dente", `<li>`);
- a part that is also a short English word ("An", "Do") and any initial ("J."), only beside
  the rest of the name already masked ("Nguyen, An", "J. Doe"); alone they stay, so "An index"
  is still "An index".
The code that replaces a name's parts appears once for parts that stood side by side.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

SHORT_WORDS = frozenset({
    "a", "am", "an", "as", "at", "be", "by", "do", "go", "he", "hi", "if", "in", "is", "it",
    "me", "my", "no", "of", "oh", "ok", "on", "or", "so", "to", "up", "us", "we",
})
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
SEPARATORS = ("", ".", "_", "-")
MIN_HANDLE = 3


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _words(alternatives: set[str]) -> str:
    """Alternatives as whole words, the longest first."""
    ordered = sorted((a for a in alternatives if a), key=len, reverse=True)
    return r"(?<!\w)(?:" + "|".join(re.escape(a) for a in ordered) + r")(?!\w)"


def _handles(parts: list[str], email: str) -> set[str]:
    letters = [p for p in (re.sub(r"[^a-z]", "", _ascii(p).lower()) for p in parts) if p]
    found: set[str] = set()
    local = email.split("@", 1)[0].lower() if "@" in email else ""
    found |= {local, local.split("+", 1)[0], re.sub(r"[^a-z0-9]", "", local.split("+", 1)[0])}
    if len(letters) >= 2:
        first, last = letters[0], letters[-1]
        initials = "".join(p[0] for p in letters[:-1])
        for sep in SEPARATORS:
            found |= {first + sep + last, last + sep + first, sep.join(letters),
                      first[0] + sep + last, initials + sep + last, first + sep + last[0],
                      last + sep + first[0]}
    return {h for h in found if len(h) >= MIN_HANDLE}


def masker(name: str, email: str, code: str) -> Callable[[str], str]:
    """A function that masks this candidate's identity in a text with their code."""
    tokens = [t for t in re.split(r"[\s,.]+", name.strip()) if t]
    parts = {p for t in tokens for p in {t, *re.split(r"[-'\u2019]+", t)} if p}
    parts |= {_ascii(p) for p in parts} - {""}
    long_parts = {p for p in parts if len(p) >= 3}
    short = {p for p in parts if len(p) < 3}
    named = {form for p in short if p.lower() not in SHORT_WORDS and len(p) == 2
             for form in (p[:1].upper() + p[1:].lower(), p.upper())}
    beside = {form for p in short if p.lower() in SHORT_WORDS or len(p) == 1
              for form in (p[:1].upper() + p[1:].lower(), p.upper())}
    beside |= {p[0].upper() for p in parts}
    # Alternatives are tried in order at each place: compound handles ("wong.al") before the
    # parts they contain.
    handles = _handles(tokens, email.strip())
    strong = [EMAIL]
    if handles:
        strong.append("(?i:" + _words(handles)[:-len(r"(?!\w)")] + r"\d*(?!\w))")
    strong.append("(?i:" + _words({name.strip(), email.strip(), *long_parts}) + ")")
    if named:
        strong.append(_words(named))
    whole = re.compile("|".join(f"(?:{s})" for s in strong))
    mark = re.escape(code)
    # An initial or short word beside the code, never the code's own first letter.
    weak = rf"(?!{mark})(?:" + "|".join(re.escape(b) for b in sorted(beside, key=len,
                                                                      reverse=True)) + ")"
    before = re.compile(rf"(?<![\w-]){weak}\.?(?=,?\s+{mark}(?!\w))")
    after = re.compile(rf"(?<!\w)({mark},?\s+){weak}\.?(?![\w-])")
    together = re.compile(rf"{mark}(?:\s+{mark})+(?!\w)")

    def mask(text: str) -> str:
        text = whole.sub(code, text)
        for _ in range(len(tokens)):
            changed = after.sub(rf"\g<1>{code}", before.sub(code, text))
            if changed == text:
                break
            text = changed
        return together.sub(code, text)

    return mask
