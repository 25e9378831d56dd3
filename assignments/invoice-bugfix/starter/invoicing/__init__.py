"""Invoicing: totals, due dates and the printable invoice."""
