"""The sync package's one error root.  Every problem talking to the hub is a ``SyncError``
(a ``pos.errors.PosError``, so the UI explains it in the cashier's language) carrying
structured fields: ``hub`` (the address), ``status`` (HTTP status or None), ``code``
(the hub's short error code, or ours), ``reason`` (one line for a person).

``retryable`` says whether trying again later can help: a dropped connection or a 503
can, a refused credential or a malformed answer cannot (until someone fixes something).
"""

from __future__ import annotations

from typing import Any

from pos.errors import PosError
from pos.i18n import N_


class SyncError(PosError):
    message = N_("The hub at {hub} could not be used: {reason}")
    retryable = False

    def __init__(self, message: str | None = None, /, **fields: Any) -> None:
        fields.setdefault("hub", "?")
        fields.setdefault("reason", "")
        fields.setdefault("status", None)
        fields.setdefault("code", type(self).__name__)
        super().__init__(message, **fields)

    @property
    def reason(self) -> str:
        return str(self.fields["reason"])

    @property
    def status(self) -> int | None:
        status = self.fields["status"]
        return None if status is None else int(status)

    @property
    def code(self) -> str:
        return str(self.fields["code"])


class HubUnreachable(SyncError):
    """The network or the hub broke the request (connection refused, timeout, 5xx, 429):
    nothing it carried is known to be stored; the same request is safe to send again."""

    message = N_("The hub at {hub} cannot be reached: {reason}")
    retryable = True


class HubNotTrusted(SyncError):
    """TLS: the hub's certificate does not verify (an unknown CA, a wrong name, expired), or
    the configured CA bundle cannot be read.  Nothing was sent; trying again does not help
    until IT fixes the certificate or ``ca_bundle``.  (The general message: its ``reason``
    says what to do.)"""


class CredentialRefused(SyncError):
    """401: the till's credential is wrong or was revoked; IT must enrol the till again."""

    message = N_(
        "The hub at {hub} refused this till's credential (wrong or revoked). "
        "Ask IT for a new enrolment code and run: kassa enrol --hub URL --code CODE"
    )


class EnrolmentRefused(SyncError):
    message = N_("The hub at {hub} refused the enrolment code: {reason}")


class CredentialMissing(SyncError):
    """No credential stored, or no way to store one on this machine."""

    message = N_("This till has no hub credential: {reason}")


class BadAnswer(SyncError):
    """The hub's answer is not what the protocol says (malformed, truncated, too large,
    schema-violating): nothing from it is used."""

    message = N_("The hub at {hub} sent an answer the till cannot use: {reason}")


class RequestRefused(SyncError):
    """A 4xx other than 401: the request itself is wrong (a bug, or a too large batch)."""

    message = N_("The hub at {hub} refused the request: {reason}")


class SaleNotAtHub(SyncError):
    """GET /v1/sales/{id}: the hub holds no such sale (404 sale_not_found): the till that sold
    it may not have sent it yet, or the code names no sale."""

    message = N_("The hub does not have this sale (yet): the till that sold it may not have sent it.")


class SaleOfAnotherStore(SyncError):
    """GET /v1/sales/{id}: another store sold it (404 sale_of_another_store)."""

    message = N_("This sale was made in another store: it cannot be returned here.")


class HubAddressInvalid(SyncError):
    """The hub address (``hub_url``) is not one httpx can use: no ``http://`` or ``https://``,
    a bad port, a control character.  Nothing was sent; IT must fix the setting.  (The
    general message: its ``reason`` says what to do.)"""


class RequestNotSent(SyncError):
    """The till could not put its own request on the wire (a stored credential holding
    characters an HTTP header cannot carry): not the hub's fault, and not a sale's.  (The
    general message.)"""


class NetworkSettingsUnusable(SyncError):
    """The computer's proxy or CA variables (``HTTPS_PROXY``, ``ALL_PROXY``, ``SSL_CERT_FILE``...)
    are ones the HTTP client cannot use: nothing can be sent until IT fixes them; not a
    sale's fault.  (The general message.)"""
