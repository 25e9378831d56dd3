"""Print an invoice: ``python -m invoicing examples/invoice.json``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from decimal import Decimal

from invoicing.models import Invoice, LineItem
from invoicing.render import render_invoice


def load_invoice(path: str) -> Invoice:
    with open(path, encoding="utf-8") as file:
        data = json.load(file, parse_float=Decimal)
    return Invoice(
        number=data["number"],
        customer=data["customer"],
        issue_date=dt.date.fromisoformat(data["issue_date"]),
        payment_terms_days=int(data["payment_terms_days"]),
        currency=data.get("currency", "EUR"),
        discount_percent=Decimal(str(data.get("discount_percent", "0"))),
        lines=[
            LineItem(
                description=line["description"],
                unit_price=Decimal(str(line["unit_price"])),
                quantity=int(line["quantity"]),
                tax_rate=Decimal(str(line["tax_rate"])),
            )
            for line in data["lines"]
        ],
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m invoicing", description=__doc__)
    parser.add_argument("invoice", help="an invoice as JSON (see examples/)")
    args = parser.parse_args(argv)
    print(render_invoice(load_invoice(args.invoice)), end="")


if __name__ == "__main__":
    main()
