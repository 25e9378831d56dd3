"""``python -m reconcile SHOP_CSV PAYMENTS_JSONL [--format text|json]``.

Exit status: 0 when everything reconciles, 1 when there are mismatches or unreadable lines,
2 when the inputs cannot be used at all (or the command line is wrong).
"""

from __future__ import annotations

import argparse
import sys

from reconcile.core import reconcile
from reconcile.loaders import load_payments, load_shop_orders
from reconcile.report import render_json, render_text

EXIT_OK = 0
EXIT_MISMATCHES = 1
EXIT_INPUT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reconcile",
        description="Compare the shop's orders export with the payment provider's export.",
        epilog="Exit status: 0 all reconciled, 1 mismatches found, 2 unusable input.",
    )
    parser.add_argument("shop_csv", help="the shop's orders export (CSV)")
    parser.add_argument("payments_jsonl", help="the payment provider's export (JSON Lines)")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="report format (default: text)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    orders, shop_errors = load_shop_orders(args.shop_csv)
    payments, payment_errors = load_payments(args.payments_jsonl)
    report = reconcile(orders, payments, shop_errors + payment_errors)
    render = render_json if args.format == "json" else render_text
    sys.stdout.write(render(report))
    # TODO: exit codes, and unusable input (README.md, "The command").
    return EXIT_OK
