"""The hub's first schema: stores and tills, enrolment and credentials, received sales,
reference data with one global version counter.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _till_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["store_id", "till_id"], ["tills.store_id", "tills.till_id"], name=f"fk_{table}_store_id_tills"
    )


def _versioned(name: str, *columns: sa.Column, pk: list[str]) -> None:
    op.create_table(
        name, *columns,
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint(*pk, name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_version", name, ["version"], unique=True)


def upgrade() -> None:
    op.create_table(
        "stores",
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("store_id", name="pk_stores"),
    )
    op.create_table(
        "tills",
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_seen_at", TIME),
        sa.Column("last_till_time", TIME),
        sa.Column("queue_length", sa.Integer()),
        sa.Column("oldest_unsent_seconds", sa.Integer()),
        sa.Column("app_version", sa.String(40)),
        sa.PrimaryKeyConstraint("store_id", "till_id", name="pk_tills"),
        sa.ForeignKeyConstraint(["store_id"], ["stores.store_id"], name="fk_tills_store_id_stores"),
    )
    op.create_table(
        "enrolment_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_sha256", sa.String(64), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("used_at", TIME),
        sa.Column("device", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name="pk_enrolment_codes"),
        sa.UniqueConstraint("code_sha256", name="uq_enrolment_codes_code_sha256"),
        _till_key("enrolment_codes"),
    )
    op.create_table(
        "till_credentials",
        sa.Column("credential_id", sa.String(32), nullable=False),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("device", sa.String(200), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME),
        sa.PrimaryKeyConstraint("credential_id", name="pk_till_credentials"),
        _till_key("till_credentials"),
    )
    op.create_table(
        "sales",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("till_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("receipt_number", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("till_completed_at", TIME, nullable=False),
        sa.Column("hub_received_at", TIME, nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sales"),
        sa.UniqueConstraint("sale_id", name="uq_sales_sale_id"),
        sa.UniqueConstraint("store_id", "till_id", "seq", name="uq_sales_store_id_till_id_seq"),
        _till_key("sales"),
    )
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_version"),
    )
    op.execute("INSERT INTO catalog_version (id, version) VALUES (1, 0)")
    _versioned(
        "products",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("brand", sa.String(200), nullable=False),
        sa.Column("category", sa.String(200), nullable=False),
        sa.Column("vat_code", sa.String(8), nullable=False),
        sa.Column("sold_by_weight", sa.Boolean(), nullable=False),
        pk=["code"],
    )
    _versioned(
        "barcodes",
        sa.Column("gtin", sa.String(32), nullable=False),
        sa.Column("product_code", sa.String(64), nullable=False),
        pk=["gtin"],
    )
    op.create_index("ix_barcodes_product_code", "barcodes", ["product_code"])
    _versioned(
        "prices",
        sa.Column("product_code", sa.String(64), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        pk=["product_code"],
    )
    _versioned(
        "taxes",
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("percent", sa.String(12), nullable=False),
        pk=["code"],
    )
    _versioned(
        "cashiers",
        sa.Column("store_id", sa.String(64), sa.ForeignKey("stores.store_id", name="fk_cashiers_store_id_stores"), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("pin_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        pk=["store_id", "code"],
    )


def downgrade() -> None:
    for table in ("cashiers", "taxes", "prices", "barcodes", "products", "catalog_version",
                  "sales", "till_credentials", "enrolment_codes", "tills", "stores"):
        op.drop_table(table)
