"""The feedback composer: drafts the message that carries a decision to the candidate.

Pure and deterministic: the same inputs give the same draft, byte for byte (inputs are sorted
before use and nothing reads the clock). What the team liked is said in words: the praising
clauses of the reviewers' strength comments and the top-level description of the best-scored
criteria, rephrased for the candidate by plain_words (which drops any clause with criticism,
a question or a flag in it); concerns and questions never reach a rejection.

Templates are a registry of defaults in code; an admin's edited version (MessageTemplate) is
passed in by the caller. They are rendered in Jinja's sandbox by notify.templates, the HTML
from escaped values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..notify import templates
from ..notify.templates import TemplateSource
from . import plain_words

LEVEL_POINTS = {"great": 3, "good": 2, "mediocre": 1}


@dataclass(frozen=True)
class Strength:
    """A reviewer's strength comment, reduced to where it points in the candidate's code."""

    path: str
    line_start: int
    line_end: int
    body: str


@dataclass(frozen=True)
class Topic:
    """Where a follow-up question or a constructive point sits (never its text)."""

    path: str
    kind: str  # question | concern
    criterion: str = ""


@dataclass(frozen=True)
class ComposerInput:
    outcome: str  # reject | advance
    candidate_name: str
    role_title: str
    team: str
    assignment_title: str
    reason: str = ""
    strengths: tuple[Strength, ...] = ()
    # (criterion, level) for every submitted score; the composer averages per criterion.
    scores: tuple[tuple[str, str], ...] = ()
    topics: tuple[Topic, ...] = ()
    # (criterion, description of its top level) from the assignment's rubric.
    top_levels: tuple[tuple[str, str], ...] = ()


@dataclass
class Draft:
    subject: str
    text: str
    html: str
    context: dict[str, Any] = field(default_factory=dict)


DEFAULT_TEMPLATES: dict[str, TemplateSource] = {
    "rejection": TemplateSource(
        subject="Your application for {{ role_title }}: thank you, {{ first_name }}",
        text="""Hi {{ first_name }},

Thank you for the time and care you put into the {{ assignment_title }} assignment for our \
{{ role_title }} role. Every submission is read by our engineers, and yours was read closely.
{% if liked %}
What the team liked most:
{% for item in liked %}- {{ item }}
{% endfor %}{% endif %}
We have decided not to take your application further for this opening. The one reason: \
{{ reason_sentence }}

This is about the fit with this particular role, not about your worth as an engineer. \
Your code stays yours: you can download it or delete it from your candidate page at any time.

We would be glad to hear how this process felt for you: your candidate page has a short, \
optional form.

With our thanks and best wishes,
The {{ team }} team
""",
        html="""<p>Hi {{ first_name }},</p>
<p>Thank you for the time and care you put into the {{ assignment_title }} assignment for our \
{{ role_title }} role. Every submission is read by our engineers, and yours was read closely.</p>
{% if liked %}<p>What the team liked most:</p>
<ul>{% for item in liked %}<li>{{ item }}</li>{% endfor %}</ul>{% endif %}
<p>We have decided not to take your application further for this opening. The one reason: \
{{ reason_sentence }}</p>
<p>This is about the fit with this particular role, not about your worth as an engineer. \
Your code stays yours: you can download it or delete it from your candidate page at any time.</p>
<p>We would be glad to hear how this process felt for you: your candidate page has a short, \
optional form.</p>
<p>With our thanks and best wishes,<br>The {{ team }} team</p>
""",
    ),
    "advance": TemplateSource(
        subject="Your application for {{ role_title }}: let's talk, {{ first_name }}",
        text="""Hi {{ first_name }},

Thank you for your work on the {{ assignment_title }} assignment. We would like to invite you \
to the follow-up interview for our {{ role_title }} role.

{{ walkthrough }}
{% if liked %}
What the team liked most:
{% for item in liked %}- {{ item }}
{% endfor %}{% endif %}{% if topics %}
In the interview we would like to talk through your own code with you, in particular:
{% for item in topics %}- {{ item }}
{% endfor %}{% endif %}
{% if constructive %}Our reviewers also noted {{ constructive }} constructive \
point{{ 's' if constructive != 1 else '' }} that we will share with you in that \
conversation, where you can respond in person.
{% else %}Any constructive points from the review will be shared with you in that conversation.
{% endif %}
We will be in touch shortly to find a time that suits you.

