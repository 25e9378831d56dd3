"""Our shipments against the carrier's invoice lines (README.md, "Reconciliation")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parcel_audit import schema

# The carrier bills in steps of half a kilogram, rounding up, and never less than one step.
BILLING_STEP_KG = 0.5


def reconcile(shipments: pd.DataFrame, invoice: pd.DataFrame) -> pd.DataFrame:
    """One row per tracking number found in either frame, with the verdict in ``status``."""
    billed = invoice.groupby("tracking_no", sort=False).agg(
        billed_weight_kg=("billed_weight_kg", "max"),
        billed_service=("service", "first"),
        invoice_lines=("amount_eur", "size"),
        charged_eur=("amount_eur", "sum"),
    ).reset_index()
    both = shipments.merge(billed, on="tracking_no", how="outer", indicator="found")
    both["invoice_lines"] = both["invoice_lines"].fillna(0)
    both["charged_eur"] = both["charged_eur"].fillna(0.0).round(2)
    both["status"] = _status(both)
    return schema.conform(both.sort_values("tracking_no", kind="stable"),
                          schema.RECONCILIATION)


def billable_weight_kg(weight_kg: pd.Series) -> pd.Series:
    """The weight the carrier may bill for a parcel of ``weight_kg``."""
    steps = np.ceil(weight_kg / BILLING_STEP_KG).clip(lower=1)
    return steps * BILLING_STEP_KG


def _status(rows: pd.DataFrame) -> np.ndarray:
    # the first rule that applies wins (README.md's table, top to bottom)
    rules = [
        ("not_shipped", rows["found"] == "right_only"),
        ("not_invoiced", rows["found"] == "left_only"),
        ("billed_twice", rows["invoice_lines"] > 1),
        ("service_mismatch", rows["billed_service"] != rows["service"]),
        ("overweight", rows["billed_weight_kg"] > billable_weight_kg(rows["weight_kg"])),
    ]
    conditions = [condition.to_numpy(dtype=bool) for _, condition in rules]
    return np.select(conditions, [name for name, _ in rules], default="ok").astype(object)
