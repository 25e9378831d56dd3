"""Which regions of a candidate's code the interview walks through (pure: text in, line spans
out; no git, no database).

Three sources, each a list of regions, merged in file order (review/walkthrough.py reads the
code and the review's records for them):

- the largest changed functions: each function of a changed file, found by its definition line
  in any of the platform's languages and extended by indentation (the lines below it indented
  deeper, and a closing `}` or `end` at its own level), ranked by how many of its lines the
  diff against the starter adds; a changed file without a recognisable function gives its
  largest run of added lines instead;
- the code around a failing tagged hidden test: the candidate's file and line a failure's
  traceback names (the deepest frame in the candidate's files), widened to its function;
- each follow-up question comment: its lines, with a little context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MAX_FUNCTIONS = 3
MAX_REGION_LINES = 60  # of code shown per region (a longer function shows its start)
AROUND = 2  # lines of context around a comment or a failure outside any function
MAX_MESSAGE_CHARS = 200_000

_DEFINITIONS = [
    r"^\s*(?:async\s+)?def\s+(?P<name>\w+)",  # Python, Ruby
    r"^func\s+(?:\([^)]*\)\s*)?(?P<name>\w+)",  # Go
    r"^\s*(?:pub(?:\([\w:]+\))?\s+)?(?:async\s+)?fn\s+(?P<name>\w+)",  # Rust
    r"^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*(?P<name>\w+)",  # JS, TS
    r"^\s*(?:export\s+)?(?:const|let|var)\s+(?P<name>\w+)\s*(?::[^=]+)?=\s*(?:async\s+)?"
    r"(?:\([^)]*\)|\w+)\s*(?::\s*[\w<>\[\], |]+)?\s*=>",  # JS, TS arrow functions
    r"^\s*(?:(?:public|private|protected|internal|static|final|abstract|synchronized|override"
    r"|async|virtual)\s+)+[\w<>\[\],.? ]*?\b(?P<name>\w+)\s*\([^;]*$",  # Java, C#, Kotlin
    r"^\s*(?:async\s+)?(?!(?:if|for|while|switch|catch|return|else|do|try|with|new|function)\b)"
    r"(?P<name>[A-Za-z_$][\w$]*)\s*\([^;]*\)\s*(?::\s*[\w<>\[\], |]+)?\s*\{\s*$",  # JS methods
    r"(?i)^\s*create\s+(?:or\s+replace\s+)?(?:function|procedure)\s+(?P<name>[\w.\"]+)",  # SQL
]
DEFINITION_RE = [re.compile(pattern) for pattern in _DEFINITIONS]
CLOSER_RE = re.compile(r"^\s*(?:[})\]]+[;,)]*|end|\$\$.*|end\s*;)\s*$", re.IGNORECASE)
# A file and line in a failure's text: `File "src/app.py", line 12`, `src/app.py:12:`,
# `(src/app.js:10:5)`, `(Cart.java:42)`.
LOCATION_RE = re.compile(
    r"(?P<path>[\w.$@+~-]*(?:[/\\][\w.$@+~ -]+)*\.[A-Za-z]{1,6})\"?(?:, line |:)(?P<line>\d{1,7})")


@dataclass(frozen=True)
class Span:
    start: int  # from 1, inclusive
    end: int
    name: str = ""  # the function's name; "" for a run of changed lines

    def __contains__(self, line: object) -> bool:
        return isinstance(line, int) and self.start <= line <= self.end


@dataclass(frozen=True)
class Reason:
    kind: str  # function | failure | question
    text: str
    ref: int | None = None  # the comment's or test result's id


@dataclass
class Region:
    path: str
    start: int
    end: int
    reasons: list[Reason] = field(default_factory=list)
    focus: set[int] = field(default_factory=set)  # lines to highlight (a comment's, a failure's)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def functions(lines: Sequence[str]) -> list[Span]:
    """The functions of a file (lines without their line ends), in order; nested ones too."""
    found: list[Span] = []
    for index, line in enumerate(lines):
        match = next((m for m in (r.match(line) for r in DEFINITION_RE) if m), None)
        if match is None:
            continue
        level = _indent(line)
        end = index
        for later in range(index + 1, len(lines)):
            text = lines[later]
            if not text.strip():
                continue
            if _indent(text) > level:
                end = later
                continue
            if CLOSER_RE.match(text):
                end = later
            break
        found.append(Span(index + 1, end + 1, match.group("name")))
    return found


def _runs(added: Iterable[int]) -> list[Span]:
    runs: list[Span] = []
    for line in sorted(set(added)):
        if runs and runs[-1].end == line - 1:
            runs[-1] = Span(runs[-1].start, line)
        else:
            runs.append(Span(line, line))
    return runs


@dataclass(frozen=True)
class Changed:
    path: str
    span: Span
    changed: int  # lines of the span the diff adds


def changed_functions(files: dict[str, tuple[Sequence[str], set[int]]],
                      limit: int = MAX_FUNCTIONS) -> list[Changed]:
    """The `limit` functions with the most added lines over all changed files (a function
    inside one already picked is not picked again), then, if fewer were found, the largest runs
    of added lines in changed files without a changed function; `files` maps each changed
    file's path to its lines and the numbers of its added lines."""
    found: list[Changed] = []
    runs: list[Changed] = []
    for path, (lines, added) in files.items():
        if not added:
            continue
        touched = [Changed(path, s, sum(1 for n in added if n in s)) for s in functions(lines)]
        touched = [c for c in touched if c.changed]
        found.extend(touched)
        if not touched:
            runs.extend(Changed(path, run, run.end - run.start + 1) for run in _runs(added))
    # Functions first; runs of new lines (data, configuration, prose) only fill what is left.
    found.sort(key=lambda c: (-c.changed, c.path, c.span.start))
    runs.sort(key=lambda c: (-c.changed, c.path, c.span.start))
    picked: list[Changed] = []
    for candidate in found + runs:
        if any(p.path == candidate.path and p.span.start <= candidate.span.start
               and candidate.span.end <= p.span.end for p in picked):
            continue
        picked.append(candidate)
        if len(picked) == limit:
            break
    return picked


