"""The `reciprocal` console script."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click
from flask.cli import FlaskGroup, with_appcontext

from . import create_app
from .accounts.commands import scim, tokens, users
from .assignments.commands import assignments_import, assignments_new, assignments_validate
from .config import setting
from .extensions import db
from .grading.commands import echo_offers, rescore
from .integrations.greenhouse.commands import integrations
from .similarity.commands import similarity


def _app_factory() -> Any:
    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_app_factory,
    add_version_option=False,
    add_default_commands=False,
    load_dotenv=False,
)
@click.version_option(package_name="reciprocal")
def main() -> None:
    """Reciprocal: take-home assignments, graded in locked-down containers, reviewed like pull
    requests, with an answer for every candidate.

    Settings come from RECIPROCAL_* environment variables (docs/production.md lists them).
    """


# users and tokens -------------------------------------------------------------------------


@main.group("db")
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.option("--revision", default="heads")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    from flask_migrate import upgrade  # lazy: only this command loads it

    upgrade(revision=revision)
    click.echo("database is up to date")


@db_group.command("check", with_appcontext=False)
@click.option("--database-url", default=None,
              help="An empty database to upgrade and compare (default: a fresh SQLite file).")
def db_check(database_url: str | None) -> None:
    """Fail when the models and the migrations disagree: a fresh database is upgraded to the
    newest revision and compared with the models (Alembic's autogenerate comparison); every
    difference is listed. Passing means no migration is missing."""
    from .schema import SchemaCheckError, differences_from_migrations  # lazy: this command only

    try:
        found = differences_from_migrations(database_url)
    except SchemaCheckError as exc:
        raise click.ClickException(str(exc)) from None
    if found:
        click.echo("The models and the migrations disagree (write a migration):", err=True)
        for line in found:
            click.echo(f"  {line}", err=True)
        sys.exit(1)
    click.echo("The models and the migrations agree.")


# assignments ------------------------------------------------------------------------------


@main.group()
def assignments() -> None:
    """The assignment library: sync, validate, publish, new (scaffold one from a stack:
    python, node, go, fastapi-postgres, react-browser, command), import, rescore."""


@assignments.command("sync")
@click.argument("slugs", nargs=-1)
@click.option("--path", type=click.Path(file_okay=False, path_type=Path), default=None)
@with_appcontext
def assignments_sync(slugs: tuple[str, ...], path: Path | None) -> None:
    """Load every assignments/<slug>/ folder (or only the SLUGS named); invalid ones are reported
    and skipped."""
    from .assignments import operations as service  # lazy: only this command loads it

    report = service.sync_all(path, only=slugs or None)
    db.session.commit()
    click.echo(f"added: {', '.join(report.added) or '-'}")
    click.echo(f"updated: {', '.join(report.updated) or '-'}")
    click.echo(f"unchanged: {', '.join(report.unchanged) or '-'}")
    if report.managed_in_git:
        click.echo(f"published from their hosted repositories, folders left alone: "
                   f"{', '.join(report.managed_in_git)}")
    for slug, problems in report.invalid.items():
        click.echo(f"INVALID {slug}:", err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)
    echo_offers()
    if not report.ok:
        sys.exit(1)



assignments.add_command(rescore)


@assignments.command("publish")
@click.argument("slug")
@click.option("--commit", default=None, metavar="SHA",
              help="The validated commit to publish (default: the newest validated commit of "
                   "any branch that builds on the live version).")
@with_appcontext
def assignments_publish(slug: str, commit: str | None) -> None:
    """Make a validated commit of SLUG's hosted repository the live version. Invitations
    already sent keep the version they were given; the publication is audited."""
    from .assignments import authoring  # lazy: only this command loads it
    from .core.errors import ReciprocalError  # lazy: as above

    try:
        publication = authoring.publish(slug, commit, by=None)
        db.session.commit()
    except ReciprocalError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"published {slug} at {publication.commit_sha[:12]} (version "
               f"{publication.version.content_hash[:12]})")


assignments.add_command(assignments_new)
assignments.add_command(assignments_import)
assignments.add_command(assignments_validate)

# demo -------------------------------------------------------------------------------------


@main.command()
@with_appcontext
def demo() -> None:
    """Load demo accounts, a role and invitations (idempotent)."""
    from . import demo as demo_service  # lazy: only this command loads it

    report = demo_service.load_demo()
    db.session.commit()
    _print_demo(report)


def _print_demo(report: Any) -> None:
    from .demo import DEMO_PASSWORD  # lazy: only this command loads it

    click.echo(f"Demo staff logins (password: {DEMO_PASSWORD}):")
    for email, role in report.users:
        click.echo(f"  {role:<10} {email}")
    click.echo("Demo candidate pages:")
    for name, portal, _git in report.links:
        click.echo(f"  {name}: {portal}")


# runners ----------------------------------------------------------------------------------


@main.group()
def runners() -> None:
    """Runner images that execute tests in locked-down containers."""


@runners.command("build", with_appcontext=False)
@click.option("--language", "languages", multiple=True, help="Only these (default: all).")
@click.option("--environments/--no-environments", default=True, show_default=True,
              help="Also the environments of the assignments folder's assignments.")
@click.option("--path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The assignments folder (default: RECIPROCAL_ASSIGNMENTS_DIR).")
def runners_build(languages: tuple[str, ...], environments: bool, path: Path | None) -> None:
    """Build the base image (debootstrap), the runner images and the assignments' environment
    images; each is cached by a hash of everything its build reads."""
    from .runner import RunnerBuildError, RunnerUnavailable, build_images  # lazy: only here

    try:
        tags = build_images(languages or None, progress=lambda line: click.echo(line))
        for language, tag in tags.items():
            click.echo(f"{language}: {tag}")
        if not environments or languages:
            return
        from .assignments.environments import build_all  # lazy: only this command loads it

        for slug, tag in build_all(path or setting("RECIPROCAL_ASSIGNMENTS_DIR"),
                                   progress=lambda line: click.echo(line)).items():
            click.echo(f"{slug}: {tag}")
    except (RunnerBuildError, RunnerUnavailable) as exc:
        raise click.ClickException(str(exc)) from None


@runners.command("prune", with_appcontext=False)
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
@click.option("--path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The assignments folder (default: RECIPROCAL_ASSIGNMENTS_DIR).")
def runners_prune(dry_run: bool, path: Path | None) -> None:
    """Remove runner and environment images of earlier code (a changed harness or environment
    builds under a new tag and leaves the old image behind). Keeps the current sources' images,
    the newest image of an environment not in the assignments folder, and any image a container
    uses."""
    from .assignments.environments import with_environments  # lazy: only this command
    from .runner import RunnerUnavailable  # lazy: only this command loads the runner
    from .runner.pruning import prune_images  # lazy: only this command loads it

    try:
        report = prune_images(with_environments(path or setting("RECIPROCAL_ASSIGNMENTS_DIR")),
                              dry_run=dry_run, progress=lambda line: click.echo(line))
    except RunnerUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    gib = 1024 ** 3
    if dry_run:
        click.echo(f"would remove {len(report.removed)} image names; nothing was removed")
    else:
        click.echo(f"removed {len(report.removed)} image names; the engine's images took "
                   f"{report.bytes_before / gib:.1f} GiB and now take "
                   f"{report.bytes_after / gib:.1f} GiB")


# worker -----------------------------------------------------------------------------------


@main.command(with_appcontext=False)
@click.option(
    "--queues",
    "queue_names",
    default="grading,mail,webhooks,maintenance,similarity",
    show_default=True,
    help="Comma-separated queue names, in priority order.",
)
@click.option("--name", default=None, help="Worker name (default: host and pid).")
@click.option("--name-prefix", default=None, help="Worker name: this prefix, then the pid.")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker(queue_names: str, name: str | None, name_prefix: str | None, burst: bool) -> None:
    """Run an RQ worker. Grading needs only RECIPROCAL_BASE_URL, RECIPROCAL_WORKER_TOKEN,
    RECIPROCAL_REDIS_URL and a Docker engine: no database, no data directory."""
    from .worker import run_worker  # lazy: only this command loads it

    if name is None and name_prefix:
        name = f"{name_prefix}-{os.getpid()}"
    run_worker(queue_names.split(","), name=name, burst=burst)


# serve ------------------------------------------------------------------------------------


@main.command(with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    "rq_workers",
    default=1,
    show_default=True,
    help="RQ workers to start beside the web process (0: none).",
)
@click.option("--web-workers", default=2, show_default=True, help="gunicorn worker processes.")
@click.option("--maintenance-every", default=10, show_default=True,
              help="Seconds between maintenance rounds.")
def serve(host: str, port: int, rq_workers: int, web_workers: int,
          maintenance_every: int) -> None:
    """Serve the platform: a supervisor that starts a private Redis (when RECIPROCAL_REDIS_URL
    is unset), gunicorn, RQ workers and the maintenance process as children, and restarts any
    that dies. SIGTERM or Ctrl-C stops them all (web first, Redis last)."""
    from .serve import serve_tree  # lazy: the supervisor process must not import the app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s [serve] %(message)s")
    try:
        sys.exit(serve_tree(host, port, rq_workers=rq_workers, web_workers=web_workers,
                            maintenance_every=maintenance_every, echo=click.echo))
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None


@main.command("maintenance")
@click.option("--every", default=30, show_default=True, help="Seconds between rounds.")
@click.option("--once", is_flag=True, help="One round, then exit.")
@with_appcontext
def maintenance_command(every: int, once: bool) -> None:
    """Platform-side periodic work: re-enqueue gradings, messages and webhook deliveries that no
    live job holds, and the retention purge. SIGUSR1 runs a round at once (`serve` sends it
    after restarting Redis or a worker); SIGTERM stops after the current round. `serve` runs
    one itself; a deployment that runs gunicorn directly runs exactly one of these."""
    from . import maintenance  # lazy: only this command loads it

    logging.basicConfig(level=logging.INFO, format="%(asctime)s [maintenance] %(message)s")
    wake = threading.Event()
    stopping: list[bool] = []

    def on_term(*_: Any) -> None:
        stopping.append(True)
        wake.set()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGUSR1, lambda *_: wake.set())
    while True:
        maintenance.run_periodic()
        if once or stopping:
            return
        wake.wait(every)
        wake.clear()
        if stopping:
            return


# outcomes: service levels and retention ---------------------------------------------------


@main.group()
def sla() -> None:
    """Response-time promises to candidates."""


@sla.command("report")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@with_appcontext
def sla_report(as_json: bool) -> None:
    """List submissions waiting for review or decision past the role's promised answer date;
    exits 1 when there are any."""
    import json  # lazy: only this command loads it

    from .outcomes import queries as outcome_queries  # lazy: only this command loads it

    rows = outcome_queries.sla_report()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    elif not rows:
        click.echo("Every candidate is within the promised response time.")
    for row in [] if as_json else rows:
        click.echo(
            f"submission {row['submission_id']}  {row['candidate']} ({row['candidate_code']})  "
            f"{row['role']}  stage: {row['stage']}  promised by {row['answer_by'][:10]}  "
            f"{row['business_days_late']} business day(s) late"
        )
    if rows:
        sys.exit(1)


@main.group()
def retention() -> None:
    """Keeping candidates' code only as long as the terms say."""


@retention.command("purge")
@with_appcontext
def retention_purge() -> None:
    """Delete the code of decided candidates older than RECIPROCAL_RETENTION_DAYS, except
    those who asked us to keep it on file."""
    from .candidates import rights as candidate_rights  # lazy: only this command loads it

    purged = candidate_rights.retention_purge()
    db.session.commit()
    click.echo(f"purged the code of {len(purged)} candidate(s)" + (f": {purged}" if purged else ""))


main.add_command(users)
main.add_command(tokens)
main.add_command(scim)
main.add_command(integrations)
main.add_command(similarity)

if __name__ == "__main__":
    main()
