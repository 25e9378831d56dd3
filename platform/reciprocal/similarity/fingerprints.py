"""Token fingerprints of source files: pure functions, no database, no git, nothing executed.

A file in a language with a grammar (`languages`: Python, JavaScript, TypeScript, Java, Go) is
tokenized from its tree-sitter parse, normalised for layout, braces, identifier names, literal
values, declaration placement and order, and some statement replacements. Any other file falls
back to the Pygments lexer its name selects: identifiers become one placeholder and literals
another, comments, docstrings and whitespace are dropped. Every run of K tokens is hashed. Winnowing
(Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document fingerprinting",
SIGMOD 2003, as MOSS and Dolos use it) keeps the smallest hash of every window of W consecutive
k-gram hashes: any shared run of at least W + K - 1 tokens is then guaranteed to share a
fingerprint, and about 2 / (W + 1) of the k-grams are kept.

A fingerprint remembers its file and its line range, so a match can be shown as regions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_for_filename
from pygments.token import Comment, Keyword, Literal, Name, Operator, Punctuation, String, Text
from pygments.token import _TokenType as TokenType
from pygments.util import ClassNotFound

from .languages import grammar_for
from .languages.syntax import tokens as structural_tokens
from .tokens import Token

K = 10  # tokens per k-gram: short enough for small functions, long enough to be rare
W = 6  # k-grams per winnowing window: a shared run of W + K - 1 = 15 tokens is always found
MAX_FILE_BYTES = 256 * 1024
MAX_FILES = 500
# Files that carry no authored logic: lock files, data, prose.
SKIPPED_SUFFIXES = (".lock", ".json", ".md", ".txt", ".csv", ".toml", ".yaml", ".yml", ".cfg",
                    ".ini", ".xml", ".html", ".css", ".svg", ".sum", ".mod")
IDENTIFIER, LITERAL = "\x01id", "\x01lit"
KEPT_NAMES = (Name.Builtin, Name.Builtin.Pseudo)


__all__ = ["Fingerprint", "Token", "fingerprints", "tokenize"]


@dataclass(frozen=True)
class Fingerprint:
    hash: int  # signed 64-bit, so it fits a BIGINT column on PostgreSQL and SQLite
    path: str
    line_start: int
    line_end: int
    unit: str = ""  # the function or method the k-gram starts in (kept in memory only)


def lexer_for(path: str) -> Lexer | None:
    """The Pygments lexer for a source file, or None for data, prose and unknown files."""
    name = path.rsplit("/", 1)[-1]
    if name.lower().endswith(SKIPPED_SUFFIXES):
        return None
    try:
        return get_lexer_for_filename(name, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


def _normal(kind: TokenType, value: str) -> str | None:
    """The token as it takes part in a k-gram, or None when it is dropped."""
    if kind in Comment or kind in String.Doc or kind in Text or not value.strip():
        return None
    if kind in Name:
        return value if any(kind in kept for kept in KEPT_NAMES) else IDENTIFIER
    if kind in Literal:
        return LITERAL
    if kind in Keyword or kind in Operator or kind in Punctuation:
        return value.strip()
    return value.strip()


def tokenize(path: str, text: str) -> list[Token]:
    """The normalized tokens of one file with their line numbers (1-based)."""
    grammar = grammar_for(path)
    if grammar is not None:
        return structural_tokens(grammar, text)
    return lexical_tokens(path, text)


def lexical_tokens(path: str, text: str) -> list[Token]:
    """The Pygments fallback for a language without a grammar."""
    lexer = lexer_for(path)
    if lexer is None:
        return []
    tokens: list[Token] = []
    line = 1
    for kind, value in lexer.get_tokens(text):
        normal = _normal(kind, value)
        # A string lexes as several tokens (quotes, escapes, interpolation): one placeholder.
        if normal == LITERAL and tokens and tokens[-1].text == LITERAL:
            normal = None
        if normal is not None:
            # A token's line is the line it starts on; skip leading newlines of the value.
            lead = value[: len(value) - len(value.lstrip())]
            tokens.append(Token(normal, line + lead.count("\n")))
        line += value.count("\n")
    return tokens


def _hash(gram: Iterable[str]) -> int:
    digest = hashlib.blake2b("\x00".join(gram).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


Gram = tuple[int, int, int, str]  # hash, first line, last line, unit


def kgrams(tokens: list[Token], k: int = K) -> Iterator[Gram]:
    """(hash, first line, last line, unit) of every run of k tokens; a run's lines are the
    smallest and largest of its tokens (sorted declarations may put them out of order)."""
    texts = [t.text for t in tokens]
    for i in range(len(tokens) - k + 1):
        lines = [t.line for t in tokens[i : i + k]]
        yield _hash(texts[i : i + k]), min(lines), max(lines), tokens[i].unit


def winnow(grams: list[Gram], w: int = W) -> list[Gram]:
    """The winnowed selection: the minimum of each window of w hashes (the rightmost on ties),
    each selected position kept once. A file shorter than one window keeps its minimum."""
    if not grams:
        return []
    if len(grams) <= w:
        return [min(reversed(grams), key=lambda g: g[0])]
    chosen: list[Gram] = []
    last = -1
    for start in range(len(grams) - w + 1):
        window = range(start, start + w)
        best = min(window, key=lambda i: (grams[i][0], -i))
        if best != last:
            chosen.append(grams[best])
            last = best
    return chosen


def file_fingerprints(path: str, text: str, k: int = K, w: int = W) -> list[Fingerprint]:
    grams = list(kgrams(tokenize(path, text), k))
    return [Fingerprint(h, path, a, b, unit) for h, a, b, unit in winnow(grams, w)]


def fingerprints(files: Iterable[tuple[str, str]], k: int = K, w: int = W) -> list[Fingerprint]:
    """Fingerprints of every source file of (path, text) pairs, in path order, capped."""
    result: list[Fingerprint] = []
    for count, (path, text) in enumerate(sorted(files)):
        if count >= MAX_FILES:
            break
        if len(text) <= MAX_FILE_BYTES:
            result.extend(file_fingerprints(path, text, k, w))
    return result


def hashes(prints: Iterable[Fingerprint]) -> set[int]:
    return {p.hash for p in prints}
