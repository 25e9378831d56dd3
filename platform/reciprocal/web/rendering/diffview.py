"""Diffs as reviewers read them: syntax colours, word-level marks inside changed lines,
unified or side-by-side rows, and the unchanged regions between hunks folded.

git/browse gives plain diff lines; this module only shapes them for the page. Each side of a
file's diff is lexed in one Pygments pass (the old side: context and deleted lines; the new
side: context and added lines), so a hunk keeps its multi-line context (strings, comments).
Pygments escapes nothing here: every piece of candidate text goes through markupsafe.escape
before it is wrapped in a span of ours."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, cached_property, lru_cache
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape
from pygments.lexers import get_lexer_for_filename
from pygments.lexers.special import TextLexer
from pygments.token import STANDARD_TYPES, _TokenType
from pygments.util import ClassNotFound

from ...git.browse import DiffLine, FileDiff

GAP_MAX = 80  # unchanged lines put back (folded) between hunks; longer stretches are left out
_WORD = re.compile(r"\w+|\s+|[^\w\s]")
Tokens = list[tuple[str, str]]


@dataclass
class Cell:
    """One side of a diff row: a line number, its highlighted text and what happened to it."""

    number: int | None
    html: Markup
    kind: str  # add | del | ctx


@dataclass
class Row:
    kind: str  # add | del | ctx | hunk | fold
    old: Cell | None = None
    new: Cell | None = None
    text: str = ""  # the hunk header, or how many lines a fold hides
    fold: int | None = None  # the fold this row belongs to (hidden until expanded)


@dataclass
class DiffView:
    """A FileDiff shaped for the page, in either layout (each built when first asked for: a
    page shows one)."""

    diff: FileDiff
    cells: list[tuple[DiffLine, Cell | None, Cell | None]] = field(default_factory=list)
    folds: dict[int, int] = field(default_factory=dict)

    @cached_property
    def unified(self) -> list[Row]:
        return _rows(self.cells, self.folds, split=False)

    @cached_property
    def split(self) -> list[Row]:
        return _rows(self.cells, self.folds, split=True)


@cache
def _css_class(ttype: _TokenType) -> str:
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
    return STANDARD_TYPES[ttype]


@lru_cache(maxsize=256)
def _lexer_class(name: str) -> type:
    """Finding a lexer by file name walks every lexer's patterns: once per name suffices."""
    try:
        return type(get_lexer_for_filename(name))
    except ClassNotFound:
        return TextLexer


def _lexer(path: str) -> Any:
    return _lexer_class(path.rsplit("/", 1)[-1])(stripnl=False, ensurenl=False)


def line_tokens(path: str, lines: list[str]) -> list[Tokens]:
    """Each line's (css class, text) tokens, from one pass of the file's lexer."""
    if not lines:
        return []
    out: list[Tokens] = [[]]
    for ttype, value in _lexer(path).get_tokens("\n".join(lines) + "\n"):
        cls = _css_class(ttype)
        for i, part in enumerate(value.split("\n")):
            if i:
                out.append([])
            if part:
                out[-1].append((cls, part))
    out = out[: len(lines)]
    out += [[] for _ in range(len(lines) - len(out))]
    return out


