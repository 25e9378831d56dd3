"""The `reciprocal` console script's staff commands."""

from __future__ import annotations

import pytest
from reciprocal.accounts import operations as users
from reciprocal.assignments.operations import list_assignments
from reciprocal.cli import main


def test_users_create_reads_the_password_from_stdin(app, runner) -> None:
    result = runner.invoke(main, ["users", "create", "--email", "Ada@Example.com", "--role",
                                  "admin"], input="a-long-password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = users.get_by_email("ada@example.com")
        assert users.authenticate("ada@example.com", "a-long-password") is not None
        assert "a-long-password" not in user.password_hash
        assert user.password_hash.startswith("$argon2id$")


def test_users_create_refuses_a_short_password(runner) -> None:
    result = runner.invoke(main, ["users", "create", "--email", "a@example.com", "--role",
                                  "admin"], input="short\n")
    assert result.exit_code != 0 and "at least 10 characters" in result.output


def test_tokens_create_prints_a_working_token(app, runner, client) -> None:
    runner.invoke(main, ["users", "create", "--email", "r@example.com", "--role", "recruiter"],
                  input="a-long-password\n")
    result = runner.invoke(main, ["tokens", "create", "--email", "r@example.com"])
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("rcp_")
    response = client.get("/api/v1/roles", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.postgres  # sync finds what it wrote before
def test_assignments_sync_and_demo_are_idempotent(app, runner) -> None:
    first = runner.invoke(main, ["assignments", "sync"])
    assert "customer-directory" in first.output
    second = runner.invoke(main, ["assignments", "sync"])
    assert "unchanged: " in second.output and "customer-directory" in second.output
    demo = runner.invoke(main, ["demo"])
    assert demo.exit_code == 0, demo.output
    assert "admin@example.com" in demo.output and "/c/" in demo.output
    assert runner.invoke(main, ["demo"]).exit_code == 0


def test_assignments_sync_of_named_slugs_loads_only_those(app, runner) -> None:
    some = runner.invoke(main, ["assignments", "sync", "log-digest", "invoice-bugfix"])
    assert some.exit_code == 0, some.output
    assert "added: invoice-bugfix, log-digest" in some.output
    with app.app_context():
        assert {a.slug for a in list_assignments()} == {"invoice-bugfix", "log-digest"}
    unknown = runner.invoke(main, ["assignments", "sync", "log-digest", "no-such-task"])
    assert unknown.exit_code == 1
    assert "unchanged: log-digest" in unknown.output
    assert "INVALID no-such-task" in unknown.output and "no folder no-such-task/" in unknown.output


@pytest.mark.parametrize("command", [["runners", "build", "--no-environments"],
                                     ["runners", "prune"]])
def test_runner_commands_say_plainly_when_the_engine_is_unreachable(
    runner, tmp_path, monkeypatch, command
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    result = runner.invoke(main, command)
    assert result.exit_code == 1
    assert "Error: the Docker engine is not reachable" in result.output
    assert "Traceback" not in result.output
