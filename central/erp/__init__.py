"""The hub's ERP connector: master data pulled from the ERP, documents delivered to it (docs/erp.md)."""
