"""The hub's one error root.  Each error knows its HTTP status and its short code, so the
API answers ``{"error": code, "detail": text}`` and the admin command prints the text."""

from __future__ import annotations


class HubError(Exception):
    """Something the hub refuses, explained in one line for a person."""

    status = 400
    code = "bad_request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BadRequest(HubError):
    status, code = 400, "bad_request"


class Unauthorized(HubError):
    status, code = 401, "unauthorized"


class EnrolmentRefused(HubError):
    status, code = 403, "enrolment_refused"


class NotFound(HubError):
    status, code = 404, "not_found"


class UnknownDataset(HubError):
    status, code = 404, "unknown_dataset"


class TooLarge(HubError):
    status, code = 413, "too_large"


class DatabaseUnavailable(HubError):
    status, code = 503, "database_unavailable"


class AdminProblem(HubError):
    """Bad input to an admin command: an unknown store or till, a bad catalog row."""

    status, code = 400, "bad_input"