def _resolve(reported: str, paths: Sequence[str]) -> str | None:
    """The candidate's file a traceback's path names: the same path, or one it ends with
    (an absolute path in the container), or, for a bare file name, the only file so named."""
    clean = reported.replace("\\", "/").lstrip("./")
    if clean in paths:
        return clean
    ends = [p for p in paths if clean.endswith("/" + p)]
    if ends:
        return max(ends, key=len)
    if "/" not in clean:
        named = [p for p in paths if p.rsplit("/", 1)[-1] == clean]
        if len(named) == 1:
            return named[0]
    return None


def failure_location(message: str, paths: Sequence[str]) -> tuple[str, int] | None:
    """Where in the candidate's files a failure happened: of the frames naming one of `paths`,
    the deepest, which is the last in a Python traceback and the first in a JavaScript, Java
    or Go stack."""
    text = message[:MAX_MESSAGE_CHARS]
    found = [(path, int(m.group("line"))) for m in LOCATION_RE.finditer(text)
             if (path := _resolve(m.group("path"), paths)) is not None and int(m.group("line"))]
    if not found:
        return None
    python = "Traceback (most recent call last)" in text or '", line ' in text or ".py:" in text
    return found[-1] if python else found[0]


def around(lines: Sequence[str], line: int) -> Span:
    """The innermost function holding `line`, or a few lines either side of it."""
    holding = [s for s in functions(lines) if line in s]
    if holding:
        return min(holding, key=lambda s: s.end - s.start)
    return Span(max(1, line - AROUND), min(len(lines), line + AROUND) or line)


def merge(regions: Iterable[Region]) -> list[Region]:
    """Regions in file order, those of one file that overlap or touch made one."""
    merged: list[Region] = []
    for region in sorted(regions, key=lambda r: (r.path, r.start, r.end)):
        last = merged[-1] if merged else None
        if last is not None and last.path == region.path and region.start <= last.end + 1:
            last.end = max(last.end, region.end)
            last.reasons.extend(r for r in region.reasons if r not in last.reasons)
            last.focus |= region.focus
        else:
            merged.append(Region(region.path, region.start, region.end, list(region.reasons),
                                 set(region.focus)))
    return merged
