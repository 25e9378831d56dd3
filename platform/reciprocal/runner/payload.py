"""What goes into a runner container: the submission and the hidden tests as one tar stream
on its stdin, under a per-run nonce, with caps on size and file count; no host path is ever
mounted."""

from __future__ import annotations

import json
import os
import stat
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reciprocal.runner.limits import Limits

# The harness's report channel is capped at this many bytes.
REPORT_BYTES = 4_000_000
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


MAX_UPLOAD_FILES = 20_000


SKIPPED_DIRS = {".git"}


PROTOCOL = 1


class SubmissionTooLarge(Exception):
    """The submission exceeds the upload caps (a candidate-caused failure, not infra)."""


def build_payload(submission: Path, hidden: Path, limits: Limits, nonce: str, *,
                  tests: Mapping[str, Any] | None = None) -> IO[bytes]:
    header: dict[str, object] = {
        "reciprocal": PROTOCOL,
        "nonce": nonce,
        "timeout_seconds": limits.timeout_seconds,
        "output_bytes": limits.output_bytes,
        "report_bytes": REPORT_BYTES,
    }
    if tests:
        header["tests"] = dict(tests)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    try:
        spool.write(json.dumps(header).encode() + b"\n")
        budget = _Budget()
        with tarfile.open(fileobj=spool, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for prefix, root in (("submission", submission), ("hidden", hidden)):
                _add_dir_entry(tar, prefix)
                _pack_tree(tar, root, prefix, budget)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool


@dataclass
class _Budget:
    files: int = 0
    size: int = 0

    def charge(self, size: int) -> None:
        self.files += 1
        self.size += size
        if self.files > MAX_UPLOAD_FILES:
            raise SubmissionTooLarge(
                f"The submission has more than {MAX_UPLOAD_FILES} files and was not tested."
            )
        if self.size > MAX_UPLOAD_BYTES:
            raise SubmissionTooLarge(
                f"The submission is larger than {MAX_UPLOAD_BYTES // 2**20} MB and was not tested."
            )


def _add_dir_entry(tar: tarfile.TarFile, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    tar.addfile(info)


def _pack_tree(tar: tarfile.TarFile, root: Path, prefix: str, budget: _Budget) -> None:
    """Add ``root`` under ``prefix`` using lstat only: host symlinks are never followed, links
    that leave the tree are dropped, and only files, folders and inner links are packed."""
    if not root.is_dir() or root.is_symlink():
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        for name in [*dirnames, *sorted(filenames)]:
            path = here / name
            rel = (rel_dir / name).as_posix()
            arcname = f"{prefix}/{rel}"
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                _add_link(tar, path, root, rel, arcname, budget)
            elif stat.S_ISDIR(info.st_mode):
                budget.charge(0)
                _add_dir_entry(tar, arcname)
            elif stat.S_ISREG(info.st_mode):
                _add_file(tar, path, arcname, budget)
        dirnames[:] = [d for d in dirnames if not (here / d).is_symlink()]


def _add_link(
    tar: tarfile.TarFile, path: Path, root: Path, rel: str, arcname: str, budget: _Budget
) -> None:
    target = os.readlink(path)
    if os.path.isabs(target):
        return
    resolved = os.path.normpath(os.path.join(os.path.dirname(rel), target))
    if resolved == ".." or resolved.startswith("../") or os.path.isabs(resolved):
        return
    budget.charge(0)
    info = tarfile.TarInfo(arcname)
    info.type = tarfile.SYMTYPE
    info.linkname = target
    info.mode = 0o777
    tar.addfile(info)


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str, budget: _Budget) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return
        budget.charge(info.st_size)
        member = tarfile.TarInfo(arcname)
        member.size = info.st_size
        member.mode = 0o755 if info.st_mode & 0o100 else 0o644
        member.mtime = int(info.st_mtime)
        tar.addfile(member, handle)
