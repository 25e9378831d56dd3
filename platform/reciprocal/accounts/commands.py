"""`reciprocal users` and `reciprocal tokens`: staff accounts and API tokens from the shell."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..core.errors import ReciprocalError
from ..extensions import db


@click.group()
def users() -> None:
    """Staff accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["admin", "recruiter", "reviewer"]), required=True)
@click.option("--name", default="")
@with_appcontext
def users_create(email: str, role: str, name: str) -> None:
    """Create a staff account; the password is read from standard input."""
    from . import operations as user_service  # lazy: only this command loads it

    password = click.get_text_stream("stdin").readline().rstrip("\n")
    try:
        user = user_service.create_user(email, role, password, name=name)
    except ReciprocalError as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")


@users.command("reset-two-factor")
@click.option("--email", required=True)
@with_appcontext
def users_reset_two_factor(email: str) -> None:
    """Turn off an account's authenticator and recovery codes (it enrols again at its next
    sign-in) and end its sessions: for an admin who lost theirs. Audited."""
    from . import operations as user_service  # lazy: only this command loads it
    from . import two_factor  # lazy: only this command loads it

    try:
        user = user_service.get_by_email(email)
    except ReciprocalError as exc:
        raise click.ClickException(exc.message) from None
    two_factor.reset(user, actor=None)
    db.session.commit()
    click.echo(f"two-factor reset for {user.email}")


@click.group()
def tokens() -> None:
    """API tokens for scripts and applicant tracking systems."""


@tokens.command("create")
@click.option("--email", required=True, help="The staff account the token acts as.")
@click.option("--name", default="", help="A label, e.g. the integration's name.")
@click.option("--days", type=int, default=None,
              help="Lifetime in days (default RECIPROCAL_API_TOKEN_DAYS, 90; 0: no expiry).")
@with_appcontext
def tokens_create(email: str, name: str, days: int | None) -> None:
    """Print a new API token (shown once; only its hash is stored). It expires after --days."""
    from . import api_tokens  # lazy: only this command loads it
    from . import operations as user_service  # lazy: as above

    try:
        _token, plain = api_tokens.create(user_service.get_by_email(email), name, days=days)
    except ReciprocalError as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(plain)  # alone on stdout, for scripts; `tokens list` shows its expiry


@tokens.command("list")
@with_appcontext
def tokens_list() -> None:
    """Every API token: id, user, name, state, created, last used, expiry."""
    from ..models import utcnow  # lazy: only this command loads it
    from . import api_tokens  # lazy: as above

    now = utcnow()
    rows = [("ID", "USER", "NAME", "STATE", "CREATED", "LAST USED", "EXPIRES")]
    for t in api_tokens.all_tokens():
        rows.append((str(t.id), t.user.email, t.name or "-", t.state(now),
                     f"{t.created_at:%Y-%m-%d}",
                     f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never",
                     f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never"))
    if len(rows) == 1:
        click.echo("no API tokens yet: reciprocal tokens create --email ...")
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


@tokens.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def tokens_revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID at once (see `reciprocal tokens list`)."""
    from . import api_tokens  # lazy: only this command loads it

    try:
        token = api_tokens.get(token_id)
    except ReciprocalError as exc:
        raise click.ClickException(exc.message) from None
    changed = api_tokens.revoke(token)
    db.session.commit()
    click.echo(f"token {token_id} revoked" if changed else f"token {token_id} was already revoked")


# database ---------------------------------------------------------------------------------


@click.group()
def scim() -> None:
    """SCIM 2.0 provisioning from an identity provider (Okta, Entra ID) under /scim/v2."""


@scim.command("token")
@click.option("--revoke", is_flag=True, help="Revoke every SCIM token (switch provisioning off).")
@with_appcontext
def scim_token(revoke: bool) -> None:
    """Print a new SCIM bearer token (shown once; only its hash is stored). Any earlier token
    stops working at once."""
    from . import scim_tokens  # lazy: only this command loads it

    if revoke:
        count = scim_tokens.revoke_all()
        db.session.commit()
        click.echo(f"revoked {count} SCIM token(s)", err=True)
        return
    plain = scim_tokens.rotate()
    db.session.commit()
    click.echo(plain)
