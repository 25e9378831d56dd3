"""Reading a candidate repository's AI attribution notes (`refs/notes/ai`) and the blame that
ties each line of a file to the commit, path and line where it was written.

Everything here is bounded: the notes listing in entries and bytes, each note in bytes (a
larger one is skipped, never read), all notes together in bytes, and blame by the size of the
file it is asked about and a timeout. The notes' content is the candidate's: this module only
returns text; review/ai_notes.py parses it without trusting it.
"""

from __future__ import annotations

import codecs
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .command import GitCommandError, read_git_records, run_git
from .hooks import AI_NOTES_REF

SHA_RE = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
MAX_NOTES = 5000  # notes listed (one per annotated commit)
MAX_LISTING_BYTES = 1024 * 1024
DEFAULT_MAX_NOTE_BYTES = 256 * 1024  # one note; git-ai's transcripts can make them long
MAX_TOTAL_NOTE_BYTES = 8 * 1024 * 1024  # all the notes one page reads
BLAME_TIMEOUT = 30


@dataclass(frozen=True)
class BlameLine:
    """Where one line of a file came from: the commit that wrote it, the file's path in that
    commit and the line's number there (git-ai's line numbers are those of that commit)."""

    commit: str
    path: str
    line: int


@dataclass
class Notes:
    """The notes read, by annotated commit, and how many were skipped for their size."""

    texts: dict[str, str]
    skipped: int = 0


def has_notes(repo_path: Path) -> bool:
    found = run_git(["rev-parse", "--verify", "--quiet", f"{AI_NOTES_REF}^{{commit}}"],
                    git_dir=repo_path, check=False)
    return found.returncode == 0


def note_blobs(repo_path: Path) -> dict[str, str]:
    """Annotated commit -> note blob, from the notes tree (git's fan-out folders joined)."""
    if not has_notes(repo_path):
        return {}
    records, _complete = read_git_records(
        ["ls-tree", "-r", "-z", "--full-tree", AI_NOTES_REF], git_dir=repo_path,
        separator=b"\0", max_records=MAX_NOTES, max_bytes=MAX_LISTING_BYTES)
    found: dict[str, str] = {}
    for record in records:
        meta, _, name = record.partition(b"\t")
        parts = meta.decode("ascii", "replace").split()
        commit = name.decode("ascii", "replace").replace("/", "")
        if len(parts) == 3 and parts[1] == "blob" and SHA_RE.match(commit):
            found[commit] = parts[2]
    return found


def read_notes(repo_path: Path, commits: Iterable[str],
               max_note_bytes: int = DEFAULT_MAX_NOTE_BYTES) -> Notes:
    """The notes attached to `commits`, as text (invalid UTF-8 replaced). A note over
    `max_note_bytes`, or past the total cap, is counted in `skipped` and not read."""
    blobs = note_blobs(repo_path)
    wanted = {c: blobs[c] for c in dict.fromkeys(commits) if c in blobs}
    if not wanted:
        return Notes({})
    checked = run_git(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
                      git_dir=repo_path, input="\n".join(wanted.values()).encode() + b"\n")
    sizes: dict[str, int] = {}
    for line in checked.stdout.decode("ascii", "replace").splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] == "blob":
            sizes[fields[0]] = int(fields[2])
    readable: dict[str, str] = {}
    skipped = total = 0
    for commit, blob in wanted.items():
        size = sizes.get(blob)
        if size is None or size > max_note_bytes or total + size > MAX_TOTAL_NOTE_BYTES:
            skipped += 1
            continue
        total += size
        readable[commit] = blob
    texts: dict[str, str] = {}
    for commit, blob in readable.items():
        data = run_git(["cat-file", "blob", blob], git_dir=repo_path).stdout
        texts[commit] = data[:max_note_bytes].decode("utf-8", "replace")
    return Notes(texts, skipped)


def _unquote(name: str) -> str:
    """A path as git prints it: C-quoted when it has unusual characters."""
    if len(name) >= 2 and name[0] == name[-1] == '"':
        raw = codecs.escape_decode(name[1:-1].encode("utf-8", "surrogateescape"))[0]
        return bytes(raw).decode("utf-8", "replace")
    return name


def parse_porcelain(output: str) -> list[BlameLine]:
    """`git blame --porcelain` as one BlameLine per line of the file, in order. git names a
    commit's path only the first time the commit appears (or when it has several), so the last
    path seen for each commit is kept."""
    paths: dict[str, str] = {}
    lines: list[BlameLine] = []
    current: tuple[str, int] | None = None
    for raw in output.split("\n"):
        if raw.startswith("\t"):
            if current is not None:
                lines.append(BlameLine(current[0], paths.get(current[0], ""), current[1]))
            current = None
            continue
        fields = raw.split(" ")
        if len(fields) in (3, 4) and SHA_RE.match(fields[0]) and fields[1].isdigit():
            current = (fields[0], int(fields[1]))
        elif fields[0] == "filename" and current is not None:
            paths[current[0]] = _unquote(raw[len("filename "):])
    return lines


def blame(repo_path: Path, sha: str, path: str) -> list[BlameLine]:
    """Where each line of `path` at commit `sha` was written; [] when blame cannot say (the
    caller asks only about files it has read within the review's file-size cap)."""
    if not SHA_RE.match(sha):
        return []
    try:
        out = run_git(["--literal-pathspecs", "blame", "--porcelain", sha, "--", path.strip("/")],
                      git_dir=repo_path, timeout=BLAME_TIMEOUT)
    except (GitCommandError, subprocess.TimeoutExpired):
        return []
    return parse_porcelain(out.stdout.decode("utf-8", "replace"))
