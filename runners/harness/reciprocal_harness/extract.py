"""Extracting the payload's tar into /work, with the checks of tarfile's ``data`` filter."""

from __future__ import annotations

import os
import shutil
import tarfile
from pathlib import Path
from typing import BinaryIO

from .layout import HIDDEN, SUBMISSION, inside
from .protocol import HarnessError

MAX_MEMBERS = 50_000


def _strict_extract(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path) -> None:
    """The checks of tarfile's ``data`` filter (bookworm's 3.11.2 predates it), and the files
    belong to the extracting process (root), never to the owners the tar names.

    Only regular files, directories and symlinks that stay inside ``dest`` are accepted; nothing
    is written through a symlink, and modes lose setuid/setgid and group/other write bits.
    """
    name = member.name
    parts = Path(name).parts
    if not name or name.startswith("/") or ".." in parts:
        raise HarnessError(f"refusing tar member {name!r}: path outside the work area")
    target = dest / name
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    if not inside(dest.resolve(), parent.resolve()):
        raise HarnessError(f"refusing tar member {name!r}: parent is a link outside")
    if member.isdir():
        target.mkdir(exist_ok=True)
        if target.is_symlink() or not target.is_dir():
            raise HarnessError(f"refusing tar member {name!r}: not a directory")
        os.chmod(target, 0o755)  # noqa: S103 - folders the runner user owns, in its tmpfs
    elif member.issym():
        link = member.linkname
        if link.startswith("/") or not inside(dest.resolve(), (parent / link).resolve()):
            raise HarnessError(f"refusing tar member {name!r}: link points outside")
        os.symlink(link, target)
    elif member.isreg():
        mode = 0o755 if member.mode & 0o100 else 0o644
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
        source = tar.extractfile(member)
        assert source is not None
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(source, out)
    else:
        raise HarnessError(f"refusing tar member {name!r}: unsupported type")


def extract(stream: BinaryIO, dest: Path) -> int:
    """Stream-extract the tar on stdin into ``dest``; returns the member count."""
    count = 0
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for member in tar:
            count += 1
            if count > MAX_MEMBERS:
                raise HarnessError(f"more than {MAX_MEMBERS} files in the submission")
            top = member.name.split("/", 1)[0]
            if top not in ("submission", "hidden"):
                raise HarnessError(f"unexpected tar member {member.name!r}")
            # Never tar.extract: as root it would give files the owners the tar names.
            _strict_extract(tar, member, dest)
    SUBMISSION.mkdir(exist_ok=True)
    HIDDEN.mkdir(exist_ok=True)
    return count
