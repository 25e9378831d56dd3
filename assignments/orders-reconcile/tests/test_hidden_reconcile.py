"""Hidden tests: the reconciliation rules, checked through `--format json`."""

from __future__ import annotations

from reconcile_hidden_helpers import SHOP_HEADER, payment, shop_row


def test_everything_matches_exit_0(run):
    result = run(
        SHOP_HEADER + shop_row("1001", "25.00") + shop_row("1002", "10.00"),
        payment("pay_1", "1001", 2500) + payment("pay_2", "1002", 1000),
    )
    assert result.code == 0, f"a clean reconciliation should exit 0, got {result.code}"
    body = result.json()
    assert body["mismatches"] == [] and body["errors"] == []
    assert body["summary"] == {
        "shop_orders": 2,
        "payments": 2,
        "reconciled": 2,
        "mismatches": 0,
        "errors": 0,
    }, f"unexpected summary: {body['summary']}"


def test_missing_payment_for_paid_order(run):
    result = run(SHOP_HEADER + shop_row("1001", "25.00"), "")
    assert result.code == 1, "mismatches must make the tool exit 1"
    assert result.kinds() == [("missing_payment", "1001")]


def test_cancelled_and_pending_orders_need_no_payment(run):
    shop = SHOP_HEADER + shop_row("1001", "5.00", status="cancelled")
    shop += shop_row("1002", "5.00", status="pending")
    result = run(shop, "")
    assert result.code == 0, "cancelled or pending orders without a payment are fine"
    assert result.json()["summary"]["reconciled"] == 2


def test_refunded_order_without_payment_is_missing(run):
    result = run(SHOP_HEADER + shop_row("1001", "5.00", status="refunded"), "")
    assert result.kinds() == [("missing_payment", "1001")], (
        "a refunded order was paid first, so its payment must exist"
    )


def test_payment_without_order_is_missing_order(run):
    result = run(SHOP_HEADER, payment("pay_9", "1099", 1000))
    mismatches = result.json()["mismatches"]
    assert [(m["kind"], m["order_id"], m["payment_id"]) for m in mismatches] == [
        ("missing_order", "1099", "pay_9")
    ], f"unexpected mismatches: {mismatches}"
    assert result.code == 1


def test_numeric_order_ref_matches_string_order_id(run):
    result = run(SHOP_HEADER + shop_row("1004", "15.00"), payment("pay_4", 1004, 1500))
    assert result.code == 0, f"order_ref 1004 (a number) is order '1004': {result.kinds()}"


def test_amount_mismatch_reports_both_sides_in_major_units(run):
    result = run(SHOP_HEADER + shop_row("1003", "12.5"), payment("pay_3", "1003", 1205))
    [mismatch] = result.json()["mismatches"]
    assert mismatch["kind"] == "amount_mismatch"
    assert (mismatch["shop"], mismatch["provider"]) == ("12.50", "12.05"), (
        "amounts are shown in major units with the currency's decimals: 12.50 vs 12.05"
    )
    assert mismatch["payment_id"] == "pay_3"


def test_amounts_with_thousands_separator(run):
    shop = SHOP_HEADER + '1002,2024-03-01,b@example.com,"1,299.90",EUR,paid\n'
    result = run(shop, payment("pay_2", "1002", 129990))
    assert result.code == 0, f'"1,299.90" EUR is 129990 cents: {result.kinds()}'


def test_trailing_zero_and_integer_totals_compare_equal(run):
    shop = SHOP_HEADER + shop_row("1", "12.5") + shop_row("2", "12") + shop_row("3", "0.10")
    payments = payment("p1", "1", 1250) + payment("p2", "2", 1200) + payment("p3", "3", 10)
    result = run(shop, payments)
    assert result.code == 0, f"12.5 == 1250, 12 == 1200 and 0.10 == 10 cents: {result.kinds()}"


def test_no_float_rounding_errors(run):
    shop = SHOP_HEADER + shop_row("1", "0.29") + shop_row("2", "1.15") + shop_row("3", "4.35")
    payments = payment("p1", "1", 29) + payment("p2", "2", 115) + payment("p3", "3", 435)
    result = run(shop, payments)
    assert result.code == 0, (
        f"0.29, 1.15 and 4.35 must convert exactly (float(0.29) * 100 is 28.999...): "
        f"{result.kinds()}"
    )


def test_zero_decimal_currency(run):
    shop = SHOP_HEADER + shop_row("1004", "1500", currency="JPY")
    result = run(shop, payment("pay_4", "1004", 1500, currency="JPY"))
    assert result.code == 0, f"JPY has no minor unit: 1500 yen is amount 1500 ({result.kinds()})"


def test_zero_decimal_currency_amount_is_formatted_without_decimals(run):
    shop = SHOP_HEADER + shop_row("1004", "1500", currency="JPY")
    result = run(shop, payment("pay_4", "1004", 1550, currency="JPY"))
    [mismatch] = result.json()["mismatches"]
    assert (mismatch["shop"], mismatch["provider"]) == ("1500", "1550")


def test_three_decimal_currency(run):
    shop = SHOP_HEADER + shop_row("1", "12.345", currency="KWD")
    result = run(shop, payment("p1", "1", 12345, currency="KWD"))
    assert result.code == 0, f"KWD has 3 decimals: 12.345 KWD is 12345 fils ({result.kinds()})"


