"""Our shipments against the carrier's invoice lines (README.md, "Reconciliation")."""

from __future__ import annotations

import pandas as pd

from parcel_audit import schema


def reconcile(shipments: pd.DataFrame, invoice: pd.DataFrame) -> pd.DataFrame:
    """One row per tracking number found in either frame, with the verdict in ``status``.

    ``shipments`` and ``invoice`` are shaped as load_shipments() and load_invoice() return
    them. Columns and dtypes of the result: schema.RECONCILIATION."""
    raise NotImplementedError("TODO: reconcile")
