"""Untrusted archives: every classic trick is refused clearly, nothing lands outside."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest
from reciprocal.core.archives import ArchiveLimits, extract_tar, extract_zip, strip_common_folder
from reciprocal.core.errors import UnsafeArchive


def _zip(tmp_path: Path, entries: list[tuple[str, bytes, int | None]]) -> Path:
    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name)
            if mode is not None:
                info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../app.py", "leaves its folder"),
        ("/etc/cron.d/x", "absolute path"),
        ("C:/windows/x", "absolute path"),
        ("ok/../../x", "leaves its folder"),
        ("bad\nname.py", "control characters"),
    ],
)
def test_zip_slip_and_absolute_paths_are_refused(tmp_path: Path, name: str, message: str) -> None:
    archive = _zip(tmp_path, [(name, b"x", None)])
    with pytest.raises(UnsafeArchive, match=message):
        extract_zip(archive, tmp_path / "out")
    assert not (tmp_path.parent / "app.py").exists()


def test_zip_symlink_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path, [("link", b"/etc/passwd", stat.S_IFLNK | 0o777)])
    with pytest.raises(UnsafeArchive, match="symbolic link"):
        extract_zip(archive, tmp_path / "out")


def test_zip_case_collision_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path, [("A.txt", b"1", None), ("a.txt", b"2", None)])
    with pytest.raises(UnsafeArchive, match="differ only in case"):
        extract_zip(archive, tmp_path / "out")


def test_zip_bomb_and_oversize_are_refused(tmp_path: Path) -> None:
    bomb = _zip(tmp_path, [("zeros.bin", b"\0" * (20 * 1024 * 1024), None)])
    with pytest.raises(UnsafeArchive, match=r"compression ratio|larger than"):
        extract_zip(bomb, tmp_path / "out", ArchiveLimits(max_file_bytes=50 * 1024 * 1024))
    big = _zip(tmp_path, [("big.bin", os.urandom(2 * 1024 * 1024), None)])
    with pytest.raises(UnsafeArchive, match="larger than 1 MB"):
        extract_zip(big, tmp_path / "out2", ArchiveLimits(max_file_bytes=1024 * 1024))


def test_zip_member_count_is_capped(tmp_path: Path) -> None:
    archive = _zip(tmp_path, [(f"f{i}.txt", b"", None) for i in range(30)])
    with pytest.raises(UnsafeArchive, match="at most 20"):
        extract_zip(archive, tmp_path / "out", ArchiveLimits(max_members=20))


def test_zip_git_folder_is_dropped_and_top_folder_lifted(tmp_path: Path) -> None:
    archive = _zip(tmp_path, [("proj/app.py", b"print(1)\n", 0o100755),
                              ("proj/.git/config", b"[core]\nfsmonitor=x\n", None),
                              ("proj/.GIT/hooks/x", b"", None)])
    out = tmp_path / "out"
    report = extract_zip(archive, out)
    strip_common_folder(out)
    assert report.files == 1 and report.dropped_git == 2
    assert (out / "app.py").read_bytes() == b"print(1)\n"
    assert (out / "app.py").stat().st_mode & 0o111
    assert not list(out.rglob("config"))


def test_corrupt_zip_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnsafeArchive, match="not a readable zip"):
        extract_zip(path, tmp_path / "out")


def _tar(members: list[tarfile.TarInfo], data: dict[str, bytes] | None = None) -> io.BytesIO:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tf:
        for info in members:
            payload = (data or {}).get(info.name)
            if payload is not None:
                info.size = len(payload)
                tf.addfile(info, io.BytesIO(payload))
            else:
                tf.addfile(info)
    buffer.seek(0)
    return buffer


@pytest.fixture(params=["data filter", "bookworm's 3.11.2"])
def tar_python(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each tar test twice: with tarfile's data filter, and without it as on the platform
    image's Python (Debian bookworm's 3.11.2), where the same rules are applied by hand."""
    if request.param != "data filter":
        monkeypatch.delattr(tarfile, "data_filter", raising=False)


@pytest.mark.usefixtures("tar_python")
def test_tar_links_out_of_the_folder_and_devices_are_refused(tmp_path: Path) -> None:
    link = tarfile.TarInfo("x")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc"
    through = tarfile.TarInfo("x/passwd")
    with pytest.raises(UnsafeArchive):
        extract_tar(_tar([link, through], {"x/passwd": b"root"}), tmp_path / "a")
    hard = tarfile.TarInfo("shadow")
    hard.type, hard.linkname = tarfile.LNKTYPE, "/etc/shadow"
    with pytest.raises(UnsafeArchive, match="links are not accepted"):
        extract_tar(_tar([hard]), tmp_path / "b")
    fifo = tarfile.TarInfo("pipe")
    fifo.type = tarfile.FIFOTYPE
    with pytest.raises(UnsafeArchive):
        extract_tar(_tar([fifo]), tmp_path / "c")
    assert not Path("/etc/passwd.reciprocal").exists()


@pytest.mark.usefixtures("tar_python")
def test_tar_extracts_plain_files(tmp_path: Path) -> None:
    info = tarfile.TarInfo("src/main.py")
    folder = tarfile.TarInfo("src/pkg")
    folder.type = tarfile.DIRTYPE
    inside = tarfile.TarInfo("src/alias.py")
    inside.type, inside.linkname = tarfile.SYMTYPE, "main.py"
    report = extract_tar(_tar([info, folder, inside], {"src/main.py": b"print('ok')\n"}),
                         tmp_path / "out")
    assert report.files == 1
    assert (tmp_path / "out" / "src" / "main.py").read_text() == "print('ok')\n"
    assert (tmp_path / "out" / "src" / "pkg").is_dir()
    assert (tmp_path / "out" / "src" / "alias.py").read_text() == "print('ok')\n"
