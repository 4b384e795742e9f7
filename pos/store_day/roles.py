"""Roles and the permission table: which role may do which protected action.

The chain sets the table at the hub (a dataset, like products); ``DEFAULT_PERMISSIONS`` is
what a till uses until it has one.  ``PermissionTable.from_data`` reads the hub's form and
refuses an unknown role or action, so a typo at head office never silently opens an action.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pos.errors import PosError
from pos.i18n import N_
from pos.sale import Cashier


class Role(enum.Enum):
    CASHIER = "cashier"
    SENIOR_CASHIER = "senior_cashier"
    MANAGER = "manager"


class Action(enum.Enum):
    """Every action a role may be refused (issue 9, item 1, and the fixes it lists)."""

    VOID_LINE = "void_line"
    CANCEL_SALE = "cancel_sale"  # void the whole sale
    PRICE_OVERRIDE = "price_override"
    WEIGHT_OVERRIDE = "weight_override"  # change a weight read from a scale label
    MANUAL_DISCOUNT = "manual_discount"
    RETURN_WITH_RECEIPT = "return_with_receipt"
    RETURN_WITHOUT_RECEIPT = "return_without_receipt"
    RETURN_OTHER_TILL_OFFLINE = "return_other_till_offline"  # the hub cannot arbitrate now
    NO_SALE = "no_sale"  # open the drawer without a sale
    CASH_IN = "cash_in"
    CASH_OUT = "cash_out"
    OPEN_SHIFT = "open_shift"
    CLOSE_SHIFT = "close_shift"
    X_REPORT = "x_report"
    Z_REPORT = "z_report"
    REPRINT = "reprint"
    QUARANTINE = "quarantine"  # Ctrl+Q: see what the hub refused
    QUARANTINE_EXPORT = "quarantine_export"
    PARK_SALE = "park_sale"
    MANAGER_SCREENS = "manager_screens"  # F10 > Manager screens: shift history, journal, unsent documents, day view
    CARD_NOT_CHARGED = "card_not_charged"  # a card payment in doubt declared not charged (the terminal is gone)
    GIFT_CARD_OFFLINE = "gift_card_offline"  # a gift card payment while the hub is out of reach (capped)


class NotPermitted(PosError):
    message = N_("{name} may not do this: a manager must approve it.")  # fields: name, action


# What an approval prompt and the audit screens call each action.
ACTION_NAMES: dict[Action, str] = {
    Action.VOID_LINE: N_("Void a line"),
    Action.CANCEL_SALE: N_("Cancel the whole sale"),
    Action.PRICE_OVERRIDE: N_("Change a price"),
    Action.WEIGHT_OVERRIDE: N_("Change a weight from a scale label"),
    Action.MANUAL_DISCOUNT: N_("Give a discount"),
    Action.RETURN_WITH_RECEIPT: N_("Return with a receipt"),
    Action.RETURN_WITHOUT_RECEIPT: N_("Return without a receipt"),
    Action.RETURN_OTHER_TILL_OFFLINE: N_("Return a sale of another till while offline"),
    Action.NO_SALE: N_("Open the drawer without a sale"),
    Action.CASH_IN: N_("Put cash in"),
    Action.CASH_OUT: N_("Take cash out"),
    Action.OPEN_SHIFT: N_("Open the shift"),
    Action.CLOSE_SHIFT: N_("Close the shift"),
    Action.X_REPORT: N_("X report"),
    Action.Z_REPORT: N_("Z report"),
    Action.REPRINT: N_("Reprint a receipt"),
    Action.QUARANTINE: N_("See the quarantine"),
    Action.QUARANTINE_EXPORT: N_("Export the quarantine"),
    Action.PARK_SALE: N_("Park a sale"),
    Action.MANAGER_SCREENS: N_("Open the manager's screens"),
    Action.CARD_NOT_CHARGED: N_("Declare a card payment in doubt not charged"),
    Action.GIFT_CARD_OFFLINE: N_("Take a gift card offline"),
}


class BadPermissionTable(PosError):
    message = N_("The permission table from head office cannot be used: {reason}")


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A signed-in person and their role (cashier accounts come from the hub)."""

    cashier: Cashier
    role: Role


