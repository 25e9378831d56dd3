"""Baltic Express's invoice export (README.md, "The carrier's invoice")."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from parcel_audit import schema


def load_invoice(path: str | Path) -> pd.DataFrame:
    """Every charge line of the invoice, in the file's order: amounts as numbers in euros,
    the totals line and blank lines left out.

    Columns and dtypes: schema.INVOICE_LINES."""
    raise NotImplementedError("TODO: load_invoice")
