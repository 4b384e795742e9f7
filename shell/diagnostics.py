"""``kassa diagnostics``: one zip for support, free of secrets.

Inside (``BUNDLE_FILES``):

- ``logs/kassa.log`` and every rotated ``kassa.log.N``, each line passed through
  ``shell.logs.redact`` once more (a log written by an older Kassa may predate redaction);
- ``settings.toml``: the settings file with ``enrolment_code`` and every secret-looking key
  (``SECRET_KEY``) set to ``"<removed>"``, comments and layout kept;
- ``doctor.json``: ``kassa doctor --json``'s document;
- ``about.json``: Kassa's version, the database's schema version, the platform, the folders.

Never the database (sales, cashiers' PIN hashes) and never the hub credential: the stored
credential and the settings' enrolment code are registered with ``shell.logs.never_log``
before anything is written, so not even a log line quoting them survives.  The zip is 0600.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from shell.logs import REMOVED, log_files, never_log, redact

BUNDLE_FILES = ("about.json", "doctor.json", "settings.toml", "logs/kassa.log")
SECRET_KEY = re.compile(
    r"(?i)^(enrol+ment_code|pin|pin_code|credential|.*(secret|password|passwd|passphrase|token|api_key|private_key).*)$")
_KEY_LINE = re.compile(r"^(\s*)([A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(\s*=\s*)(.*)$")


def default_bundle_name(store_id: str | None, till_id: str | None, now: datetime | None = None) -> str:
    moment = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    names = [_safe(part) for part in (store_id, till_id) if part]
    return "-".join(["kassa-diagnostics", *names, moment]) + ".zip"


def _safe(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in text)[:40]


def settings_without_secrets(text: str) -> str:
    """The settings file as written, each secret-looking key's value replaced by "<removed>"."""
    lines = []
    for line in text.splitlines():
        match = _KEY_LINE.match(line)
        if match and SECRET_KEY.match(match.group(2).strip("\"'")):
            line = f'{match.group(1)}{match.group(2)}{match.group(3)}"{REMOVED}"'
        lines.append(line)
    return redact("\n".join(lines) + ("\n" if text.endswith("\n") else ""))


def forget_settings_secrets(settings_text: str) -> None:
    """Every secret-looking key's value in a settings file is registered with never_log."""
    for line in settings_text.splitlines():
        match = _KEY_LINE.match(line)
        if match and SECRET_KEY.match(match.group(2).strip("\"'")):
            never_log(match.group(4).split("#")[0].strip().strip("\"'"))


def make_bundle(target: Path | None, *, config: Path | None, demo: bool, demo_dir: Path | None,
                hub_port: int | None, log_folder: Path) -> Path:
    """Write the zip to ``target`` (default: the current folder, named by the till and the
    UTC time) and return its path."""
    from shell.doctor import run_doctor

    settings_path, settings_text = _settings_text(config, demo)
    _forget_secrets(settings_text, config, demo, demo_dir, hub_port)
    report = run_doctor(config, demo=demo, demo_dir=demo_dir, hub_port=hub_port)
    doctor = report.as_json()
    path = target or Path.cwd() / default_bundle_name(report.store_id, report.till_id)
    if path.is_dir():
        path = path / default_bundle_name(report.store_id, report.till_id)
    if not path.parent.is_dir():
        raise SystemExit(f"kassa: there is no folder {path.parent}: name a file in a folder that exists")
    schema = next((c["details"].get("schema") for c in doctor["checks"] if c["name"] == "migrations"), None)
    about = {
        "kassa_version": doctor["kassa_version"], "schema_version": schema, "made_at": doctor["checked_at"],
        "store_id": report.store_id, "till_id": report.till_id, "settings_file": settings_path,
        "log_folder": str(log_folder), "python": sys.version.split()[0], "platform": platform.platform(),
        "machine": platform.machine(), "system": platform.system(), "release": platform.release(),
    }
    temporary = path.with_name(path.name + ".part")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as file, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr("about.json", json.dumps(about, indent=2, ensure_ascii=False))
            bundle.writestr("doctor.json", json.dumps(doctor, indent=2, ensure_ascii=False))
            bundle.writestr("settings.toml", settings_without_secrets(settings_text))
            for log in log_files(log_folder):
                bundle.writestr(f"logs/{log.name}", _redacted_log(log))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def _settings_text(config: Path | None, demo: bool) -> tuple[str | None, str]:
    from shell.settings import default_settings_path

    if demo:
        from importlib import resources

        return "<the demo store's built-in settings>", resources.files("shell").joinpath(
            "demo_settings.toml").read_text(encoding="utf-8")
    path = config or default_settings_path()
    try:
        return str(path), path.read_bytes()[:200_000].decode("utf-8", "replace")
    except OSError as error:
        return str(path), f"# the settings file {path} could not be read: {error.strerror or error}\n"


def _forget_secrets(settings_text: str, config: Path | None, demo: bool, demo_dir: Path | None,
                    hub_port: int | None) -> None:
    """Register the settings' secret values and the stored credential with never_log, so
    that nothing in the bundle holds them, even a log line of an older Kassa."""
    forget_settings_secrets(settings_text)
    try:
        from shell.doctor import load_settings_quietly

        settings = load_settings_quietly(config, demo, demo_dir, hub_port)
        if settings is None or settings.sync is None:
            return
        from shell.till import credential_store_of
        from sync.credentials import account_name

        never_log(credential_store_of(settings).load(account_name(settings.store.store_id, settings.till.till_id)))
    except Exception:  # noqa: BLE001 - no readable credential: nothing to hide; doctor says why
        return


def _redacted_log(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return "".join(redact(line) for line in file)
    except OSError as error:
        return f"# {path.name} could not be read: {error.strerror or error}\n"


def bundle_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as bundle:
        return bundle.namelist()


def describe(path: Path) -> dict[str, Any]:
    return {"path": str(path), "files": bundle_names(path), "bytes": path.stat().st_size}
