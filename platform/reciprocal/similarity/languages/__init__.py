"""Structure-aware tokens from a real parse (tree-sitter grammars), one small module per language.

Each language module declares a `Grammar` (what its node types mean); `syntax.tokens` walks the
tree the same way for every language. A file whose suffix no grammar claims falls back to the
Pygments lexer in `fingerprints`.
"""

from __future__ import annotations

from .go import GO
from .java import JAVA
from .javascript import JAVASCRIPT
from .python import PYTHON
from .syntax import Grammar
from .typescript import TSX, TYPESCRIPT

GRAMMARS: tuple[Grammar, ...] = (PYTHON, JAVASCRIPT, TYPESCRIPT, TSX, JAVA, GO)


def grammar_for(path: str) -> Grammar | None:
    """The grammar a file's suffix selects, or None."""
    name = path.rsplit("/", 1)[-1].lower()
    for grammar in GRAMMARS:
        if name.endswith(grammar.suffixes):
            return grammar
    return None
