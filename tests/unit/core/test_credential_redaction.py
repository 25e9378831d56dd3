"""No credential in a message that people or logs read. One masking function (core.redaction), git's
errors built on it, and git configuration carried by the environment."""

from __future__ import annotations

import secrets

from reciprocal.core.redaction import MASK, redact_credentials
from reciprocal.git.command import GitCommandError, config_env
from reciprocal.observability import redact_tokens


def test_bearer_and_authorization_values_are_masked() -> None:
    token = secrets.token_urlsafe(32)
    for text in (
        f"git -c http.extraHeader=Authorization: Bearer {token} fetch failed",
        f"Authorization: bearer {token}",
        f"headers={{'Authorization': 'Bearer {token}'}}",
        f"Authorization={token}",
        f"Authorization: Basic {token}",
        f"https://worker:{token}@hiring.example.com/git/worker/1.git",
    ):
        masked = redact_credentials(text)
        assert token not in masked and MASK in masked, text


def test_a_known_secret_is_masked_wherever_it_stands() -> None:
    token = secrets.token_urlsafe(32)
    assert redact_credentials(f"the token is {token}.", token) == f"the token is {MASK}."
    assert redact_credentials("nothing secret here", "") == "nothing secret here"


def test_plain_words_are_left_alone() -> None:
    for text in ("git fetch failed (128): fatal: repository not found",
                 "the bearer of bad news", "Authorization", "http://127.0.0.1:8000/healthz"):
        assert redact_credentials(text) == text


def test_log_lines_lose_bearer_values_too() -> None:
    token = secrets.token_urlsafe(32)
    assert token not in redact_tokens(f"could not fetch: Authorization: Bearer {token}")


def test_a_git_error_never_repeats_a_credential_it_was_given() -> None:
    token = secrets.token_urlsafe(32)
    header = f"http.extraHeader=Authorization: Bearer {token}"
    error = GitCommandError(["-c", header, "fetch", "--", "http://x/y.git"], 128,
                            f"fatal: unable to access (header {header})")
    assert str(error).startswith("git fetch failed (128): fatal: unable to access")
    assert token not in str(error) and token not in error.stderr


def test_configuration_goes_into_the_environment_in_order() -> None:
    env = config_env([("http.extraHeader", "A: 1"), ("http.extraHeader", "B: 2")])
    assert env == {"GIT_CONFIG_COUNT": "2",
                   "GIT_CONFIG_KEY_0": "http.extraHeader", "GIT_CONFIG_VALUE_0": "A: 1",
                   "GIT_CONFIG_KEY_1": "http.extraHeader", "GIT_CONFIG_VALUE_1": "B: 2"}