_EVERYONE = frozenset(Role)
_SENIOR_UP = frozenset({Role.SENIOR_CASHIER, Role.MANAGER})
_MANAGER = frozenset({Role.MANAGER})

DEFAULT_PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.VOID_LINE: _EVERYONE,
    Action.CANCEL_SALE: _SENIOR_UP,
    Action.PRICE_OVERRIDE: _MANAGER,
    Action.WEIGHT_OVERRIDE: _MANAGER,
    Action.MANUAL_DISCOUNT: _SENIOR_UP,
    Action.RETURN_WITH_RECEIPT: _SENIOR_UP,
    Action.RETURN_WITHOUT_RECEIPT: _MANAGER,
    Action.RETURN_OTHER_TILL_OFFLINE: _MANAGER,
    Action.NO_SALE: _SENIOR_UP,
    Action.CASH_IN: _SENIOR_UP,
    Action.CASH_OUT: _MANAGER,
    Action.OPEN_SHIFT: _SENIOR_UP,
    Action.CLOSE_SHIFT: _SENIOR_UP,
    Action.X_REPORT: _SENIOR_UP,
    Action.Z_REPORT: _MANAGER,
    Action.REPRINT: _EVERYONE,
    Action.QUARANTINE: _MANAGER,
    Action.QUARANTINE_EXPORT: _MANAGER,
    Action.PARK_SALE: _EVERYONE,
    Action.MANAGER_SCREENS: _MANAGER,
    Action.CARD_NOT_CHARGED: _MANAGER,
    Action.GIFT_CARD_OFFLINE: _MANAGER,
}


@dataclass(frozen=True, slots=True)
class PermissionTable:
    """Who may do each action.  An action the table does not name is refused to everyone
    but a manager (a new action never opens up by omission)."""

    allowed: Mapping[Action, frozenset[Role]]

    def may(self, role: Role, action: Action) -> bool:
        return role in self.allowed.get(action, _MANAGER)

    def check(self, who: StaffMember, action: Action) -> None:
        """Raise ``NotPermitted`` naming the person and the action when their role may not."""
        if not self.may(who.role, action):
            raise NotPermitted(name=who.cashier.name, action=action.value)

    def to_data(self) -> dict[str, list[str]]:
        """The hub's form: ``{"void_line": ["cashier", "manager"], ...}``."""
        return {a.value: sorted(r.value for r in roles) for a, roles in self.allowed.items()}

    @classmethod
    def from_data(cls, data: Any) -> PermissionTable:
        """Read the hub's form, on top of the defaults; refuse unknown names, never guess."""
        if not isinstance(data, Mapping):
            raise BadPermissionTable(reason="it is not a table of actions")
        allowed = dict(DEFAULT_PERMISSIONS)
        for action_name, role_names in data.items():
            try:
                action = Action(action_name)
            except ValueError:
                raise BadPermissionTable(reason=f"unknown action {str(action_name)[:40]!r}") from None
            if not isinstance(role_names, (list, tuple)):
                raise BadPermissionTable(reason=f"the roles of {action.value} are not a list")
            try:
                roles = frozenset(Role(name) for name in role_names)
            except (ValueError, TypeError):
                raise BadPermissionTable(reason=f"an unknown role for {action.value}") from None
            allowed[action] = roles | _MANAGER  # a manager may always do what a cashier may ask of them
        return cls(allowed)


DEFAULT_TABLE = PermissionTable(DEFAULT_PERMISSIONS)


def may(role: Role, action: Action, table: PermissionTable = DEFAULT_TABLE) -> bool:
    return table.may(role, action)
