"""The language-independent walk over a tree-sitter parse tree, after JPlag's front ends and
Dolos: what a plagiarist changes without changing the program is normalised away.

- layout and comments: only the tree is read, comments are dropped;
- braces and blocks: block nodes, parentheses and punctuation emit nothing, so `if x: a`,
  `if (x) a;` and `if (x) { a; }` give the same tokens;
- identifiers: one placeholder per kind of identifier (a type, a field, a plain name), so
  renaming changes nothing while a type still differs from a variable;
- literals: one placeholder per kind of literal (string, number, ...), the value dropped;
- declaration placement: a declaration without a value emits nothing and one with a value is
  an assignment, and the declared type is dropped (`int x; ... x = 1;` equals `int x = 1;`);
- statement replacement: every loop is LOOP, an if and a ternary are both IF, `x += y`,
  `x++` and `x = x + y` give the same tokens;
- mirrored comparisons: `b > a` and `a < b` (and `>=`, `<=`) give the same tokens, and so do
  `x == y` and `y == x` (and `!=`, `===`, `!==`);
- declaration order: the top-level and class-member declarations are sorted by the hash of
  their own tokens, so reordering functions or methods changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from tree_sitter import Language, Node, Parser

from ..tokens import Token

IF, LOOP, ASSIGN, BINARY = "IF", "LOOP", "ASSIGN", "BIN"
OPERATORS = frozenset("+ - * / % ** // << >> & | ^ && || and or not ! ~ == != < > <= >= "
                      "=== !== in is ?? instanceof".split())
STEP = {"++": "+", "--": "-"}
# Comparisons turned round to one order: `b > a` is `a < b`; the operands of a symmetric one
# (`==`, `!=`) are ordered by their tokens' hash, so `x == y` and `y == x` are alike.
COMPARISONS = frozenset({"binary_expression", "comparison_operator"})
MIRRORED = {">": "<", ">=": "<="}
SYMMETRIC = frozenset({"==", "!=", "===", "!=="})
# Nodes that wrap one declaration (a decorator, an export, a field): sorted with it.
DECLARATION_WRAPPERS = frozenset({"decorated_definition", "export_statement",
                                  "field_declaration", "public_field_definition",
                                  "field_definition", "type_declaration"})


@dataclass(frozen=True)
class Grammar:
    """What one language's node types mean to the walk (every set holds node type names)."""

    name: str
    language: Callable[[], object]
    suffixes: tuple[str, ...]
    identifiers: dict[str, str]  # identifier node type -> its placeholder
    literals: dict[str, str]  # literal node type -> its placeholder (children not read)
    skipped: frozenset[str] = frozenset()  # dropped with their children (comments, imports)
    transparent: frozenset[str] = frozenset()  # emit nothing, children read (blocks, parens)
    renamed: dict[str, str] = field(default_factory=dict)  # loops -> LOOP, ternary -> IF, ...
    containers: frozenset[str] = frozenset()  # children sorted (module, program)
    classes: frozenset[str] = frozenset()  # their `body`'s children sorted (class members)
    compound_assignments: frozenset[str] = frozenset()  # `x += y`
    updates: frozenset[str] = frozenset()  # `x++`
    declarators: frozenset[str] = frozenset()  # `x = 1` inside a declaration, or `x` alone
    typed: frozenset[str] = frozenset()  # declarations whose `type` child is dropped
    functions: frozenset[str] = frozenset()  # definitions whose `name` names a unit
    docstrings: frozenset[str] = frozenset()  # statements dropped when they hold one string

    @cached_property
    def parser(self) -> Parser:
        return Parser(Language(self.language()))


def _digest(tokens: list[Token]) -> bytes:
    return hashlib.blake2b("\x00".join(t.text for t in tokens).encode(), digest_size=8).digest()


def _sort_declarations(grammar: Grammar, children: list[Node], parts: list[list[Token]]) -> None:
    """Sort the declarations among themselves by their tokens' hash, in the slots they hold;
    other statements stay where they are (their order is the program's)."""
    sortable = grammar.functions | grammar.classes | DECLARATION_WRAPPERS
    slots = [i for i, c in enumerate(children) if c.type in sortable]
    for slot, part in zip(slots, sorted((parts[i] for i in slots), key=_digest), strict=True):
        parts[slot] = part


