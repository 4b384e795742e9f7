"""The pricing step between the basket and the sale: promotions in, a priced basket out.

``pos.pricing.promotion`` holds what head office configures (conditions apart from benefits),
``pos.pricing.priced`` what the step answers (per-line discounts tied to the promotion that
gave them, totals that add up to the cent), ``pos.pricing.engine.price_basket`` the step
itself.  Everything here is pure: the clock, the store and the customer come in a
``PricingContext``; nothing is read inside a calculation.  docs/promotions.md has the rules.
"""
