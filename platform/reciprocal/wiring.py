"""Who reacts to what: every cross-domain event and its receivers, in one place.

`connect_signals` runs in create_app. Connecting is idempotent (blinker keeps one entry per
receiver), so the many apps of the test suite share one set of connections. Receivers run in the
order listed, inside the sender's transaction.
"""

from __future__ import annotations

from .core import signals
from .grading import operations as grading
from .integrations.greenhouse import operations as greenhouse
from .notify import webhooks
from .outcomes import operations as outcomes
from .review import panels
from .similarity import operations as similarity


def connect_signals() -> None:
    signals.submission_received.connect(grading.on_submission_received, weak=False)
    signals.submission_received.connect(outcomes.acknowledge_submission, weak=False)
    signals.submission_received.connect(webhooks.on_submission_received, weak=False)
    signals.submission_received.connect(panels.on_submission_received, weak=False)
    signals.grading_completed.connect(webhooks.on_grading_completed, weak=False)
    signals.grading_completed.connect(similarity.on_grading_completed, weak=False)
    signals.scorecard_submitted.connect(webhooks.on_scorecard_submitted, weak=False)
    signals.grading_completed.connect(greenhouse.on_grading_completed, weak=False)
    signals.scorecard_submitted.connect(greenhouse.on_scorecard_submitted, weak=False)
    signals.decision_sent.connect(webhooks.on_decision_sent, weak=False)
