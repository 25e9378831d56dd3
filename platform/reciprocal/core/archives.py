"""Extracting untrusted archives: zip uploads from candidates and tar streams from git archive.

Both go through the same checks on names (normalised to NFC; no absolute paths, `..`, control
characters or case-fold collisions), on counts and on sizes, counting the bytes actually written
rather than trusting headers. Links and devices are refused; `.git/` folders are dropped, because a
`.git` inside an upload could carry hooks and config.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from .errors import UnsafeArchive

CHUNK = 64 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int = 5000
    max_file_bytes: int = 10 * 1024 * 1024
    max_total_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, for the whole archive
    max_depth: int = 32


@dataclass
class ExtractReport:
    files: int = 0
    bytes: int = 0
    dropped_git: int = 0


def safe_name(raw: str, seen: dict[str, str], limits: ArchiveLimits) -> str | None:
    """The normalised relative path for an archive member, or None to skip it (e.g. `.git/`)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise UnsafeArchive(f"the archive has a file name with control characters: {raw!r}")
    name = unicodedata.normalize("NFC", raw.replace("\\", "/"))
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchive(f"the archive has an absolute path: {raw!r}")
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise UnsafeArchive(f"the archive has a path that leaves its folder: {raw!r}")
    if not parts:
        return None
    if any(p.lower() == ".git" for p in parts):
        return ""
    if len(parts) > limits.max_depth:
        raise UnsafeArchive(f"the archive nests folders deeper than {limits.max_depth}: {raw!r}")
    clean = "/".join(parts)
    folded = clean.casefold()
    if folded in seen and seen[folded] != clean:
        raise UnsafeArchive(
            f"the archive has two files whose names differ only in case: {seen[folded]!r} and "
            f"{clean!r}"
        )
    seen[folded] = clean
    return clean


def _copy_capped(
    src: IO[bytes], dest: Path, report: ExtractReport, limits: ArchiveLimits, name: str
) -> None:
    written = 0
    with dest.open("wb") as out:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            report.bytes += len(chunk)
            if written > limits.max_file_bytes:
                raise UnsafeArchive(
                    f"{name} is larger than {limits.max_file_bytes // (1024 * 1024)} MB "
                    "uncompressed"
                )
            if report.bytes > limits.max_total_bytes:
                raise UnsafeArchive(
                    f"the archive unpacks to more than {limits.max_total_bytes // (1024 * 1024)} MB"
                )
            out.write(chunk)


def strip_common_folder(dest: Path) -> None:
    """Archives made by zipping a folder put everything under one top folder: lift it up."""
    children = [p for p in dest.iterdir()]
    if len(children) == 1 and children[0].is_dir() and not children[0].is_symlink():
        top = children[0]
        tmp = dest / (".lift-" + top.name)
        top.rename(tmp)
        for child in tmp.iterdir():
            child.rename(dest / child.name)
        tmp.rmdir()


def extract_zip(archive: Path, dest: Path, limits: ArchiveLimits | None = None) -> ExtractReport:
    limits = limits or ArchiveLimits()
    dest.mkdir(parents=True, exist_ok=True)
    report = ExtractReport()
    compressed = archive.stat().st_size
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsafeArchive(f"the file is not a readable zip archive ({exc})") from None
    with zf:
        members = zf.infolist()
        if len(members) > limits.max_members:
            raise UnsafeArchive(
                f"the archive has {len(members)} entries; at most {limits.max_members} are accepted"
            )
        declared = sum(m.file_size for m in members)
        if declared > limits.max_total_bytes:
            raise UnsafeArchive(
                f"the archive unpacks to more than {limits.max_total_bytes // (1024 * 1024)} MB"
            )
        if compressed and declared / compressed > limits.max_ratio and declared > 1024 * 1024:
            raise UnsafeArchive("the archive's compression ratio is too high (a zip bomb?)")
        seen: dict[str, str] = {}
        for member in members:
            mode = member.external_attr >> 16
            name = safe_name(member.filename, seen, limits)
            if name is None:
                continue
            if name == "":
                report.dropped_git += 1
                continue
            if stat.S_ISLNK(mode):
                raise UnsafeArchive(
                    f"the archive has a symbolic link ({member.filename}); links are not accepted"
                )
            if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise UnsafeArchive(f"the archive has a special file ({member.filename})")
            target = dest / name
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(member) as src:
                    _copy_capped(src, target, report, limits, name)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
                raise UnsafeArchive(f"{member.filename} could not be read ({exc})") from None
            if mode & 0o111:
                target.chmod(0o755)
            report.files += 1
    return report


