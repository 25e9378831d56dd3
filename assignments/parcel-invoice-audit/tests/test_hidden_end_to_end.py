"""The three functions together on the week the README's samples come from (week 13 of 2024,
with the clock change), as `python -m parcel_audit` runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import WEEKLY_SUMMARY, assert_frame, fetch, frame

from parcel_audit import load_invoice, load_shipments, reconcile, weekly_summary

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def samples(folder):
    """The sample exports, copied where the submission can read them."""
    for source in SAMPLES.iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    return (str(folder / "wms_shipments_2024-w13.csv"),
            str(folder / "baltic_invoice_BXI-24-0313.csv"))


def test_sample_week_reconciles(samples):
    shipments_csv, invoice_csv = samples
    got = fetch(reconcile(load_shipments(shipments_csv), load_invoice(invoice_csv)))
    problems = got[got["status"] != "ok"]
    assert dict(zip(problems["tracking_no"], problems["status"], strict=True)) == {
        "BX7001001": "overweight",
        "BX7001002": "service_mismatch",
        "BX7001007": "billed_twice",
        "BX7001009": "not_shipped",
        "BX7001016": "not_invoiced",
        "BX7001017": "overweight",
        "BX7009944": "not_shipped",
    }
    assert len(got) == 17
    assert round(float(got["charged_eur"].sum()), 2) == 265.57


def test_sample_week_summary(samples):
    shipments_csv, invoice_csv = samples
    summary = weekly_summary(reconcile(load_shipments(shipments_csv),
                                       load_invoice(invoice_csv)))
    expected = frame([
        {"week_start": "2024-03-25", "depot": "HEL", "shipments": 4, "charged_eur": 99.35,
         "not_invoiced": 0, "disputed": 1, "disputed_eur": 61.38},
        {"week_start": "2024-03-25", "depot": "MAN", "shipments": 5, "charged_eur": 74.04,
         "not_invoiced": 0, "disputed": 1, "disputed_eur": 15.01},
        {"week_start": "2024-03-25", "depot": "OSL", "shipments": 5, "charged_eur": 63.06,
         "not_invoiced": 0, "disputed": 2, "disputed_eur": 26.88},
        {"week_start": "2024-04-01", "depot": "HEL", "shipments": 1, "charged_eur": 0.0,
         "not_invoiced": 1, "disputed": 0, "disputed_eur": 0.0},
    ], WEEKLY_SUMMARY)
    assert_frame(summary, expected)
