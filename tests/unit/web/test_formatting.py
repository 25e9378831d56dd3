from datetime import UTC, datetime, timedelta

from reciprocal.web.rendering.formatting import waited

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def test_waited_reads_like_a_person_would_say_it() -> None:
    assert waited(NOW - timedelta(minutes=12), NOW) == "12 min"
    assert waited(NOW - timedelta(hours=5, minutes=10), NOW) == "5 h 10 min"
    assert waited(NOW - timedelta(days=1, hours=2), NOW) == "1 day 2 h"
    assert waited(NOW - timedelta(days=3, hours=4), NOW) == "3 days 4 h"
    assert waited(NOW + timedelta(minutes=5), NOW) == "0 min"


def test_prose_renders_a_safe_subset_of_markdown() -> None:
    from reciprocal.web.rendering.formatting import prose

    html = str(prose("We read **every** submission.\nReally.\n\n1. **Correctness**: the `API`\n"
                     "   works.\n2. Design <script>alert(1)</script>\n\n- a\n- b"))
    assert html.startswith("<p>We read <strong>every</strong> submission. Really.</p>")
    assert "<ol><li><strong>Correctness</strong>: the <code>API</code> works.</li>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert html.endswith("<ul><li>a</li><li>b</li></ul>")
    assert str(prose("")) == ""


def test_duration_to_the_minute() -> None:
    from reciprocal.web.rendering.formatting import duration

    assert duration(None) == "0 min" and duration(45 * 60) == "45 min"
    assert duration(3 * 3600) == "3 h" and duration(2 * 3600 + 5 * 60 + 20) == "2 h 5 min"
    assert duration(119.6 * 60) == "2 h"


def test_a_markdown_document_is_escaped_with_headings_code_quotes_and_tables() -> None:
    from reciprocal.web.rendering.markdown import document

    html = str(document(
        "# Title <b>\n\nSome **bold** text\nwrapped.\n\n```python\nif a < b:\n    x()\n```\n\n"
        "## Part\n\n> **Ticket**: it <i>broke</i>\n>\n> 1. first\n\n"
        "| name | what |\n| --- | --- |\n| `a` | <script>x</script> |\n\n- one\n- two\n", 3))
    assert html.startswith("<h3>Title &lt;b&gt;</h3><p>Some <strong>bold</strong> text wrapped.")
    assert "<pre><code>if a &lt; b:\n    x()</code></pre>" in html
    assert "<h4>Part</h4>" in html
    assert ("<blockquote><p><strong>Ticket</strong>: it &lt;i&gt;broke&lt;/i&gt;</p>"
            "<ol><li>first</li></ol></blockquote>") in html
    assert '<th scope="col">name</th>' in html and "<td><code>a</code></td>" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert html.endswith("<ul><li>one</li><li>two</li></ul>")
    assert str(document("###### deep", 3)) == "<h6>deep</h6>"
    assert str(document("")) == ""
    assert str(document("```\nno end <")) == "<pre><code>no end &lt;</code></pre>"