Best wishes,
The {{ team }} team
""",
        html="""<p>Hi {{ first_name }},</p>
<p>Thank you for your work on the {{ assignment_title }} assignment. We would like to invite \
you to the follow-up interview for our {{ role_title }} role.</p>
<p>{{ walkthrough }}</p>
{% if liked %}<p>What the team liked most:</p>
<ul>{% for item in liked %}<li>{{ item }}</li>{% endfor %}</ul>{% endif %}
{% if topics %}<p>In the interview we would like to talk through your own code with you, in \
particular:</p>
<ul>{% for item in topics %}<li>{{ item }}</li>{% endfor %}</ul>{% endif %}
<p>{% if constructive %}Our reviewers also noted {{ constructive }} constructive \
point{{ 's' if constructive != 1 else '' }} that we will share with you in that conversation, \
where you can respond in person.{% else %}Any constructive points from the review will be \
shared with you in that conversation.{% endif %}</p>
<p>We will be in touch shortly to find a time that suits you.</p>
<p>Best wishes,<br>The {{ team }} team</p>
""",
    ),
    "acknowledgment": TemplateSource(
        subject="We received your {{ assignment_title }} submission",
        text="""Hi {{ first_name }},

Thank you: we received your submission for the {{ role_title }} role \
(commit {{ commit }}).

Our engineers will read it, and you will hear from us with an answer and a reason by \
{{ answer_by }} at the latest.

You can follow its status, download your code or delete it from your candidate page.

The {{ team }} team
""",
        html="""<p>Hi {{ first_name }},</p>
