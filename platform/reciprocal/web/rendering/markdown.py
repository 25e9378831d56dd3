"""A whole Markdown document, such as a starter's README, in the safe subset `prose` renders
(paragraphs, lists, **bold**, `code`) plus what READMEs are made of: headings, fenced code,
quotes and pipe tables. Everything is escaped first and no HTML in the text is ever passed
through; links stay text."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from .formatting import inline, prose

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines: list[str]) -> str:
    head = "".join(f'<th scope="col">{inline(c)}</th>' for c in _cells(lines[0]))
    rows = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in _cells(line)) + "</tr>"
                   for line in lines[2:])
    return (f'<div class="table-scroll"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def _blocks(lines: list[str], top: int) -> list[str]:
    """The HTML of each block; a heading of level n becomes h(n + top - 1), at most h6."""
    html: list[str] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            html.append(str(prose("\n".join(text))))
            text.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        if fence := _FENCE.match(line):
            flush()
            end = index + 1
            while end < len(lines) and not lines[end].strip().startswith(fence.group(1)):
                end += 1
            code = "\n".join(lines[index + 1:end])
            html.append(f"<pre><code>{escape(code)}</code></pre>")
            index = end + 1
        elif heading := _HEADING.match(line):
            flush()
            level = min(6, len(heading.group(1)) + top - 1)
            html.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
            index += 1
        elif line.lstrip().startswith(">"):
            flush()
            end = index
            while end < len(lines) and lines[end].lstrip().startswith(">"):
                end += 1
            quoted = [re.sub(r"^\s*>\s?", "", item) for item in lines[index:end]]
            html.append("<blockquote>" + "".join(_blocks(quoted, top)) + "</blockquote>")
            index = end
        elif (line.lstrip().startswith("|") and index + 1 < len(lines)
              and _TABLE_RULE.match(lines[index + 1])):
            flush()
            end = index + 2
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            html.append(_table(lines[index:end]))
            index = end
        else:
            text.append(line)
            index += 1
    flush()
    return html


@lru_cache(maxsize=64)
def document(text: str | None, top: int = 2) -> Markup:
    """The document as HTML, its `#` headings starting at h`top` (the page around it has its
    own h1). A function of its arguments alone, so recent results are kept."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    return Markup("".join(_blocks(lines, max(1, min(6, top)))))  # noqa: S704 - all escaped
