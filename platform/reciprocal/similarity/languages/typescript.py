"""TypeScript's and TSX's tree-sitter grammars: JavaScript's walk, type annotations dropped."""

from __future__ import annotations

import tree_sitter_typescript

from .common import TYPE
from .javascript import JAVASCRIPT
from .syntax import Grammar

# Annotations are what a copier adds or removes most easily: they emit nothing.
TYPES = frozenset({"type_annotation", "type_arguments", "type_parameters",
                   "accessibility_modifier", "interface_declaration",
                   "type_alias_declaration", "as_expression_type"})


def _typescript(name: str, language: object, suffixes: tuple[str, ...]) -> Grammar:
    return Grammar(
        name=name, language=language, suffixes=suffixes,  # type: ignore[arg-type]
        identifiers=JAVASCRIPT.identifiers | {"type_identifier": TYPE},
        literals=JAVASCRIPT.literals, skipped=JAVASCRIPT.skipped | TYPES,
        transparent=JAVASCRIPT.transparent | {"required_parameter", "optional_parameter"},
        renamed=JAVASCRIPT.renamed, containers=JAVASCRIPT.containers,
        classes=JAVASCRIPT.classes | {"abstract_class_declaration"},
        compound_assignments=JAVASCRIPT.compound_assignments, updates=JAVASCRIPT.updates,
        declarators=JAVASCRIPT.declarators, functions=JAVASCRIPT.functions,
        docstrings=JAVASCRIPT.docstrings,
    )


TYPESCRIPT = _typescript("typescript", tree_sitter_typescript.language_typescript,
                         (".ts", ".mts", ".cts"))
TSX = _typescript("tsx", tree_sitter_typescript.language_tsx, (".tsx",))
