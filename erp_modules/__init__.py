"""Tryton modules of our own, installed with the ``erp`` extra (found by trytond through the
``trytond.modules`` entry points in pyproject.toml)."""
