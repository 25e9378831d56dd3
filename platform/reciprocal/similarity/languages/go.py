"""Go's tree-sitter grammar, as the structural walk reads it."""

from __future__ import annotations

import tree_sitter_go

from .common import COMMENTS, CONSTANT, FIELD, NAME, NUMBER, RENAMED, STRING, TRANSPARENT, TYPE
from .syntax import ASSIGN, Grammar

GO = Grammar(
    name="go",
    language=tree_sitter_go.language,
    suffixes=(".go",),
    identifiers={"identifier": NAME, "field_identifier": FIELD, "type_identifier": TYPE,
                 "package_identifier": NAME},
    literals={"interpreted_string_literal": STRING, "raw_string_literal": STRING,
              "rune_literal": STRING, "int_literal": NUMBER, "float_literal": NUMBER,
              "imaginary_literal": NUMBER, "true": CONSTANT, "false": CONSTANT,
              "nil": CONSTANT, "iota": CONSTANT},
    skipped=COMMENTS | {"package_clause", "import_declaration"},
    transparent=TRANSPARENT | {"var_declaration", "const_declaration"},
    renamed=RENAMED | {"short_var_declaration": ASSIGN},
    containers=frozenset({"source_file"}),
    compound_assignments=frozenset({"assignment_statement"}),
    updates=frozenset({"inc_statement", "dec_statement"}),
    declarators=frozenset({"var_spec", "const_spec"}),
    functions=frozenset({"function_declaration", "method_declaration"}),
)
