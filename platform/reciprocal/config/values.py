"""What a setting is, and how its text becomes a value.

A parser takes the variable's text (never empty: an empty variable counts as unset) and returns
the value, or raises ValueError saying what it expected; `settings.value_of` adds the
variable's name and the text it was given, so every bad value is refused with a message an
operator can act on.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Parser = Callable[[str], Any]
# Reads another setting's value by its variable's name (following load_config's overrides).
Getter = Callable[[str], Any]
# A default worked out from other settings when the variable is unset.
Derive = Callable[[Getter], Any]


class SettingError(ValueError):
    """A setting's variable holds a value its parser refuses, or the name is not declared."""


@dataclass(frozen=True)
class Setting:
    """One environment variable: its default, how it is read, and what it means.

    `default` is the variable's text used when it is unset or empty (parsed like the variable
    itself, and shown as it is in docs/production.md); None means unset. `derive` works the
    default out instead, and `shown` says in the docs what it comes to. `key` is the Flask
    configuration key the value is kept under (None: no process with an app reads it), and
    `read_by` who reads it, for the docs.
    """

    name: str
    default: str | None
    parse: Parser
    help: str
    key: str | None = None
    read_by: str = "platform"
    derive: Derive | None = None
    shown: str | None = None

    @property
    def documented_default(self) -> str:
        if self.shown is not None:
            return self.shown
        if self.default is None:
            return "(unset)"
        return f"`{self.default}`" if self.default else "(empty)"


def text(raw: str) -> str:
    return raw.strip()


def url(raw: str) -> str:
    """A URL, without the trailing slash (paths are appended to it)."""
    return raw.strip().rstrip("/")


def path(raw: str) -> Path:
    return Path(raw.strip())


def resolved_path(raw: str) -> Path:
    return Path(raw.strip()).resolve()


def integer(low: int | None = None, high: int | None = None) -> Parser:
    """A whole number, within [low, high] when they are given."""
    if low is not None and high is not None:
        expected = f"a whole number from {low} to {high}"
    elif low is not None:
        expected = f"a whole number of at least {low}"
    else:
        expected = "a whole number"

    def parse(raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise ValueError(expected) from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(expected)
        return value

    return parse


def scaled(unit: int, low: int = 0) -> Parser:
    """A whole number of units (MB, KB) read as bytes."""
    whole = integer(low)
    return lambda raw: whole(raw) * unit


def integers(raw: str) -> list[int]:
    """Comma-separated whole numbers of at least 0."""
    try:
        values = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise ValueError("comma-separated whole numbers") from None
    if any(value < 0 for value in values):
        raise ValueError("comma-separated whole numbers of at least 0")
    return values


def names(raw: str) -> list[str]:
    """Comma-separated items, stripped, the empty ones dropped."""
    return [part.strip() for part in raw.split(",") if part.strip()]


def networks(raw: str) -> list[str]:
    """Comma-separated IP addresses or networks (CIDR), each checked."""
    items = names(raw)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(f"IP addresses or networks ({item!r} is neither)") from None
    return items


TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def flag(raw: str) -> bool:
    value = raw.strip().lower()
    if value in TRUE | FALSE:
        return value in TRUE
    raise ValueError("true or false (1/0, yes/no, on/off)")


def choice(*allowed: str) -> Parser:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise ValueError(" or ".join(allowed))
        return value

    return parse
