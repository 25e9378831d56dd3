"""How many files and folders a commit holds, counted through its recursive tree without
expanding it.

A git tree names other trees by id, and nothing stops one tree from naming the same subtree many
times: ten trees, each naming the one below ten times, make 10^10 files out of 12 objects (an
831-byte pack that `fsck --strict` finds clean). Object counts therefore say nothing about what
`git archive`, `ls-tree -r` or `diff` will produce; only the entries do. Here each distinct tree
is read once, through one `git cat-file --batch`, and its expanded size is kept by id, so a tree
named again adds its known size at once: the ten-level bomb costs ten reads. Counting stops as
soon as the total passes the limit (every tree read but the first is named by an entry already
counted, so the reading is bounded by the limit too), and the files' bytes, as they would be
checked out, come from one `cat-file --batch-check` of the distinct blobs.

Every path counts: a folder is an entry that `ls-tree -r -t`, `git archive` and a checkout
produce like any file (a tree of empty folders can be a bomb too).
"""

from __future__ import annotations

import subprocess
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from .command import git_invocation

TREE_MODE = b"40000"
GITLINK_MODE = b"160000"
MAX_NAME_BYTES = 4096  # longer than any file system accepts; git itself sets no limit
CHUNK = 64 * 1024
TIMEOUT_SECONDS = 60.0


class TreeError(ValueError):
    """The tree could not be read (missing object, not a tree, malformed, timed out)."""


@dataclass(frozen=True)
class TreeSize:
    """A commit's tree as a checkout would expand it. `files` counts files, symbolic links and
    submodules; `folders` the folders; each path once, however its tree is shared. When
    `complete` is False the counting stopped past the limit and the numbers are lower bounds
    (`bytes` is then not known, and 0)."""

    files: int
    folders: int
    bytes: int
    complete: bool = True

    @property
    def entries(self) -> int:
        return self.files + self.folders


@dataclass(frozen=True)
class FileLimits:
    """How big a commit's expanded tree may be: entries (files and folders) and bytes."""

    max_files: int
    max_bytes: int

    def problem(self, size: TreeSize) -> str | None:
        """What is over the limits, as a phrase following "it ..." / "this commit ...", or
        None when the tree is within them."""
        if not size.complete or size.entries > self.max_files:
            return (f"has more than {self.max_files} files and folders, the most a commit may "
                    "hold (counted through every folder)")
        if size.bytes > self.max_bytes:
            return (f"holds {_mb(size.bytes)} of files when checked out, more than the "
                    f"{_mb(self.max_bytes)} a commit may hold")
        return None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


@dataclass
class _Tree:
    """One tree object's own entries: how many, and which blobs and subtrees it names."""

    files: int = 0
    folders: int = 0
    blobs: Counter[str] = field(default_factory=Counter)
    subtrees: Counter[str] = field(default_factory=Counter)


@dataclass
class _Frame:
    oid: str
    tree: _Tree
    pending: list[str]
    files: int
    folders: int


class _Over(Exception):
    def __init__(self, files: int, folders: int) -> None:
        super().__init__("over the limit")
        self.files = files
        self.folders = folders


