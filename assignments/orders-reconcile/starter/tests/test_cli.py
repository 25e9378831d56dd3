import json
from pathlib import Path

from reconcile.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_examples_have_mismatches(capsys):
    code = main([str(EXAMPLES / "shop.csv"), str(EXAMPLES / "payments.jsonl"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    amount = [m for m in report["mismatches"] if m["kind"] == "amount_mismatch"]
    assert [(m["order_id"], m["shop"], m["provider"]) for m in amount] == [
        ("1003", "12.50", "12.05")
    ]


def test_clean_run_exits_0(tmp_path, capsys):
    shop = tmp_path / "shop.csv"
    shop.write_text(
        "order_id,created_at,customer_email,total,currency,status\n"
        "1,2024-03-01T09:00:00Z,a@example.com,10.00,EUR,paid\n",
        encoding="utf-8",
    )
    payments = tmp_path / "payments.jsonl"
    payments.write_text(
        '{"id": "p1", "order_ref": "1", "amount": 1000, "currency": "EUR",'
        ' "status": "succeeded"}\n',
        encoding="utf-8",
    )
    assert main([str(shop), str(payments)]) == 0
