"""Syntax highlighting for the review pages. Pygments escapes the candidate's text itself, and
its HTML is the only candidate-derived markup ever marked safe."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_for_filename
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound


def _lexer(path: str, text: str) -> object:
    try:
        return get_lexer_for_filename(path.rsplit("/", 1)[-1], stripnl=False, ensurenl=True)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=True)


@lru_cache(maxsize=128)
def highlighted(blob_sha: str, path: str, text: str) -> tuple[Markup, ...]:
    """Pygments' per-line HTML: the formatter closes every span at each line end, and it
    escapes the candidate's text itself, so each line is safe to mark up.

    Cached per process: blobs are immutable, so (blob, file name) fully determines the output,
    and the cache only saves work (nothing that must be shared lives in it)."""
    html = highlight(text, _lexer(path, text), HtmlFormatter(nowrap=True))  # type: ignore[arg-type]
    count = len(text.splitlines())
    return tuple(Markup(line) for line in html.split("\n")[:count])  # noqa: S704
