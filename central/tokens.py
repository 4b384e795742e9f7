"""The hub's shared-secret tokens (head office's admin API, the CRM feed): each read once from
its environment variable when the hub starts, refused there when too weak, and compared in
constant time on each request."""

from __future__ import annotations

import hmac

from fastapi.security import HTTPAuthorizationCredentials

from central.errors import AdminProblem, NotFound, Unauthorized

MIN_TOKEN = 32


def check_token(token: str | None, variable: str) -> str | None:
    """The token given in ``$variable`` (None: what it guards is off), or AdminProblem for one too weak."""
    if token is None or not token.strip():
        return None
    token = token.strip()
    if len(token) < MIN_TOKEN or token.startswith("kt1."):
        raise AdminProblem(f"${variable} must be at least {MIN_TOKEN} characters and no till's "
                           "credential (kt1....): make one with  python -c 'import secrets; print(secrets.token_urlsafe(32))'")
    return token


def require_token(expected: str | None, bearer: HTTPAuthorizationCredentials | None, *, off: str, wrong: str) -> None:
    """404 ``off`` when no token was set (the API is off), 401 ``wrong`` unless the bearer is it."""
    if expected is None:
        raise NotFound(off)
    given = "" if bearer is None else bearer.credentials
    if not hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode()):
        raise Unauthorized(wrong)
