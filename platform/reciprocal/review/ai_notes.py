"""AI attribution notes in the git-ai convention, parsed without trusting them (pure: no git,
no database).

git-ai (the Git AI Standard, authorship/3.0.0) attaches one note per commit under
`refs/notes/ai`: an attestation section, a line `---`, then a JSON metadata section.

    src/app.py
      d9978a8723e02b52 1-4,9-10,12
    "src/my file.py"
      e5be5f8723e02b52 7
    ---
    {"schema_version": "authorship/3.0.0", "prompts": {"d9978a8723e02b52":
      {"agent_id": {"tool": "cursor", "model": "claude-4.5-opus"}, ...}}}

A path starts a line (quoted when it has spaces); each entry under it is indented and names a
session hash and the lines, numbered in that commit's version of the file, that the session
wrote. The metadata's `prompts` map each hash to its agent (`tool`, `model`). Tolerated: any
indentation, hashes of 4 to 64 hex digits, CRLF line ends, a missing or broken metadata
section (the lines are then marked as by "an AI assistant"), unknown lines (skipped). Refused
quietly: lines past MAX_LINE, more than MAX_FILES files or MAX_RANGES ranges (the rest is
ignored). Agent names are cut to MAX_LABEL characters and stripped of control characters;
templates escape them like any candidate text.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

MAX_FILES = 2000
MAX_RANGES = 50_000
MAX_LINE = 10_000_000
MAX_LABEL = 80
MAX_METADATA_CHARS = 2 * 1024 * 1024
UNNAMED = "an AI assistant"
HASH_RE = re.compile(r"^[0-9a-fA-F]{4,64}$")
SPEC_RE = re.compile(r"^\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass
class FileRanges:
    """One file's attributed lines: sorted, non-overlapping (start, end, session) ranges."""

    starts: list[int] = field(default_factory=list)
    ranges: list[tuple[int, int, str]] = field(default_factory=list)

    def session_at(self, line: int) -> str | None:
        index = bisect.bisect_right(self.starts, line) - 1
        if index >= 0:
            start, end, session = self.ranges[index]
            if start <= line <= end:
                return session
        return None


@dataclass
class AuthorshipLog:
    files: dict[str, FileRanges] = field(default_factory=dict)
    agents: dict[str, str] = field(default_factory=dict)  # session hash -> label

    def agent_at(self, path: str, line: int) -> str | None:
        """The label of the agent that wrote `line` of `path`, or None."""
        ranges = self.files.get(path)
        session = ranges.session_at(line) if ranges else None
        if session is None:
            return None
        return self.agents.get(session.lower(), UNNAMED)


def clean_label(text: object) -> str:
    return CONTROL_RE.sub("", str(text)).strip()[:MAX_LABEL]


def _label(prompt: Any) -> str:
    agent = prompt.get("agent_id") if isinstance(prompt, dict) else None
    if not isinstance(agent, dict):
        return UNNAMED
    tool = clean_label(agent.get("tool") or "") if isinstance(agent.get("tool"), str) else ""
    model = clean_label(agent.get("model") or "") if isinstance(agent.get("model"), str) else ""
    if tool and model and model.lower() != tool.lower():
        return f"{tool} ({model})"
    return tool or model or UNNAMED


def _agents(metadata: str) -> dict[str, str]:
    if not metadata.strip() or len(metadata) > MAX_METADATA_CHARS:
        return {}
    try:
        data = json.loads(metadata)
    except (ValueError, RecursionError):
        return {}
    prompts = data.get("prompts") if isinstance(data, dict) else None
    if not isinstance(prompts, dict):
        return {}
    return {str(key).lower(): _label(value) for key, value in list(prompts.items())[:MAX_FILES]
            if HASH_RE.match(str(key))}


def _ranges(spec: str) -> list[tuple[int, int]]:
    found = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        start, end = int(first), int(last or first)
        if 1 <= start <= end <= MAX_LINE:
            found.append((start, end))
    return found


def _path(line: str) -> str:
    name = line.strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1]
    return name.strip("/")


def parse(text: str) -> AuthorshipLog:
    """An authorship log from a note's text; an empty one when nothing in it is usable."""
    lines = text.replace("\r\n", "\n").split("\n")
    divider = next((i for i, line in enumerate(lines) if line.strip() == "---"), len(lines))
    log = AuthorshipLog(agents=_agents("\n".join(lines[divider + 1:])))
    collected: dict[str, list[tuple[int, int, str]]] = {}
    current: list[tuple[int, int, str]] | None = None
    budget = MAX_RANGES
    for line in lines[:divider]:
        if not line.strip():
            continue
        if not line[0].isspace():
            if len(collected) >= MAX_FILES:
                current = None
                continue
            current = collected.setdefault(_path(line), [])
            continue
        fields = line.split()
        if current is None or len(fields) != 2 or not HASH_RE.match(fields[0]):
            continue
        if not SPEC_RE.match(fields[1]) or len(fields[1]) > 1_000_000:
            continue
        for start, end in _ranges(fields[1])[:budget]:
            current.append((start, end, fields[0].lower()))
            budget -= 1
    for path, ranges in collected.items():
        if path and ranges:
            log.files[path] = _disjoint(ranges)
    return log


def _disjoint(ranges: list[tuple[int, int, str]]) -> FileRanges:
    """Sorted ranges with overlaps trimmed (the earlier range keeps a shared line)."""
    result = FileRanges()
    for start, end, session in sorted(ranges):
        if result.ranges and start <= result.ranges[-1][1]:
            start = result.ranges[-1][1] + 1
            if start > end:
                continue
        result.starts.append(start)
        result.ranges.append((start, end, session))
    return result


class Origin(Protocol):
    """Where a line was written (git/notes.py's BlameLine)."""

    @property
    def commit(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def line(self) -> int: ...


def attribute(origins: Sequence[Origin], logs: Mapping[str, AuthorshipLog]
              ) -> list[str | None]:
    """For each line of a file (its blame), the agent the writing commit's note names for it,
    or None: a line is attributed only by the note of the commit that wrote it, at the line
    number it had there, as git-ai's own blame does."""
    result: list[str | None] = []
    for origin in origins:
        log = logs.get(origin.commit)
        result.append(log.agent_at(origin.path, origin.line) if log else None)
    return result


@dataclass(frozen=True)
class Marked:
    """What the code view shows: each marked line's legend key, and the legend."""

    keys: dict[int, int]  # line number (from 1) -> index into legend
    legend: list[tuple[str, list[tuple[int, int]]]]  # agent label, its line ranges

    @property
    def count(self) -> int:
        return len(self.keys)


def marked(agents: Sequence[str | None]) -> Marked:
    """Group a file's attributed lines by agent, in order of first appearance."""
    order: dict[str, int] = {}
    keys: dict[int, int] = {}
    spans: list[list[tuple[int, int]]] = []
    for number, agent in enumerate(agents, start=1):
        if agent is None:
            continue
        index = order.setdefault(agent, len(order))
        if index == len(spans):
            spans.append([])
        keys[number] = index
        ranges = spans[index]
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return Marked(keys, [(agent, spans[i]) for agent, i in order.items()])
