"""The card terminal setting: one string, read or refused with the accepted forms named.

Accepted forms (``ACCEPTED_FORMS``)::

    manual                  a standalone terminal: the cashier types the approval code from its slip
    network:HOST:PORT       a terminal (or its gateway) speaking docs/card-terminal-protocol.md

``pay_timeout`` (seconds the customer has at the terminal, 10 to 600) travels with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hardware.card_terminal import ANSWER_TIMEOUT, CONNECT_TIMEOUT, PAY_TIMEOUT, NetworkCardTerminal
from hardware.errors import DeviceError
from pos.i18n import N_

ACCEPTED_FORMS = ("manual", "network:HOST:PORT")


class CardTerminalNotConfigured(DeviceError, ValueError):
    """A wrong card terminal setting; also a ValueError, as settings parsing expects."""

    message = N_("The card terminal setting “{address}” is not valid: {reason}")


@dataclass(frozen=True, slots=True)
class CardTerminalSpec:
    kind: Literal["manual", "network"]
    host: str = ""
    port: int = 0
    pay_timeout: float = PAY_TIMEOUT

    @property
    def address(self) -> str:
        if self.kind == "manual":
            return "manual"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"network:{host}:{self.port}"


def parse_card_terminal(setting: str, *, pay_timeout: float = PAY_TIMEOUT) -> CardTerminalSpec:
    text = setting.strip()
    if not 10 <= pay_timeout <= 600:
        raise _bad(text, f"pay_timeout must be 10 to 600 seconds, not {pay_timeout:g}")
    kind, _, rest = text.partition(":")
    if kind.lower() == "manual" and not rest:
        return CardTerminalSpec("manual", pay_timeout=pay_timeout)
    if kind.lower() == "network" and rest:
        host, port = _host_port(text, rest)
        return CardTerminalSpec("network", host, port, pay_timeout)
    raise _bad(text, "incomplete setting" if kind.lower() in ("manual", "network") else "unknown kind of terminal")


def open_card_terminal(spec: CardTerminalSpec) -> NetworkCardTerminal | None:
    """The network adapter, or None in manual mode (the till asks the cashier for the code)."""
    if spec.kind == "manual":
        return None
    return NetworkCardTerminal(spec.host, spec.port, connect_timeout=CONNECT_TIMEOUT,
                               pay_timeout=spec.pay_timeout, answer_timeout=ANSWER_TIMEOUT)


def _host_port(setting: str, rest: str) -> tuple[str, int]:
    if rest.startswith("["):  # network:[fe80::1]:9200
        host, _, tail = rest[1:].partition("]")
        port_text = tail[1:] if tail.startswith(":") else ""
    else:
        host, _, port_text = rest.rpartition(":") if ":" in rest else (rest, "", "")
    if not port_text:
        raise _bad(setting, "the port is missing: the terminal has no default port")
    if not host or not host.isascii() or any(ch.isspace() or ch in "/\\[]" for ch in host):
        raise _bad(setting, f"{_shown(host) or 'the host'!r} is not a host name or IP address")
    if not (port_text.isascii() and port_text.isdigit() and len(port_text) <= 5 and 0 < int(port_text) < 65536):
        raise _bad(setting, f"{_shown(port_text)!r} is not a TCP port (1-65535)")
    return host, int(port_text)


def _bad(setting: str, problem: str) -> CardTerminalNotConfigured:
    return CardTerminalNotConfigured(address=_shown(setting) or "(empty)",
                                     reason=f"{problem}; use one of: {', '.join(ACCEPTED_FORMS)}")


def _shown(text: str) -> str:
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
    return text if len(text) <= 60 else text[:59] + "…"
