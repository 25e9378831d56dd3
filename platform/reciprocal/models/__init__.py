"""SQLAlchemy 2.0 typed models, one module per aggregate."""

from .assignment import Assignment, AssignmentVersion
from .audit import AuditEvent
from .grading import GradingRun, GradingStatus, TestResult
from .invitation import Invitation
from .review import InterviewNote, ReviewAssignment, ReviewComment, Score, Scorecard
from .role import Role
from .submission import Submission
from .types import utcnow
from .user import ApiToken, StaffRole, User

__all__ = [
    "ApiToken",
    "Assignment",
    "AssignmentVersion",
    "AuditEvent",
    "GradingRun",
    "GradingStatus",
    "InterviewNote",
    "Invitation",
    "ReviewAssignment",
    "ReviewComment",
    "Role",
    "Score",
    "Scorecard",
    "StaffRole",
    "Submission",
    "TestResult",
    "User",
    "utcnow",
]
