"""Python's tree-sitter grammar, as the structural walk reads it."""

from __future__ import annotations

import tree_sitter_python

from .common import COMMENTS, CONSTANT, FIELD, NAME, NUMBER, RENAMED, STRING, TRANSPARENT
from .syntax import Grammar

PYTHON = Grammar(
    name="python",
    language=tree_sitter_python.language,
    suffixes=(".py", ".pyi"),
    identifiers={"identifier": NAME, "attribute_identifier": FIELD},
    literals={"string": STRING, "concatenated_string": STRING, "integer": NUMBER,
              "float": NUMBER, "true": CONSTANT, "false": CONSTANT, "none": CONSTANT},
    skipped=COMMENTS | {"import_statement", "import_from_statement", "future_import_statement",
                        "pass_statement", "type"},
    transparent=TRANSPARENT | {"elif_clause", "decorated_definition"},
    renamed=RENAMED | {"elif_clause": "IF"},
    containers=frozenset({"module"}),
    classes=frozenset({"class_definition"}),
    compound_assignments=frozenset({"assignment", "augmented_assignment"}),
    functions=frozenset({"function_definition"}),
    docstrings=frozenset({"expression_statement"}),
)
