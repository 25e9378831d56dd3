"""`reciprocal assignments new` and `import`: new folders that validate out of the box, made
from the stacks of assignments/stacks/ (one folder each, package data)."""

from __future__ import annotations

import io
import shutil
import tempfile
import tomllib
from pathlib import Path, PurePosixPath

from ..core.archives import ArchiveLimits, extract_tar
from ..git.command import run_git
from . import stacks
from .spec import SLUG_RE, load_spec

TEMPLATED = {".md", ".json", ".toml"}  # files whose {{slug}} and {{title}} are filled in
OVERLAID = ("solution", "wrong")  # each is the starter with its own files laid over it


class ScaffoldError(Exception):
    pass


def stack_of(stack: str | None = None, language: str | None = None) -> str:
    """The stack to scaffold: ``stack``, or the one of a built-in runner's ``language``."""
    if (stack is None) == (language is None):
        raise ScaffoldError("give either --stack NAME or --language; stacks: "
                            + ", ".join(stacks.STACKS))
    if language is not None:
        if language not in stacks.LANGUAGES:
            raise ScaffoldError(f"unknown language {language!r}; languages: "
                                f"{', '.join(stacks.LANGUAGES)} (other stacks: --stack NAME, "
                                f"one of {', '.join(stacks.STACKS)})")
        return stacks.LANGUAGES[language]
    if stack not in stacks.STACKS:
        known = "\n".join(f"  {name}: {summary}" for name, summary in stacks.STACKS.items())
        raise ScaffoldError(f"unknown stack {stack!r}; the stacks are:\n{known}")
    return stack


def scaffold(root: Path, slug: str, stack: str) -> Path:
    """Create ``root/<slug>/`` from ``stack`` (a name of stacks.STACKS, or a built-in runner's
    language) with one small task that validates out of the box."""
    if not SLUG_RE.match(slug):
        raise ScaffoldError(f"slug {slug!r} must be lowercase letters, digits and dashes")
    name = stacks.LANGUAGES.get(stack, stack)
    stack_of(stack=name)
    folder = root / slug
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists")
    template = stacks.folder(name)
    values = {"{{slug}}": slug, "{{title}}": slug.replace("-", " ").capitalize()}
    folder.mkdir(parents=True)
    for source, rel in _template_files(template):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix in TEMPLATED:
            text = source.read_text(encoding="utf-8")
            for key, value in values.items():
                text = text.replace(key, value)
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(source, target)
        target.chmod(0o755 if source.stat().st_mode & 0o100 else 0o644)
    return folder


def _template_files(template: Path) -> list[tuple[Path, PurePosixPath]]:
    """(source, path in the new assignment) of every file, solution/ and wrong/ overlaid on a
    copy of starter/."""
    found: dict[PurePosixPath, Path] = {}
    for source in sorted(template.rglob("*")):
        rel = PurePosixPath(source.relative_to(template).as_posix())
        if not source.is_file() or "__pycache__" in rel.parts:
            continue
        if rel.name == "gitignore":
            rel = rel.with_name(".gitignore")
        if rel.parts[0] == "starter":
            for part in OVERLAID:
                if (template / part).is_dir():
                    found.setdefault(PurePosixPath(part, *rel.parts[1:]), source)
        found[rel] = source
    return [(source, rel) for rel, source in sorted(found.items(), key=lambda i: str(i[0]))]


def import_folder(source: Path, root: Path) -> Path:
    """Import an assignment laid out like ours; from a git repository, its committed HEAD."""
    source = source.resolve()
    if not source.is_dir():
        raise ScaffoldError(f"{source} is not a folder")
    with tempfile.TemporaryDirectory(prefix="reciprocal-import-") as tmp:
        staging = Path(tmp) / "assignment"
        if (source / ".git").exists():
            tar = run_git(["archive", "--format=tar", "HEAD"], git_dir=source / ".git").stdout
            limits = ArchiveLimits(max_total_bytes=200 * 1024 * 1024)
            extract_tar(io.BytesIO(tar), staging, limits, allow_symlinks=False)
        else:
            shutil.copytree(source, staging, ignore=shutil.ignore_patterns(".git", "__pycache__",
                                                                           "node_modules"))
        named = Path(tmp) / _slug_from(staging)
        staging.rename(named)
        spec = load_spec(named)
        target = root / spec.slug
        if target.exists():
            raise ScaffoldError(f"assignment {spec.slug} already exists in {root}")
        shutil.copytree(named, target)
        return target


def _slug_from(folder: Path) -> str:

    try:
        data = tomllib.loads((folder / "assignment.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScaffoldError(f"assignment.toml cannot be read: {exc}") from None
    slug = str(data.get("slug", ""))
    if not SLUG_RE.match(slug):
        raise ScaffoldError(f"assignment.toml has no valid slug ({slug!r})")
    return slug
