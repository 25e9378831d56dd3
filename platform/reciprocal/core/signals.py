"""Named events between domains (blinker signals, as Flask uses). A domain sends what happened;
the domains that react are connected to it in one place, `reciprocal.wiring`, when the app is
made, so no domain imports the ones that react to it.

Every signal is sent inside the request's transaction, after the flush that made its rows, and
its receivers only add rows and enqueue jobs after the commit; the sender's caller commits.
"""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()

#: sender: the new Submission (flushed)
submission_received = _events.signal("submission-received")
#: sender: the finished GradingRun
grading_completed = _events.signal("grading-completed")
#: sender: the submitted Scorecard
scorecard_submitted = _events.signal("scorecard-submitted")
#: sender: the sent Decision; keyword `submission`
decision_sent = _events.signal("decision-sent")
