"""`reciprocal assignments rescore`: re-run submissions of earlier versions on fixed tests."""

from __future__ import annotations

from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..core.errors import ReciprocalError
from ..extensions import db


def echo_offers() -> None:
    """After a sync: each assignment whose hidden tests changed under graded submissions."""
    from . import rescore as service  # lazy: only the sync and rescore commands load it

    for offer in service.offers():
        click.echo(f"{offer['slug']}: the hidden tests changed; {offer['submissions']} graded "
                   f"submission(s) of earlier versions can be re-scored: {offer['command']}")


def _echo_batch(data: dict[str, Any]) -> None:
    click.echo(f"re-score {data['id']} of {data['assignment']}: {data['state']}")
    for item in data["submissions"]:
        if not item["finished"]:
            click.echo(f"  submission {item['submission_id']}: preview run still grading")
            continue
        change = "changes" if item["changed"] else "stays the same"
        click.echo(f"  submission {item['submission_id']}: {change} "
                   f"({item['status_before']} -> {item['status_after']})")
        for test in item["tests"]:
            click.echo(f"    {test['test']}: {test['before']} -> {test['after']}")


@click.command("rescore")
@click.argument("slug")
@click.option("--preview", is_flag=True, help="Start a preview: re-run on the current tests.")
@click.option("--confirm", is_flag=True, help="Make the finished preview the current results.")
@click.option("--as", "email", default=None, help="The admin recorded in the audit log.")
@with_appcontext
def rescore(slug: str, preview: bool, confirm: bool, email: str | None) -> None:
    """Re-score SLUG's submissions of earlier versions on its fixed hidden tests. Without a
    flag, show the latest re-score and whose results would change."""
    from ..assignments import operations as assignments  # lazy: only this command loads it
    from ..models import Rescore, User  # lazy: only this command loads it
    from . import rescore as service  # lazy: only this command loads it

    actor = db.session.scalar(select(User).where(User.email == email)) if email else None
    try:
        assignment = assignments.get_by_slug(slug)
        if preview:
            batch = service.start_preview(assignment, actor=actor)
            db.session.commit()
            click.echo(f"re-score {batch.id}: {len(batch.runs)} preview run(s) queued; see it with "
                       f"`reciprocal assignments rescore {slug}`")
            return
        batch = db.session.scalar(select(Rescore).where(Rescore.assignment_id == assignment.id)
                                  .order_by(Rescore.id.desc()))
        if batch is None:
            raise click.ClickException(f"no re-score of {slug} yet; start one with --preview")
        if confirm:
            if actor is None or not actor.has_role("admin"):
                raise click.ClickException("--confirm needs --as ADMIN_EMAIL")
            service.confirm(batch, actor=actor)
            db.session.commit()
        _echo_batch(service.serialise(batch))
    except ReciprocalError as exc:
        raise click.ClickException(exc.message) from None
