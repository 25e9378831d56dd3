"""SQLAlchemy 2.0 typed models, one module per aggregate."""

from .assignment import Assignment, AssignmentVersion
from .audit import AuditEvent
from .grading import GradingRun, GradingStatus, TestResult
from .invitation import Invitation
from .review import ReviewAssignment
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
    "Invitation",
    "ReviewAssignment",
    "Role",
    "StaffRole",
    "Submission",
    "TestResult",
    "User",
    "utcnow",
]
