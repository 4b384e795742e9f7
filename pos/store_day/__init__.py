"""The store's day as pure domain (issue 9): who may do what, manager approvals, shifts and
the drawer, tenders (cash, card, split), returns and exchanges, and the X/Z report.

- ``roles``: roles, protected actions, the permission table (hub data) and ``may``.
- ``approval``: a manager's approval bound to one action, amount and sale; reason codes;
  the audit record; the inactivity lock and the cashier switch rule.
- ``drawer``: denominations per currency and a drawer count typed by denomination.
- ``shift``: a shift's states (open, closing, closed), float, cash in/out, blind count, variance.
- ``tenders``: settling a due amount with cash, card results and split payments.
- ``paid_sale``: the existing ``pos.sale.Sale`` paid by such a settlement.
- ``returns``: returnable quantities, return documents, refunds to the original tenders, exchanges.
- ``report``: the X/Z report computed from the day's documents, and ``reconcile``.
- ``forms``: the JSON forms of the new documents (kassa.return.v1, kassa.shift.v1, ...).

Nothing here touches storage or devices: the journal, sync, hub and UI wire it later
(docs/store-day-design.md).
"""
