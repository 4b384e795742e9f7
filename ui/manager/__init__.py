"""The manager's screens (F10 > Manager screens): shift history, journal search, unsent and
quarantined documents, and the day view.  Open to a manager; anyone else is asked for a
manager's approval first (``Action.MANAGER_SCREENS``).  Every read runs on the till worker
through ``local_db.journal_search``.  docs/manager-guide.md shows each screen."""
