"""Helpers for the hidden suite: write small exports and run the CLI in-process."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest


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


@pytest.fixture
def run(tmp_path, capsys):
    """run(shop_csv_text, payments_jsonl_text, *extra_args) -> Result."""
    from reconcile.cli import main

    def _run(shop: str, payments: str, *args: str, fmt: str | None = "json") -> Result:
        shop_path = tmp_path / "shop.csv"
        payments_path = tmp_path / "payments.jsonl"
        shop_path.write_text(shop, encoding="utf-8")
        payments_path.write_text(payments, encoding="utf-8")
        argv = [str(shop_path), str(payments_path), *args]
        if fmt is not None:
            argv += ["--format", fmt]
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run
