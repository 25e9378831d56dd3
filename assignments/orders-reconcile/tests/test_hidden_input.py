"""Hidden tests: messy input, unreadable lines, exit codes and the text report."""

from __future__ import annotations

from reconcile_hidden_helpers import SHOP_HEADER, payment, run_cli, run_module, shop_row


def test_unreadable_payment_lines_are_reported_with_line_numbers(run):
    payments = payment("p1", "1", 100) + "{not json\n" + "\n" + '["a list"]\n'
    payments += payment("p2", "2", 9.99)
    shop = SHOP_HEADER + shop_row("1", "1.00")
    result = run(shop, payments)
    errors = result.json()["errors"]
    assert [(e["source"], e["line"]) for e in errors] == [
        ("payments", 2),
        ("payments", 4),
        ("payments", 5),
    ], (
        "broken JSON, a non-object and a non-integer amount are errors with their 1-based line "
        f"number (blank lines are skipped but still counted): {errors}"
    )
    assert all(e["message"] for e in errors), "every error needs a message"
    assert result.code == 1, "unreadable lines must not let the run exit 0"


def test_payment_missing_a_field_is_an_error(run):
    result = run(SHOP_HEADER, '{"id": "p1", "order_ref": "1", "currency": "EUR"}\n')
    errors = result.json()["errors"]
    assert [(e["source"], e["line"]) for e in errors] == [("payments", 1)], errors


def test_bad_shop_rows_are_errors_and_others_still_reconcile(run):
    shop = SHOP_HEADER + shop_row("1", "abc") + shop_row("2", "10.00") + shop_row("3", "1.999")
    shop += shop_row("4", "1.00", status="lost")
    result = run(shop, payment("p2", "2", 1000))
    body = result.json()
    assert [(e["source"], e["line"]) for e in body["errors"]] == [
        ("shop", 2),
        ("shop", 4),
        ("shop", 5),
    ], (
        "a non-numeric total, a total with more decimals than EUR has, and an unknown status are "
        f"errors reported with their line number in the CSV (header = line 1): {body['errors']}"
    )
    assert body["mismatches"] == [], "order 2 still reconciles"
    assert body["summary"]["shop_orders"] == 1
    assert result.code == 1


def test_shop_csv_bom_blank_lines_and_column_order(run):
    shop = "\ufeffstatus,currency,total,order_id,created_at,customer_email\n\n"
    shop += "paid,EUR,25.00,1001,2024-03-01,a@example.com\n\n"
    result = run(shop, payment("pay_1", "1001", 2500))
    assert result.code == 0, (
        f"a BOM, blank lines and reordered columns must not matter: {result.out}{result.err}"
    )


def test_missing_file_exits_2(exports):
    (exports / "payments.jsonl").write_text("", encoding="utf-8")
    result = run_cli(str(exports / "nope.csv"), str(exports / "payments.jsonl"))
    assert result.code == 2, f"an input file that does not exist should exit 2, got {result.code}"
    assert "nope.csv" in result.err, "the error on stderr should name the missing file"
    assert result.out == "", "nothing should be printed on stdout when the run fails"


def test_shop_csv_missing_required_column_exits_2(run):
    result = run("order_id,created_at,currency,status\n1,2024,EUR,paid\n", "")
    assert result.code == 2, "a shop export without a 'total' column is unusable: exit 2"
    assert "total" in result.err, f"stderr should say which column is missing: {result.err!r}"


def test_text_report_is_the_default(run):
    shop = SHOP_HEADER + shop_row("1003", "12.50") + shop_row("1008", "9.99")
    result = run(shop, payment("pay_3", "1003", 1205), fmt=None)
    assert result.code == 1
    assert not result.out.lstrip().startswith("{"), "without --format the report is plain text"
    assert "1003" in result.out and "1008" in result.out, (
        f"the text report should list each order with a problem:\n{result.out}"
    )
    assert "12.50" in result.out and "12.05" in result.out, (
        f"an amount mismatch should show both amounts in major units:\n{result.out}"
    )


def test_text_report_when_clean(run):
    result = run(SHOP_HEADER + shop_row("1", "1.00"), payment("p1", "1", 100), fmt="text")
    assert result.code == 0
    assert result.out.strip(), "a clean run should still say so in the text report"


def test_unknown_format_is_a_usage_error(run):
    result = run(SHOP_HEADER, "", fmt="xml")
    assert result.code == 2, f"--format xml is a usage error (exit 2), got {result.code}"


def test_runs_as_a_module(exports):
    shop = exports / "shop.csv"
    shop.write_text(SHOP_HEADER + shop_row("1", "1.00"), encoding="utf-8")
    payments = exports / "payments.jsonl"
    payments.write_text(payment("p1", "1", 100), encoding="utf-8")
    result = run_module(str(shop), str(payments), "--format", "json")
    assert result.code == 0, f"`python -m reconcile` should work and exit 0: {result.err}"
    assert '"summary"' in result.out
