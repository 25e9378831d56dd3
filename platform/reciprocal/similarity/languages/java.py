"""Java's tree-sitter grammar, as the structural walk reads it."""

from __future__ import annotations

import tree_sitter_java

from .common import COMMENTS, CONSTANT, NAME, NUMBER, RENAMED, STRING, TRANSPARENT, TYPE
from .syntax import Grammar

JAVA = Grammar(
    name="java",
    language=tree_sitter_java.language,
    suffixes=(".java",),
    identifiers={"identifier": NAME, "type_identifier": TYPE},
    literals={"string_literal": STRING, "character_literal": STRING,
              "text_block": STRING, "decimal_integer_literal": NUMBER,
              "hex_integer_literal": NUMBER, "octal_integer_literal": NUMBER,
              "binary_integer_literal": NUMBER, "decimal_floating_point_literal": NUMBER,
              "hex_floating_point_literal": NUMBER, "true": CONSTANT, "false": CONSTANT,
              "null_literal": CONSTANT},
    skipped=COMMENTS | {"import_declaration", "package_declaration", "modifiers",
                        "marker_annotation", "annotation"},
    transparent=TRANSPARENT | {"local_variable_declaration", "field_declaration",
                               "switch_block"},
    renamed=RENAMED,
    containers=frozenset({"program"}),
    classes=frozenset({"class_declaration", "interface_declaration", "enum_declaration",
                       "record_declaration"}),
    compound_assignments=frozenset({"assignment_expression"}),
    updates=frozenset({"update_expression"}),
    declarators=frozenset({"variable_declarator"}),
    typed=frozenset({"local_variable_declaration", "field_declaration"}),
    functions=frozenset({"method_declaration", "constructor_declaration"}),
)
