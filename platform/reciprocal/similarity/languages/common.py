"""Node-type names several grammars share, and the canonical tokens they become."""

from __future__ import annotations

from .syntax import BINARY, IF, LOOP

STRING, NUMBER, CONSTANT = "LIT:string", "LIT:number", "LIT:constant"
NAME, TYPE, FIELD = "ID", "TYPE", "FIELD"

# Statement replacement: every loop one token, a ternary an if, each binary form one token.
RENAMED = {
    "for_statement": LOOP, "while_statement": LOOP, "do_statement": LOOP,
    "enhanced_for_statement": LOOP, "for_in_statement": LOOP,
    "if_statement": IF, "conditional_expression": IF, "ternary_expression": IF,
    "binary_expression": BINARY, "binary_operator": BINARY, "boolean_operator": BINARY,
    "comparison_operator": BINARY,
}
# Blocks, parentheses and statement wrappers: their children only.
TRANSPARENT = frozenset({
    "block", "statement_block", "parenthesized_expression", "expression_statement",
    "else_clause", "constructor_body", "export_statement", "expression_list", "statement_list",
})
COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
