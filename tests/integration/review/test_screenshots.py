"""Photographs of the candidate's pages from a test run: stored from the worker's result, shown
to those who may see the submission (workspace and API) and to the candidate with their results
when the assignment shows them; never those of an altered run, never to anyone else."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

from reciprocal.extensions import db

from tests.support import factories
from tests.support import review as rs
from tests.support import screenshots as shots
from tests.support.auth import bearer


def png(width: int, height: int) -> bytes:
    """A real PNG of one grey colour, as Chromium would send one."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\x80" * (width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def shot(name: str, width: int, data: bytes | None = None) -> dict[str, Any]:
    return shots.shot(name, width, data if data is not None else png(8, 6))


def _world(app: Any, tmp_path: Path, taken: list[dict[str, Any]], *, visible: bool = True,
           altered: bool = False) -> dict[str, Any]:
    with app.app_context():
        sub, token = shots.submitted(tmp_path, visible=visible)
        run_id = shots.record_run(sub, taken, altered=altered)
        reviewer = rs.reviewer_on(sub, "alice@example.com")
        outsider = factories.staff("reviewer", "bob@example.com")
        db.session.commit()
        return {"sub": sub.id, "run": run_id, "token": token, "email": reviewer.email,
                "api": factories.api_token(reviewer), "outsider": outsider.email}


def test_reviewers_see_what_the_candidate_built(app, client, tmp_path, auth) -> None:
    home = png(12, 9)
    world = _world(app, tmp_path, [shot("home-375", 375, home), shot("home-1280", 1280)])
    auth.client(client, world["email"])
    html = client.get(f"/submissions/{world['sub']}/changes").text
    assert "What the candidate built" in html
    url = f"/submissions/{world['sub']}/runs/{world['run']}/screenshots/home-375.png"
    assert f'src="{url}"' in html
    assert "page: the first page at 375 px wide" in html
    got = client.get(url)
    assert got.status_code == 200 and got.mimetype == "image/png" and got.data == home
    assert "private" in got.headers["Cache-Control"]
    # A name the run did not send is not a path into the data directory.
    for name in ("home-999", "..%2F..%2Fsecret", "other"):
        assert client.get(f"/submissions/{world['sub']}/runs/{world['run']}/screenshots/"
                          f"{name}.png").status_code == 404
    api = client.get(f"/api/v1/submissions/{world['sub']}", headers=bearer(world["api"])).json
    assert api["grading"]["screenshots"] == [{"name": "home-375", "width": 375},
                                            {"name": "home-1280", "width": 1280}]


def test_staff_without_access_and_other_runs_get_nothing(app, client, tmp_path, auth) -> None:
    world = _world(app, tmp_path, [shot("home-375", 375)])
    auth.client(client, world["outsider"])
    url = f"/submissions/{world['sub']}/runs/{world['run']}/screenshots/home-375.png"
    assert client.get(url).status_code in (403, 404)
    auth.client(client, world["email"])
    assert client.get(f"/submissions/{world['sub']}/runs/{world['run'] + 1}/screenshots/"
                      "home-375.png").status_code == 404


def test_the_candidate_sees_their_pages_with_their_results(app, client, tmp_path) -> None:
    world = _world(app, tmp_path, [shot("home-375", 375)])
    html = client.get(f"/c/{world['token']}").text
    assert "Your pages, as our tests saw them" in html
    url = f"/c/{world['token']}/screenshots/{world['run']}/home-375.png"
    assert f'src="{url}"' in html
    assert client.get(url).status_code == 200


def test_hidden_results_hide_the_pages_too(app, client, tmp_path) -> None:
    world = _world(app, tmp_path, [shot("home-375", 375)], visible=False)
    assert "Your pages, as our tests saw them" not in client.get(f"/c/{world['token']}").text
    assert client.get(f"/c/{world['token']}/screenshots/{world['run']}/home-375.png"
                      ).status_code == 404


def test_what_is_not_a_png_or_came_from_an_altered_run_is_never_shown(
        app, client, tmp_path, auth) -> None:
    world = _world(app, tmp_path, [shot("fake", 375, b"<svg onload=alert(1)>"),
                                   shot("../../etc", 375), shot("home-375", 375)])
    auth.client(client, world["email"])
    api = client.get(f"/api/v1/submissions/{world['sub']}", headers=bearer(world["api"])).json
    assert api["grading"]["screenshots"] == [{"name": "home-375", "width": 375}]


def test_an_altered_run_keeps_no_photograph(app, client, tmp_path, auth) -> None:
    world = _world(app, tmp_path, [shot("home-375", 375)], altered=True)
    auth.client(client, world["email"])
    html = client.get(f"/submissions/{world['sub']}/changes").text
    assert "What the candidate built" not in html
    assert client.get(f"/submissions/{world['sub']}/runs/{world['run']}/screenshots/"
                      "home-375.png").status_code == 404
