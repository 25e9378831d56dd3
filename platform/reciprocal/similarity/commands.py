"""`reciprocal similarity corpus add|list|remove`: the named corpora every new submission is
compared with (for example known public solutions of an assignment)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..core.errors import ReciprocalError
from ..extensions import db
from ..similarity import corpus, index


@click.group()
def similarity() -> None:
    """Similarity between submissions: the corpora they are compared with."""


@similarity.group("corpus")
def corpus_group() -> None:
    """Named corpora of known code."""


@corpus_group.command("add")
@click.argument("name")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def corpus_add(name: str, path: Path) -> None:
    """Index the folder PATH as corpus NAME (replacing a corpus of that name). Each entry of
    the folder, a sub-folder or a file, is one document; its files are kept in the data
    directory to show matches side by side."""
    try:
        count = corpus.add(name, path)
    except ReciprocalError as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"corpus {name}: {count} document(s) indexed")


@corpus_group.command("list")
@with_appcontext
def corpus_list() -> None:
    """Every corpus and how many documents it holds."""
    for name, count in corpus.listing():
        click.echo(f"{name}\t{count}")


@corpus_group.command("remove")
@click.argument("name")
@with_appcontext
def corpus_remove(name: str) -> None:
    """Remove corpus NAME and its matches."""
    removed = index.drop_corpus(name)
    db.session.commit()
    click.echo(f"corpus {name}: {removed} document(s) removed")
