"""The HTML of one diff row, written in Python rather than in the Changes template.

A changes page holds thousands of rows; a Jinja loop that looks up a dozen attributes per row
spent most of the page's time there. Every piece of text is escaped here (line numbers, hunk
headers, the file's URL); a cell's html is already safe (Pygments or diffview.render).
"""

from __future__ import annotations

from collections.abc import Iterator

from markupsafe import Markup, escape

from .diffview import Cell, Row

MARKERS = {"add": "+", "del": "\u2212"}  # a minus sign, as the summary shows


def _comment_link(number: int, file_url: str) -> str:
    return (f'<a href="{file_url}?line={number}#comment-form" data-line="{number}" '
            f'aria-label="Comment on line {number}">{number}</a>')


def _split_side(cell: Cell | None, file_url: str | None) -> str:
    if cell is None:
        return '<td class="ln empty"></td><td class="src empty"></td>'
    number = "" if cell.number is None else str(cell.number)
    if file_url is not None and cell.number is not None:
        number = _comment_link(cell.number, file_url)
    return (f'<td class="ln {cell.kind}">{number}</td>'
            f'<td class="src {cell.kind}"><pre>{cell.html}</pre></td>')


def row_html(row: Row, split: bool, file_url: str) -> str:
    """One `<tr>`; `file_url` must already be escaped."""
    columns = 4 if split else 3
    if row.kind == "hunk":
        return f'<tr class="hunk"><td colspan="{columns}"><pre>{escape(row.text)}</pre></td></tr>'
    if row.kind == "fold":
        plural = "" if row.text == "1" else "s"
        return (f'<tr class="fold-row" hidden data-fold="{row.fold}"><td colspan="{columns}">'
                f'<button class="link unfold" type="button" data-unfold="{row.fold}">'
                f'Show {escape(row.text)} unchanged line{plural}</button></td></tr>')
    folded = f' data-folded="{row.fold}"' if row.fold else ""
    if split:
        return (f'<tr class="{row.kind}"{folded}>{_split_side(row.old, None)}'
                f'{_split_side(row.new, file_url)}</tr>')
    old = row.old.number if row.old is not None and row.old.number is not None else ""
    new = ""
    if row.new is not None and row.new.number is not None:
        new = _comment_link(row.new.number, file_url)
    cell = row.new or row.old
    return (f'<tr class="{row.kind}"{folded}><td class="ln">{old}</td><td class="ln">{new}</td>'
            f'<td class="src"><pre><span class="marker" aria-hidden="true">'
            f'{MARKERS.get(row.kind, " ")}</span>{cell.html if cell else ""}</pre></td></tr>')


def diff_rows(rows: list[Row], layout: str, file_url: str) -> Iterator[tuple[Row, Markup]]:
    """Each row with its HTML, for the template to add the comment threads below."""
    split = layout == "split"
    url = str(escape(file_url))
    for row in rows:
        yield row, Markup(row_html(row, split, url))  # noqa: S704 -- built from escaped parts
