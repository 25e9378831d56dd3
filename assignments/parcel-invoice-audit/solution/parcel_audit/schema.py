"""The shape of every frame this package hands out: column names, in order, and their dtypes.

The notebook that came before this package produced frames whose dtypes depended on the data
(an all-empty column turned into float64, a week without credits into int64...). Downstream
jobs break on that, so every function returns exactly these columns with exactly these dtypes,
and a RangeIndex (0, 1, 2...).
"""

from __future__ import annotations

import pandas as pd

UTC_TIMESTAMP = "datetime64[ns, UTC]"
LOCAL_DATE = "datetime64[ns]"
TEXT = "object"

SHIPMENTS = {
    "shipment_id": TEXT,
    "tracking_no": TEXT,
    "depot": TEXT,
    "service": TEXT,
    "shipped_at": UTC_TIMESTAMP,
    "weight_kg": "float64",
}

INVOICE_LINES = {
    "tracking_no": TEXT,
    "pickup_date": LOCAL_DATE,
    "service": TEXT,
    "billed_weight_kg": "float64",
    "amount_eur": "float64",
    "consignee": TEXT,
}

RECONCILIATION = {
    "tracking_no": TEXT,
    "shipment_id": TEXT,
    "depot": TEXT,
    "service": TEXT,
    "shipped_at": UTC_TIMESTAMP,
    "weight_kg": "float64",
    "billed_weight_kg": "float64",
    "invoice_lines": "int64",
    "charged_eur": "float64",
    "status": TEXT,
}

WEEKLY_SUMMARY = {
    "week_start": LOCAL_DATE,
    "depot": TEXT,
    "shipments": "int64",
    "charged_eur": "float64",
    "not_invoiced": "int64",
    "disputed": "int64",
    "disputed_eur": "float64",
}


def conform(frame: pd.DataFrame, schema: dict[str, str]) -> pd.DataFrame:
    """``frame`` with exactly ``schema``'s columns, in its order and with its dtypes, and a
    fresh RangeIndex. Missing text is None, not NaN."""
    out = frame.loc[:, list(schema)].astype(schema).reset_index(drop=True)
    for name, dtype in schema.items():
        if dtype == TEXT:
            out[name] = out[name].astype(object).where(out[name].notna(), None)
    return out


def empty(schema: dict[str, str]) -> pd.DataFrame:
    """A frame with no rows and ``schema``'s columns."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in schema.items()})
