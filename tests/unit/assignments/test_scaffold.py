"""`reciprocal assignments new`: every stack scaffolds a complete, loadable assignment; the
environments keep the shipped assignments' build lines (so Docker's layer cache is shared);
unknown stacks are named with the known ones. Validation in the runner containers is in
tests/integration/assignments/test_validator.py."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from reciprocal.assignments import stacks
from reciprocal.assignments.scaffold import ScaffoldError, scaffold, stack_of
from reciprocal.assignments.spec import load_spec
from reciprocal.cli import main

from tests.support.paths import ASSIGNMENTS

# stack -> the shipped assignment whose environment it shares
SHARED_ENVIRONMENTS = {"fastapi-postgres": "room-bookings", "react-browser": "delivery-slots"}
NO_NETWORK = ("install", "network")  # what every starter README must tell the candidate


@pytest.mark.parametrize("stack", list(stacks.STACKS))
def test_every_stack_scaffolds_a_complete_assignment(tmp_path: Path, stack: str) -> None:
    folder = scaffold(tmp_path, f"new-{stack}", stack)
    spec = load_spec(folder)
    assert spec.slug == f"new-{stack}" and spec.title == f"New {stack.replace('-', ' ')}"
    assert spec.time_cap_minutes <= 360
    assert spec.rubric and all(all(c.levels.values()) for c in spec.rubric)
    assert any(c.tests for c in spec.rubric), "the rubric names the hidden tests it rests on"
    assert spec.plan.wrong_fails, "[wrong] fails names the tests the wrong solution fails"
    for part in ("starter", "solution", "tests", "wrong"):
        assert any((folder / part).rglob("*")), part
    readme = (folder / "starter" / "README.md").read_text()
    assert "{{" not in readme and spec.title in readme
    assert all(word in readme.lower() for word in NO_NETWORK), readme
    assert (folder / "environment" / "Dockerfile").is_file() == spec.plan.environment
    # solution/ and wrong/ are whole trees: the starter with their own files laid over it
    starter = {p.relative_to(folder / "starter") for p in (folder / "starter").rglob("*")}
    for part in ("solution", "wrong"):
        assert starter <= {p.relative_to(folder / part) for p in (folder / part).rglob("*")}


def test_the_environments_share_the_shipped_assignments_layers(tmp_path: Path) -> None:
    for stack, shipped in SHARED_ENVIRONMENTS.items():
        ours = scaffold(tmp_path, f"env-{stack}", stack) / "environment"
        theirs = ASSIGNMENTS / shipped / "environment"
        assert _instructions(ours / "Dockerfile") == _instructions(theirs / "Dockerfile"), stack
        for name in {p.name for p in theirs.iterdir()} - {"Dockerfile"}:
            assert (ours / name).read_bytes() == (theirs / name).read_bytes(), (stack, name)


def _instructions(dockerfile: Path) -> list[str]:
    return [line for line in dockerfile.read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def test_starter_pins_match_the_environment(tmp_path: Path) -> None:
    react = scaffold(tmp_path, "pins-react", "react-browser")
    pinned = json.loads((react / "starter" / "package.json").read_text())
    installed = json.loads((react / "environment" / "package.json").read_text())["dependencies"]
    for name, version in {**pinned["dependencies"], **pinned["devDependencies"]}.items():
        assert installed[name] == version, name
    fastapi = scaffold(tmp_path, "pins-fastapi", "fastapi-postgres")
    wanted = {line for line in (fastapi / "starter" / "requirements.txt").read_text().split()
              if "==" in line}
    assert wanted == {line for line in (fastapi / "environment" / "requirements.txt")
                      .read_text().split() if "==" in line}


def test_dotfiles_modes_and_placeholders(tmp_path: Path) -> None:
    folder = scaffold(tmp_path, "shell-task", "command")
    assert (folder / "starter" / ".gitignore").is_file()
    assert not (folder / "starter" / "gitignore").exists()
    for part in ("starter", "solution", "wrong"):
        mode = (folder / part / "bin" / "slugify").stat().st_mode
        assert mode & stat.S_IXUSR, part
    react = scaffold(tmp_path, "page-task", "react-browser")
    assert json.loads((react / "starter" / "package.json").read_text())["name"] == "page-task"
    leftovers = [p for p in folder.rglob("*") if p.is_file() and "{{" in p.read_text()]
    assert not leftovers


def test_languages_map_onto_their_stacks() -> None:
    assert stack_of(language="python") == "python"
    assert stack_of(language="javascript") == stack_of(language="node") == "node"
    assert stack_of(stack="react-browser") == "react-browser"
    with pytest.raises(ScaffoldError, match="either --stack NAME or --language"):
        stack_of()
    with pytest.raises(ScaffoldError, match="either --stack NAME or --language"):
        stack_of(stack="go", language="go")


def test_an_unknown_stack_names_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError) as raised:
        scaffold(tmp_path, "rusty", "rust")
    assert "unknown stack 'rust'" in str(raised.value)
    assert all(name in str(raised.value) for name in stacks.STACKS)
    assert not (tmp_path / "rusty").exists()


def test_cli_new_with_a_stack_and_its_help(tmp_path: Path) -> None:
    env = {"RECIPROCAL_DATA_DIR": os.environ.get("RECIPROCAL_DATA_DIR", str(tmp_path))}
    made = CliRunner().invoke(main, ["assignments", "new", "bookings-api", "--stack",
                                     "fastapi-postgres", "--path", str(tmp_path)], env=env)
    assert made.exit_code == 0, made.output
    assert (tmp_path / "bookings-api" / "environment" / "Dockerfile").is_file()
    unknown = CliRunner().invoke(main, ["assignments", "new", "x-task", "--stack", "cobol",
                                        "--path", str(tmp_path)], env=env)
    assert unknown.exit_code != 0
    assert "unknown stack 'cobol'" in unknown.output and "react-browser" in unknown.output
    helped = CliRunner().invoke(main, ["assignments", "new", "--help"], env=env)
    group = CliRunner().invoke(main, ["assignments", "--help"], env=env)
    for name in stacks.STACKS:
        assert name in helped.output and name in group.output, name
