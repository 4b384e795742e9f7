"""The till's settings file (TOML), checked strictly: a misspelt key or a bad value is
refused with a message naming the file, the section and the key."""

from __future__ import annotations

import difflib
import os
import tomllib
import re
import urllib.parse
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from pos.errors import PosError
from pos.i18n import N_, is_unicode_text
from pos.money import CURRENCY_EXPONENTS, coin_problem
from shell.settings_devices import CardTerminalSettings, CustomerDisplaySettings, ScaleSettings
from shell.settings_scanner import ScannerSettings


class SettingsProblem(PosError):
    message = N_("The settings file {path} is wrong: {details}")
    lines: tuple[str, ...] = ()  # every mistake, one line each, when the file was read and checked

    @property
    def problems(self) -> list[str]:
        """Every mistake found, one line each (``details`` joins them with '; ')."""
        return list(self.lines or [self.fields["details"]])


class SettingsFileMissing(SettingsProblem):
    message = N_("There is no settings file {path}: make one with kassa init-config {path}, or name yours "
                 "with --config or KASSA_CONFIG.")


class NoSettingsFile(SettingsFileMissing):
    message = N_("There is no settings file in {places}: make one with kassa init-config {path}, or name yours "
                 "with --config or KASSA_CONFIG.")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_values(cls, value: Any) -> Any:
        """TOML numbers arrive as exact Decimals (never binary floats): no NaN or infinity;
        text holds no NUL byte nor lone surrogate (nothing could print or open it)."""
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Decimal) and not item.is_finite():
                raise ValueError("must be a number")
            if isinstance(item, str) and ("\x00" in item or not is_unicode_text(item)):
                raise ValueError("holds a NUL byte or a character that is not Unicode text")
        return value


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

    @field_validator("cash_rounding", mode="before")
    @classmethod
    def _exact(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            raise ValueError('is the smallest coin in use, written as "0.10"')
        return value

    @field_validator("weight_barcode_prefixes")
    @classmethod
    def _two_digits(cls, value: list[str]) -> list[str]:
        if len(value) > 10 or not all(len(p) == 2 and p.isascii() and p.isdigit() for p in value):
            raise ValueError('scale labels start with two digits, e.g. ["22"] or ["21", "22"]')
        return value


PAPER_CHARACTERS = {80: 42, 58: 32}  # font A (12 dots) on 512 and 384 printable dots


class PrinterSettings(_Section):
    """One receipt printer: how to reach it and what it is (hardware/printer_profiles.py)."""

    connection: str = "none"
    profile: str = "TM-T88V"
    paper: Literal[80, 58] = 80  # roll width in mm; sets width and dot_width unless they are given
    width: int = Field(default=42, ge=24, le=64)
    dot_width: int = Field(default=0, ge=0, le=2048)  # printable dots per line; 0: from paper
    cutter: bool = True  # false: the receipt ends with a feed to the tear bar, no cut
    logo: str = Field(default="", max_length=300)  # a PNG printed at the top of every receipt
    status: bool = True  # ask the printer's status (DLE EOT) before and after every receipt
    timeout: float = Field(default=5.0, gt=0, le=60)
    retry_seconds: float = Field(default=5.0, ge=1, le=600)
    receipt_code: Literal["auto", "native", "image", "none"] = "auto"  # the receipt's QR code: the printer's own or a picture

    @model_validator(mode="before")
    @classmethod
    def _width_from_paper(cls, data: Any) -> Any:
        paper = data.get("paper") if isinstance(data, dict) else None
        if isinstance(paper, (int, str, Decimal)) and "width" not in data and paper in PAPER_CHARACTERS:  # a list: no
            data = {**data, "width": PAPER_CHARACTERS[data["paper"]]}
        return data

    @model_validator(mode="after")
    def _fits_the_paper(self) -> PrinterSettings:
        if self.paper == 58 and self.width > 32:
            raise ValueError(f"width = {self.width} does not fit 58 mm paper: at most 32 characters a line")
        if self.dot_width and self.dot_width < 192:
            raise ValueError(f"dot_width = {self.dot_width}: a receipt printer has 192 to 2048 dots a line (0: from paper)")
        return self

    @field_validator("logo")
    @classmethod
    def _a_picture(cls, value: str) -> str:
        if value and not Path(value).is_file():
            raise ValueError("is not a file: name a PNG picture of the logo, e.g. \"/etc/kassa/logo.png\"")
        if value:
            from PIL import Image, UnidentifiedImageError

            try:
                with Image.open(value) as picture:
                    picture.verify()
            except (OSError, UnidentifiedImageError, ValueError):
                raise ValueError("is not a picture Kassa can read: save the logo as PNG") from None
        return value


def _usable_path(path: Path | None, *, must_be: str) -> Path | None:
    if path is None:
        return None
    if any(ord(ch) < 32 for ch in str(path)):
        raise ValueError("a file name cannot hold control characters")
    try:
        folder = path.is_dir()
    except OSError as err:  # a name too long, a folder on the way not readable...
        raise ValueError(f"cannot be used ({err.strerror})") from None
    if folder:
        raise ValueError(f"is a folder; name {must_be}")
    return path


class DatabaseSettings(_Section):
    path: Path | None = None

    @field_validator("path")
    @classmethod
    def _a_file(cls, value: Path | None) -> Path | None:
        return _usable_path(value, must_be='the database file, e.g. "/var/lib/kassa/till.sqlite3"')


ENROLMENT_CODE_RULE = ('is the one-time code from kassa-hub enrol-code, e.g. "KQ7M-4XPD-93HF": 4 to 40 '
                       "letters, digits and dashes")
SECRET_KEYS = frozenset({("sync", "enrolment_code")})  # never shown: not in a message, a log, a bundle


class SyncSettings(_Section):
    """Talking to the chain's hub; without this section the till works offline only."""

    hub_url: str = Field(min_length=8, max_length=300)
    ca_bundle: Path | None = None  # a private CA's certificates (PEM); default: the system's
    credential_store: Literal["auto", "keyring", "file"] = "auto"  # auto: the keyring when usable, else the file
    credential_folder: Path | None = None  # where the file store keeps it; default: the data folder
    # IT's one-time code (kassa-hub enrol-code): exchanged at the first start, then removed from
    # the file; a secret, never shown (not in a message, a log line or repr)
    enrolment_code: SecretStr | None = Field(default=None, repr=False)
    push_batch_size: int = Field(default=200, ge=1, le=500)
    pull_page_size: int = Field(default=2000, ge=1, le=5000)
    push_interval_seconds: float = Field(default=10.0, ge=0.5, le=3600)
    pull_interval_seconds: float = Field(default=300.0, ge=5, le=86400)
    timeout: float = Field(default=10.0, gt=0, le=120)

    @field_validator("hub_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        example = 'a web address, e.g. "https://hub.example.com"'
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"hub_url is {example}")
        if not value.isprintable() or any(ch.isspace() for ch in value):
            raise ValueError(f"holds spaces or control characters; it is {example}")
        try:
            parts = urllib.parse.urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for a port that is not 1-65535 digits
        except ValueError as err:
            raise ValueError(f"{err}; it is {example}") from None
        if not parts.hostname:
            raise ValueError(f"names no host; it is {example}")
        return value.rstrip("/")

    @field_validator("enrolment_code")
    @classmethod
    def _a_code(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        code = value.get_secret_value().strip()
        if not 4 <= len(code) <= 40 or not all(ch.isascii() and (ch.isalnum() or ch in "- ") for ch in code):
            raise ValueError(f"{ENROLMENT_CODE_RULE} (what was written is not shown: it is a secret)")
        return SecretStr(code)

    @field_validator("credential_folder")
    @classmethod
    def _a_folder(cls, value: Path | None) -> Path | None:
        if value is not None and any(ord(ch) < 32 for ch in str(value)):
            raise ValueError("a folder name cannot hold control characters")
        return value

    @field_validator("ca_bundle")
    @classmethod
    def _a_pem_file(cls, value: Path | None) -> Path | None:
        return _usable_path(value, must_be="the CA's certificate file (PEM)")


class SecuritySettings(_Section):
    """Sign-in rules for the chain: longer PINs, and the lockout after repeated wrong PINs."""

    min_pin_length: int = Field(default=4, ge=4, le=12, strict=True)
    lockout_after: int = Field(default=3, ge=1, le=20, strict=True)  # wrong PINs in a row for one cashier number
    lockout_seconds: int = Field(default=30, ge=1, le=900, strict=True)  # doubled per further wrong PIN, up to 15 min


class OfflineSettings(_Section):
    """What the chain allows while the till sells without its hub, and when ``kassa doctor``
    says a till needs attention (exit code 1)."""

    # the oldest sale not yet sent to the hub is older than this: someone should look
    warn_unsent_after_minutes: int = Field(default=60, ge=1, le=10080, strict=True)
    # the last successful catalog pull is older than this: prices may be stale
    warn_catalog_older_than_hours: int = Field(default=48, ge=1, le=8760, strict=True)


class StoreDaySettings(_Section):
    """The store's day at this till (head office's policies from the hub come on top of
    ``denominations``; see shell/store_day_settings.py)."""

    inactivity_minutes: int = Field(default=5, ge=1, le=240, strict=True)  # the till locks after this long idle
    # the notes and coins counted in the drawer, largest first, e.g. ["500", "200", ..., "0.50"];
    # none: the currency's own (pos.store_day.drawer.DEFAULT_DENOMINATIONS)
    denominations: list[str] | None = None
    refund_card_to_card: bool = Field(default=True, strict=True)  # false: card payments are refunded in cash
    drawer_pin: Literal[2, 5] = 2  # the printer's drawer port pin the drawer is wired to
    open_drawer: bool = Field(default=True, strict=True)  # kick the drawer open on cash

    @field_validator("denominations", mode="before")
    @classmethod
    def _amounts(cls, value: Any) -> Any:
        if isinstance(value, list):  # TOML numbers come as Decimal or int: the same values as text
            return [str(item) if isinstance(item, (Decimal, int)) and not isinstance(item, bool) else item
                    for item in value]
        return value

    @field_validator("denominations")
    @classmethod
    def _notes_and_coins(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        example = 'e.g. ["500", "200", "100", "50", "20", "10", "5", "2", "1", "0.50"]'
        if not value or len(value) > 30:
            raise ValueError(f"lists 1 to 30 notes and coins, {example}")
        seen: set[Decimal] = set()
        for text in value:
            try:
                amount = Decimal(text.strip()) if len(text) <= 20 else None
            except ArithmeticError:
                amount = None
            if amount is None or not amount.is_finite() or amount <= 0:
                raise ValueError(f"{text[:20]!r} is not an amount of money, {example}")
            if amount in seen:
                raise ValueError(f"{text!r} is listed twice")
            seen.add(amount)
        return value


class Settings(_Section):
    store: StoreSettings
    till: TillSettingsSection = TillSettingsSection()
    printer: PrinterSettings = PrinterSettings()
    database: DatabaseSettings = DatabaseSettings()
    sync: SyncSettings | None = None
    security: SecuritySettings = SecuritySettings()
    offline: OfflineSettings = OfflineSettings()
    scale: ScaleSettings = ScaleSettings()
    customer_display: CustomerDisplaySettings = CustomerDisplaySettings()
    scanner: ScannerSettings = ScannerSettings()
    store_day: StoreDaySettings = StoreDaySettings()
    card_terminal: CardTerminalSettings = CardTerminalSettings()

    @model_validator(mode="after")
    def _a_coin_of_the_currency(self) -> Settings:
        problem = coin_problem(self.till.cash_rounding, self.store.currency)
        if problem:
            raise ValueError(f'[till] cash_rounding: {problem} (the currency is {self.store.currency}), e.g. "0.10"')
        problem = denominations_problem(self.store_day.denominations, self.store.currency)
        if problem:
            raise ValueError(problem)
        return self


def denominations_problem(values: list[str] | None, currency: str) -> str | None:
    """What is wrong with ``[store_day] denominations`` for the store's currency, or None."""
    if values is None:
        return None
    from pos.store_day.drawer import Denominations

    try:
        Denominations.from_data(currency, notes_and_coins(currency, values))
    except ValueError as error:
        return f"[store_day] denominations: {error} (the currency is {currency})"
    return None


def notes_and_coins(currency: str, values: list[str]) -> dict[str, list[str]]:
    """``[store_day] denominations`` in the drawer's form: a value up to the currency's largest
    coin (pos.store_day.drawer.DEFAULT_DENOMINATIONS) is a coin, a larger one a note."""
    from pos.store_day.drawer import DEFAULT_DENOMINATIONS

    largest_coin = max((Decimal(c) for c in DEFAULT_DENOMINATIONS.get(currency, {}).get("coins", [])), default=Decimal(0))
    coins = [v.strip() for v in values if Decimal(v.strip()) <= largest_coin]
    return {"notes": [v.strip() for v in values if v.strip() not in coins], "coins": coins}


CONFIG_VARIABLE = "KASSA_CONFIG"


def user_settings_path() -> Path:
    """The till user's own settings file (``~/.config/kassa/kassa.toml``, ``%LOCALAPPDATA%\\kassa\\kassa.toml``)."""
    return Path(platformdirs.user_config_dir("kassa", appauthor=False)) / "kassa.toml"


def site_settings_path() -> Path:
    """The machine's settings file that IT's package installs: ``/etc/kassa/settings.toml``,
    ``%PROGRAMDATA%\\Kassa\\settings.toml`` on Windows."""
    if os.name == "nt":
        return Path(os.environ.get("PROGRAMDATA") or r"C:\ProgramData") / "Kassa" / "settings.toml"
    return Path("/etc/kassa/settings.toml")


@dataclass(frozen=True)
class SettingsLocation:
    """Which settings file the till uses, and why (said by check-config and in the log)."""

    path: Path
    why: str
    looked: tuple[Path, ...] = ()  # every place looked at, in order, when none had a file

    @property
    def found(self) -> bool:
        return not self.looked


def find_settings(config: Path | None = None) -> SettingsLocation:
    """The one lookup order: ``--config``, else ``KASSA_CONFIG``, else the user's settings
    file, else the site's (IT's package puts it there).  When neither of the last two exists,
    the user's path (where ``kassa init-config`` writes), with every place looked at."""
    if config is not None:
        return SettingsLocation(Path(config), "named with --config")
    if os.environ.get(CONFIG_VARIABLE):
        return SettingsLocation(Path(os.environ[CONFIG_VARIABLE]), f"named by {CONFIG_VARIABLE}")
    user, site = user_settings_path(), site_settings_path()
    for path, why in ((user, "the user's settings file"), (site, "the computer's settings file")):
        try:
            if path.is_file():
                return SettingsLocation(path, why)
        except OSError:  # a folder on the way that may not be read: as if there were no file
            continue
    return SettingsLocation(user, "no settings file found", looked=(user, site))


def default_settings_path() -> Path:
    """The settings file when none is named with --config (see ``find_settings``)."""
    return find_settings().path


PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def _plain(problem: Any) -> str:
    """A pydantic complaint in plain words ("must be a whole number", not "Input should be...")."""
    kind, ctx = problem["type"], problem.get("ctx", {})
    given = problem.get("input")
    plain = {
        "string_too_short": "must not be empty" if ctx.get("min_length") == 1 else
                            f"must be at least {ctx.get('min_length')} characters long",
        "string_too_long": f"must be at most {ctx.get('max_length')} characters long",
        "string_type": 'must be text in quotes, e.g. "text"',
        "int_parsing": "must be a whole number, e.g. 42",
        "int_type": "must be a whole number without quotes, e.g. 6" if isinstance(given, str) else "must be a whole number",
        "int_from_float": "must be a whole number, e.g. 42",
        "float_parsing": "must be a number, e.g. 5",
        "float_type": "must be a number, e.g. 5",
        "decimal_parsing": 'must be a number, e.g. "0.10"',
        "decimal_type": 'must be a number, e.g. "0.10"',
        "bool_parsing": "must be true or false",
        "bool_type": "must be true or false",
        "list_type": 'must be a list in brackets, e.g. ["22"]',
        "greater_than_equal": f"must be at least {ctx.get('ge')}",
        "less_than_equal": f"must be at most {ctx.get('le')}",
        "greater_than": f"must be more than {ctx.get('gt')}",
        "less_than": f"must be less than {ctx.get('lt')}",
        "literal_error": f"must be one of {ctx.get('expected')}",
        "path_type": 'must be a file name in quotes, e.g. "/var/lib/kassa/till.sqlite3"',
    }.get(kind)
    if plain:
        return plain
    message = str(ctx.get("error", "")) or problem["msg"]
    for prefix in PYDANTIC_PREFIXES:
        message = message.removeprefix(prefix)
    return message


def _explain(error: ValidationError) -> str:
    return "; ".join(_explain_lines(error))


def _explain_lines(error: ValidationError) -> list[str]:
    lines = []
    for problem in error.errors():
        parts = [str(part) for part in problem["loc"]]
        section = parts[0] if len(parts) > 1 else ""
        key = parts[1] if len(parts) > 1 else (parts[0] if parts else "")
        item = f" (item {int(parts[2]) + 1})" if len(parts) > 2 and parts[2].isdigit() else ""
        if problem["type"] == "extra_forbidden":
            model = {"store": StoreSettings, "till": TillSettingsSection, "printer": PrinterSettings,
                     "database": DatabaseSettings, "sync": SyncSettings, "security": SecuritySettings,
                     "offline": OfflineSettings, "": Settings}.get(section) or _section_model(section)
            guess = difflib.get_close_matches(key, list(model.model_fields), n=1)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            lines.append(f"[{section or 'top level'}] {key}: unknown setting{hint}")
            continue
        message = _plain(problem)
        if problem["type"] == "missing":
            message = "required, but missing"
        elif problem["type"] in ("model_type", "dict_type") and not section:
            message = f"must be a section: a line [{key}] and its keys below it"
        if not key:
            lines.append(message)
        elif not section:
            lines.append(f"[{key}]: {message}")
        else:
            shown = "" if (section, key) in SECRET_KEYS else _you_wrote(problem.get("input"))
            lines.append(f"[{section}] {key}{item}: {message}{shown}")
    return lines


def _section_model(section: str) -> type[BaseModel]:
    """The model of a section not in the map above (a device's own module): its field's type."""
    field = Settings.model_fields.get(section)
    model = field.annotation if field is not None else None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else Settings


def _you_wrote(value: Any) -> str:
    if isinstance(value, (dict, list)) or value is None:
        return ""
    text = repr(value) if isinstance(value, str) else str(value)
    return f" (not {text if len(text) <= 40 else text[:39] + '…'})"


def _one_line(text: str) -> str:
    """Control characters and lone surrogates shown as escapes: the message stays one line."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(ch if ord(ch) >= 32 and ord(ch) != 127 else repr(ch)[1:-1] for ch in text)


MAX_FILE_BYTES = 100_000  # a settings file is a few hundred bytes
MAX_LINE = 2000  # characters; tomllib takes quadratic time over a long dotted key


def parse_settings(text: str, path: Path) -> Settings:
    for number, line in enumerate(text.split("\n"), start=1):  # TOML ends lines at \n only
        if len(line) > MAX_LINE:
            raise _problem(path, f"line {number} ({_start_of(line)}…) is longer than {MAX_LINE} characters: "
                                 "it is not a setting")
    try:
        data = tomllib.loads(text, parse_float=Decimal)  # 0.10 read exactly, never as a binary float
    except tomllib.TOMLDecodeError as err:
        raise _problem(path, f"not valid TOML ({err})") from None
    except RecursionError:
        raise _problem(path, "not valid TOML (arrays or tables nested too deep)") from None
    except ValueError:  # int() refuses an integer of thousands of digits
        raise _problem(path, "a number has too many digits") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as err:
        lines = _explain_lines(err)
        apart = [*_coin_apart(data), *_denominations_apart(data)]
        raise _problem(path, *lines, *(line for line in apart if line not in lines)) from None
    except RecursionError:
        raise _problem(path, "values nested too deep") from None


_SECRET_LINE = re.compile(r"\s*[\"']?(?:sync[\"']?\s*\.\s*[\"']?)?(" + "|".join(key for _, key in SECRET_KEYS) + ")")


def _start_of(line: str) -> str:
    """The start of a line for a message (its key and '=' when they are short); a secret's
    line shows its key only."""
    secret = _SECRET_LINE.match(line)
    if secret:
        return f"{secret[1]} = "
    equals = line.find("=")
    return line[:max(30, equals + 2)] if 0 <= equals < 60 else line[:30]  # the whole key when it is short


def load_settings(path: Path) -> Settings:
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise _missing(path) from None
    except IsADirectoryError:
        raise _problem(path, "this is a folder, not a settings file") from None
    except (OSError, ValueError) as err:  # no permission, a NUL byte in the name...
        raise _problem(path, f"the file cannot be read ({err.strerror or err})" if isinstance(err, OSError)
                       else f"the file cannot be read ({err})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise _problem(path, f"the file is larger than {MAX_FILE_BYTES} bytes: it is not a settings file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _problem(path, f"the file is not UTF-8 text (byte {raw[err.start]:#04x} at position {err.start})") from None
    return parse_settings(text, path)


def _missing(path: Path) -> SettingsFileMissing:
    """A missing file; when it is the one the lookup fell back on, every place looked at is named."""
    location = find_settings()
    if not location.found and location.path == path:
        return NoSettingsFile(path=_one_line(str(path)), places=", ".join(_one_line(str(p)) for p in location.looked))
    return SettingsFileMissing(path=_one_line(str(path)))


def _coin_apart(data: Any) -> list[str]:
    """The cash rounding checked against the currency also when other keys are wrong (the
    whole-file check runs only once every key is right): every mistake in one run."""
    try:
        currency = {"currency": data["store"]["currency"]} if "currency" in data["store"] else {}
        store = StoreSettings.model_validate({"store_id": "-", "name": "-", **currency})
        rounding = data.get("till", {})["cash_rounding"]
        till = TillSettingsSection.model_validate({"cash_rounding": rounding})
    except (ValidationError, KeyError, TypeError, AttributeError, RecursionError):
        return []
    problem = coin_problem(till.cash_rounding, store.currency)
    return [f'[till] cash_rounding: {problem} (the currency is {store.currency}), e.g. "0.10"'] if problem else []


def _denominations_apart(data: Any) -> list[str]:
    """The drawer's notes and coins checked against the currency also when other keys are wrong."""
    try:
        currency = {"currency": data["store"]["currency"]} if "currency" in data["store"] else {}
        store = StoreSettings.model_validate({"store_id": "-", "name": "-", **currency})
        section = StoreDaySettings.model_validate({"denominations": data["store_day"]["denominations"]})
    except (ValidationError, KeyError, TypeError, AttributeError, RecursionError):
        return []
    problem = denominations_problem(section.denominations, store.currency)
    return [problem] if problem else []


def _problem(path: Path, *details: str) -> SettingsProblem:
    lines = [_one_line(line) for line in details]
    problem = SettingsProblem(path=_one_line(str(path)), details="; ".join(lines))
    problem.lines = tuple(lines)
    return problem
