"""Uploaded zips: the per-file and total caps count the bytes actually unpacked, so headers that
understate the sizes do not get a larger file or total through."""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import pytest
from reciprocal.core.archives import ArchiveLimits, extract_zip
from reciprocal.core.errors import UnsafeArchive

MIB = 1024 * 1024


def _lying_zip(path: Path, name: str, data: bytes, declared: int) -> Path:
    """A stored (uncompressed) zip whose local and central headers claim `declared` bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(name, data)
    raw = bytearray(path.read_bytes())
    real = struct.pack("<I", len(data))
    fake = struct.pack("<I", declared)
    local = raw.index(b"PK\x03\x04")
    raw[local + 22 : local + 26] = fake  # uncompressed size in the local header
    central = raw.index(b"PK\x01\x02")
    assert raw[central + 24 : central + 28] == real
    raw[central + 24 : central + 28] = fake  # and in the central directory
    path.write_bytes(bytes(raw))
    return path


def test_a_file_larger_than_its_header_says_is_refused(tmp_path: Path) -> None:
    archive = _lying_zip(tmp_path / "a.zip", "big.bin", os.urandom(3 * MIB), declared=100)
    with pytest.raises(UnsafeArchive):
        extract_zip(archive, tmp_path / "out", ArchiveLimits(max_file_bytes=MIB))
    written = sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written <= MIB


def test_the_total_is_capped_across_files(tmp_path: Path) -> None:
    archive = tmp_path / "parts.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
        for i in range(4):
            zf.writestr(f"part{i}.bin", os.urandom(900 * 1024))
    with pytest.raises(UnsafeArchive, match="unpacks to more than 3 MB"):
        extract_zip(
            archive, tmp_path / "out", ArchiveLimits(max_file_bytes=MIB, max_total_bytes=3 * MIB)
        )
