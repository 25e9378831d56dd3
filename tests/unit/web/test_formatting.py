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