def word_ranges(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character ranges that differ between a deleted line and the added line that replaced
    it, by words. Lines with little in common get no marks (the row colour says it all)."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    same = sum(len(t) for block in matcher.get_matching_blocks()
               for t in a[block.a : block.a + block.size] if not t.isspace())
    total = sum(len(t) for t in (*a, *b) if not t.isspace())
    if total == 0 or 2 * same / total < 0.4:
        return [], []
    starts_a = [0]
    for token in a:
        starts_a.append(starts_a[-1] + len(token))
    starts_b = [0]
    for token in b:
        starts_b.append(starts_b[-1] + len(token))
    left: list[tuple[int, int]] = []
    right: list[tuple[int, int]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i2 > i1:
            left.append((starts_a[i1], starts_a[i2]))
        if j2 > j1:
            right.append((starts_b[j1], starts_b[j2]))
    return left, right


def render(tokens: Tokens, marks: list[tuple[int, int]]) -> Markup:
    """Escaped, highlighted HTML of one line, with `marks` (character ranges) wrapped in
    <span class="word">."""
    parts: list[str] = []
    pos = 0
    for cls, text in tokens:
        start, end = pos, pos + len(text)
        pos = end
        cuts = sorted({start, end, *(b for m in marks for b in m if start < b < end)})
        for s, e in pairwise(cuts):
            piece = str(escape(text[s - start : e - start]))
            span = f'<span class="{cls}">{piece}</span>' if cls else piece
            if any(ms <= s and e <= me for ms, me in marks):
                span = f'<span class="word">{span}</span>'
            parts.append(span)
    return Markup("".join(parts))  # noqa: S704 -- every piece of text was escaped above


def _pairs(lines: list[DiffLine]) -> dict[int, int]:
    """Index of each deleted line -> the added line that replaced it (runs paired in order)."""
    pairs: dict[int, int] = {}
    i = 0
    while i < len(lines):
        if lines[i].kind != "del":
            i += 1
            continue
        dels = []
        while i < len(lines) and lines[i].kind == "del":
            dels.append(i)
            i += 1
        adds = []
        while i < len(lines) and lines[i].kind == "add":
            adds.append(i)
            i += 1
        pairs.update(zip(dels, adds, strict=False))
    return pairs


_HUNK = re.compile(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def with_gaps(lines: list[DiffLine], new_text: list[str] | None) -> tuple[list[DiffLine],
                                                                          dict[int, int]]:
    """The diff with the unchanged lines git left out (between hunks, above the first and below
    the last) put back from the new file, and which fold each of those lines belongs to. A
    stretch longer than GAP_MAX stays out, so a big file costs the page no more than its diff."""
    if not new_text or not lines:
        return lines, {}
    out: list[DiffLine] = []
    folds: dict[int, int] = {}
    shown_new = 0  # the last new-side line number already in `out`
    offset = 0  # old line number minus new line number in unchanged text

    def gap(upto: int) -> None:
        if min(upto, len(new_text)) - shown_new > GAP_MAX:
            return  # a long unchanged stretch stays out of the page; the file view has it
        fold = len({*folds.values()}) + 1
        for n in range(shown_new + 1, min(upto, len(new_text)) + 1):
            folds[len(out)] = fold
            out.append(DiffLine("ctx", n + offset, n, new_text[n - 1]))

    for line in lines:
        if line.kind == "hunk":
            match = _HUNK.match(line.text)
            if match:
                old_start, new_start = int(match.group(1)), int(match.group(2))
                offset = old_start - new_start
                gap(new_start - 1)
        out.append(line)
        if line.new is not None:
            shown_new = line.new
        if line.old is not None and line.new is not None:
            offset = line.old - line.new
    gap(len(new_text))
    return out, folds


def _reusable(html: Sequence[Markup] | None, number: int | None) -> bool:
    return html is not None and number is not None and number <= len(html)


def _cells(path: str, old_path: str | None, lines: list[DiffLine],
           new_html: Sequence[Markup] | None = None,
           old_html: Sequence[Markup] | None = None,
           ) -> list[tuple[DiffLine, Cell | None, Cell | None]]:
    """Both sides' highlighted cells. With a side's highlighted lines (cached per blob by
    rendering.highlight, shared with the file page), that side's lines without word marks are
    taken from there (unchanged lines from the new side); only the rest are lexed here."""
    marks: dict[int, list[tuple[int, int]]] = {}
    for d, a in _pairs(lines).items():
        marks[d], marks[a] = word_ranges(lines[d].text, lines[a].text)
    from_new = {i for i, line in enumerate(lines) if line.kind in ("ctx", "add")
                and i not in marks and _reusable(new_html, line.new)}
    from_old = {i for i, line in enumerate(lines) if line.kind == "del"
                and i not in marks and _reusable(old_html, line.old)}
    old_side = [i for i, line in enumerate(lines)
                if (line.kind == "del" and i not in from_old)
                or (line.kind == "ctx" and i not in from_new)]
    new_side = [i for i, line in enumerate(lines)
                if line.kind in ("ctx", "add") and i not in from_new]
    old_tokens = dict(zip(old_side, line_tokens(old_path or path,
                                                [lines[i].text for i in old_side]), strict=True))
    new_tokens = dict(zip(new_side, line_tokens(path, [lines[i].text for i in new_side]),
                          strict=True))
    out: list[tuple[DiffLine, Cell | None, Cell | None]] = []
    for i, line in enumerate(lines):
        old = new = None
        if i in old_tokens:
            old = Cell(line.old, render(old_tokens[i], marks.get(i, [])), line.kind)
        elif i in from_old and old_html is not None and line.old is not None:
            old = Cell(line.old, old_html[line.old - 1], line.kind)
        elif line.kind == "ctx" and i in from_new and new_html is not None and line.new:
            old = Cell(line.old, new_html[line.new - 1], line.kind)
        if i in new_tokens:
            new = Cell(line.new, render(new_tokens[i], marks.get(i, [])), line.kind)
        elif i in from_new and new_html is not None and line.new is not None:
            new = Cell(line.new, new_html[line.new - 1], line.kind)
        out.append((line, old, new))
    return out


def _rows(cells: list[tuple[DiffLine, Cell | None, Cell | None]], folds: dict[int, int],
          split: bool) -> list[Row]:
    """Unified rows, or side by side (deleted lines on the left beside the added lines that
    replaced them); each folded run is preceded by a row that says how many lines it hides."""
    rows: list[Row] = []
    sizes = {fold: list(folds.values()).count(fold) for fold in set(folds.values())}
    i = 0
    while i < len(cells):
        line, old, new = cells[i]
        fold = folds.get(i)
        if fold is not None and folds.get(i - 1) != fold:
            rows.append(Row("fold", text=str(sizes[fold]), fold=fold))
        if line.kind == "hunk":
            rows.append(Row("hunk", text=line.text))
        elif line.kind == "ctx" or not split:
            rows.append(Row(line.kind, old, new, fold=fold))
        else:
            dels, adds = [], []
            while i < len(cells) and cells[i][0].kind == "del":
                dels.append(cells[i][1])
                i += 1
            while i < len(cells) and cells[i][0].kind == "add":
                adds.append(cells[i][2])
                i += 1
            for k in range(max(len(dels), len(adds))):
                left = dels[k] if k < len(dels) else None
                right = adds[k] if k < len(adds) else None
                kind = "change" if left and right else "del" if left else "add"
                rows.append(Row(kind, left, right))
            continue
        i += 1
    return rows


def view(diff: FileDiff, new_text: list[str] | None = None,
         new_html: Sequence[Markup] | None = None,
         old_html: Sequence[Markup] | None = None) -> DiffView:
    """Both layouts of one file's diff (empty when it has no lines to show). With the new
    file's lines, the unchanged regions git left out come back folded; with its highlighted
    lines, those are reused rather than lexed again."""
    if not diff.lines:
        return DiffView(diff)
    lines, folds = with_gaps(diff.lines, new_text)
    return DiffView(diff, _cells(diff.path, diff.old_path, lines, new_html, old_html), folds)
