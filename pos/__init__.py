"""Kassa's domain and use cases: pure Python, no Qt, no database, no devices.

Adapters (local_db, hardware, sync, ui) implement the Protocols in :mod:`pos.ports`.
"""
