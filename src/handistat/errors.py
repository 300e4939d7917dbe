"""The error types of handistat, mapped once to HTTP status codes and CLI exit codes.

Messages say what was wrong and what to do; they never contain a CPR number.
"""

from __future__ import annotations

from typing import Any, ClassVar

from handistat.masking import mask_cpr, mask_deep


class HandistatError(Exception):
    """Base class: a problem the user can act on (never a bug)."""

    http_status: ClassVar[int] = 400
    exit_code: ClassVar[int] = 1
    code: ClassVar[str] = "ERROR"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        message = mask_cpr(message)  # whatever a caller put in, a CPR never leaves (R-CPR-5)
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = mask_deep(details or {})

    def envelope(self) -> dict[str, Any]:
        """The one JSON error envelope of the API."""
        body: dict[str, Any] = {"error": {"code": self.code, "message": self.message}}
        if self.details:
            body["error"]["details"] = self.details
        return body


class SettingsInvalid(HandistatError):
    code = "SETTINGS_INVALID"
    exit_code = 2


class UsageError(HandistatError):
    code = "USAGE"
    exit_code = 2


class DeliveryRejected(HandistatError):
    """The whole delivery was refused (nothing stored beyond the raw bytes)."""

    http_status = 422
    code = "DELIVERY_REJECTED"


class PayloadTooLarge(HandistatError):
    http_status = 413
    code = "PAYLOAD_TOO_LARGE"


class NotAuthorised(HandistatError):
    http_status = 403
    code = "NOT_AUTHORISED"


class NotAuthenticated(HandistatError):
    http_status = 401
    code = "NOT_AUTHENTICATED"


class NotFound(HandistatError):
    http_status = 404
    code = "NOT_FOUND"


class EmbargoActive(NotFound):
    """Unpublished content looks exactly like missing content to the public (R-PUB-2)."""

    code = "NOT_FOUND"


class Conflict(HandistatError):
    http_status = 409
    code = "CONFLICT"
