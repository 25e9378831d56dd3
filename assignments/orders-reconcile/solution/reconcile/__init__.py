"""Reconcile the shop's order export with the payment provider's export."""
