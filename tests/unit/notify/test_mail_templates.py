"""Every mail template (the platform's own messages, the lines of staff digests, and the
composer's admin-editable ones)
rendered with hostile values in every variable: the HTML part carries only the template's own
markup, every value escaped, and no subject can be split into a second header."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup
from reciprocal.notify import templates
from reciprocal.notify.digest import ITEMS
from reciprocal.notify.templates import MESSAGES, TemplateSource
from reciprocal.outcomes.composer import DEFAULT_TEMPLATES

HOSTILE = ("Eve <script>alert(1)</script><img src=x onerror=alert(2)> & \"q\" 'a'"
           "\r\nBcc: victim@example.com")
TAGS = {"p", "br", "ul", "li", "code", "strong"}
# An admin's edited template that tries to let a value through unescaped.
ADMIN_EDITED = TemplateSource(
    subject="{{ first_name }}\n{{ role_title }}",
    text="{{ candidate_name }}",
    html="<p>{{ first_name|safe }}</p>{% autoescape false %}<p>{{ candidate_name }}</p>"
         "{% endautoescape %}<ul>{% for item in liked %}<li>{{ item|safe }}</li>{% endfor %}</ul>",
)
ALL = {**{f"message:{k}": v for k, v in MESSAGES.items()},
       **{f"digest-item:{k}": v for k, v in ITEMS.items()},
       **{f"composer:{k}": v for k, v in DEFAULT_TEMPLATES.items()},
       "admin-edited": ADMIN_EDITED}


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _variables(source: TemplateSource) -> tuple[set[str], set[str]]:
    """The names a template reads, and those it loops over."""
    env = ImmutableSandboxedEnvironment()
    names: set[str] = set()
    loops: set[str] = set()
    for part in (source.subject, source.text, source.html):
        tree = env.parse(part)
        names |= {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
        loops |= {f.iter.name for f in tree.find_all(nodes.For) if isinstance(f.iter, nodes.Name)}
    loop_targets = {t.name for part in (source.subject, source.text, source.html)
                    for f in env.parse(part).find_all(nodes.For)
                    for t in f.find_all(nodes.Name) if t.ctx == "store"}
    return names - loop_targets - {"loop"}, loops


def _contexts(source: TemplateSource) -> list[dict[str, object]]:
    """Every variable hostile; then each one empty in turn (the other side of its `if`)."""
    names, loops = _variables(source)
    full: dict[str, object] = {n: [HOSTILE, HOSTILE] if n in loops else HOSTILE for n in names}
    return [full] + [{**full, name: [] if name in loops else ""} for name in sorted(names)]


@pytest.mark.parametrize("name", sorted(ALL))
def test_hostile_values_never_become_markup_or_headers(name: str) -> None:
    source = ALL[name]
    assert _variables(source)[0], f"{name} reads no value: nothing to test"
    for index, context in enumerate(_contexts(source)):
        subject, _text, html = templates.render(source, context)
        assert "\n" not in subject and "\r" not in subject, name
        assert isinstance(html, Markup)
        if not source.html:
            assert html == ""
            continue
        parsed = _Markup()
        parsed.feed(str(html))
        assert {tag for tag, _ in parsed.tags} <= TAGS, (name, html)
        assert all(not attrs for _, attrs in parsed.tags), (name, html)
        assert "<script" not in html and "<img" not in html
        if index == 0:  # every value hostile: each shows, escaped
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, (name, html)


def test_the_admin_edited_template_escapes_in_every_part() -> None:
    _subject, _text, html = templates.render(ADMIN_EDITED, {
        "first_name": HOSTILE, "candidate_name": HOSTILE, "role_title": "x",
        "liked": [HOSTILE]})
    assert html.count("&lt;script&gt;") == 3 and "<script" not in html
