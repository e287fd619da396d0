"""Errors raised by collectors; every message is one line naming platform, problem and fix."""

from __future__ import annotations

from core.errors import SocialError


class CollectorError(SocialError):
    """A collection failed."""


class ApiError(CollectorError):
    """A platform answered with an error."""

    def __init__(
        self,
        message: str,
        *,
        platform: str,
        status: int | None = None,
        code: str | int | None = None,
        retriable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.platform = platform
        self.status = status
        self.code = code
        self.retriable = retriable
        self.retry_after = retry_after


class AuthError(ApiError):
    """The token is missing, invalid or expired: the user must re-authenticate."""


class QuotaExhausted(ApiError):
    """A daily quota is used up: stop this platform now and try again later."""


class PagingLoopError(CollectorError):
    """A paginator was handed a cursor it had already followed."""


class MissingCredentials(CollectorError):
    """No token is configured for a platform."""


class UnexpectedPayload(CollectorError):
    """A platform answered with a shape we do not understand (a missing or malformed field)."""


class QueryTooLarge(ApiError):
    """The platform refused a query as too large (TikTok 40067): ask again in smaller parts."""
