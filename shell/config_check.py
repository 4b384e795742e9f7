"""``kassa check-config`` (every mistake of a settings file, one line each) and
``kassa init-config`` (a commented template that itself passes the check)."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from pos.errors import PosError
from shell.settings import (
    DatabaseSettings, OfflineSettings, PrinterSettings, SecuritySettings, Settings, SettingsProblem, StoreDaySettings,
    StoreSettings, SyncSettings, TillSettingsSection, load_settings,
)
from shell.settings_devices import CardTerminalSettings, CustomerDisplaySettings, ScaleSettings
from shell.settings_scanner import ScannerSettings

SECTIONS: dict[str, type[BaseModel]] = {
    "store": StoreSettings, "till": TillSettingsSection, "printer": PrinterSettings,
    "database": DatabaseSettings, "sync": SyncSettings, "security": SecuritySettings,
    "offline": OfflineSettings, "scale": ScaleSettings, "customer_display": CustomerDisplaySettings,
    "scanner": ScannerSettings, "store_day": StoreDaySettings, "card_terminal": CardTerminalSettings,
}
ALLOWED: dict[str, str] = {  # what a key takes, said in the template beside its default
    "store.store_id": "required: the store's id at the hub, up to 40 characters",
    "store.name": "required: the receipt header, up to 80 characters",
    "store.address": "printed under the name",
    "store.tax_id": "printed on every receipt",
    "store.footer": "the last line of every receipt",
    "store.currency": "AZN, EUR, GEL, PLN, UAH or USD",
    "store.locale": "receipts' language and number format: uk_UA, az_AZ, ka_GE, en_GB...",
    "store.timezone": "Europe/Kyiv, Asia/Baku, Asia/Tbilisi...",
    "till.till_id": "up to 20 characters; receipt numbers are gapless per till",
    "till.ui_language": "en, uk, az or ka",
    "till.cash_rounding": 'the smallest coin in use, e.g. "0.10"; "0.01": no cash rounding',
    "till.weight_barcode_prefixes": 'two-digit prefixes of scale labels, e.g. ["21", "22"]',
    "printer.connection": "none, dummy, file:/dev/usb/lp0, network:HOST[:PORT], usb:VENDOR:PRODUCT, "
                          "serial:DEVICE[:BAUD], preview:DIRECTORY",
    "printer.profile": "python-escpos profile, e.g. TM-T88V",
    "printer.paper": "roll width in mm: 80 or 58 (sets width and dot_width)",
    "printer.width": "characters per line, 24 to 64 (32 at most on 58 mm); default 42 on 80 mm, 32 on 58 mm",
    "printer.dot_width": "printable dots per line, 192 to 2048; 0: 512 on 80 mm, 384 on 58 mm",
    "printer.cutter": "false: no cut, the receipt is fed out to the tear bar",
    "printer.logo": 'a picture printed at the top of every receipt, e.g. "/etc/kassa/logo.png"',
    "printer.status": "ask the printer's status (paper, cover) before and after each receipt",
    "printer.timeout": "seconds, more than 0, at most 60",
    "printer.retry_seconds": "seconds between retries of a failed receipt, 1 to 600",
    "printer.receipt_code": "the receipt's QR code: auto, native (the printer draws it), image or none",
    "database.path": 'the database file, e.g. "/var/lib/kassa/till.sqlite3"; default: the data directory',
    "sync.hub_url": 'required in [sync]: the hub\'s address, e.g. "https://hub.example.com"',
    "sync.ca_bundle": "the chain's private CA (PEM file); default: the system's CAs",
    "sync.credential_store": '"auto" (the keyring if this computer has one, else a private file), "keyring" or "file"',
    "sync.credential_folder": 'the credential file\'s folder; default: the data directory',
    "sync.enrolment_code": "IT's one-time code (kassa-hub enrol-code): used and removed at the first start",
    "sync.push_batch_size": "sales per request, 1 to 500",
    "sync.pull_page_size": "items per page of a pull, 1 to 5000",
    "sync.push_interval_seconds": "0.5 to 3600",
    "sync.pull_interval_seconds": "5 to 86400",
    "sync.timeout": "seconds for one request, more than 0, at most 120",
    "security.min_pin_length": "4 to 12",
    "security.lockout_after": "wrong PINs in a row before a lockout, 1 to 20",
    "security.lockout_seconds": "the first lockout, 1 to 900 (doubled per further wrong PIN)",
    "offline.warn_unsent_after_minutes": "kassa doctor warns when the oldest unsent sale is older, 1 to 10080",
    "offline.warn_catalog_older_than_hours": "kassa doctor warns when the last catalog update is older, 1 to 8760",
    "scale.port": 'the scale\'s serial port, e.g. "/dev/ttyUSB0" or "COM3"; "": no scale',
    "scale.speed": "1200 to 115200, as set on the scale",
    "scale.protocol": "toledo-8217 (docs/hardware.md)",
    "scale.framing": '"7E1" (Toledo 8217) or as set on the scale, e.g. "8N1"',
    "scale.timeout": "seconds to wait for the scale's answer, more than 0, at most 10",
    "customer_display.enabled": "true: a window for the customer on a second screen",
    "customer_display.screen": "which screen: 0 is the first, 1 the second",
    "customer_display.geometry": '"X,Y,WIDTHxHEIGHT" instead of a whole screen; "": the whole screen',
    "customer_display.pole_port": 'a CD5220 pole display\'s serial port, e.g. "/dev/ttyUSB1"; "": none',
    "customer_display.pole_speed": "the pole display's speed, e.g. 9600",
    "scanner.max_key_gap_ms": "keys of a keyboard-wedge scan come at most this far apart, 5 to 500",
    "scanner.min_length": "characters a scan has at least, 3 to 48 (a typed PLU has at most 6)",
    "scanner.terminator": "what the scanner sends after a code: enter, tab or none",
    "scanner.serial_port": 'a serial scanner\'s port, e.g. "/dev/ttyACM0" or "COM4"; "": none',
    "scanner.serial_speed": "the serial scanner's speed, e.g. 9600",
    "scanner.serial_terminator": "what the serial scanner sends after a code: cr, lf or crlf",
    "scanner.weight_prefixes": 'weight labels\' prefixes, 20 to 29; unset: [till] weight_barcode_prefixes',
    "scanner.price_prefixes": 'price labels\' prefixes, 20 to 29, e.g. ["23"]',
    "scanner.item_digits": "digits of the item code after the prefix, 4 to 6 (the rest is grams or price)",
    "store_day.inactivity_minutes": "the till locks after this many idle minutes, 1 to 240",
    "store_day.denominations": "the notes and coins counted in the drawer; unset: the currency's own "
                               "(head office's policy from the hub wins)",
    "store_day.refund_card_to_card": "true: card payments are refunded to the card; false: in cash",
    "store_day.drawer_pin": "the printer's drawer port pin the cash drawer is wired to: 2 or 5",
    "store_day.open_drawer": "true: the drawer opens on cash payments",
    "card_terminal.connection": 'manual (the cashier types the approval code) or "network:HOST:PORT"',
    "card_terminal.pay_timeout_seconds": "seconds the customer has at the terminal, 10 to 600",
}
EXAMPLES = {"store.store_id": "STORE-001", "store.name": "My shop", "sync.hub_url": "https://hub.example.com",
            "database.path": "/var/lib/kassa/till.sqlite3", "sync.ca_bundle": "/etc/kassa/chain-ca.pem",
            "sync.credential_folder": "/var/lib/kassa", "sync.enrolment_code": "KQ7M-4XPD-93HF",
            "scanner.weight_prefixes": ["22"],
            "store_day.denominations": ["1000", "500", "200", "100", "50", "20", "10", "5", "2", "1", "0.50"]}


def check_config_file(path: Path) -> tuple[Settings | None, list[str]]:
    """The settings of ``path`` and every mistake found in it (an empty list: all right).
    A missing or unreadable file raises SettingsProblem (nothing to check line by line)."""
    try:
        settings = load_settings(path)
    except SettingsProblem as problem:
        if not problem.lines:
            raise
        return None, problem.problems + _printer_problems(path)
    return settings, _printer_problems(path)


def _printer_problems(path: Path) -> list[str]:
    """The printer connection is checked by the printer code: its mistake is one more line."""
    from hardware.printer_config import parse_printer

    try:
        printer = PrinterSettings.model_validate(tomllib.loads(path.read_text(encoding="utf-8")).get("printer", {}))
    except (ValidationError, ValueError, OSError, AttributeError, TypeError, RecursionError):
        return []  # a broken [printer] section is already reported by the settings check
    try:
        parse_printer(printer.connection, profile=printer.profile, width=printer.width, timeout=printer.timeout)
    except PosError as problem:
        return [f"[printer] connection: {problem.user_message()}"]
    return []


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return json.dumps(str(value))
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def template() -> str:
    """Every section and key with its default and what it takes; store_id and name filled
    with examples (they have no default), the rest commented out, [sync] too (a till
    without it sells offline only)."""
    out = ["# Kassa till settings (docs/configuration.md). Lines starting with # are comments:",
           "# remove the # to change a value from its default. Check with: kassa check-config --config FILE", ""]
    for name, model in SECTIONS.items():
        optional = name == "sync"
        out.append(("# " if optional else "") + f"[{name}]" + ("   # talking to the chain's hub; without it the till sells offline" if optional else ""))
        for key, field in model.model_fields.items():
            dotted = f"{name}.{key}"
            required = field.is_required()
            value = EXAMPLES[dotted] if required or field.default is None else field.default
            line = ("" if required and not optional else "# ") + f"{key} = {_toml(value)}"
            out.append(f"{line:<44} # {ALLOWED.get(dotted, '')}".rstrip())
        out.append("")
    return "\n".join(out)


def init_config(path: Path) -> None:
    if path.exists():
        raise SystemExit(f"kassa: {path} already exists; it was left as it is (check it with kassa check-config "
                         f"--config {path})")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template(), encoding="utf-8")