def extract_tar(
    stream: IO[bytes],
    dest: Path,
    limits: ArchiveLimits | None = None,
    *,
    allow_symlinks: bool = True,
) -> ExtractReport:
    """Extract a tar stream with tarfile's `data` filter plus our own caps and name checks."""
    limits = limits or ArchiveLimits()
    dest.mkdir(parents=True, exist_ok=True)
    report = ExtractReport()
    seen: dict[str, str] = {}
    count = 0
    try:
        with tarfile.open(fileobj=stream, mode="r|*") as tf:
            for member in tf:
                count += 1
                if count > limits.max_members:
                    raise UnsafeArchive(f"more than {limits.max_members} entries")
                if member.name == "pax_global_header" or member.type == tarfile.XGLTYPE:
                    continue
                name = safe_name(member.name, seen, limits)
                if name is None:
                    continue
                if name == "":
                    report.dropped_git += 1
                    continue
                if member.islnk() or (member.issym() and not allow_symlinks):
                    raise UnsafeArchive(f"links are not accepted ({member.name})")
                if member.size > limits.max_file_bytes:
                    raise UnsafeArchive(f"{name} is larger than the file size limit")
                report.bytes += member.size
                if report.bytes > limits.max_total_bytes:
                    raise UnsafeArchive("the archive unpacks to more than the size limit")
                member.name = name
                _extract_member(tf, member, dest)
                if member.isfile():
                    report.files += 1
    except tarfile.TarError as exc:
        raise UnsafeArchive(f"the archive could not be read ({exc})") from None
    return report


def _extract_member(tf: tarfile.TarFile, member: tarfile.TarInfo, dest: Path) -> None:
    """tarfile's `data` filter where this Python has it (3.11.4 and later), else the same rules
    by hand (Debian bookworm's 3.11.2, the platform image's Python): regular files, folders and
    symlinks that stay inside `dest`, never written through a link, no special mode bits."""
    if hasattr(tarfile, "data_filter"):
        try:
            tf.extract(member, dest, filter="data")
        except tarfile.FilterError as exc:
            raise UnsafeArchive(f"refused {member.name}: {exc}") from None
        return
    root = dest.resolve()
    target = dest / member.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.parent.resolve().is_relative_to(root):
        raise UnsafeArchive(f"refused {member.name}: its folder is a link out of the archive")
    if member.isdir():
        target.mkdir(exist_ok=True)
        if target.is_symlink() or not target.is_dir():
            raise UnsafeArchive(f"refused {member.name}: not a folder")
    elif member.issym():
        if member.linkname.startswith("/") or not (
            target.parent / member.linkname
        ).resolve().is_relative_to(root):
            raise UnsafeArchive(f"refused {member.name}: the link points out of the archive")
        os.symlink(member.linkname, target)
    elif member.isreg():
        mode = 0o755 if member.mode & 0o100 else 0o644
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
        source = tf.extractfile(member)
        with os.fdopen(fd, "wb") as out:
            if source is not None:
                shutil.copyfileobj(source, out)
    else:
        raise UnsafeArchive(f"refused {member.name}: devices and fifos are not accepted")


def count_entries(root: Path) -> int:
    """Files and folders under `root` (links not followed), as a git tree of them counts."""
    return sum(len(dirs) + len(files) for _path, dirs, files in os.walk(root))


def clear(dest: Path) -> None:
    shutil.rmtree(dest, ignore_errors=True)
