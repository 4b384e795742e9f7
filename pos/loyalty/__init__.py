"""Loyalty points: the chain's rules (``rules``), earning on a sale (``earning``), redeeming
points as a tender within the offline limit (``redeeming``).  Pure: the balance, what this till
used and the clock are passed in."""
