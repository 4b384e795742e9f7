"""The till's settings file (TOML), checked strictly: a misspelt key or a bad value is
refused with a message naming the file, the section and the key."""

from __future__ import annotations

import difflib
import os
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pos.errors import PosError
from pos.i18n import N_
from pos.money import CURRENCY_EXPONENTS


class SettingsProblem(PosError):
    message = N_("The settings file {path} is wrong: {details}")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StoreSettings(_Section):
    store_id: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=80)
    address: str = ""
    tax_id: str = ""
    currency: str = "UAH"
    locale: str = "uk_UA"
    timezone: str = "Europe/Kyiv"
    footer: str = ""

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in CURRENCY_EXPONENTS:
            raise ValueError(f"unknown currency {value!r}; known: {', '.join(sorted(CURRENCY_EXPONENTS))}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Europe/Kyiv, Asia/Baku, Asia/Tbilisi") from None
        return value

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(value)
        except (UnknownLocaleError, ValueError):
            raise ValueError(f"unknown locale {value!r}, e.g. uk_UA, az_AZ, ka_GE, en_GB") from None
        return value


class TillSettingsSection(_Section):
    till_id: str = Field(default="T01", min_length=1, max_length=20)
    ui_language: str = "en"
    cash_rounding: Decimal = Decimal("0.01")
    weight_barcode_prefixes: list[str] = ["22"]

    @field_validator("cash_rounding")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0 or value > 100:
            raise ValueError("cash_rounding is the smallest coin in use, e.g. \"0.10\"")
        return value


class PrinterSettings(_Section):
    connection: str = "none"
    profile: str = "TM-T88V"
    width: int = Field(default=42, ge=24, le=64)
    timeout: float = Field(default=5.0, gt=0, le=60)
    retry_seconds: float = Field(default=5.0, ge=1, le=600)


class DatabaseSettings(_Section):
    path: Path | None = None


class SyncSettings(_Section):
    """Talking to the chain's hub; without this section the till works offline only."""

    hub_url: str = Field(min_length=8, max_length=300)
    ca_bundle: Path | None = None  # a private CA's certificates (PEM); default: the system's
    credential_store: Literal["keyring", "file"] = "keyring"
    push_batch_size: int = Field(default=200, ge=1, le=500)
    pull_page_size: int = Field(default=2000, ge=1, le=5000)
    push_interval_seconds: float = Field(default=10.0, ge=0.5, le=3600)
    pull_interval_seconds: float = Field(default=300.0, ge=5, le=86400)
    timeout: float = Field(default=10.0, gt=0, le=120)

    @field_validator("hub_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("hub_url is a web address, e.g. \"https://hub.example.com\"")
        return value.rstrip("/")


class SecuritySettings(_Section):
    """Sign-in rules for the chain: longer PINs, and the lockout after repeated wrong PINs."""

    min_pin_length: int = Field(default=4, ge=4, le=12, strict=True)
    lockout_after: int = Field(default=3, ge=1, le=20, strict=True)  # wrong PINs in a row for one cashier number
    lockout_seconds: int = Field(default=30, ge=1, le=900, strict=True)  # doubled per further wrong PIN, up to 15 min


class Settings(_Section):
    store: StoreSettings
    till: TillSettingsSection = TillSettingsSection()
    printer: PrinterSettings = PrinterSettings()
    database: DatabaseSettings = DatabaseSettings()
    sync: SyncSettings | None = None
    security: SecuritySettings = SecuritySettings()


def default_settings_path() -> Path:
    if "KASSA_CONFIG" in os.environ:
        return Path(os.environ["KASSA_CONFIG"])
    return Path(platformdirs.user_config_dir("kassa", appauthor=False)) / "kassa.toml"


def _explain(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"])
        if problem["type"] == "extra_forbidden":
            section, _, key = where.rpartition(".")
            model = {"store": StoreSettings, "till": TillSettingsSection, "printer": PrinterSettings,
                     "database": DatabaseSettings, "sync": SyncSettings, "security": SecuritySettings, "": Settings}.get(section, Settings)
            guess = difflib.get_close_matches(key, list(model.model_fields), n=1)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            lines.append(f"[{section or 'top level'}] {key}: unknown setting{hint}")
        else:
            lines.append(f"{where}: {problem['msg']}")
    return "; ".join(lines)


def parse_settings(text: str, path: Path) -> Settings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SettingsProblem(path=str(path), details=f"not valid TOML ({err})") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as err:
        raise SettingsProblem(path=str(path), details=_explain(err)) from None


def load_settings(path: Path) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsProblem(path=str(path), details="the file does not exist (see docs/configuration.md)") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SettingsProblem(path=str(path), details=str(err)) from None
    return parse_settings(text, path)
