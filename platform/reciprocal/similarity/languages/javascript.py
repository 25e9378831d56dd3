"""JavaScript's tree-sitter grammar, as the structural walk reads it (TypeScript extends it)."""

from __future__ import annotations

import tree_sitter_javascript

from .common import COMMENTS, CONSTANT, FIELD, NAME, NUMBER, RENAMED, STRING, TRANSPARENT
from .syntax import Grammar

IDENTIFIERS = {"identifier": NAME, "property_identifier": FIELD,
               "shorthand_property_identifier": FIELD, "private_property_identifier": FIELD,
               "shorthand_property_identifier_pattern": NAME}
LITERALS = {"string": STRING, "template_string": STRING, "number": NUMBER, "regex": STRING,
            "true": CONSTANT, "false": CONSTANT, "null": CONSTANT, "undefined": CONSTANT}
SKIPPED = COMMENTS | {"import_statement", "empty_statement"}
# `const`, `let` and `var` declarations: only their declarators (with a value) count.
DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})
FUNCTIONS = frozenset({"function_declaration", "method_definition",
                       "generator_function_declaration"})

JAVASCRIPT = Grammar(
    name="javascript",
    language=tree_sitter_javascript.language,
    suffixes=(".js", ".mjs", ".cjs", ".jsx"),
    identifiers=IDENTIFIERS,
    literals=LITERALS,
    skipped=SKIPPED,
    transparent=TRANSPARENT | DECLARATIONS,
    renamed=RENAMED,
    containers=frozenset({"program"}),
    classes=frozenset({"class_declaration", "class"}),
    compound_assignments=frozenset({"assignment_expression", "augmented_assignment_expression"}),
    updates=frozenset({"update_expression"}),
    declarators=frozenset({"variable_declarator"}),
    functions=FUNCTIONS,
    docstrings=frozenset({"expression_statement"}),
)
