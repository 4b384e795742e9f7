"""kassa_pos: a Tryton module that gives each point-of-sale sale the reference of the Kassa
document it came from (``kassa_reference``, unique), so the hub's connector looks a sale up
before it creates one and a lost answer never makes a second sale."""
