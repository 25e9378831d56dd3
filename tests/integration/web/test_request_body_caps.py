"""Caps on what a request and a push may carry, attacked over real HTTP with the real git client.

The app runs on loopback with small caps (a 1 MB blob cap, 3 MB unpacked per push, 6 MB per
push or upload) so that every attack is quick. Its temporary directory is one of the test's
own, so "nothing of a refused body is left on disk" can be checked exactly: no file in it, and
no open descriptor of this process pointing into it (an unnamed spool file would show there).
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.git import repos

from tests.support import factories, rawhttp
from tests.support.apps import LiveServer, make_app
from tests.support.gitclient import git
from tests.support.services import free_port

MIB = 1024 * 1024
MAX_BODY = 64 * 1024
MAX_PUSH = 6 * MIB
UPLOAD_CAP = MAX_PUSH + MIB  # the upload and git routes' body cap: the push cap plus framing
BOGUS_TOKEN = "A" * 43


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This process's temporary directory for the test (werkzeug spools bodies there)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def server(migrated: str, tmp_path: Path, redis_url: str, temp_dir: Path) -> Iterator[LiveServer]:
    port = free_port()
    app = make_app(
        migrated,
        tmp_path / "data",
        BASE_URL=f"http://127.0.0.1:{port}",
        REDIS_URL=redis_url,
        WTF_CSRF_ENABLED=True,
        MAX_BODY_BYTES=MAX_BODY,
        MAX_PUSH_BYTES=MAX_PUSH,
        MAX_BLOB_BYTES=MIB,
        MAX_PUSH_INFLATED_BYTES=3 * MIB,
        MAX_PUSH_OBJECTS=200,
    )
    live = LiveServer(app, port).start()
    yield live
    live.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _started(server: LiveServer) -> tuple[str, str, int]:
    with server.app.app_context():
        new = factories.started()
        return new.token, new.git_url, new.invitation.id


def _repo(server: LiveServer, invitation_id: int) -> Path:
    with server.app.app_context():
        return invitations.storage().path_for(invitation_id)


def _main(server: LiveServer, invitation_id: int) -> str | None:
    return repos.head_sha(_repo(server, invitation_id))


def _has_object(repo: Path, sha: str) -> bool:
    return subprocess.run(["git", "--git-dir", str(repo), "cat-file", "-e", sha]).returncode == 0


def _open_files_under(folder: Path) -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


def assert_nothing_left(folder: Path) -> None:
    deadline = time.monotonic() + 5
    while _open_files_under(folder) and time.monotonic() < deadline:
        time.sleep(0.05)  # the server thread may still be closing the request
    assert list(folder.iterdir()) == []
    assert _open_files_under(folder) == []


def _filler(seed: int, size: int) -> bytes:
    """A distinct blob of `size` bytes that compresses to almost nothing."""
    return f"blob {seed}\n".encode() + b"\0" * (size - 16) + os.urandom(6)


# --- request bodies ---------------------------------------------------------------------------


SURFACES = [
    # path, headers, cap, format
    (
        "/login",
        {"Content-Type": "application/x-www-form-urlencoded"},
        MAX_BODY,
        "html",
    ),
    (
        f"/c/{BOGUS_TOKEN}/upload",
        {"Content-Type": rawhttp.MULTIPART},
        UPLOAD_CAP,
        "html",
    ),
    ("/api/v1/roles", {"Content-Type": "application/json"}, MAX_BODY, "json"),
    (
        f"/git/{BOGUS_TOKEN}/customer-directory.git/git-receive-pack",
        {"Content-Type": "application/x-git-receive-pack-request"},
        UPLOAD_CAP,
        "git",
    ),
]


def _assert_format(response: rawhttp.RawResponse, surface: str, cap_text: str) -> None:
    content_type = response.headers.get("content-type", "")
    if surface == "json":
        assert content_type.startswith("application/json")
        message = json.loads(response.body)["error"]
    elif surface == "git":
        assert content_type.startswith("text/plain")
        message = response.text
    else:
        assert content_type.startswith("text/html")
        message = html.unescape(response.text)
    assert f"larger than the {cap_text} accepted here" in message, message


@pytest.mark.parametrize(("path", "headers", "cap", "surface"), SURFACES)
def test_over_cap_content_length_is_refused_before_any_body_byte(
    server: LiveServer, temp_dir: Path, path: str, headers: dict[str, str], cap: int, surface: str
) -> None:
    # Not one body byte is sent: a server that waited for the body would never answer.
    response = rawhttp.send(
        server.url, path, headers=headers, content_length=cap + 1, body=(), timeout=10
    )
    assert response.status == 413, response.text
    assert response.seconds < 1, response.seconds
    _assert_format(response, surface, rawhttp_cap_text(cap))
    assert_nothing_left(temp_dir)


def rawhttp_cap_text(cap: int) -> str:
    return f"{cap // MIB} MB" if cap >= MIB else f"{cap // 1024} KB"


def test_over_cap_body_sent_in_full_is_refused_fast_and_not_spooled(
    server: LiveServer, temp_dir: Path
) -> None:
    """The attack as found: a large unauthenticated upload, sent while the server answers."""
    size = 40 * MIB
    response = rawhttp.send(
        server.url,
        f"/c/{BOGUS_TOKEN}/upload",
        headers={"Content-Type": rawhttp.MULTIPART},
        content_length=rawhttp.multipart_length(size),
        body=rawhttp.multipart_file(size),
    )
    assert response.status == 413
    assert response.seconds < 1, response.seconds
    assert not response.body_finished
    assert_nothing_left(temp_dir)


def test_chunked_over_cap_bodies_are_cut_off_while_read(
    server: LiveServer, temp_dir: Path
) -> None:
    token, _url, _id = _started(server)
    with server.app.app_context():
        staff_token = factories.api_token(factories.staff("recruiter"))
    cases = [
        ("/login", {"Content-Type": "application/x-www-form-urlencoded"}, MAX_BODY, "html"),
        (
            "/api/v1/roles",
            {"Content-Type": "application/json", "Authorization": f"Bearer {staff_token}"},
            MAX_BODY,
            "json",
        ),
        (
            f"/git/{token}/customer-directory.git/git-receive-pack",
            {"Content-Type": "application/x-git-receive-pack-request"},
            UPLOAD_CAP,
            "git",
        ),
        (f"/c/{token}/upload", {"Content-Type": rawhttp.MULTIPART}, UPLOAD_CAP, "html"),
    ]
    for path, headers, cap, surface in cases:
        body = rawhttp.multipart_file(60 * MIB) if "upload" in path else rawhttp.zeros(60 * MIB)
        response = rawhttp.send(server.url, path, headers=headers, body=body)
        assert response.status == 413, (path, response.status, response.text[:300])
        # Cut off at the cap: the server read little more than it (socket buffers aside).
        assert response.sent_bytes < cap + 8 * MIB, (path, response.sent_bytes)
        _assert_format(response, surface, rawhttp_cap_text(cap))
        assert_nothing_left(temp_dir)


def test_an_upload_to_an_unknown_link_is_refused_before_its_body_is_read(
    server: LiveServer, temp_dir: Path
) -> None:
    """Even under the cap and chunked: the link is checked before the form is parsed."""
    response = rawhttp.send(
        server.url,
        f"/c/{BOGUS_TOKEN}/upload",
        headers={"Content-Type": rawhttp.MULTIPART},
        body=rawhttp.multipart_file(60 * MIB),
    )
    assert response.status == 401
    assert "this link is not valid" in html.unescape(response.text)
    assert response.sent_bytes < 8 * MIB, response.sent_bytes
    assert_nothing_left(temp_dir)


def test_an_upload_without_the_form_token_is_still_refused(server: LiveServer) -> None:
    token, _url, invitation_id = _started(server)
    before = _main(server, invitation_id)
    response = requests.post(
        f"{server.url}/c/{token}/upload",
        files={"archive": ("work.zip", b"PK\x05\x06" + b"\0" * 18)},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 400 and "form expired" in response.text
    assert _main(server, invitation_id) == before


def test_bodies_under_the_caps_still_work(server: LiveServer) -> None:
    """JSON and forms under the general cap, with a length or chunked, arrive whole."""
    with server.app.app_context():
        staff_token = factories.api_token(factories.staff("recruiter"))
    headers = {"Authorization": f"Bearer {staff_token}", "Content-Type": "application/json"}
    payload = json.dumps({**factories.ROLE, "padding": "p" * (MAX_BODY - 2048)}).encode()
    sized = requests.post(f"{server.url}/api/v1/roles", headers=headers, data=payload, timeout=30)
    assert sized.status_code == 201, sized.text
    pieces = (payload[i : i + 1000] for i in range(0, len(payload), 1000))
    chunked = requests.post(f"{server.url}/api/v1/roles", headers=headers, data=pieces, timeout=30)
    assert chunked.request.headers.get("Transfer-Encoding") == "chunked"
    assert chunked.status_code == 201, chunked.text
    form = requests.post(f"{server.url}/login", data={"email": "x" * 1000}, timeout=30)
    assert form.status_code == 400 and "form expired" in form.text  # CSRF, not the cap


# --- uploads over HTTP ------------------------------------------------------------------------


def _upload(server: LiveServer, token: str, filename: str, data: bytes) -> requests.Response:
    session = requests.Session()
    page = session.get(f"{server.url}/c/{token}", timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    return session.post(
        f"{server.url}/c/{token}/upload",
        data={"csrf_token": csrf.group(1)},
        files={"archive": (filename, data)},
        allow_redirects=False,
        timeout=60,
    )


def _bundle(tmp_path: Path, server: LiveServer, url: str, files: dict[str, bytes]) -> bytes:
    home = tmp_path / "home"
    work = tmp_path / "work"
    git("clone", url, str(work), cwd=tmp_path, home=home)
    for name, data in files.items():
        (work / name).write_bytes(data)
    git("add", "-A", cwd=work, home=home)
    git("commit", "-q", "-m", "work", cwd=work, home=home)
    target = tmp_path / "work.bundle"
    git("bundle", "create", str(target), "main", cwd=work, home=home)
    return target.read_bytes()


def _blob_sha(data: bytes) -> str:
    return subprocess.run(
        ["git", "hash-object", "--stdin"], input=data, capture_output=True, check=True
    ).stdout.decode().strip()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"big.bin": _filler(1, 4 * MIB)}, "The file big.bin is 4 MB; files larger than 1 MB"),
        (
            {f"part{i}.bin": _filler(i, 900 * 1024) for i in range(5)},
            "This upload unpacks to 4.4 MB of new files and history; at most 3 MB",
        ),
        ({f"f{i}.txt": f"{i}\n".encode() for i in range(250)}, "more than 200 new objects"),
    ],
    ids=["blob-over-cap", "total-over-cap", "too-many-objects"],
)
def test_bundle_upload_is_checked_like_a_push(
    server: LiveServer, tmp_path: Path, temp_dir: Path, files: dict[str, bytes], message: str
) -> None:
    token, url, invitation_id = _started(server)
    before = _main(server, invitation_id)
    bundle = _bundle(tmp_path, server, url, files)
    assert len(bundle) < MAX_PUSH  # small on the wire: only the unpacked size tells

    response = _upload(server, token, "work.bundle", bundle)

    assert response.status_code == 422, response.text[:500]
    assert message in html.unescape(response.text)
    assert _main(server, invitation_id) == before
    repo = _repo(server, invitation_id)
    # Nothing of the refused bundle entered the repository, reachable or not.
    for data in list(files.values())[:3]:
        assert not _has_object(repo, _blob_sha(data))
    assert_nothing_left(temp_dir)


def test_bundle_and_zip_uploads_under_the_caps_still_work(
    server: LiveServer, tmp_path: Path
) -> None:
    token, url, invitation_id = _started(server)
    bundle = _bundle(tmp_path, server, url, {"feature.py": b"VALUE = 1\n"})
    response = _upload(server, token, "work.bundle", bundle)
    assert response.status_code == 302, response.text[:500]
    head = git("rev-parse", "HEAD", cwd=tmp_path / "work", home=tmp_path / "home").stdout.strip()
    assert _main(server, invitation_id) == head

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project/app.py", "print('hi')\n")
    response = _upload(server, token, "work.zip", buffer.getvalue())
    assert response.status_code == 302, response.text[:500]
    assert _main(server, invitation_id) != head


def test_zip_upload_over_the_unpacked_total_is_refused(server: LiveServer) -> None:
    token, _url, invitation_id = _started(server)
    before = _main(server, invitation_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        for i in range(4):  # each under the 1 MB file cap, 3.5 MB in all
            zf.writestr(f"part{i}.bin", os.urandom(900 * 1024))
    response = _upload(server, token, "work.zip", buffer.getvalue())
    assert response.status_code == 422, response.text[:500]
    assert "unpacks to more than 3 MB" in html.unescape(response.text)
    assert _main(server, invitation_id) == before


# --- pushes -----------------------------------------------------------------------------------


def _clone(server: LiveServer, tmp_path: Path) -> tuple[Path, Path, int]:
    _token, url, invitation_id = _started(server)
    home = tmp_path / "home"
    git("clone", url, "work", cwd=tmp_path, home=home)
    return tmp_path / "work", home, invitation_id


def test_push_over_the_unpacked_total_is_refused(server: LiveServer, tmp_path: Path) -> None:
    work, home, invitation_id = _clone(server, tmp_path)
    before = _main(server, invitation_id)
    for i in range(5):  # each under the 1 MB blob cap; 4.4 MB unpacked, a few KB packed
        (work / f"part{i}.bin").write_bytes(_filler(i, 900 * 1024))
    git("add", "-A", cwd=work, home=home)
    git("commit", "-q", "-m", "parts", cwd=work, home=home)

    refused = git("push", "origin", "HEAD:main", cwd=work, home=home, check=False)

    assert refused.returncode != 0
    assert "remote: This push unpacks to 4.4 MB of new files and history" in refused.stderr
    assert "at most 3 MB are accepted" in refused.stderr
    assert _main(server, invitation_id) == before


def test_push_under_the_caps_still_works(server: LiveServer, tmp_path: Path) -> None:
    work, home, invitation_id = _clone(server, tmp_path)
    for i in range(2):
        (work / f"part{i}.bin").write_bytes(_filler(i, 900 * 1024))
    git("add", "-A", cwd=work, home=home)
    git("commit", "-q", "-m", "parts", cwd=work, home=home)
    git("push", "origin", "HEAD:main", cwd=work, home=home)
    head = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()
    assert _main(server, invitation_id) == head


# --- the worker's result post -----------------------------------------------------------------


def test_only_the_worker_credential_may_post_a_large_result(server: LiveServer) -> None:
    """A run's result (test output, reports) may pass the general cap, but only for a worker."""
    payload = json.dumps({"job_id": "j", "result": {"output": "x" * (2 * MAX_BODY)}})
    url = f"{server.url}/api/v1/worker/runs/999/result"
    anonymous = requests.post(
        url, data=payload, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert anonymous.status_code == 413 and "error" in anonymous.json()
    worker = requests.post(
        url,
        data=payload,
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {server.app.config['WORKER_TOKEN']}",
        },
        timeout=30,
    )
    assert worker.status_code not in (413, 500), worker.text  # read, then judged on its merits
