"""Plagiarism disguises at the six Faidhi-Robinson levels, each level adding to the one before,
made by editing the source text at the places a tree-sitter parse finds (the edited program is
re-parsed by the tokenizer under test; it is never run):

L1 comments and layout: comments dropped, new comments, indentation doubled, blank lines;
L2 identifiers: every identifier renamed consistently;
L3 declarations: functions and class members reordered; `T x = e;` split into `T x; x = e;`;
L4 method structure: a wrapper added per function, calling it;
L5 statements: `x += e` to `x = x + e`, `x++` to `x += 1` then to `x = x + 1`, `for` loops with
   init/condition/update to `while` loops, a redundant assignment at the start of each body;
L6 logic: comparisons turned round (`a < b` to `b > a`).
"""

from __future__ import annotations

import random
import re

from reciprocal.similarity.languages import grammar_for
from reciprocal.similarity.languages.syntax import Grammar
from tree_sitter import Node

LEVELS = ("L1", "L2", "L3", "L4", "L5", "L6")
COMMENT = {"python": "#"}
SWAPPED = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}
Edit = tuple[int, int, str]


def _walk(node: Node):  # type: ignore[no-untyped-def]
    yield node
    for child in node.children:
        yield from _walk(child)


def _apply(text: str, edits: list[Edit]) -> str:
    data = text.encode()
    last = len(data) + 1
    for start, end, new in sorted(edits, reverse=True):
        if end > last:  # overlapping: keep the outer edit already applied
            continue
        data = data[:start] + new.encode() + data[end:]
        last = start
    return data.decode()


def _tree(grammar: Grammar, text: str) -> Node:
    return grammar.parser.parse(text.encode()).root_node


def _src(node: Node) -> str:
    return (node.text or b"").decode()


def layout(grammar: Grammar, text: str, rng: random.Random) -> str:
    root = _tree(grammar, text)
    edits = [(n.start_byte, n.end_byte, "") for n in _walk(root) if "comment" in n.type]
    text = _apply(text, edits)
    mark = COMMENT.get(grammar.name, "//")
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        doubled = line[:indent] * 2 + line[indent:]
        if re.match(r"\s*(def |class |func |function |public |private |static )", line):
            out.append("")
            out.append(line[:indent] * 2 + f"{mark} step {rng.randrange(1000)}")
        out.append(doubled.rstrip())
    return "\n".join(out) + "\n"


def rename(grammar: Grammar, text: str, rng: random.Random) -> str:
    root = _tree(grammar, text)
    names: dict[str, str] = {}
    edits = []
    for node in _walk(root):
        if node.type in grammar.identifiers:
            old = _src(node)
            new = names.setdefault(old, f"{rng.choice('kqzxw')}{len(names)}")
            edits.append((node.start_byte, node.end_byte, new))
    return _apply(text, edits)


def _members(grammar: Grammar, root: Node) -> list[list[Node]]:
    groups = [[c for c in root.children if c.type in grammar.functions | grammar.classes]]
    for node in _walk(root):
        body = node.child_by_field_name("body") if node.type in grammar.classes else None
        if body is not None:
            groups.append([c for c in body.children if c.type in grammar.functions])
    return [g for g in groups if len(g) > 1]


def reorder(grammar: Grammar, text: str, rng: random.Random) -> str:
    root = _tree(grammar, text)
    edits = []
    for group in _members(grammar, root):
        texts = [_src(n) for n in group]
        shuffled = texts[:]
        while len(texts) > 1 and shuffled == texts:
            rng.shuffle(shuffled)
        edits += [(n.start_byte, n.end_byte, t) for n, t in zip(group, shuffled, strict=True)]
    text = _apply(text, edits)
    if grammar.name not in ("java", "javascript", "typescript"):
        return text
    root = _tree(grammar, text)
    edits = []
    for node in _walk(root):
        if node.type not in ("local_variable_declaration", "lexical_declaration"):
            continue
        declarators = [c for c in node.named_children if c.type == "variable_declarator"]
        value = declarators[0].child_by_field_name("value") if len(declarators) == 1 else None
        head = _src(node).split()[0]
        if value is None or head == "const" or node.parent is None or node.parent.type in (
                "for_statement",):
            continue
        name = _src(declarators[0].child_by_field_name("name"))  # type: ignore[arg-type]
        before = text.encode()[node.start_byte:value.start_byte].decode()
        declared = before.rsplit("=", 1)[0].rstrip()
        edits.append((node.start_byte, node.end_byte,
                       f"{declared}; {name} = {_src(value)};"))
    return _apply(text, edits)


