"""The candidate's pages as a run photographed them: PNG files in the data directory
(``screenshots/<run id>/<name>.png``), their names and widths on the run's row. Reviewers see
them in the workspace ("What the candidate built"), the candidate with their results when the
assignment shows candidates their results; deleting the candidate's code deletes them."""

from __future__ import annotations

import base64
import binascii
import re
import shutil
from pathlib import Path
from typing import Any

from flask import current_app

from ..core.errors import NotFound
from ..models import GradingRun, GradingStatus

PNG = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 3 << 20
MAX_SHOTS = 12
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}$")


def folder(run_id: int) -> Path:
    return Path(current_app.config["DATA_DIR"]) / "screenshots" / str(int(run_id))


def store(run: GradingRun, raw: object) -> None:
    """Keep the worker's photographs (base64 PNG, checked again here) for ``run``."""
    kept: list[dict[str, Any]] = []
    target = folder(run.id)
    shutil.rmtree(target, ignore_errors=True)
    for item in raw if isinstance(raw, list) else []:
        if len(kept) >= MAX_SHOTS or not isinstance(item, dict):
            continue
        name, width = item.get("name"), item.get("width")
        if not isinstance(name, str) or not NAME.match(name) or any(k["name"] == name
                                                                      for k in kept):
            continue
        try:
            data = base64.b64decode(str(item.get("png") or ""), validate=True)
        except (binascii.Error, ValueError):
            continue
        if not data.startswith(PNG) or len(data) > MAX_BYTES:
            continue
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{name}.png").write_bytes(data)
        kept.append({"name": name,
                     "width": width if isinstance(width, int) and 0 < width < 10_000 else None})
    run.screenshots = kept


def path_of(run: GradingRun, name: str) -> Path:
    """The PNG of one of the run's photographs; NotFound for any other name."""
    if not any(shot.get("name") == name for shot in run.screenshots or []):
        raise NotFound("no such screenshot")
    path = folder(run.id) / f"{name}.png"
    if not path.is_file():
        raise NotFound("no such screenshot")
    return path


def shown(run: Any) -> list[dict[str, Any]]:
    """The photographs of ``run`` (a GradingRun or a row of its columns) worth showing: none of
    an unfinished or altered run (what an altered run sent is the candidate's code's word)."""
    if run is None or not GradingStatus(run.status).finished or run.integrity == "altered":
        return []
    return [shot for shot in run.screenshots or [] if isinstance(shot, dict) and shot.get("name")]


def gallery(run: GradingRun | None) -> list[dict[str, Any]]:
    """What a page shows of ``run``'s photographs: name, width and words for each."""
    return [{"run_id": run.id, "name": shot["name"], "width": shot.get("width"),
             "label": label(shot)} for shot in shown(run)] if run is not None else []


def label(shot: dict[str, Any]) -> str:
    """How a photograph is named on a page: its page and the viewport width."""
    name = str(shot.get("name", ""))
    width = shot.get("width")
    page = name.rsplit("-", 1)[0] if width and name.endswith(f"-{width}") else name
    page = "the first page" if page in ("", "home") else f"page {page}"
    return f"{page} at {width} px wide" if width else page
