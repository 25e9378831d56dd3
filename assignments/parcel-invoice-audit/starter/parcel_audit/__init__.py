"""Parcel invoice audit: our shipments against Baltic Express's invoices."""

from parcel_audit.invoice import load_invoice
from parcel_audit.reconcile import reconcile
from parcel_audit.shipments import load_shipments
from parcel_audit.summary import weekly_summary

__all__ = ["load_invoice", "load_shipments", "reconcile", "weekly_summary"]
