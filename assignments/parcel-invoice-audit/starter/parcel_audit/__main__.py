"""python -m parcel_audit SHIPMENTS_CSV INVOICE_CSV [--out FOLDER]

Prints the weekly summary; with --out, also writes reconciliation.csv and summary.csv there
for the finance team's spreadsheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from parcel_audit import load_invoice, load_shipments, reconcile, weekly_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parcel_audit", description=__doc__)
    parser.add_argument("shipments", type=Path, help="the warehouse system's export (CSV)")
    parser.add_argument("invoice", type=Path, help="Baltic Express's invoice export (CSV)")
    parser.add_argument("--out", type=Path, help="a folder for reconciliation.csv, summary.csv")
    args = parser.parse_args(argv)

    reconciled = reconcile(load_shipments(args.shipments), load_invoice(args.invoice))
    summary = weekly_summary(reconciled)
    with pd.option_context("display.width", 120, "display.max_columns", None):
        print(summary.to_string(index=False))
        problems = reconciled[reconciled["status"] != "ok"]
        print(f"\n{len(problems)} of {len(reconciled)} tracking numbers need a look:")
        print(problems.to_string(index=False))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        reconciled.to_csv(args.out / "reconciliation.csv", index=False)
        summary.to_csv(args.out / "summary.csv", index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
