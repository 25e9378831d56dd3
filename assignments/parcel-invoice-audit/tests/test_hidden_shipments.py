"""load_shipments(): the warehouse system's export, cleaned (README.md, "The shipments
export")."""

from __future__ import annotations

import pytest
from conftest import SHIPMENTS, assert_frame, fetch, frame

from parcel_audit import load_shipments

HEADER = "shipment_id,tracking_no,depot,service,shipped_at,weight,weight_unit,status,updated_at"


def export(folder, *rows: str, name: str = "shipments.csv", prefix: str = "",
           newline: str = "\n") -> str:
    path = folder / name
    path.write_bytes((prefix + newline.join([HEADER, *rows]) + newline).encode("utf-8"))
    return str(path)


def line(shipment_id: str, shipped_at: str, depot: str = "OSL", *, tracking: str | None = None,
         service: str = "standard", weight: str = "1.0", unit: str = "kg",
         status: str = "shipped", updated: str = "2024-05-02T12:00:00Z") -> str:
    tracking = tracking or "BX" + shipment_id.split("-")[-1]
    return ",".join([shipment_id, tracking, depot, service, shipped_at, weight, unit, status,
                     updated])


def shipment(shipment_id: str, shipped_at: str, depot: str = "OSL", *,
             service: str = "standard", weight_kg: float = 1.0) -> dict:
    return {"shipment_id": shipment_id, "tracking_no": "BX" + shipment_id.split("-")[-1],
            "depot": depot, "service": service, "shipped_at": shipped_at,
            "weight_kg": weight_kg}


def shipped_at(result) -> dict[str, str]:
    got = fetch(result)
    return {row.shipment_id: row.shipped_at.isoformat() for row in got.itertuples()}


def test_columns_dtypes_and_index(folder):
    path = export(folder,
                  line("KV-2", "2024-05-02 09:30", "MAN", service="express", weight="2.5"),
                  line("KV-1", "2024-05-02T10:00:00+02:00", "OSL", weight="0.75"))
    expected = frame([
        shipment("KV-1", "2024-05-02T08:00:00Z", "OSL", weight_kg=0.75),
        shipment("KV-2", "2024-05-02T08:30:00Z", "MAN", service="express", weight_kg=2.5),
    ], SHIPMENTS)
    assert_frame(load_shipments(path), expected)


def test_times_with_an_offset_are_kept_as_instants(folder):
    path = export(folder,
                  line("KV-1", "2024-06-03T10:00:00+02:00", "MAN"),
                  line("KV-2", "2024-06-03T08:00:00Z", "HEL"),
                  line("KV-3", "2024-01-10T09:00:00-05:00", "OSL"),
                  line("KV-4", "2024-03-31T02:30:00+01:00", "OSL"))
    assert shipped_at(load_shipments(path)) == {
        "KV-1": "2024-06-03T08:00:00+00:00",
        "KV-2": "2024-06-03T08:00:00+00:00",
        "KV-3": "2024-01-10T14:00:00+00:00",
        "KV-4": "2024-03-31T01:30:00+00:00",
    }


def test_local_times_use_each_depots_time_zone_in_winter_and_summer(folder):
    path = export(folder,
                  line("KV-1", "2024-01-15 12:00", "OSL"),
                  line("KV-2", "2024-07-15T12:00:00", "OSL"),
                  line("KV-3", "2024-01-15 12:00", "MAN"),
                  line("KV-4", "2024-07-15 12:00", "MAN"),
                  line("KV-5", "2024-01-15 12:00:00", "HEL"),
                  line("KV-6", "2024-07-15 12:00", "HEL"))
    assert shipped_at(load_shipments(path)) == {
        "KV-1": "2024-01-15T11:00:00+00:00",
        "KV-2": "2024-07-15T10:00:00+00:00",
        "KV-3": "2024-01-15T12:00:00+00:00",
        "KV-4": "2024-07-15T11:00:00+00:00",
        "KV-5": "2024-01-15T10:00:00+00:00",
        "KV-6": "2024-07-15T09:00:00+00:00",
    }


def test_spring_forward_gap_is_read_with_the_offset_before_the_change(folder):
    # 31 March 2024: Oslo skips 02:00-03:00, London 01:00-02:00, Helsinki 03:00-04:00
    path = export(folder,
                  line("KV-1", "2024-03-31 02:30", "OSL"),
                  line("KV-2", "2024-03-31 01:30", "MAN"),
                  line("KV-3", "2024-03-31 03:30", "HEL"),
                  line("KV-4", "2024-03-31 03:30", "OSL"))
    assert shipped_at(load_shipments(path)) == {
        "KV-1": "2024-03-31T01:30:00+00:00",
        "KV-2": "2024-03-31T01:30:00+00:00",
        "KV-3": "2024-03-31T01:30:00+00:00",
        "KV-4": "2024-03-31T01:30:00+00:00",
    }


def test_autumn_repeated_hour_is_its_first_pass(folder):
    # 27 October 2024: Oslo goes through 02:00-03:00 twice, London 01:00-02:00, Helsinki
    # 03:00-04:00; the first pass is still summer time
    path = export(folder,
                  line("KV-1", "2024-10-27 02:30", "OSL"),
                  line("KV-2", "2024-10-27 01:30", "MAN"),
                  line("KV-3", "2024-10-27 03:30", "HEL"),
                  line("KV-4", "2024-10-27 03:30", "OSL"),
                  line("KV-5", "2024-10-27 01:59", "OSL"))
    assert shipped_at(load_shipments(path)) == {
        "KV-1": "2024-10-27T00:30:00+00:00",
        "KV-2": "2024-10-27T00:30:00+00:00",
        "KV-3": "2024-10-27T00:30:00+00:00",
        "KV-4": "2024-10-27T02:30:00+00:00",
        "KV-5": "2024-10-26T23:59:00+00:00",
    }


