"""The till's application shell: the settings file, the one factory that opens a till
(``shell.till.open_till``), the ``kassa`` commands and the composition root that wires
every layer for the window.  It sits above ui/: ui/ holds only widgets, view-models and
the Qt application, and never imports the shell."""
