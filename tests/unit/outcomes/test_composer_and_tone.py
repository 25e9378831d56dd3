"""Pure logic of outcomes: composer drafts, the tone check, business days, SVG escaping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from reciprocal.core.business_days import business_days_between
from reciprocal.outcomes import composer, tone
from reciprocal.outcomes.process_health import Bar
from reciprocal.web.rendering.charts import bar_chart

BASE = composer.ComposerInput(
    outcome="reject",
    candidate_name="Ada <Lovelace>",
    role_title="Backend Engineer",
    team="Payments",
    assignment_title="Customer directory",
    reason="Demonstrable experience with PostgreSQL",
    strengths=(
        composer.Strength("directory/parser.py", 4, 9, "Lovely `parse_rows()` and BOM handling"),
        composer.Strength("directory/index.py", 2, 2, "clean build_index( call"),
    ),
    scores=(("Correctness", "great"), ("Testing", "mediocre"), ("Code design", "good")),
    topics=(composer.Topic("directory/index.py", "question"),),
)


def test_same_inputs_give_the_same_draft_whatever_the_order() -> None:
    shuffled = composer.ComposerInput(
        **{
            **BASE.__dict__,
            "strengths": tuple(reversed(BASE.strengths)),
            "scores": tuple(reversed(BASE.scores)),
        }
    )
    first, second = composer.compose(BASE), composer.compose(shuffled)
    assert (first.subject, first.text, first.html) == (second.subject, second.text, second.html)


def test_rejection_is_thankful_specific_and_passes_its_own_tone_check() -> None:
    draft = composer.compose(BASE)
    assert "Thank you for the time" in draft.text
    assert "Lovely `parse_rows()` and BOM handling (directory/parser.py, lines 4-9)." in draft.text
    assert "Clean build_index() call (directory/index.py, line 2)." in draft.text
    assert "correctness stood out" in draft.text
    assert "testing" not in draft.text.lower()  # the mediocre criterion is not mentioned
    assert "demonstrable experience with PostgreSQL" in draft.text
    assert tone.check(draft.text) == []
    assert "Ada &lt;Lovelace&gt;" not in draft.subject  # the subject is plain text
    assert "&lt;Lovelace&gt;" not in draft.html  # only the first name is used ...
    hostile = composer.compose(composer.ComposerInput(**{**BASE.__dict__, "team": "<i>x</i>"}))
    assert "&lt;i&gt;x&lt;/i&gt;" in hostile.html  # ... and every value is escaped in HTML


def test_advance_lists_topics_and_holds_criticism_for_the_interview() -> None:
    data = composer.ComposerInput(
        **{
            **BASE.__dict__,
            "outcome": "advance",
            "topics": (
                composer.Topic("directory/index.py", "question"),
                composer.Topic("directory/index.py", "concern"),
                composer.Topic("server.py", "concern"),
            ),
        }
    )
    draft = composer.compose(data)
    assert "your choices in directory/index.py" in draft.text
    assert "your choices in server.py" in draft.text
    assert "2 constructive points" in draft.text


def test_admin_templates_are_sandboxed() -> None:
    evil = composer.TemplateSource("{{ ''.__class__.__mro__ }}", "x", "y")
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        composer.compose(BASE, {"rejection": evil})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your tests were weak and the code was poorly structured.", ["weak", "poorly"]),
        ("You didn't handle errors; that's a MISTAKE.", ["didn't", "mistake"]),
        ("It lacked tests and had a lack of structure.", ["lacked", "lack of"]),
        ("Thank you for the thoughtful, careful work.", []),
        ("Bad-ass results", ["bad"]),
        ("A badge of honour; weakly typed languages", []),
    ],
)
def test_tone_check(text: str, expected: list[str]) -> None:
    assert tone.check(text) == expected


def test_business_days_skip_weekends() -> None:
    friday = datetime(2026, 11, 20, 12, tzinfo=UTC)
    monday = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert business_days_between(friday, monday) == 1
    assert business_days_between(friday, friday) == 0
    assert business_days_between(friday, datetime(2026, 11, 27, 13, tzinfo=UTC)) == 5


def test_svg_chart_escapes_labels() -> None:
    svg = str(bar_chart("<t>", [Bar("<script>", 2, 1)], "days", "promise"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.startswith("<svg") and "#c2410c" in svg  # over the promise: highlighted


def test_a_rejection_never_names_a_flag_even_when_a_strength_comment_does() -> None:
    """A strength comment's clauses that mention a flag are dropped, so the flag does not reach
    the message; and the tone check holds any wording that names one."""
    flagged = composer.ComposerInput(**{**BASE.__dict__, "strengths": (
        composer.Strength("vat.py", 3, 8, "Good `round_vat()` despite the similarity flag and "
                                          "AI-generated look; integrity warning aside"),)})
    draft = composer.compose(flagged)
    text = (draft.subject + draft.text + draft.html).lower()
    assert not any(phrase in text for phrase in tone.FLAG_PHRASES), text
    assert tone.check(draft.text) == []
    assert tone.check("Your code was copied, and AI-generated; a similarity flag.") == [
        "copied", "ai-generated", "similarity"]
