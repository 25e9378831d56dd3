"""Named corpora an admin adds (for example known public solutions), compared with every new
submission. Each entry of the folder (a sub-folder or a single file) becomes one document; its
files are kept under the data directory so a match can be shown side by side later."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sqlalchemy import func, select

from ..core import audit
from ..core.errors import InvalidInput
from ..extensions import db
from ..models import SimilarityDocument, User
from ..models.similarity import GLOBAL_SCOPE
from . import index
from .fingerprints import fingerprints
from .texts import corpora_root, folder_files

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")


def add(name: str, source: Path, *, actor: User | None = None) -> int:
    """Replace corpus `name` by the entries of folder `source`; returns how many were indexed."""
    if not NAME_RE.match(name):
        raise InvalidInput("a corpus name is lowercase letters, digits, dots, dashes, underscores")
    if not source.is_dir():
        raise InvalidInput(f"{source} is not a folder")
    index.drop_corpus(name)
    target = corpora_root() / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    count = 0
    for entry in sorted(source.iterdir()):
        if entry.is_symlink() or entry.name.startswith("."):
            continue
        kept = target / entry.name
        if entry.is_dir():
            shutil.copytree(entry, kept, symlinks=True)
            files = folder_files(kept)
        else:
            kept.mkdir()
            shutil.copyfile(entry, kept / entry.name)
            files = folder_files(kept)
        index.add_document("corpus", GLOBAL_SCOPE, fingerprints(files),
                           label=f"{name}/{entry.name}", corpus=name)
        count += 1
    audit.record("similarity.corpus_added", actor=actor, corpus=name, entries=count)
    return count


def listing() -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(SimilarityDocument.corpus, func.count()).where(SimilarityDocument.kind == "corpus")
        .group_by(SimilarityDocument.corpus).order_by(SimilarityDocument.corpus))
    return [(name or "", n) for name, n in rows]
