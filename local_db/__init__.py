"""The till's local storage: one SQLite file (SQLAlchemy 2 + Alembic) holding the catalog,
cashiers, the append-only sale journal and store's day documents, the outbox for the hub, the print queue and the
open basket.  Adapters for the ports in ``pos.ports``:

* ``local_db.database``  ``open_database(path) -> Database``, ``default_database_path()``
* ``local_db.catalog``   ``SqlCatalog(db)`` (Catalog), ``load_products(db, products, vat_rates)``
* ``local_db.journal``   ``SqlJournal(db, till_id)`` (SaleJournal, PrintQueue, OpenBasketStore),
  ``journal_check(db)``
* ``local_db.store_day_journal`` ``SqlStoreDay(db, till_id)``: the store's day documents (shifts,
  cash movements, approvals, cancelled sales, paid sales with card approvals, returns,
  exchanges, shift closes with their Z), each one transaction with its number and outbox row
* ``local_db.card_payment_log`` ``SqlCardPaymentLog(db)`` (pos.card_payments.CardPaymentLog)
* ``local_db.outbox``    ``SqlOutbox(db)``: sales by receipt number, the other documents by row
* ``local_db.cashiers``  ``SqlCashiers(db)`` (CashierDirectory), ``add_cashier(db, code, name, pin)``
* ``local_db.demo_store`` ``create_demo_store(db, items=5000)``

Every failure reaches callers as a ``pos.errors.StorageProblem`` (see ``local_db.problems``).
"""
