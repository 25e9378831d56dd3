"""Jinja filters for dates and durations as people read them."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from markupsafe import Markup, escape

from ...models import utcnow


def waited(since: datetime, now: datetime | None = None) -> str:
    """"3 days 4 h", "5 h 10 min" or "12 min": how long something has been waiting."""
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def duration(seconds: float | None) -> str:
    """"2 h 5 min", "3 h" or "45 min": a length of time, to the minute (rounded)."""
    minutes = round((seconds or 0) / 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


_LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s+")


def inline(text: str) -> str:
    """One line of prose: escaped, then **bold** and `code`."""
    html = str(escape(text))
    html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html)


@lru_cache(maxsize=256)
def prose(text: str | None) -> Markup:
    """A small, safe subset of Markdown for texts authors write in assignment.toml: paragraphs,
    numbered and bulleted lists, **bold** and `code`. Everything is escaped first. A function
    of the text alone, so the last texts' results are kept (the candidate page renders its
    assignment's evaluation text on every view)."""
    blocks = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if _LIST_ITEM.match(lines[0]):
            items: list[str] = []
            for line in lines:
                if _LIST_ITEM.match(line) or not items:
                    items.append(_LIST_ITEM.sub("", line, count=1))
                else:
                    items[-1] += " " + line.strip()
            tag = "ol" if re.match(r"^\s*\d+\.", lines[0]) else "ul"
            blocks.append(f"<{tag}>" + "".join(f"<li>{inline(i)}</li>" for i in items)
                          + f"</{tag}>")
        else:
            blocks.append("<p>" + inline(" ".join(line.strip() for line in lines)) + "</p>")
    return Markup("".join(blocks))  # noqa: S704 - every piece went through escape()
