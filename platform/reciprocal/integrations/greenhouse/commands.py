"""`reciprocal integrations greenhouse key`: the org-level key Greenhouse calls us with."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ...extensions import db
from . import keys


@click.group()
def integrations() -> None:
    """Applicant tracking systems that call Reciprocal as an assessment partner."""


@integrations.group()
def greenhouse() -> None:
    """Greenhouse's Assessment Partner API (docs/integrations.md)."""


@greenhouse.command("key")
@click.option("--revoke-others", is_flag=True,
              help="Revoke every earlier key, so that only the new one works.")
@with_appcontext
def key(revoke_others: bool) -> None:
    """Make an API key for Greenhouse and print it (once: only its hash is kept). Give it to
    Greenhouse as the Reciprocal partner's API key; it authenticates every call."""
    _row, plain = keys.create(revoke_others=revoke_others)
    db.session.commit()
    click.echo(plain)
    click.echo("Give this key to Greenhouse; it is shown only once.", err=True)
