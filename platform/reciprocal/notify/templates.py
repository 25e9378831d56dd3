"""Every message the platform mails, as templates in one registry, and the one way any message
template (these, and the composer's admin-editable ones) is rendered.

Subjects and text bodies are plain text. An HTML part is rendered with autoescape on from a
context whose every string (in lists too) was escaped first, so no template, an admin's edited
one included, can put a candidate's name, question or note into the HTML unescaped: not even
with `|safe` or an `autoescape false` block. A subject loses its line breaks (a mail header
cannot be split). Callers format dates and numbers into the context: templates only place them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape


@dataclass(frozen=True)
class TemplateSource:
    subject: str
    text: str
    html: str = ""  # none: the message is sent as plain text only


_text_env = ImmutableSandboxedEnvironment(autoescape=False, keep_trailing_newline=True)
_html_env = ImmutableSandboxedEnvironment(autoescape=True, keep_trailing_newline=True)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list | tuple):
        return [_escaped(item) for item in value]
    return value


def render(source: TemplateSource, context: dict[str, Any]) -> tuple[str, str, Markup]:
    """Subject, text and HTML (empty when the template has none)."""
    subject = _text_env.from_string(source.subject).render(context)
    subject = " ".join(subject.split())
    text = _text_env.from_string(source.text).render(context)
    html = Markup("")
    if source.html:
        safe_context = {key: _escaped(value) for key, value in context.items()}
        # Autoescaped output of escaped values: markup the template wrote, nothing else.
        html = Markup(_html_env.from_string(source.html).render(safe_context))  # noqa: S704
    return subject, text, html


MESSAGES: dict[str, TemplateSource] = {
    # To the candidate.
    "answer": TemplateSource(
        subject="An answer to your question about {{ assignment_title }}",
        text="""Hi {{ candidate_name }},

You asked:

{{ question }}

Our answer:

{{ answer }}

The {{ team }} team
""",
    ),
    "extension": TemplateSource(
        subject="{% if approved %}You have {{ minutes }} more minutes for {{ assignment_title }}"
                "{% else %}About your request for more time on {{ assignment_title }}{% endif %}",
        text="""Hello {{ candidate_name }},

{% if approved %}{{ when }}; pushes and uploads stay open until then (plus the usual grace), \
and our promise to answer counts from when you submit.{% if reason %}

From the team: {{ reason }}{% endif %}{% else %}We could not add the time you asked for.

{{ reason }}

Your deadline stays as it was.{% endif %}

Your candidate page has the details; use the link from your invitation email.""",
    ),
    "invitation": TemplateSource(
        subject="Your take-home for {{ role_title }}",
        text="""Hello {{ greeting }},

thank you for applying to {{ role_title }} in {{ team }}. The next step is a take-home \
assignment, {{ assignment_title }}, with a time cap of {{ time_cap }}. The salary band of the \
role is {{ salary_band }}.

Your private link, where you can read the whole process, the ownership terms and the \
evaluation criteria before you begin, and start the clock whenever you are ready:

{{ portal_url }}

Please start by {{ start_by }}. Keep this link to yourself: it is your access to the assignment.
""",
    ),
    "similarity_explain": TemplateSource(
        subject="A question about your {{ assignment_title }} submission",
        text="""Hello {{ candidate_name }},

{{ question }}

You can answer on your candidate page (the link in your invitation email). Nothing is decided \
before we have read your answer.""",
    ),
    "rescore_candidate": TemplateSource(
        subject="Your {{ assignment_title }} result was re-scored",
        text="Hello {{ candidate_name }}, we found and fixed a mistake in one of the hidden tests "
             "of {{ assignment_title }}, and re-ran your submission on the fixed tests. "
             "{{ summary }} Your invitation link shows the new result.",
        html="<p>Hello {{ candidate_name }}, we found and fixed a mistake in one of the hidden "
             "tests of {{ assignment_title }}, and re-ran your submission on the fixed tests. "
             "{{ summary }} Your invitation link shows the new result.</p>",
    ),
    # To staff.
    "rescore_reviewer": TemplateSource(
        subject="Re-scored: submission {{ submission_id }} ({{ assignment_title }})",
        text="A hidden test of {{ assignment_title }} was fixed and submission "
             "{{ submission_id }} was re-scored on the fixed tests. {{ summary }} The earlier "
             "result stays visible as superseded.",
        html="<p>A hidden test of {{ assignment_title }} was fixed and submission "
             "{{ submission_id }} was re-scored on the fixed tests. {{ summary }} The earlier "
             "result stays visible as superseded.</p>",
    ),
    "staff_digest": TemplateSource(
        subject="Candidate {{ candidate_code }} {{ summary }}",
        text="""Candidate {{ candidate_code }} ({{ role_title }}, {{ assignment_title }}):
{% for item in items %}
{{ item }}
{% endfor %}
{% if questions %}Answer questions at {{ base_url }}/outcomes/questions
{% endif %}{% if time_requests %}Approve or decline requests for more time at \
{{ base_url }}/dashboard#time-requests
{% endif %}
You hear about a candidate at most once every {{ window }} minutes: what they send meanwhile \
comes together in the next message.
""",
    ),
}