def test_currency_comparison_ignores_case(run):
    shop = SHOP_HEADER + shop_row("1", "10.00", currency="eur")
    result = run(shop, payment("p1", "1", 1000, currency="Eur"))
    assert result.code == 0, f"'eur' and 'Eur' are both EUR: {result.kinds()}"


def test_currency_mismatch_is_reported_instead_of_amount(run):
    shop = SHOP_HEADER + shop_row("1007", "60.00", currency="USD")
    result = run(shop, payment("pay_7", "1007", 6000, currency="EUR"))
    mismatches = result.json()["mismatches"]
    assert [(m["kind"], m["shop"], m["provider"]) for m in mismatches] == [
        ("currency_mismatch", "USD", "EUR")
    ], f"a different currency is one currency_mismatch (amounts are not comparable): {mismatches}"


def test_status_mismatch(run):
    shop = SHOP_HEADER + shop_row("1005", "40.00", status="refunded")
    result = run(shop, payment("pay_5", "1005", 4000, status="succeeded"))
    mismatches = result.json()["mismatches"]
    assert [(m["kind"], m["shop"], m["provider"]) for m in mismatches] == [
        ("status_mismatch", "refunded", "succeeded")
    ], f"unexpected mismatches: {mismatches}"


def test_payment_for_cancelled_order_is_a_status_mismatch(run):
    shop = SHOP_HEADER + shop_row("1006", "18.00", status="cancelled")
    result = run(shop, payment("pay_6", "1006", 1800))
    assert result.kinds() == [("status_mismatch", "1006")], (
        "money taken for a cancelled order must be flagged"
    )


def test_status_and_amount_mismatch_both_reported(run):
    shop = SHOP_HEADER + shop_row("1", "10.00", status="paid")
    result = run(shop, payment("p1", "1", 900, status="pending"))
    assert sorted(kind for kind, _ in result.kinds()) == ["amount_mismatch", "status_mismatch"]


def test_statuses_are_case_insensitive(run):
    shop = SHOP_HEADER + shop_row("1", "10.00", status=" Paid ")
    result = run(shop, payment("p1", "1", 1000, status="SUCCEEDED"))
    assert result.code == 0, f"statuses should match ignoring case and spaces: {result.kinds()}"


def test_failed_attempt_then_success_is_not_a_duplicate(run):
    payments = payment("pay_a", "1007", 6000, status="failed")
    payments += payment("pay_b", "1007", 6000, status="succeeded")
    result = run(SHOP_HEADER + shop_row("1007", "60.00"), payments)
    assert result.code == 0, (
        "a declined card followed by a successful retry is normal, not a mismatch: "
        f"{result.kinds()}"
    )


def test_only_failed_payments_means_missing_payment(run):
    result = run(
        SHOP_HEADER + shop_row("1007", "60.00"), payment("pay_a", "1007", 6000, status="failed")
    )
    assert result.kinds() == [("missing_payment", "1007")], "a failed attempt moved no money"


def test_failed_payment_without_order_is_ignored(run):
    result = run(SHOP_HEADER, payment("pay_x", "2000", 100, status="failed"))
    assert result.code == 0, "a failed attempt for an unknown order moved no money"


def test_duplicate_payment_names_the_extra_payment(run):
    payments = payment("pay_7", "1007", 6000) + payment("pay_8", "1007", 6000)
    result = run(SHOP_HEADER + shop_row("1007", "60.00"), payments)
    mismatches = result.json()["mismatches"]
    assert [(m["kind"], m["payment_id"]) for m in mismatches] == [("duplicate_payment", "pay_8")], (
        f"two successful payments for one order is a possible double charge: {mismatches}"
    )
    assert result.json()["summary"]["reconciled"] == 0


def test_duplicate_order_reported_once(run):
    shop = SHOP_HEADER + shop_row("1001", "25.00") + shop_row("1001", "25.00")
    shop += shop_row("1001", "25.00")
    result = run(shop, payment("pay_1", "1001", 2500))
    assert result.kinds() == [("duplicate_order", "1001")], (
        "an order id appearing three times is one duplicate_order mismatch"
    )
    assert result.json()["summary"]["shop_orders"] == 3, "shop_orders counts valid rows read"


def test_mismatches_sorted_by_order_id(run):
    shop = SHOP_HEADER + shop_row("1003", "1.00") + shop_row("1001", "1.00")
    payments = payment("p9", "1002", 100) + payment("p3", "1003", 200)
    result = run(shop, payments)
    assert [order_id for _, order_id in result.kinds()] == ["1001", "1002", "1003"], (
        "the report should be sorted by order id so that two runs can be diffed"
    )


def test_reconciled_counts_orders_without_any_mismatch(run):
    shop = SHOP_HEADER + shop_row("1", "1.00") + shop_row("2", "2.00") + shop_row("3", "3.00")
    payments = payment("p1", "1", 100) + payment("p2", "2", 999)
    summary = run(shop, payments).json()["summary"]
    assert summary["reconciled"] == 1, f"only order 1 reconciles: {summary}"
    assert summary["mismatches"] == 2