def test_pounds_become_kilograms_rounded_to_the_gram(folder):
    path = export(folder,
                  line("KV-1", "2024-05-02 10:00", "MAN", weight="10", unit="lb"),
                  line("KV-2", "2024-05-02 10:00", "MAN", weight="1", unit="lb"),
                  line("KV-3", "2024-05-02 10:00", "MAN", weight="2.2", unit="LB"),
                  line("KV-4", "2024-05-02 10:00", "OSL", weight="12.5", unit="kg"),
                  line("KV-5", "2024-05-02 10:00", "OSL", weight="0.3337", unit="Kg"))
    got = fetch(load_shipments(path))
    assert dict(zip(got["shipment_id"], got["weight_kg"], strict=True)) == {
        "KV-1": pytest.approx(4.536, abs=1e-9),
        "KV-2": pytest.approx(0.454, abs=1e-9),
        "KV-3": pytest.approx(0.998, abs=1e-9),
        "KV-4": pytest.approx(12.5, abs=1e-9),
        "KV-5": pytest.approx(0.334, abs=1e-9),
    }
    assert str(got["weight_kg"].dtype) == "float64"


def test_text_fields_are_trimmed_and_normalised(folder):
    path = export(folder,
                  " KV-7 , bx7001007 , osl ,Express ,2024-05-02 10:00, 1.5 , KG ,shipped,"
                  "2024-05-02T12:00:00Z")
    expected = frame([{"shipment_id": "KV-7", "tracking_no": "BX7001007", "depot": "OSL",
                       "service": "express", "shipped_at": "2024-05-02T08:00:00Z",
                       "weight_kg": 1.5}], SHIPMENTS)
    assert_frame(load_shipments(path), expected)


def test_latest_update_wins_not_file_order(folder):
    # the export is not in update order: the correction (3.4 kg) comes first in the file
    path = export(folder,
                  line("KV-8", "2024-03-27 15:20", weight="3.4",
                       updated="2024-03-27T16:02:40Z"),
                  line("KV-9", "2024-03-27 15:25", weight="1.0"),
                  line("KV-8", "2024-03-27 15:20", weight="3.0",
                       updated="2024-03-27T14:22:13Z"))
    expected = frame([shipment("KV-8", "2024-03-27T14:20:00Z", weight_kg=3.4),
                      shipment("KV-9", "2024-03-27T14:25:00Z", weight_kg=1.0)], SHIPMENTS)
    assert_frame(load_shipments(path), expected)


def test_equal_update_times_the_later_row_wins(folder):
    path = export(folder,
                  line("KV-8", "2024-03-27 15:20", weight="3.0",
                       updated="2024-03-27T14:22:13Z"),
                  line("KV-8", "2024-03-27 15:20", weight="3.5",
                       updated="2024-03-27T14:22:13Z"))
    expected = frame([shipment("KV-8", "2024-03-27T14:20:00Z", weight_kg=3.5)], SHIPMENTS)
    assert_frame(load_shipments(path), expected)


def test_cancelled_in_the_latest_version_is_left_out(folder):
    path = export(folder,
                  line("KV-1", "2024-05-02 10:00", status="cancelled",
                       updated="2024-05-02T15:00:00Z"),
                  line("KV-2", "2024-05-02 11:00"),
                  line("KV-1", "2024-05-02 10:00", updated="2024-05-02T08:05:00Z"),
                  line("KV-3", "", status="cancelled", updated="2024-05-02T09:00:00Z"))
    expected = frame([shipment("KV-2", "2024-05-02T09:00:00Z")], SHIPMENTS)
    assert_frame(load_shipments(path), expected)


def test_shipment_reinstated_after_a_cancellation_is_kept(folder):
    path = export(folder,
                  line("KV-1", "2024-05-02 10:00", status="cancelled",
                       updated="2024-05-02T07:00:00Z"),
                  line("KV-1", "2024-05-02 10:00", status="shipped",
                       updated="2024-05-02T08:05:00Z"))
    expected = frame([shipment("KV-1", "2024-05-02T08:00:00Z")], SHIPMENTS)
    assert_frame(load_shipments(path), expected)


def test_rows_are_sorted_by_shipment_id(folder):
    path = export(folder, *(line(f"KV-{n}", "2024-05-02 10:00") for n in (30, 12, 7, 20)))
    got = fetch(load_shipments(path))
    assert got["shipment_id"].tolist() == ["KV-12", "KV-20", "KV-30", "KV-7"]
    assert got.index.tolist() == [0, 1, 2, 3]


def test_byte_order_mark_crlf_and_blank_lines(folder):
    path = export(folder, line("KV-1", "2024-05-02 10:00"), "", line("KV-2", "2024-05-02 11:00"),
                  prefix="\ufeff", newline="\r\n")
    expected = frame([shipment("KV-1", "2024-05-02T08:00:00Z"),
                      shipment("KV-2", "2024-05-02T09:00:00Z")], SHIPMENTS)
    assert_frame(load_shipments(path), expected)


def test_unknown_depot_is_an_error(folder):
    path = export(folder, line("KV-1", "2024-05-02 10:00", "OSL"),
                  line("KV-2", "2024-05-02 10:00", "CPH"))
    with pytest.raises(ValueError):
        load_shipments(path)
