"""SQLAlchemy 2.0 typed models, one module per aggregate."""

from .assignment import Assignment, AssignmentVersion
from .audit import AuditEvent
from .authoring import (
    AssignmentPublication,
    AssignmentRepository,
    AssignmentValidation,
    ValidationStatus,
)
from .disclosure import AiDisclosure
from .fairness import Accommodation, ExtensionRequest, ResultNote
from .grading import GradingRun, GradingStatus, TestResult
from .invitation import Invitation
from .outcome import (
    Answer,
    CandidateFeedback,
    Decision,
    InterviewerFeedback,
    Message,
    MessageTemplate,
    Question,
    StaffNotice,
    Webhook,
    WebhookDelivery,
)
from .rescore import Rescore
from .review import InterviewNote, ReviewAssignment, ReviewComment, Score, Scorecard
from .role import Role
from .self_id import SelfIdentification, SelfIdQuestion
from .similarity import (
    ExplanationRequest,
    SimilarityCheck,
    SimilarityDocument,
    SimilarityFingerprint,
    SimilarityHashCount,
    SimilarityMatch,
)
from .snippet import CommentSnippet, CommentSnippetSource
from .submission import Submission
from .types import utcnow
from .user import ApiToken, RecoveryCode, ScimToken, SignInError, StaffRole, User

__all__ = [
    "Accommodation",
    "AiDisclosure",
    "Answer",
    "ApiToken",
    "Assignment",
    "AssignmentPublication",
    "AssignmentRepository",
    "AssignmentValidation",
    "AssignmentVersion",
    "AuditEvent",
    "CandidateFeedback",
    "CommentSnippet",
    "CommentSnippetSource",
    "Decision",
    "ExplanationRequest",
    "ExtensionRequest",
    "GradingRun",
    "GradingStatus",
    "InterviewNote",
    "InterviewerFeedback",
    "Invitation",
    "Message",
    "MessageTemplate",
    "Question",
    "RecoveryCode",
    "Rescore",
    "ResultNote",
    "ReviewAssignment",
    "ReviewComment",
    "Role",
    "ScimToken",
    "Score",
    "Scorecard",
    "SelfIdQuestion",
    "SelfIdentification",
    "SignInError",
    "SimilarityCheck",
    "SimilarityDocument",
    "SimilarityFingerprint",
    "SimilarityHashCount",
    "SimilarityMatch",
    "StaffNotice",
    "StaffRole",
    "Submission",
    "TestResult",
    "User",
    "ValidationStatus",
    "Webhook",
    "WebhookDelivery",
    "utcnow",
]
