"""Frames across the boundary.

The candidate's functions run in the submission's own process, so a DataFrame they return stays
there and reaches these tests as a proxy. ``fetch`` copies one into the judge column by column,
as plain values (text, numbers, ISO timestamps) plus its dtypes, so the tests compare real
frames with pandas.testing. ``send`` does the opposite: it builds a frame of the tests' in the
submission's process (with the submission's own pandas), to hand to reconcile() and
weekly_summary() inputs that do not depend on the candidate's loaders.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from reciprocal_judge import submission

MISSING = None


def fetch(remote) -> pd.DataFrame:
    """A copy, in the judge, of a DataFrame the submission returned."""
    assert _is_frame(remote), f"expected a pandas DataFrame, got {remote!r}"
    columns = list(remote.columns.tolist())
    dtypes = list(remote.dtypes.astype("str").tolist())
    labels = remote.index.tolist()
    index = pd.Index(labels) if labels else pd.RangeIndex(0)
    data = {}
    for name, dtype in zip(columns, dtypes, strict=True):
        column = remote[name]
        missing = column.isna().tolist()
        if dtype.startswith("datetime64"):
            text = column.astype("str").tolist()
            values = [MISSING if gap else value for value, gap in zip(text, missing, strict=True)]
            data[name] = _timestamps(values, dtype)
        else:
            values = column.tolist()
            values = [MISSING if gap else value for value, gap in zip(values, missing, strict=True)]
            data[name] = pd.Series(values, dtype=object).astype(dtype)
    frame = pd.DataFrame({i: data[name] for i, name in enumerate(columns)})
    frame.columns = columns
    frame.index = index
    return frame


def _is_frame(remote) -> bool:
    """Whether ``remote`` is a DataFrame (or a subclass of one) of the submission's."""
    data = getattr(remote, "_reciprocal_data", None)
    if not isinstance(data, dict):
        return False
    return {"module": "pandas.core.frame", "qualname": "DataFrame"} in (data.get("mro") or [])


def _timestamps(values: list, dtype: str) -> pd.Series:
    aware = "," in dtype
    parsed = pd.to_datetime(pd.Series(values, dtype=object), utc=aware, format="ISO8601")
    if aware:
        zone = dtype.split(",", 1)[1].rstrip("]").strip()
        parsed = parsed.dt.tz_convert(zone)
    return parsed.astype(dtype)


def send(frame: pd.DataFrame):
    """``frame`` rebuilt in the submission's process: a DataFrame of its own pandas."""
    rpd = submission.module("pandas")
    columns = {}
    for name in frame.columns:
        column = frame[name]
        dtype = str(column.dtype)
        if dtype.startswith("datetime64"):
            text = [MISSING if pd.isna(v) else v.isoformat() for v in column]
            aware = "," in dtype
            columns[name] = rpd.to_datetime(rpd.Series(text, dtype="object"), utc=aware,
                                            format="ISO8601").astype(dtype)
        else:
            values = [MISSING if pd.isna(v) else _plain(v) for v in column.astype(object)]
            columns[name] = rpd.Series(values, dtype=dtype)
    return rpd.DataFrame(columns)


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def frame(rows: list[dict], schema: dict[str, str]) -> pd.DataFrame:
    """A frame with ``schema``'s columns and dtypes from rows of plain values; datetime
    columns take ISO 8601 text."""
    data = {}
    for name, dtype in schema.items():
        values = [row.get(name) for row in rows]
        if dtype.startswith("datetime64"):
            data[name] = _timestamps(values, dtype)
        else:
            data[name] = pd.Series(values, dtype=object).astype(dtype)
    return pd.DataFrame(data)


def assert_frame(actual_remote, expected: pd.DataFrame, **options) -> pd.DataFrame:
    """Compare what the submission returned with ``expected``: columns, their order and
    dtypes, the RangeIndex and every value (amounts to the cent)."""
    actual = fetch(actual_remote)
    assert list(actual.columns) == list(expected.columns), (
        f"columns: expected {list(expected.columns)}, got {list(actual.columns)}")
    pd.testing.assert_frame_equal(actual, expected, check_exact=False, atol=0.005, rtol=0,
                                  **options)
    return actual


SHIPMENTS = {
    "shipment_id": "object",
    "tracking_no": "object",
    "depot": "object",
    "service": "object",
    "shipped_at": "datetime64[ns, UTC]",
    "weight_kg": "float64",
}
INVOICE_LINES = {
    "tracking_no": "object",
    "pickup_date": "datetime64[ns]",
    "service": "object",
    "billed_weight_kg": "float64",
    "amount_eur": "float64",
    "consignee": "object",
}
RECONCILIATION = {
    "tracking_no": "object",
    "shipment_id": "object",
    "depot": "object",
    "service": "object",
    "shipped_at": "datetime64[ns, UTC]",
    "weight_kg": "float64",
    "billed_weight_kg": "float64",
    "invoice_lines": "int64",
    "charged_eur": "float64",
    "status": "object",
}
WEEKLY_SUMMARY = {
    "week_start": "datetime64[ns]",
    "depot": "object",
    "shipments": "int64",
    "charged_eur": "float64",
    "not_invoiced": "int64",
    "disputed": "int64",
    "disputed_eur": "float64",
}


@pytest.fixture
def folder() -> Path:
    """A folder the submission can read, for the exports a test writes."""
    return submission.exchange_dir()
