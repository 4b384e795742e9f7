"""Controlling the sale on the till: park and recall, cancel the whole sale, the void and
weight change under a manager's approval, and the till's lock (by hand or after inactivity).
The store menu (ui.store_menu) calls ``actions.park_sale``, ``recall_sale``, ``cancel_sale`` and
``lock_now``; the main window installs ``inactivity.install_inactivity_lock``."""
