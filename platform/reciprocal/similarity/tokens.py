"""The token every tokenizer emits (the tree-sitter walk and the Pygments fallback)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Token:
    text: str
    line: int
    unit: str = ""  # the enclosing function or method, when the tokenizer knows it