class TreeCounter:
    """Measures commits of one repository (`git_dir`; None in the receive hook, which runs in
    git's own environment and sees the quarantined objects of the push). Trees measured once
    are remembered, so commits sharing most of their trees cost little more than one."""

    def __init__(self, git_dir: Path | None, max_entries: int,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        self.git_dir = git_dir
        self.max_entries = max_entries
        self.timeout = timeout
        self.trees_read = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._timer: threading.Timer | None = None
        self._timed_out = threading.Event()
        self._trees: dict[str, _Tree] = {}
        self._counts: dict[str, tuple[int, int]] = {}  # tree id -> (files, folders), expanded
        self._bytes: dict[str, int] = {}
        self._unsized: list[str] = []  # counted trees whose bytes are not summed yet
        self._blob_sizes: dict[str, int] = {}

    def __enter__(self) -> TreeCounter:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        proc, self._proc = self._proc, None
        if proc is None:
            return
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.close()
        except OSError:  # a killed git: the pipe is broken
            pass
        proc.stdout.close()
        try:
            proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def measure(self, rev: str) -> TreeSize:
        """The expanded size of `rev`'s tree (a commit id or a ref name, from the platform,
        never from a user), stopping as soon as it has more than `max_entries` entries."""
        if "\n" in rev or not rev:
            raise TreeError("not a revision")
        root = self._resolve(rev)
        try:
            files, folders = self._expand(root)
        except _Over as over:
            self.close()  # git may be in the middle of an object: start afresh if asked again
            return TreeSize(over.files, over.folders, 0, complete=False)
        return TreeSize(files, folders, self._expand_bytes(root))

    # reading -----------------------------------------------------------------------------

    def _batch(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            cmd, env = git_invocation(self.git_dir, ["cat-file", "--batch"])
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL, env=env)
            self._timer = threading.Timer(self.timeout, self._expire, (self._proc,))
            self._timer.start()
        return self._proc

    def _expire(self, proc: subprocess.Popen[bytes]) -> None:
        self._timed_out.set()
        proc.kill()

    def _header(self, name: str) -> tuple[str, str, int]:
        proc = self._batch()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(name.encode() + b"\n")
            proc.stdin.flush()
        except OSError:
            raise self._failure(name) from None
        parts = proc.stdout.readline(512).split()
        if len(parts) != 3:
            if len(parts) == 2 and parts[1] in (b"missing", b"ambiguous"):
                raise TreeError(f"{name} is not in the repository")
            raise self._failure(name)
        return parts[0].decode(), parts[1].decode(), int(parts[2])

    def _failure(self, name: str) -> TreeError:
        if self._timed_out.is_set():
            return TreeError(f"reading {name} took longer than {self.timeout:g} s")
        return TreeError(f"git could not read {name}")

    def _resolve(self, rev: str) -> str:
        """The id of `rev`'s tree (its contents are read again by id when needed: a tree
        object is small next to what it expands to)."""
        oid, kind, size = self._header(f"{rev}^{{tree}}")
        if kind != "tree":
            raise TreeError(f"{rev} is not a commit")
        self._skip(size, rev)
        return oid

    def _skip(self, size: int, name: str) -> None:
        stdout = self._batch().stdout
        assert stdout is not None
        left = size + 1  # the object and the newline after it
        while left:
            chunk = stdout.read(min(CHUNK, left))
            if not chunk:
                raise self._failure(name)
            left -= len(chunk)

    def _read(self, oid: str, allowance: int, bound: tuple[int, int]) -> _Tree:
        """One tree object's entries, parsed as it streams; `_Over` as soon as its own entries
        pass `allowance` (what is left under the limit)."""
        _oid, kind, size = self._header(oid)
        if kind != "tree":
            raise TreeError(f"{oid} is a {kind}, not a tree")
        self.trees_read += 1
        stdout = self._batch().stdout
        assert stdout is not None
        raw = len(oid) // 2  # 20 bytes for SHA-1, 32 for SHA-256
        tree = _Tree()
        buffer = bytearray()
        left = size
        while left:
            chunk = stdout.read(min(CHUNK, left))
            if not chunk:
                raise self._failure(oid)
            left -= len(chunk)
            buffer += chunk
            used = _parse_entries(buffer, raw, tree, oid)
            del buffer[:used]
            if tree.files + tree.folders > allowance:
                raise _Over(bound[0] + tree.files, bound[1] + tree.folders)
        if buffer:
            raise TreeError(f"the tree {oid} is malformed")
        if not stdout.read(1):  # the newline after the object
            raise self._failure(oid)
        return tree

    # counting ----------------------------------------------------------------------------

    def _expand(self, root: str) -> tuple[int, int]:
        """(files, folders) of `root`; the trees newly counted join `_unsized`, each after its
        subtrees.

        Depth first without recursion (a chain of nested folders is as deep as it likes). The
        running total is a lower bound of the root's size: every tree on the stack is named at
        least once below the root, and its own running count is in no other's."""
        if root in self._counts:
            files, folders = self._counts[root]
            self._check(files, folders)
            return files, folders
        stack: list[_Frame] = []
        bound = [0, 0]

        def enter(oid: str) -> None:
            tree = self._trees.get(oid)
            if tree is None:
                tree = self._read(oid, self.max_entries - bound[0] - bound[1], (bound[0], bound[1]))
                self._trees[oid] = tree
            stack.append(_Frame(oid, tree, list(tree.subtrees), tree.files, tree.folders))
            bound[0] += tree.files
            bound[1] += tree.folders

        def add(frame: _Frame, times: int, files: int, folders: int) -> None:
            frame.files += times * files
            frame.folders += times * folders
            bound[0] += times * files
            bound[1] += times * folders

        enter(root)
        while stack:
            frame = stack[-1]
            if frame.pending:
                sub = frame.pending.pop()
                known = self._counts.get(sub)
                if known is None:
                    enter(sub)
                else:
                    add(frame, frame.tree.subtrees[sub], *known)
            else:
                stack.pop()
                self._counts[frame.oid] = (frame.files, frame.folders)
                self._unsized.append(frame.oid)
                if stack:
                    # Its own count is in the bound once already: add the other times.
                    add(stack[-1], stack[-1].tree.subtrees[frame.oid], frame.files, frame.folders)
                    bound[0] -= frame.files
                    bound[1] -= frame.folders
            self._check(bound[0], bound[1])
        files, folders = self._counts[root]
        return files, folders

    def _check(self, files: int, folders: int) -> None:
        if files + folders > self.max_entries:
            raise _Over(files, folders)

    def _expand_bytes(self, root: str) -> int:
        """The bytes of `root`'s files, summing those of every tree counted since the last sum
        (a tree counted while an earlier measure went over the limit is among them)."""
        order, self._unsized = self._unsized, []
        unknown = {blob for oid in order for blob in self._trees[oid].blobs
                   if blob not in self._blob_sizes}
        if unknown:
            self._blob_sizes.update(self._sizes(sorted(unknown)))
        for oid in order:  # subtrees come before the trees that name them
            tree = self._trees[oid]
            self._bytes[oid] = (
                sum(self._blob_sizes[blob] * times for blob, times in tree.blobs.items())
                + sum(self._bytes[sub] * times for sub, times in tree.subtrees.items())
            )
        return self._bytes[root]

    def _sizes(self, blobs: list[str]) -> dict[str, int]:
        """The sizes of distinct blobs, from one `cat-file --batch-check`."""
        cmd, env = git_invocation(self.git_dir, ["cat-file", "--batch-check"])
        try:
            done = subprocess.run(cmd, input="\n".join(blobs).encode() + b"\n",
                                  capture_output=True, env=env, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise TreeError(f"reading file sizes took longer than {self.timeout:g} s") from None
        sizes = {}
        for line in done.stdout.decode("ascii", "replace").splitlines():
            parts = line.split()
            if len(parts) != 3 or parts[1] != "blob":
                raise TreeError(f"a file of this tree is not in the repository ({line[:90]})")
            sizes[parts[0]] = int(parts[2])
        if done.returncode != 0 or len(sizes) != len(blobs):
            raise TreeError("git could not read the sizes of this tree's files")
        return sizes


def _parse_entries(buffer: bytearray, raw: int, tree: _Tree, oid: str) -> int:
    """Add the complete entries at the start of `buffer` to `tree`; returns the bytes used."""
    pos = 0
    end = len(buffer)
    while pos < end:
        space = buffer.find(b" ", pos, pos + 8)
        nul = buffer.find(b"\0", pos, pos + 8 + MAX_NAME_BYTES)
        if space < 0 or nul < 0 or nul < space:
            if end - pos > 8 + MAX_NAME_BYTES:
                raise TreeError(f"the tree {oid} is malformed or names a file over "
                                f"{MAX_NAME_BYTES} bytes long")
            break
        if nul + 1 + raw > end:
            break
        mode = bytes(buffer[pos:space])
        target = buffer[nul + 1:nul + 1 + raw].hex()
        if mode == TREE_MODE:
            tree.folders += 1
            tree.subtrees[target] += 1
        else:
            tree.files += 1
            if mode != GITLINK_MODE:  # a submodule's commit is not in this repository
                tree.blobs[target] += 1
        pos = nul + 1 + raw
    return pos


def measure(rev: str, *, git_dir: Path | None, max_entries: int,
            timeout: float = TIMEOUT_SECONDS) -> TreeSize:
    """One commit's expanded size (see TreeCounter.measure)."""
    with TreeCounter(git_dir, max_entries, timeout) as counter:
        return counter.measure(rev)
