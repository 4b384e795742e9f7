"""Staged barcodes are looked up by product when a big pull is applied (a new product's main
barcode, and which products' barcodes changed), so they get an index on product_code.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX staged_barcodes_by_product ON staged_barcodes (product_code)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS staged_barcodes_by_product")