def wrappers(grammar: Grammar, text: str, rng: random.Random) -> str:
    root = _tree(grammar, text)
    edits = []
    for group in _members(grammar, root) or [[c for c in root.children
                                             if c.type in grammar.functions]]:
        for node in group:
            name_node = node.child_by_field_name("name")
            if name_node is None:
                continue
            name, n = _src(name_node), rng.randrange(10**4)
            indent = " " * node.start_point[1]
            wrapper = {
                "python": f"\n\n{indent}def entry{n}(*args):\n{indent}    return {name}(*args)\n",
                "java": f"\n{indent}void entry{n}() {{ {name}(); }}\n",
                "go": f"\nfunc entry{n}() {{ {name}() }}\n",
            }.get(grammar.name, f"\n{indent}entry{n}() {{ return {name}(); }}\n"
                  if node.type == "method_definition" else
                  f"\nfunction entry{n}() {{ return {name}(); }}\n")
            edits.append((node.end_byte, node.end_byte, wrapper))
    return _apply(text, edits)


def statements(grammar: Grammar, text: str, rng: random.Random) -> str:
    for _ in range(2):  # `x++` to `x += 1`, then every `x op= e` to `x = x op e`
        root = _tree(grammar, text)
        edits = []
        for node in _walk(root):
            kids = node.children
            if node.type in grammar.updates and len(kids) == 2:
                target, op = (kids[0], kids[1]) if kids[0].is_named else (kids[1], kids[0])
                edits.append((node.start_byte, node.end_byte,
                              f"{_src(target)} {_src(op)[0]}= 1"))
            elif node.type in grammar.compound_assignments and len(kids) == 3:
                op = _src(kids[1])
                if op.endswith("=") and op not in ("=", ":=", "==") and len(op) >= 2:
                    left = _src(kids[0])
                    edits.append((node.start_byte, node.end_byte,
                                  f"{left} = {left} {op[:-1]} ({_src(kids[2])})"))
        text = _apply(text, edits)
    root = _tree(grammar, text)
    edits = []
    for node in _walk(root):
        if node.type == "for_statement" and grammar.name in ("java", "javascript",
                                                             "typescript"):
            edits += _for_to_while(grammar, node)
        body = node.child_by_field_name("body") if node.type in grammar.functions else None
        if body is not None and body.named_children:
            first = body.named_children[0]
            indent = " " * first.start_point[1]
            extra = {"python": f"spare{rng.randrange(100)} = 0\n{indent}",
                     "java": f"int spare{rng.randrange(100)} = 0;\n{indent}",
                     "go": f"_ = {rng.randrange(100)}\n{indent}"}.get(
                grammar.name, f"let spare{rng.randrange(100)} = 0;\n{indent}")
            edits.append((first.start_byte, first.start_byte, extra))
    return _apply(text, edits)


def _for_to_while(grammar: Grammar, node: Node) -> list[Edit]:
    fields = ("init", "update") if grammar.name == "java" else ("initializer", "increment")
    init = node.child_by_field_name(fields[0])
    cond = node.child_by_field_name("condition")
    step = node.child_by_field_name(fields[1])
    body = node.child_by_field_name("body")
    if None in (init, cond, step, body) or "continue" in _src(body):  # type: ignore[arg-type]
        return []
    inner = _src(body)  # type: ignore[arg-type]
    inner = inner[1:-1] if inner.startswith("{") else inner
    head = _src(init).rstrip(";")  # type: ignore[arg-type]
    condition = _src(cond).rstrip(";")  # type: ignore[arg-type]
    return [(node.start_byte, node.end_byte,
             f"{{ {head}; while ({condition}) {{ {inner} {_src(step)}; }} }}")]  # type: ignore[arg-type]


def logic(grammar: Grammar, text: str, rng: random.Random) -> str:
    root = _tree(grammar, text)
    edits = []
    for node in _walk(root):
        kids = node.children
        if node.type in ("binary_expression", "comparison_operator") and len(kids) == 3:
            op = _src(kids[1])
            if op in SWAPPED and rng.random() < 0.8:
                edits.append((node.start_byte, node.end_byte,
                              f"{_src(kids[2])} {SWAPPED[op]} {_src(kids[0])}"))
    return _apply(text, edits)


STEPS = (layout, rename, reorder, wrappers, statements, logic)


def disguised(path: str, text: str, seed: int) -> dict[str, str]:
    """The copy of `text` at each level, each level applied on top of the one before."""
    grammar = grammar_for(path)
    assert grammar is not None, path
    rng = random.Random(seed)
    copies: dict[str, str] = {}
    for level, step in zip(LEVELS, STEPS, strict=True):
        text = step(grammar, text, rng)
        copies[level] = text
    return copies
