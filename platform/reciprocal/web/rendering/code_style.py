"""The light code style of the review pages: a Pygments style whose every colour keeps WCAG AA
contrast (4.5:1) on white and on each background a code line can have (added, deleted, the
word-level marks inside changed lines, a selected line, a hunk header).

`tests/unit/web/test_code_style.py` checks every colour against every background, so a colour
changed here cannot quietly fall below AA."""

from __future__ import annotations

from functools import cache

from pygments.formatters import HtmlFormatter
from pygments.style import Style
from pygments.token import (
    Comment,
    Error,
    Generic,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Token,
)

INK = "#1f2328"

# Every background a highlighted token can sit on; app.css uses the same values.
BACKGROUNDS = {
    "page": "#ffffff",
    "added": "#e6ffec",
    "deleted": "#ffebe9",
    "added-word": "#abf2bc",
    "deleted-word": "#ffcecb",
    "selected": "#fff6cc",
    "hunk": "#ddf4ff",
}


class ReciprocalLight(Style):
    """Dark, saturated text colours on light backgrounds (after GitHub's light theme, darkened
    where a colour missed AA on the word marks)."""

    name = "reciprocal-light"
    background_color = BACKGROUNDS["page"]
    highlight_color = BACKGROUNDS["selected"]
    styles = {
        Token: INK,
        Text: INK,
        Error: "#82071e",
        Comment: "italic #505a66",
        Comment.Preproc: "noitalic #a40e26",
        Keyword: "#a40e26",
        Keyword.Constant: "#0550ae",
        Keyword.Type: "#953800",
        Operator: INK,
        Operator.Word: "#a40e26",
        Punctuation: INK,
        Name: INK,
        Name.Builtin: "#953800",
        Name.Builtin.Pseudo: "#0550ae",
        Name.Function: "#6639ba",
        Name.Class: "bold #6639ba",
        Name.Decorator: "#6639ba",
        Name.Exception: "#953800",
        Name.Namespace: "#953800",
        Name.Tag: "#116329",
        Name.Attribute: "#0550ae",
        Name.Variable: "#953800",
        Name.Constant: "#0550ae",
        Name.Label: "#953800",
        Number: "#0550ae",
        String: "#0a3069",
        String.Escape: "#0550ae",
        String.Regex: "#116329",
        String.Doc: "italic #0a3069",
        Generic.Heading: "bold #0550ae",
        Generic.Subheading: "bold #0550ae",
        Generic.Deleted: "#82071e",
        Generic.Inserted: "#116329",
        Generic.Emph: "italic",
        Generic.Strong: "bold",
        Generic.Error: "#82071e",
        Generic.Traceback: "#82071e",
    }


@cache
def stylesheet() -> str:
    """The CSS for `.highlight` code (file view and diffs), built once per process."""
    formatter = HtmlFormatter(style=ReciprocalLight)
    rules = "\n".join(formatter.get_token_style_defs(".highlight"))
    return f"/* Generated from reciprocal.web.rendering.code_style.ReciprocalLight */\n{rules}\n"
