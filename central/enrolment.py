"""Enrolment codes and till credentials.

An administrator makes a one-time code for a store's till; the till exchanges it once for
a credential ``kt1.<id>.<secret>``.  The hub keeps only SHA-256 hashes of codes and
secrets (a secret is 256 random bits: a slow password hash would add nothing) and
compares in constant time.  A new enrolment revokes the till's older credentials.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, update

from central.database import HubDatabase
from central.errors import EnrolmentRefused, Unauthorized
from central.stores import TillIdentity, ensure_till, now, require_till
from central.tables import enrolment_codes, till_credentials

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1: read aloud, typed by hand
CODE_LENGTH = 12  # about 59 bits, valid for hours, usable once
_CREDENTIAL = re.compile(r"kt1\.([A-Za-z0-9_-]{16,32})\.([A-Za-z0-9_-]{32,128})")


@dataclass(frozen=True, slots=True)
class Enrolment:
    till: TillIdentity
    credential: str


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch not in "- \t")


def make_enrolment_code(db: HubDatabase, till: TillIdentity, *, hours: float = 72, at: datetime | None = None) -> str:
    """A new one-time code for ``till`` (added to the store if new), shown as XXXX-XXXX-XXXX."""
    issued = at or now()
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with db.writing() as conn:
        ensure_till(conn, till)
        conn.execute(enrolment_codes.insert().values(
            code_sha256=_sha256(raw), store_id=till.store_id, till_id=till.till_id,
            created_at=issued, expires_at=issued + timedelta(hours=hours),
        ))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def enrol(db: HubDatabase, code: str, device: str, *, at: datetime | None = None) -> Enrolment:
    """Exchange a code for a credential, once.  Two tills racing with one code: one wins."""
    moment = at or now()
    digest = _sha256(normalise_code(code))
    with db.writing() as conn:
        claimed = conn.execute(
            update(enrolment_codes)
            .where(enrolment_codes.c.code_sha256 == digest, enrolment_codes.c.used_at.is_(None),
                   enrolment_codes.c.expires_at > moment)
            .values(used_at=moment, device=device)
            .returning(enrolment_codes.c.store_id, enrolment_codes.c.till_id)
        ).first()
        if claimed is None:
            raise EnrolmentRefused(_why_refused(conn, digest))
        till = TillIdentity(claimed.store_id, claimed.till_id)
        conn.execute(
            update(till_credentials)
            .where(till_credentials.c.store_id == till.store_id, till_credentials.c.till_id == till.till_id,
                   till_credentials.c.revoked_at.is_(None))
            .values(revoked_at=moment)
        )
        credential_id, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
        conn.execute(till_credentials.insert().values(
            credential_id=credential_id, secret_sha256=_sha256(secret), store_id=till.store_id,
            till_id=till.till_id, device=device, created_at=moment,
        ))
    return Enrolment(till, f"kt1.{credential_id}.{secret}")


def _why_refused(conn: Connection, digest: str) -> str:
    row = conn.execute(
        select(enrolment_codes.c.used_at).where(enrolment_codes.c.code_sha256 == digest)
    ).first()
    if row is None:
        return "unknown enrolment code"
    if row.used_at is not None:
        return "this enrolment code was used already: ask for a new one"
    return "this enrolment code has expired: ask for a new one"


def till_for_credential(db: HubDatabase, authorization: str | None) -> TillIdentity:
    """The till a ``Bearer kt1...`` header belongs to; Unauthorized otherwise."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send Authorization: Bearer kt1.<id>.<secret>")
    match = _CREDENTIAL.fullmatch(token.strip())
    if not match:
        raise Unauthorized("malformed credential")
    credential_id, secret = match.groups()
    with db.reading() as conn:
        row = conn.execute(
            select(till_credentials.c.secret_sha256, till_credentials.c.revoked_at,
                   till_credentials.c.store_id, till_credentials.c.till_id)
            .where(till_credentials.c.credential_id == credential_id)
        ).first()
    if row is None or not hmac.compare_digest(row.secret_sha256, _sha256(secret)):
        raise Unauthorized("unknown credential")
    if row.revoked_at is not None:
        raise Unauthorized("this credential was revoked: enrol the till again")
    return TillIdentity(row.store_id, row.till_id)


def revoke(db: HubDatabase, till: TillIdentity, *, at: datetime | None = None) -> int:
    """Revoke every live credential of a till; the number revoked."""
    with db.writing() as conn:
        require_till(conn, till)
        result = conn.execute(
            update(till_credentials)
            .where(till_credentials.c.store_id == till.store_id, till_credentials.c.till_id == till.till_id,
                   till_credentials.c.revoked_at.is_(None))
            .values(revoked_at=at or now())
        )
        return int(result.rowcount or 0)
