"""Specific exceptions raised by services; each surface's error handler turns them into responses.

Every exception carries a message written for the person who caused it and the HTTP status the
JSON and HTML surfaces use.
"""

from __future__ import annotations


class ReciprocalError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(ReciprocalError):
    status_code = 422


class BadRequest(ReciprocalError):
    status_code = 400


class NotFound(ReciprocalError):
    status_code = 404


class Unauthorized(ReciprocalError):
    status_code = 401


class Forbidden(ReciprocalError):
    status_code = 403


class Conflict(ReciprocalError):
    status_code = 409


class TooLarge(ReciprocalError):
    status_code = 413


class InvalidToken(Unauthorized):
    pass


class InvitationExpired(Forbidden):
    pass


class InvitationRevoked(Forbidden):
    pass


class TermsNotAccepted(Conflict):
    pass


class AlreadyAccepted(Conflict):
    pass


class AlreadyStarted(Conflict):
    pass


class NotStarted(Conflict):
    pass


class AlreadySubmitted(Conflict):
    pass


class DeadlinePassed(Forbidden):
    pass


class CodeDeleted(Conflict):
    pass


class UnsafeArchive(InvalidInput):
    pass


class ApplicationDecided(Conflict):
    """The decision was sent: the candidate's link still reads, but changes nothing more."""


class LinkEnded(ReciprocalError):
    """The retention period ended the candidate's link: it opens nothing any more."""

    status_code = 410
