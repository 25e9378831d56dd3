"""Helpers for the hidden suite: write small exports and run the CLI as the candidate runs it
(`python -m reconcile ...`), in the submission's own process."""

from __future__ import annotations

import pytest
from reciprocal_judge import submission
from reconcile_hidden_helpers import Result, run_cli


@pytest.fixture
def exports():
    """A folder the submission can read, for the exports a test writes."""
    return submission.exchange_dir()


@pytest.fixture
def run(exports):
    """run(shop_csv_text, payments_jsonl_text, *extra_args) -> Result."""

    def _run(shop: str, payments: str, *args: str, fmt: str | None = "json") -> Result:
        shop_path = exports / "shop.csv"
        payments_path = exports / "payments.jsonl"
        shop_path.write_text(shop, encoding="utf-8")
        payments_path.write_text(payments, encoding="utf-8")
        argv = [str(shop_path), str(payments_path), *args]
        if fmt is not None:
            argv += ["--format", fmt]
        return run_cli(*argv)

    return _run