class _Walk:
    def __init__(self, grammar: Grammar) -> None:
        self.g = grammar
        self.unit = ""

    def token(self, text: str, line: int) -> Token:
        return Token(text, line, self.unit)

    def node(self, node: Node) -> list[Token]:
        g, kind = self.g, node.type
        if kind in g.functions:
            outer = self.unit
            name = node.child_by_field_name("name")
            self.unit = (name.text or b"").decode("utf-8", "replace") if name else outer
            try:
                return self._node(node, kind)
            finally:
                self.unit = outer
        return self._node(node, kind)

    def _node(self, node: Node, kind: str) -> list[Token]:
        g = self.g
        line = node.start_point[0] + 1
        if kind in g.skipped or node.is_extra or self._docstring(node):
            return []
        if kind in g.identifiers:
            return [self.token(g.identifiers[kind], line)]
        if kind in g.literals:
            return [self.token(g.literals[kind], line)]
        if kind in g.compound_assignments or kind in g.updates:
            return self._compound(node, line)
        if kind in g.declarators:
            return self._declarator(node, line)
        if not node.is_named:
            text = (node.text or b"").decode("utf-8", "replace")
            return [self.token(text, line)] if text in OPERATORS else []
        out = [] if kind in g.transparent else [self.token(g.renamed.get(kind, kind), line)]
        if kind in COMPARISONS:
            turned = self._comparison(node)
            if turned is not None:
                return out + turned
        children = [c for c in node.children
                    if not (kind in g.typed and c == node.child_by_field_name("type"))]
        parts = [self.node(c) for c in children]
        if kind in g.containers or self._members(node):
            _sort_declarations(g, children, parts)
        for part in parts:
            out.extend(part)
        return out

    def _comparison(self, node: Node) -> list[Token] | None:
        """A two-operand comparison in one order, or None for anything else (`a < b < c`,
        arithmetic, `in`)."""
        named = node.named_children
        operators = [c for c in node.children if not c.is_named]
        if len(named) != 2 or len(operators) != 1:
            return None
        op = (operators[0].text or b"").decode("utf-8", "replace")
        if op not in MIRRORED and op not in SYMMETRIC and op not in ("<", "<="):
            return None
        left, right = self.node(named[0]), self.node(named[1])
        if op in MIRRORED:
            left, right, op = right, left, MIRRORED[op]
        elif op in SYMMETRIC and _digest(right) < _digest(left):
            left, right = right, left
        return [*left, self.token(op, operators[0].start_point[0] + 1), *right]

    def _members(self, node: Node) -> bool:
        parent = node.parent
        return (parent is not None and parent.type in self.g.classes
                and parent.child_by_field_name("body") == node)

    def _docstring(self, node: Node) -> bool:
        if node.type not in self.g.docstrings or node.named_child_count != 1:
            return False
        return self.g.literals.get(node.named_children[0].type) == "LIT:string"

    def _compound(self, node: Node, line: int) -> list[Token]:
        """`x = y` as ASSIGN x y; `x += y` and `x++` as `x = x + y` and `x = x + 1`."""
        kept = node.child_by_field_name("type")
        named = [c for c in node.named_children if c != kept]
        operators = [c for c in node.children if not c.is_named]
        if not named:
            return []
        op = (operators[0].text or b"").decode() if operators else "="
        if op == "=" or op == ":=":
            return [self.token(ASSIGN, line), *(t for c in named for t in self.node(c))]
        target = self.node(named[0])
        if op in STEP:
            value = [self.token("LIT:number", line)]
            op = STEP[op]
        else:
            value = [t for c in named[1:] for t in self.node(c)]
            op = op.removesuffix("=")
        return [self.token(ASSIGN, line), *target, self.token(BINARY, line), *target,
                self.token(op, line), *value]

    def _declarator(self, node: Node, line: int) -> list[Token]:
        """A declared name with a value is an assignment; without one it emits nothing."""
        named = [c for c in node.named_children if c != node.child_by_field_name("type")]
        if len(named) < 2:
            return []
        return [self.token(ASSIGN, line), *(t for c in named for t in self.node(c))]


def tokens(grammar: Grammar, text: str) -> list[Token]:
    """The normalised tokens of one file with the line each starts on."""
    tree = grammar.parser.parse(text.encode("utf-8"))
    return _Walk(grammar).node(tree.root_node)
