"""The till's people for the store's day (``pos.store_day.day.StaffDirectory``): each cashier's
role (``cashiers.role``, from the hub's cashiers dataset, migration 0008) and the check of a
manager's code and PIN at an approval or unlock prompt, through the same sign-in rules as the
sign-in screen (``GuardedCashiers``: the lockout after wrong PINs, every try recorded)."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.problems import explain
from pos.ports import CashierDirectory
from pos.sale import Cashier
from pos.store_day.roles import Role


class SqlStaff:
    def __init__(self, db: Database, cashiers: CashierDirectory) -> None:
        self.db = db
        self.cashiers = cashiers

    def role_of(self, cashier_id: str) -> Role:
        try:
            with self.db.lookup() as conn:
                found = conn.exec_driver_sql(
                    "SELECT role FROM cashiers WHERE code = ? AND active = 1", (cashier_id,)).scalar()
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing="reading a cashier's role") from error
        try:
            return Role(found) if found is not None else Role.CASHIER
        except ValueError:
            return Role.CASHIER  # the schema's CHECK keeps this from happening; never more rights

    def check_pin(self, cashier_code: str, pin: str) -> Cashier | None:
        return self.cashiers.sign_in(cashier_code, pin)


def set_role(db: Database, code: str, role: Role) -> None:
    """Give a cashier a role (the bootstrap administrator of an unenrolled till, tests, the demo)."""
    with db.writing() as conn:
        changed = conn.exec_driver_sql("UPDATE cashiers SET role = ? WHERE code = ?", (role.value, code)).rowcount
    if not changed:
        raise ValueError(f"there is no cashier {code!r}")