<p>Thank you: we received your submission for the {{ role_title }} role \
(commit <code>{{ commit }}</code>).</p>
<p>Our engineers will read it, and you will hear from us with an answer and a reason by \
<strong>{{ answer_by }}</strong> at the latest.</p>
<p>You can follow its status, download your code or delete it from your candidate page.</p>
<p>The {{ team }} team</p>
""",
    ),
}

_IDENTIFIER = re.compile(r"`([A-Za-z_][\w.]*(?:\(\))?)`|\b([a-z_][a-z0-9]*_[a-z0-9_]+)\(")


def render(source: TemplateSource, context: dict[str, Any]) -> tuple[str, str, Markup]:
    """Render subject, text and HTML; subject and text are plain text (mail headers/bodies),
    the HTML escapes every value whatever the template says (notify.templates.render)."""
    return templates.render(source, context)


def validate_template(source: TemplateSource) -> None:
    """Raise jinja2.TemplateError if any part does not compile or render with sample data."""
    sample = {
        "first_name": "Sam",
        "candidate_name": "Sam Example",
        "role_title": "Engineer",
        "team": "Team",
        "assignment_title": "Assignment",
        "liked": ["a"],
        "topics": ["b"],
        "constructive": 1,
        "reason_sentence": "reason",
        "reason": "reason",
        "answer_by": "Monday",
        "commit": "abc",
    }
    render(source, sample)


def _identifiers(body: str) -> list[str]:
    names: list[str] = []
    for quoted, called in _IDENTIFIER.findall(body):
        name = (quoted or called).rstrip("()")
        if name and name not in names:
            names.append(name)
    return names


def _lines(strength: Strength) -> str:
    if strength.line_start == strength.line_end:
        return f"line {strength.line_start}"
    return f"lines {strength.line_start}-{strength.line_end}"


def liked_points(data: ComposerInput, limit: int = 5) -> list[str]:
    """What the team liked, in words: the best-scored criteria (with their top level's
    description when the reviewers scored it great), then the strength comments' praise with
    where it points, then strengths with no praise left in words, by file and identifier."""
    points: list[str] = []
    totals: dict[str, list[int]] = {}
    for criterion, level in sorted(data.scores):
        if level in LEVEL_POINTS:
            totals.setdefault(criterion, []).append(LEVEL_POINTS[level])
    ranked = sorted(
        ((sum(v) / len(v), name) for name, v in totals.items()), key=lambda t: (-t[0], t[1])
    )
    phrasings = (
        "Your {name} stood out: it was among the highest-scored parts of your work.",
        "Your {name} also scored well with every reviewer who read it.",
    )
    descriptions = dict(data.top_levels)
    good = [(avg, name) for avg, name in ranked[:2] if avg >= LEVEL_POINTS["good"]]
    for index, (average, name) in enumerate(good):
        worded = ""
        if average >= LEVEL_POINTS["great"] - 0.5:
            worded = plain_words.level_sentence(name, descriptions.get(name, ""))
        points.append(worded or phrasings[index].format(name=name.lower()))
    unworded: dict[str, list[Strength]] = {}
    for strength in sorted(data.strengths, key=lambda s: (s.path, s.line_start, s.line_end,
                                                          s.body)):
        sentence = plain_words.strength_sentence(strength.body)
        if sentence:
            points.append(f"{sentence} ({strength.path}, {_lines(strength)}).")
        else:
            unworded.setdefault(strength.path, []).append(strength)
    for path, items in unworded.items():
        names: list[str] = []
        for item in items:
            names.extend(n for n in _identifiers(item.body) if n not in names)
        where = ", ".join(_lines(i) for i in items[:3])
        if names:
            shown = ", ".join(f"`{n}`" for n in names[:3])
            points.append(f"The approach you took in {shown} ({path}, {where}).")
        else:
            points.append(f"The code you wrote in {path} ({where}).")
    return points[:limit]


def topics(data: ComposerInput, limit: int = 5) -> tuple[list[str], int]:
    """Follow-up topics (one per file or criterion, never the question) and the count of
    constructive points held for the interview."""
    seen: list[str] = []
    for topic in sorted(data.topics, key=lambda t: (t.path, t.criterion, t.kind)):
        label = f"your choices in {topic.path}" if topic.path else f"your {topic.criterion}"
        if topic.criterion and topic.path:
            label += f" ({topic.criterion.lower()})"
        if label not in seen:
            seen.append(label)
    constructive = sum(1 for t in data.topics if t.kind == "concern")
    return seen[:limit], constructive


# The advance message says, before the interview, that it walks through the candidate's own
# submission (review/walkthrough.py builds the plan); recruiters' own templates may use it too.
WALKTHROUGH = (
    "The interview starts from your own submission: we will walk through your code together, "
    "you tell us how you approached it, and we may ask you to make one small change to it "
    "live. There is nothing new to prepare."
)


def reason_sentence(reason: str) -> str:
    reason = reason.strip().rstrip(".")
    if not reason:
        return "the role's requirements are a closer match to other candidates' experience."
    first = reason[0].lower() + reason[1:] if not reason[:2].isupper() else reason
    return (
        f"this role asks for {first}, and for this opening we are continuing with candidates "
        "whose background matches that requirement most closely."
    )


def context_for(data: ComposerInput) -> dict[str, Any]:
    topic_list, constructive = topics(data)
    first = data.candidate_name.split()[0] if data.candidate_name.split() else "there"
    return {
        "first_name": first,
        "candidate_name": data.candidate_name,
        "role_title": data.role_title,
        "team": data.team,
        "assignment_title": data.assignment_title,
        "liked": liked_points(data),
        "topics": topic_list,
        "constructive": constructive,
        "reason": data.reason,
        "reason_sentence": reason_sentence(data.reason),
        "walkthrough": WALKTHROUGH,
    }


def compose(data: ComposerInput, templates: dict[str, TemplateSource] | None = None) -> Draft:
    """Draft the decision message; `templates` overrides the defaults by name."""
    if data.outcome not in ("reject", "advance"):
        raise ValueError(f"unknown outcome {data.outcome!r}")
    name = "rejection" if data.outcome == "reject" else "advance"
    source = (templates or {}).get(name) or DEFAULT_TEMPLATES[name]
    context = context_for(data)
    subject, text, html = render(source, context)
    return Draft(subject=subject, text=text, html=html, context=context)


def text_to_html(text: str) -> Markup:
    """HTML for a recruiter's edited plain text: escaped paragraphs, nothing else."""

    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(p).replace("\n", Markup("<br>\n")) for p in paragraphs
    ) + Markup("\n")
