"""A plagiarist's disguise, for the similarity tests and the benchmark: every identifier renamed,
the functions reordered, comments and docstrings rewritten. Works on any language Pygments
lexes (the tests use Python, JavaScript and Go)."""

from __future__ import annotations

import random

from pygments.lexers import get_lexer_for_filename
from pygments.token import Comment, Name, String

FUNCTION_STARTS = ("def ", "function ", "func ", "export function ", "async function ")


def _blocks(text: str) -> list[str]:
    """Top-level blocks: a new one starts at an unindented line after a blank line (a closing
    bracket at the margin ends a block instead of starting one)."""
    blocks: list[list[str]] = [[]]
    previous_blank = False
    for line in text.splitlines(keepends=True):
        starts = bool(line.strip()) and not line[0].isspace() and not line.startswith(("}", ")"))
        if starts and previous_blank and blocks[-1]:
            blocks.append([])
        blocks[-1].append(line)
        previous_blank = not line.strip()
    return ["".join(block) for block in blocks]


def _reorder(text: str, rng: random.Random) -> str:
    blocks = _blocks(text)
    slots = [i for i, b in enumerate(blocks) if b.startswith(FUNCTION_STARTS)]
    functions = [blocks[i] for i in slots]
    functions.reverse()
    if len(functions) > 2:
        rng.shuffle(functions)
    for slot, block in zip(slots, functions, strict=True):
        blocks[slot] = block if block.endswith("\n\n") else block + "\n"
    return "".join(blocks)


def disguise(path: str, text: str, seed: int = 1) -> str:
    rng = random.Random(seed)
    lexer = get_lexer_for_filename(path, stripnl=False, ensurenl=True)
    names: dict[str, str] = {}
    out: list[str] = []
    for kind, value in lexer.get_tokens(_reorder(text, rng)):
        if kind in Name and kind not in Name.Builtin and value.strip() and value.isidentifier():
            out.append(names.setdefault(value, f"{rng.choice('kqzxw')}{len(names)}_{seed}"))
        elif kind in Comment.Single:
            marker = "#" if value.startswith("#") else "//"
            out.append(f"{marker} note {rng.randrange(1000)}")
        elif kind in Comment.Multiline:
            out.append("/* rewritten */")
        elif kind in String.Doc:
            out.append('"""Rewritten explanation."""')
        else:
            out.append(value)
    return "".join(out)
