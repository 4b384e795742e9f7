"""Where the till keeps its hub credential (``kt1.<id>.<secret>``).

By default in the OS keyring (``keyring``: Windows Credential Manager, macOS Keychain,
Secret Service on Linux), service ``kassa``, user ``<store>/<till>``.  A machine with no
keyring backend (a kiosk Linux without a desktop session) may instead keep it in a file
in the data directory, readable by the till's user only (0600) - but only when IT says so
explicitly, with ``credential_store = "file"`` in ``[sync]`` or ``KASSA_CREDENTIAL_STORE=file``.
The till never falls back to the file silently.  See docs/configuration.md.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sync.errors import CredentialMissing

log = logging.getLogger(__name__)

SERVICE = "kassa"
STORE_VARIABLE = "KASSA_CREDENTIAL_STORE"
CREDENTIAL_FILE = "hub-credential"
NO_KEYRING_ADVICE = (
    "this computer has no keyring service ({backend}). Either start one (e.g. gnome-keyring or "
    "KWallet on Linux), or let the till keep the credential in a file readable only by its user: "
    'set credential_store = "file" in the [sync] section of the settings (or KASSA_CREDENTIAL_STORE=file), '
    "then enrol again. See docs/configuration.md."
)


class CredentialStore(Protocol):
    where: str

    def load(self, account: str) -> str | None: ...

    def save(self, account: str, credential: str) -> None: ...

    def forget(self, account: str) -> None: ...


def account_name(store_id: str, till_id: str) -> str:
    return f"{store_id}/{till_id}"


class KeyringStore:
    """The OS keyring; refuses clearly when the machine has none."""

    where = "the OS keyring"

    def _keyring(self):  # noqa: ANN202 - the keyring module
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            raise CredentialMissing(reason=NO_KEYRING_ADVICE.format(backend=type(backend).__module__))
        return keyring

    def load(self, account: str) -> str | None:
        from keyring.errors import KeyringError

        try:
            return self._keyring().get_password(SERVICE, account)
        except KeyringError as error:
            raise CredentialMissing(reason=f"the keyring could not be read: {error}") from error

    def save(self, account: str, credential: str) -> None:
        from keyring.errors import KeyringError

        try:
            self._keyring().set_password(SERVICE, account, credential)
        except KeyringError as error:
            raise CredentialMissing(reason=f"the keyring refused to store it: {error}") from error

    def forget(self, account: str) -> None:
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            self._keyring().delete_password(SERVICE, account)
        except PasswordDeleteError:
            pass
        except KeyringError as error:
            log.warning("could not remove the old credential from the keyring: %s", error)


@dataclass
class FileStore:
    """The documented fallback: one file per account in ``folder``, mode 0600."""

    folder: Path

    @property
    def where(self) -> str:
        return f"the file {self.folder / CREDENTIAL_FILE}"

    def _path(self, account: str) -> Path:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in account)
        return self.folder / f"{CREDENTIAL_FILE}-{safe}"

    def load(self, account: str) -> str | None:
        path = self._path(account)
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            return None
        if os.name == "posix" and mode & 0o077:
            raise CredentialMissing(reason=f"{path} can be read by other users (mode {mode:o}); "
                                    "run chmod 600 on it or enrol again")
        return path.read_text(encoding="utf-8").strip() or None

    def save(self, account: str, credential: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(account)
        temporary = path.with_suffix(".new")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, credential.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)

    def forget(self, account: str) -> None:
        self._path(account).unlink(missing_ok=True)


def credential_store(setting: str, data_dir: Path) -> CredentialStore:
    """The store the settings ask for: ``keyring`` (default) or ``file`` (explicitly)."""
    choice = (os.environ.get(STORE_VARIABLE) or setting or "keyring").strip().lower()
    if choice == "file":
        return FileStore(data_dir)
    if choice != "keyring":
        raise CredentialMissing(reason=f'credential_store is "{choice}"; it must be "keyring" or "file"')
    return KeyringStore()


def load_credential(store: CredentialStore, store_id: str, till_id: str) -> str:
    """The till's credential, or CredentialMissing saying how to get one."""
    found = store.load(account_name(store_id, till_id))
    if not found:
        raise CredentialMissing(reason=f"nothing is stored in {store.where} for till {till_id} of store "
                                f"{store_id}; run: kassa enrol --hub URL --code CODE")
    return found
