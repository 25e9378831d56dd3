"""The settings table: each variable read by its parser, derived defaults, a clear refusal of a
bad value naming the variable, and a loud one of a name nobody declared."""

from __future__ import annotations

from pathlib import Path

import pytest
from reciprocal.config import SETTINGS, SettingError, UnknownSetting, load_config, setting


def test_unset_and_empty_variables_take_the_default() -> None:
    assert setting("RECIPROCAL_MAX_PUSH_MB", {}) == 50 * 1024 * 1024
    assert setting("RECIPROCAL_GRADING_RETRY_SECONDS", {"RECIPROCAL_GRADING_RETRY_SECONDS": ""}) \
        == [5, 20, 60]
    assert setting("RECIPROCAL_METRICS_ALLOW_FROM", {}) == []
    assert setting("RECIPROCAL_REDIS_URL", {"RECIPROCAL_REDIS_URL": "  "}) is None
    assert setting("RECIPROCAL_BASE_URL", {"RECIPROCAL_BASE_URL": "https://h.example/"}) == \
        "https://h.example"


@pytest.mark.parametrize(("name", "raw", "expected"), [
    ("RECIPROCAL_SMTP_PORT", "twenty-five", "RECIPROCAL_SMTP_PORT must be a whole number from 1"),
    ("RECIPROCAL_SMTP_STARTTLS", "maybe", "RECIPROCAL_SMTP_STARTTLS must be true or false"),
    ("RECIPROCAL_GRADING_RETRY_SECONDS", "5,soon", "must be comma-separated whole numbers"),
    ("RECIPROCAL_METRICS_ALLOW_FROM", "10.0.0.1, scraper", "'scraper' is neither"),
    ("RECIPROCAL_RUNNER_POOL_SIZE", "17", "RECIPROCAL_RUNNER_POOL_SIZE must be a whole number "
                                         "from 0 to 16, got '17'"),
    ("RECIPROCAL_RUNNER_RUNTIME", "kata", "must be runsc, runsc-<variant> or runc, got 'kata'"),
    ("RECIPROCAL_LOG_FORMAT", "yaml", "RECIPROCAL_LOG_FORMAT must be text or json"),
    ("WEB_CONCURRENCY", "0", "WEB_CONCURRENCY must be a whole number of at least 1"),
])
def test_a_bad_value_is_refused_naming_the_variable(name: str, raw: str, expected: str) -> None:
    with pytest.raises(SettingError, match=expected.replace("(", r"\(")):
        setting(name, {name: raw})


def test_an_undeclared_name_fails_loudly() -> None:
    with pytest.raises(UnknownSetting, match="RECIPROCAL_MAX_PUSH_MEGABYTES is not a declared"):
        setting("RECIPROCAL_MAX_PUSH_MEGABYTES")


def test_every_default_reads_and_every_setting_is_documented_once() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    keys = [s.key for s in SETTINGS if s.key]
    assert len(keys) == len(set(keys))
    for item in SETTINGS:
        assert item.help.endswith((".", ")")), item.name
        if item.default:
            item.parse(item.default)


def test_derived_defaults_follow_the_settings_they_come_from(tmp_path: Path) -> None:
    env = {"RECIPROCAL_DATA_DIR": str(tmp_path), "RECIPROCAL_REDIS_URL": "unix:///run/r.sock",
           "RECIPROCAL_WORKER_TOKEN": "w", "RECIPROCAL_BASE_URL": "https://hire.example"}
    assert setting("RECIPROCAL_DATABASE_URL", env) == f"sqlite:///{tmp_path}/reciprocal.db"
    assert setting("RECIPROCAL_RATELIMIT_STORAGE_URL", env) == "redis+unix:///run/r.sock"
    assert setting("RECIPROCAL_SECURE_COOKIES", env) is True
    installation = setting("RECIPROCAL_INSTALLATION_ID", env)
    assert len(installation) == 16
    assert setting("RECIPROCAL_INSTALLATION_ID", {**env, "RECIPROCAL_WORKER_TOKEN": "v"}) \
        != installation
    assert setting("RECIPROCAL_SECURE_COOKIES", {**env, "RECIPROCAL_SECURE_COOKIES": "no"}) \
        is False


def test_the_flask_configuration_is_built_from_the_table(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for item in SETTINGS:
        monkeypatch.delenv(item.name, raising=False)
    monkeypatch.setenv("RECIPROCAL_MAX_BODY_KB", "64")
    monkeypatch.setenv("RECIPROCAL_SMTP_STARTTLS", "yes")
    config = load_config({"DATA_DIR": str(tmp_path / "data"), "BASE_URL": "https://h.example"})
    assert config["MAX_BODY_BYTES"] == config["MAX_CONTENT_LENGTH"] == 64 * 1024
    assert config["SMTP_STARTTLS"] is True
    assert config["DATA_DIR"] == (tmp_path / "data").resolve()
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'data' / 'reciprocal.db'}"
    assert config["SESSION_COOKIE_SECURE"] is config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SECRET_KEY"] == (tmp_path / "data" / "secret_key").read_text().strip()
    monkeypatch.setenv("RECIPROCAL_PROXY_FIX", "one")
    with pytest.raises(SettingError, match="RECIPROCAL_PROXY_FIX must be a whole number"):
        load_config({"DATA_DIR": str(tmp_path), "SECRET_KEY": "k"})
