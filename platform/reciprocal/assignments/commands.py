"""`reciprocal assignments new`, `import` and `validate`: new assignment folders from a stack or a
folder, and the proof that each works in the runner containers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..config import setting
from . import stacks

NEW_HELP = """Scaffold assignments/SLUG/ from a stack: assignment.toml (a rubric with anchored
levels and test tags, [wrong]), starter/ with the candidate's README, solution/, hidden tests/,
wrong/, and environment/ where the stack has an image of its own. Each stack's one small task
validates as is: edit it, then run `reciprocal assignments validate SLUG`.

\b
Stacks (--stack NAME):
""" + "\n".join(f"  {name:<17} {summary}" for name, summary in stacks.STACKS.items())


@click.command("new", help=NEW_HELP)
@click.argument("slug")
@click.option("--stack", default=None, metavar="NAME",
              help="The stack to scaffold: " + ", ".join(stacks.STACKS) + ".")
@click.option("--language", default=None, type=click.Choice(sorted(stacks.LANGUAGES)),
              help="A built-in runner's stack by its language (python, javascript or node, "
                   "go): the same as --stack python, node or go.")
@click.option("--path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The assignments folder (default: RECIPROCAL_ASSIGNMENTS_DIR).")
def assignments_new(slug: str, stack: str | None, language: str | None,
                    path: Path | None) -> None:
    from .scaffold import ScaffoldError, scaffold, stack_of  # lazy: only this command loads it

    try:
        folder = scaffold(path or setting("RECIPROCAL_ASSIGNMENTS_DIR"), slug,
                          stack_of(stack, language))
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {folder}; edit it, then run `reciprocal assignments validate {slug}`")


@click.command("import")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--path", type=click.Path(file_okay=False, path_type=Path), default=None)
def assignments_import(source: Path, path: Path | None) -> None:
    """Import an assignment from a folder (a git repository's committed HEAD when it is one)."""
    from .scaffold import ScaffoldError, import_folder  # lazy: only this command loads it
    from .spec import AssignmentInvalid  # lazy: only this command loads it

    try:
        folder = import_folder(source, path or setting("RECIPROCAL_ASSIGNMENTS_DIR"))
    except (ScaffoldError, AssignmentInvalid) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"imported {folder.name} into {folder}; run `reciprocal assignments sync`")


@click.command("validate")
@click.option("--record", is_flag=True,
              help="Keep each valid result (its environment, the reference run's test ids) with "
                   "the synced version of the same content, in the database.")
@click.argument("slug", required=False)
@click.option("--path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The assignments folder (default: RECIPROCAL_ASSIGNMENTS_DIR).")
@click.option("--jobs", type=click.IntRange(1, 8), default=1, show_default=True,
              help="Assignments validated at the same time, each in its own containers.")
def assignments_validate(slug: str | None, path: Path | None, record: bool, jobs: int) -> None:
    """Prove assignments in the real runner containers: the solution passes every hidden test,
    the starter fails, the wrong solution fails the named tests, an environment builds, visible
    tests pass on the solution, cap <= 6 h, full rubric anchors,
    no network or wall clock in hidden tests. Exits non-zero on any failure."""
    from .validation import validate_all  # lazy: only this command loads it

    try:
        reports = validate_all(path or setting("RECIPROCAL_ASSIGNMENTS_DIR"), slug, jobs=jobs,
                               done=_echo_validated)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(format_table(reports))
    if record:
        _record_validations(path or setting("RECIPROCAL_ASSIGNMENTS_DIR"), reports)
    failed = [r.slug for r in reports if not r.ok]
    click.echo(f"\n{len(reports) - len(failed)} of {len(reports)} assignments valid"
               + (f"; failing: {', '.join(failed)}" if failed else ""))
    if failed or not reports:
        sys.exit(1)


def _record_validations(root: Path, reports: list[Any]) -> None:
    from ..app import create_app  # lazy: validation itself needs no database
    from ..core.errors import NotFound  # lazy: as above
    from ..extensions import db  # lazy: as above
    from .operations import record_validation  # lazy: as above

    with create_app().app_context():
        for report in (r for r in reports if r.ok):
            try:
                record_validation(root / report.slug, report.environment, report.ids)
            except NotFound as exc:
                click.echo(f"{report.slug}: not recorded: {exc}")
                continue
            click.echo(f"{report.slug}: recorded ({len(report.ids)} test ids)")
        db.session.commit()


def _echo_validated(report: Any) -> None:
    failed = [check.name for check in report.checks if not check.ok]
    click.echo(f"{report.slug}: " + (f"FAILED ({', '.join(failed)})" if failed else "valid"))


def format_table(reports: list[Any]) -> str:
    rows = [("assignment", "check", "result", "detail")]
    for report in reports:
        for check in report.checks:
            rows.append((report.slug, check.name, "ok" if check.ok else "FAIL", check.detail))
    widths = [min(max(len(row[i]) for row in rows), 44) for i in range(3)]
    lines = []
    for row in rows:
        cells = [row[i].ljust(widths[i])[: max(widths[i], 1)] for i in range(3)]
        lines.append("  ".join(cells) + "  " + row[3])
    lines.insert(1, "-" * min(sum(widths) + 40, 140))
    return "\n".join(lines)
