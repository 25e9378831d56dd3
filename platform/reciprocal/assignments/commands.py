"""`reciprocal assignments new` and `import`: new assignment folders from a stack or a folder."""

from __future__ import annotations

from pathlib import Path

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
