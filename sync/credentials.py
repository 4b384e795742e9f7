"""Where the till keeps its hub credential (``kt1.<id>.<secret>``).

``credential_store`` in ``[sync]`` (or the variable ``KASSA_CREDENTIAL_STORE``) chooses:

- ``"auto"`` (the default): the OS keyring (``keyring``: Windows Credential Manager, macOS
  Keychain, Secret Service on Linux) when this computer has a usable keyring backend, else a
  file readable by the till's user only.  A credential file already in the folder is kept
  using (a till enrolled without a keyring still finds its credential when a desktop session
  later brings one).  The choice is logged once per process.
- ``"keyring"``: the OS keyring only; a machine without one is refused with advice.
- ``"file"``: the protected file only.

In the keyring: service ``kassa``, user ``<store>/<till>``.  In a file:
``hub-credential-<store>_<till>``, mode 0600, in a 0700 folder (``local_db.private_files``),
in the data directory or ``credential_folder``.  See docs/configuration.md.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Protocol

from local_db.private_files import private_folder
from sync.errors import CredentialMissing

log = logging.getLogger(__name__)

SERVICE = "kassa"
STORE_VARIABLE = "KASSA_CREDENTIAL_STORE"
CREDENTIAL_FILE = "hub-credential"
CHOICES = ("auto", "keyring", "file")
NO_KEYRING_ADVICE = (
    "this computer has no keyring service ({backend}). Either start one (e.g. gnome-keyring or "
    "KWallet on Linux), or let the till keep the credential in a file readable only by its user: "
    'set credential_store = "file" (or "auto") in the [sync] section of the settings (or '
    "KASSA_CREDENTIAL_STORE=file), then enrol again. See docs/configuration.md."
)


class CredentialStore(Protocol):
    @property
    def where(self) -> str: ...

    def load(self, account: str) -> str | None: ...

    def save(self, account: str, credential: str) -> None: ...

    def forget(self, account: str) -> None: ...


def account_name(store_id: str, till_id: str) -> str:
    return f"{store_id}/{till_id}"


class KeyringStore:
    """The OS keyring; refuses clearly when the machine has none."""

    where = "the OS keyring"

    def _keyring(self) -> ModuleType:
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
        _private(self.folder)
        path = self._path(account)
        temporary = path.with_name(path.name + ".new")
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


def _private(folder: Path) -> None:
    """The credential's folder is 0700: made so when the till creates it, tightened when it
    exists, unless it is a home folder or a shared one such as /tmp (there only the file,
    0600, is private)."""
    if not folder.is_dir():
        private_folder(folder)
        return
    try:
        shared = bool(folder.stat().st_mode & stat.S_ISVTX) or folder.resolve() == Path.home().resolve()
    except (OSError, RuntimeError):
        return
    if not shared:
        private_folder(folder)


def usable_keyring() -> str | None:
    """The keyring backend's name when this computer has one the till can use, else None
    (no backend at all, or the ``null`` one that a kiosk sets to switch keyrings off)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as error:  # noqa: BLE001 - a broken keyring installation is no keyring
        log.info("no usable keyring: %s", error)
        return None
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring) or type(backend).__module__.endswith(".null"):
        return None
    return name


_told: set[tuple[str, str]] = set()
_told_lock = threading.Lock()


def _tell_once(where: str, why: str) -> None:
    with _told_lock:
        if (where, why) in _told:
            return
        _told.add((where, why))
    log.info('the hub credential is kept in %s (credential_store "auto": %s)', where, why)


def credential_store(setting: str, data_dir: Path) -> CredentialStore:
    """The store the settings ask for: ``auto`` (default: the keyring when usable, else the
    file), ``keyring`` or ``file``; ``KASSA_CREDENTIAL_STORE`` overrides the setting."""
    choice = (os.environ.get(STORE_VARIABLE) or setting or "auto").strip().lower()
    if choice == "file":
        return FileStore(data_dir)
    if choice == "keyring":
        return KeyringStore()
    if choice != "auto":
        raise CredentialMissing(reason=f'credential_store is "{choice}"; it must be "auto", "keyring" or "file"')
    files = FileStore(data_dir)
    if _has_credential_file(data_dir):
        _tell_once(files.where, "a credential file is already there")
        return files
    backend = usable_keyring()
    if backend is not None:
        _tell_once(KeyringStore.where, f"this computer's keyring is {backend}")
        return KeyringStore()
    _tell_once(files.where, "this computer has no usable keyring")
    return files


def _has_credential_file(folder: Path) -> bool:
    try:
        return any(path.is_file() for path in folder.glob(f"{CREDENTIAL_FILE}-*") if not path.name.endswith(".new"))
    except OSError:
        return False


def load_credential(store: CredentialStore, store_id: str, till_id: str) -> str:
    """The till's credential, or CredentialMissing saying how to get one."""
    found = store.load(account_name(store_id, till_id))
    if not found:
        raise CredentialMissing(reason=f"nothing is stored in {store.where} for till {till_id} of store "
                                f"{store_id}; run: kassa enrol --hub URL --code CODE")
    return found
