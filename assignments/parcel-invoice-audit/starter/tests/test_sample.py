"""The sample week in data/ (week 13 of 2024, which has the clock change in it)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from parcel_audit import load_invoice, load_shipments, reconcile, weekly_summary, schema

DATA = Path(__file__).resolve().parent.parent / "data"
SHIPMENTS_CSV = DATA / "wms_shipments_2024-w13.csv"
INVOICE_CSV = DATA / "baltic_invoice_BXI-24-0313.csv"


def assert_shape(frame: pd.DataFrame, columns: dict[str, str]) -> None:
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == columns
    assert list(frame.columns) == list(columns)
    pd.testing.assert_index_equal(frame.index, pd.RangeIndex(len(frame)))


@pytest.fixture(scope="module")
def shipments() -> pd.DataFrame:
    return load_shipments(SHIPMENTS_CSV)


@pytest.fixture(scope="module")
def invoice() -> pd.DataFrame:
    return load_invoice(INVOICE_CSV)


def test_shipments_shape(shipments):
    assert_shape(shipments, schema.SHIPMENTS)
    assert len(shipments) == 15
    # cancelled: KV-240319 before it left, KV-240322 after its first export
    assert {"KV-240319", "KV-240322"}.isdisjoint(shipments["shipment_id"])


def test_shipments_times_and_weights(shipments):
    by_id = shipments.set_index("shipment_id")
    # 02:30 on 31 March does not exist in Oslo: read with the winter offset, +01:00
    assert by_id.loc["KV-240324", "shipped_at"] == pd.Timestamp("2024-03-31T01:30:00Z")
    assert by_id.loc["KV-240314", "weight_kg"] == pytest.approx(3.402)  # 7.5 lb
    assert by_id.loc["KV-240318", "weight_kg"] == pytest.approx(3.4)  # the latest version


def test_invoice_shape(invoice):
    assert_shape(invoice, schema.INVOICE_LINES)
    assert len(invoice) == 17
    assert "O’Brien’s Bakery" in set(invoice["consignee"])  # the file is Windows-1252
    assert invoice["amount_eur"].sum() == pytest.approx(265.57)


def test_reconciliation_statuses(shipments, invoice):
    reconciled = reconcile(shipments, invoice)
    assert_shape(reconciled, schema.RECONCILIATION)
    assert reconciled["status"].value_counts().to_dict() == {
        "ok": 10, "overweight": 2, "not_shipped": 2, "service_mismatch": 1,
        "billed_twice": 1, "not_invoiced": 1}


def test_weekly_summary(shipments, invoice):
    summary = weekly_summary(reconcile(shipments, invoice))
    expected = pd.DataFrame({
        "week_start": pd.to_datetime(["2024-03-25", "2024-03-25", "2024-03-25", "2024-04-01"]),
        "depot": ["HEL", "MAN", "OSL", "HEL"],
        "shipments": [4, 5, 5, 1],
        "charged_eur": [99.35, 74.04, 63.06, 0.0],
        "not_invoiced": [0, 0, 0, 1],
        "disputed": [1, 1, 2, 0],
        "disputed_eur": [61.38, 15.01, 26.88, 0.0],
    }).astype(schema.WEEKLY_SUMMARY)
    pd.testing.assert_frame_equal(summary, expected, check_exact=False, atol=0.005, rtol=0)
