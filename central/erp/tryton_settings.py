"""Where the hub finds Tryton: ``$KASSA_ERP_URL``, ``$KASSA_ERP_DATABASE`` and ``$KASSA_ERP_USER``
(the same for the master-data pull), or else the address ``kassa-hub erp connect`` saved in the
hub's database.  The password is never saved: it comes from ``$KASSA_ERP_PASSWORD`` or from the
file named by ``$KASSA_ERP_PASSWORD_FILE`` (one line, readable by the hub's user only), read each
time the connector signs in, and it is never printed, logged or put on a command line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from central.errors import AdminProblem

URL_VARIABLE, DATABASE_VARIABLE, USER_VARIABLE = "KASSA_ERP_URL", "KASSA_ERP_DATABASE", "KASSA_ERP_USER"
PASSWORD_VARIABLE = "KASSA_ERP_PASSWORD"
PASSWORD_FILE_VARIABLE = "KASSA_ERP_PASSWORD_FILE"
# the till's tenders -> Tryton's payment methods (sale.point.payment.method by name)
PAYMENT_METHODS = {"cash": "Cash", "card": "Card", "points": "Points", "gift_card": "Gift card"}


def read_password(environ: Mapping[str, str] = os.environ) -> str:
    if environ.get(PASSWORD_VARIABLE):
        return environ[PASSWORD_VARIABLE]
    name = environ.get(PASSWORD_FILE_VARIABLE)
    if not name:
        raise AdminProblem(f"no Tryton password: set ${PASSWORD_VARIABLE} or ${PASSWORD_FILE_VARIABLE} "
                           "(a file holding it)")
    try:
        password = Path(name).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise AdminProblem(f"cannot read the Tryton password file {name}: {error.strerror or error}") from None
    if not password:
        raise AdminProblem(f"the Tryton password file {name} is empty")
    return password


@dataclass(frozen=True)
class TrytonSettings:
    url: str  # http://erp.example:8000/
    database: str
    user: str
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ, repr=False, compare=False)
    timeout: float = 30.0
    methods: Mapping[str, str] = field(default_factory=lambda: dict(PAYMENT_METHODS))

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise AdminProblem(f"the Tryton URL must start with http:// or https://, not {self.url[:60]!r}")
        if not self.url.endswith("/"):
            object.__setattr__(self, "url", self.url + "/")

    @property
    def rpc_url(self) -> str:
        return f"{self.url}{self.database}/rpc/"

    def password(self) -> str:
        return read_password(self.environ)

    def method_name(self, tender: str) -> str:
        return self.methods.get(tender, tender)


def settings_from(environ: Mapping[str, str], saved: tuple[str, str, str] | None) -> TrytonSettings:
    """The environment's address, else the saved one (url, database, user)."""
    url, database, user = saved or ("", "", "")
    url = environ.get(URL_VARIABLE) or url
    database = environ.get(DATABASE_VARIABLE) or database
    user = environ.get(USER_VARIABLE) or user
    if not (url and database and user):
        raise AdminProblem(f"the hub is not connected to Tryton: run kassa-hub erp connect --url URL --erp-database "
                           f"NAME --user USER, or set ${URL_VARIABLE}, ${DATABASE_VARIABLE} and ${USER_VARIABLE}")
    return TrytonSettings(url, database, user, environ=environ)
