"""weekly_summary(): per depot and week (README.md, "Weekly summary"). The input is built
here, as reconcile() returns it."""

from __future__ import annotations

from conftest import RECONCILIATION, WEEKLY_SUMMARY, assert_frame, fetch, frame, send

from parcel_audit import weekly_summary

_numbers = iter(range(1000, 100000))


def parcel(status: str, at: str, depot: str = "OSL", charged: float = 10.0) -> dict:
    number = next(_numbers)
    shipped = status != "not_shipped"
    return {"tracking_no": f"BX{number}", "shipment_id": f"KV-{number}" if shipped else None,
            "depot": depot if shipped else None, "service": "standard" if shipped else None,
            "shipped_at": at if shipped else None, "weight_kg": 1.0 if shipped else None,
            "billed_weight_kg": None if status == "not_invoiced" else 1.0,
            "invoice_lines": {"not_invoiced": 0, "billed_twice": 2}.get(status, 1),
            "charged_eur": 0.0 if status == "not_invoiced" else charged, "status": status}


def week(start: str, depot: str, shipments: int, charged: float, not_invoiced: int = 0,
         disputed: int = 0, disputed_eur: float = 0.0) -> dict:
    return {"week_start": start, "depot": depot, "shipments": shipments,
            "charged_eur": charged, "not_invoiced": not_invoiced, "disputed": disputed,
            "disputed_eur": disputed_eur}


def summarise(parcels: list[dict]):
    return weekly_summary(send(frame(parcels, RECONCILIATION)))


def test_counts_and_amounts_per_depot_and_week():
    parcels = [
        parcel("ok", "2024-05-06T08:00:00Z", "OSL", 7.73),
        parcel("overweight", "2024-05-07T08:00:00Z", "OSL", 10.98),
        parcel("not_invoiced", "2024-05-08T08:00:00Z", "OSL"),
        parcel("billed_twice", "2024-05-09T08:00:00Z", "OSL", 61.38),
        parcel("service_mismatch", "2024-05-10T08:00:00Z", "OSL", 15.90),
        parcel("ok", "2024-05-07T10:00:00Z", "MAN", 9.30),
        parcel("ok", "2024-05-14T10:00:00Z", "MAN", 11.87),
    ]
    expected = frame([
        week("2024-05-06", "MAN", 1, 9.30),
        week("2024-05-06", "OSL", 5, 95.99, not_invoiced=1, disputed=3, disputed_eur=88.26),
        week("2024-05-13", "MAN", 1, 11.87),
    ], WEEKLY_SUMMARY)
    assert_frame(summarise(parcels), expected)


def test_week_follows_the_depots_clock():
    parcels = [
        # Monday 00:40 in Helsinki (+03:00) is still Sunday in UTC
        parcel("ok", "2024-06-09T21:40:00Z", "HEL", 5.0),
        # Sunday 23:30 in Manchester (+01:00) is Sunday 22:30 UTC: the week before
        parcel("ok", "2024-06-09T22:30:00Z", "MAN", 6.0),
        # Monday 00:15 in Oslo (+02:00) is Sunday 22:15 UTC
        parcel("ok", "2024-06-09T22:15:00Z", "OSL", 7.0),
        # Monday 00:30 in Oslo in winter (+01:00) is Sunday 23:30 UTC
        parcel("ok", "2024-01-07T23:30:00Z", "OSL", 8.0),
        # Sunday 23:30 in Oslo (+01:00) is Sunday 22:30 UTC: its own week
        parcel("ok", "2024-01-07T22:30:00Z", "OSL", 9.0),
    ]
    expected = frame([
        week("2024-01-01", "OSL", 1, 9.0),
        week("2024-01-08", "OSL", 1, 8.0),
        week("2024-06-03", "MAN", 1, 6.0),
        week("2024-06-10", "HEL", 1, 5.0),
        week("2024-06-10", "OSL", 1, 7.0),
    ], WEEKLY_SUMMARY)
    assert_frame(summarise(parcels), expected)


def test_week_across_the_clock_change():
    # the week of 25 March 2024 has 167 hours in Oslo; its Sunday evening is still that week
    parcels = [parcel("ok", "2024-03-25T00:00:00Z", "OSL", 1.0),
               parcel("ok", "2024-03-31T21:59:00Z", "OSL", 2.0),
               parcel("ok", "2024-03-31T22:00:00Z", "OSL", 4.0),
               parcel("ok", "2024-03-24T23:00:00Z", "OSL", 8.0)]
    expected = frame([week("2024-03-25", "OSL", 3, 11.0), week("2024-04-01", "OSL", 1, 4.0)],
                     WEEKLY_SUMMARY)
    assert_frame(summarise(parcels), expected)


def test_parcels_we_did_not_ship_are_left_out():
    parcels = [parcel("ok", "2024-05-06T08:00:00Z", "OSL", 7.73),
               parcel("not_shipped", "", charged=20.61),
               parcel("not_shipped", "", charged=8.51)]
    expected = frame([week("2024-05-06", "OSL", 1, 7.73)], WEEKLY_SUMMARY)
    assert_frame(summarise(parcels), expected)


def test_only_disputed_statuses_count_as_disputed():
    parcels = [parcel(status, "2024-05-06T08:00:00Z", "HEL", 10.0)
               for status in ("ok", "not_invoiced", "overweight", "billed_twice",
                              "service_mismatch", "ok")]
    got = fetch(summarise(parcels))
    assert got[["shipments", "not_invoiced", "disputed"]].values.tolist() == [[6, 1, 3]]
    assert got["disputed_eur"].round(2).tolist() == [30.0]
    assert got["charged_eur"].round(2).tolist() == [50.0]


def test_rows_are_sorted_by_week_then_depot():
    parcels = [parcel("ok", at, depot) for at, depot in [
        ("2024-05-14T10:00:00Z", "HEL"), ("2024-05-07T10:00:00Z", "OSL"),
        ("2024-05-14T10:00:00Z", "MAN"), ("2024-05-07T10:00:00Z", "HEL")]]
    got = fetch(summarise(parcels))
    assert [(d.isoformat()[:10], depot) for d, depot in zip(got["week_start"], got["depot"],
                                                          strict=True)] == [
        ("2024-05-06", "HEL"), ("2024-05-06", "OSL"), ("2024-05-13", "HEL"),
        ("2024-05-13", "MAN")]
    assert got.index.tolist() == [0, 1, 2, 3]


def test_nothing_shipped_gives_no_rows_with_the_columns():
    parcels = [parcel("not_shipped", "", charged=20.61)]
    assert_frame(summarise(parcels), frame([], WEEKLY_SUMMARY))
