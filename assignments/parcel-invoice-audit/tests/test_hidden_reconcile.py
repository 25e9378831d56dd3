"""reconcile(): our shipments against the invoice lines (README.md, "Reconciliation"). The
inputs are built here, as load_shipments() and load_invoice() return them, so these tests do
not depend on the loaders."""

from __future__ import annotations

import pytest
from conftest import INVOICE_LINES, RECONCILIATION, SHIPMENTS, assert_frame, fetch, frame, send

from parcel_audit import reconcile


def shipment(tracking: str, *, depot: str = "OSL", service: str = "standard",
             weight: float = 1.0, at: str = "2024-05-02T08:00:00Z") -> dict:
    return {"shipment_id": "KV-" + tracking[2:], "tracking_no": tracking, "depot": depot,
            "service": service, "shipped_at": at, "weight_kg": weight}


def charge(tracking: str, *, service: str = "standard", weight: float = 1.0,
           amount: float = 7.73) -> dict:
    return {"tracking_no": tracking, "pickup_date": "2024-05-02", "service": service,
            "billed_weight_kg": weight, "amount_eur": amount, "consignee": "Nordvik AS"}


def row(tracking: str, status: str, *, ours: dict | None = None, billed: float | None = None,
        lines: int = 1, charged: float = 7.73) -> dict:
    mine = ours or {}
    return {"tracking_no": tracking, "shipment_id": mine.get("shipment_id"),
            "depot": mine.get("depot"), "service": mine.get("service"),
            "shipped_at": mine.get("shipped_at"), "weight_kg": mine.get("weight_kg"),
            "billed_weight_kg": billed, "invoice_lines": lines, "charged_eur": charged,
            "status": status}


def run(shipments: list[dict], charges: list[dict]):
    return reconcile(send(frame(shipments, SHIPMENTS)), send(frame(charges, INVOICE_LINES)))


def statuses(result) -> dict[str, str]:
    got = fetch(result)
    return dict(zip(got["tracking_no"], got["status"], strict=True))


def test_matching_parcel_is_ok_with_every_column():
    ours = shipment("BX1", depot="MAN", service="express", weight=1.451)
    expected = frame([row("BX1", "ok", ours=ours, billed=1.5, charged=18.93)], RECONCILIATION)
    assert_frame(run([ours], [charge("BX1", service="express", weight=1.5, amount=18.93)]),
                 expected)


def test_parcel_only_on_the_invoice_is_not_shipped():
    ours = shipment("BX1")
    expected = frame([row("BX1", "ok", ours=ours, billed=1.0),
                      row("BX2", "not_shipped", billed=2.0, charged=9.30)], RECONCILIATION)
    assert_frame(run([ours], [charge("BX1"), charge("BX2", weight=2.0, amount=9.30)]),
                 expected)


def test_parcel_missing_from_the_invoice_is_not_invoiced():
    first, second = shipment("BX1"), shipment("BX2", weight=3.2)
    expected = frame([row("BX1", "ok", ours=first, billed=1.0),
                      row("BX2", "not_invoiced", ours=second, billed=None, lines=0,
                          charged=0.0)], RECONCILIATION)
    assert_frame(run([first, second], [charge("BX1")]), expected)


def test_two_lines_are_billed_twice_and_their_charges_add_up():
    ours = shipment("BX1", weight=12.25)
    lines = [charge("BX1", weight=12.5, amount=30.69), charge("BX1", weight=12.5, amount=30.69)]
    expected = frame([row("BX1", "billed_twice", ours=ours, billed=12.5, lines=2,
                          charged=61.38)], RECONCILIATION)
    assert_frame(run([ours], lines), expected)


def test_billed_weight_of_several_lines_is_the_largest():
    ours = shipment("BX1", weight=2.0)
    lines = [charge("BX1", weight=2.0, amount=9.30), charge("BX1", weight=3.5, amount=11.87),
             charge("BX1", weight=2.5, amount=10.98)]
    got = fetch(run([ours], lines))
    assert got[["billed_weight_kg", "invoice_lines", "charged_eur"]].round(2).values.tolist() \
        == [[3.5, 3, 32.15]]


def test_different_service_is_a_service_mismatch():
    ours = shipment("BX1", service="standard", weight=0.35)
    assert statuses(run([ours], [charge("BX1", service="express", weight=0.5)])) == {
        "BX1": "service_mismatch"}


@pytest.mark.parametrize(("weight", "billed", "status"), [
    (2.0, 2.0, "ok"),
    (2.001, 2.5, "ok"),
    (2.001, 3.0, "overweight"),
    (2.4, 2.5, "ok"),
    (2.4, 3.0, "overweight"),
    (2.5, 2.5, "ok"),
    (2.5, 3.0, "overweight"),
    (0.12, 0.5, "ok"),
    (0.12, 1.0, "overweight"),
    (0.0, 0.5, "ok"),
    (4.99, 5.0, "ok"),
    (4.99, 5.5, "overweight"),
    (6.0, 4.5, "ok"),
])
def test_overweight_is_judged_in_half_kilo_steps_rounding_up(weight, billed, status):
    result = run([shipment("BX1", weight=weight)], [charge("BX1", weight=billed)])
    assert statuses(result) == {"BX1": status}, f"{weight} kg billed as {billed} kg"


def test_the_first_rule_that_applies_wins():
    shipments = [shipment("BX1", weight=1.0), shipment("BX2", weight=1.0),
                 shipment("BX3", weight=1.0)]
    charges = [
        # billed twice, as express and too heavy
        charge("BX1", service="express", weight=3.0), charge("BX1", weight=3.0),
        # express and too heavy
        charge("BX2", service="express", weight=3.0),
        # too heavy only
        charge("BX3", weight=3.0),
    ]
    assert statuses(run(shipments, charges)) == {
        "BX1": "billed_twice", "BX2": "service_mismatch", "BX3": "overweight"}


def test_rows_are_sorted_by_tracking_number():
    shipments = [shipment("BX30"), shipment("BX12"), shipment("BX7")]
    charges = [charge("BX25"), charge("BX7"), charge("BX12")]
    got = fetch(run(shipments, charges))
    assert got["tracking_no"].tolist() == ["BX12", "BX25", "BX30", "BX7"]
    assert got.index.tolist() == [0, 1, 2, 3]


def test_empty_invoice_leaves_every_parcel_not_invoiced():
    shipments = [shipment("BX1"), shipment("BX2", weight=2.5)]
    expected = frame([row("BX1", "not_invoiced", ours=shipments[0], lines=0, charged=0.0),
                      row("BX2", "not_invoiced", ours=shipments[1], lines=0, charged=0.0)],
                     RECONCILIATION)
    assert_frame(run(shipments, []), expected)


def test_no_shipments_leaves_every_line_not_shipped():
    expected = frame([row("BX1", "not_shipped", billed=1.0),
                      row("BX2", "not_shipped", billed=1.0, lines=2, charged=15.46)],
                     RECONCILIATION)
    assert_frame(run([], [charge("BX1"), charge("BX2"), charge("BX2")]), expected)


def test_inputs_are_left_unchanged():
    shipments = frame([shipment("BX1"), shipment("BX2")], SHIPMENTS)
    charges = frame([charge("BX2"), charge("BX3"), charge("BX3")], INVOICE_LINES)
    remote_shipments, remote_charges = send(shipments), send(charges)
    reconcile(remote_shipments, remote_charges)
    assert_frame(remote_shipments, shipments)
    assert_frame(remote_charges, charges)
