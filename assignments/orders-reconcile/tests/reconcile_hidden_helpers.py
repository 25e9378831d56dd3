"""Builders for small exports and the command-line runner, shared by the hidden tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reciprocal_judge import call_captured, submission

SHOP_HEADER = "order_id,created_at,customer_email,total,currency,status\n"


def shop_row(order_id: str, total: str, currency: str = "EUR", status: str = "paid") -> str:
    return f"{order_id},2024-03-01T09:00:00Z,someone@example.com,{total},{currency},{status}\n"


def payment(
    payment_id: str, order_ref: Any, amount: Any, currency: str = "EUR", status: str = "succeeded"
) -> str:
    record = {
        "id": payment_id,
        "order_ref": order_ref,
        "amount": amount,
        "currency": currency,
        "status": status,
    }
    return json.dumps(record) + "\n"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        try:
            return json.loads(self.out)
        except ValueError as error:
            raise AssertionError(
                f"--format json should print valid JSON, got:\n{self.out}"
            ) from error

    def kinds(self) -> list[tuple[str, str]]:
        """(kind, order_id) of every mismatch, in report order."""
        return [(m["kind"], m["order_id"]) for m in self.json()["mismatches"]]


def run_cli(*args: str) -> Result:
    """`reconcile.cli.main(ARGS)` in the submission's process, its output captured: what
    `python -m reconcile ARGS` does, without a process start per test."""
    from reconcile.cli import main

    called = call_captured(main, list(args))
    code = called.exit_status if called.exit_status is not None else called.value
    return Result(code if isinstance(code, int) else 2, called.stdout, called.stderr)


def run_module(*args: str) -> Result:
    """`python -m reconcile ARGS` as a process of its own, in the submission's folder."""
    completed = submission.run([submission.python, "-m", "reconcile", *args], timeout=60)
    return Result(completed.returncode, completed.stdout, completed.stderr)
