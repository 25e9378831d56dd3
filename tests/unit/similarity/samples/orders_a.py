"""Order totals: parse lines, aggregate per SKU, report the best sellers."""

import csv
from dataclasses import dataclass


@dataclass
class Line:
    sku: str
    quantity: int
    price_cents: int


class InvalidLine(ValueError):
    pass


def parse_line(raw, number):
    # split on commas and check the field count
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) != 3:
        raise InvalidLine(f"line {number}: expected 3 fields, got {len(parts)}")
    sku, quantity, price = parts
    if not sku:
        raise InvalidLine(f"line {number}: empty sku")
    try:
        qty = int(quantity)
        cents = round(float(price) * 100)
    except ValueError as exc:
        raise InvalidLine(f"line {number}: {exc}") from None
    if qty <= 0 or cents < 0:
        raise InvalidLine(f"line {number}: quantity must be positive")
    return Line(sku.upper(), qty, cents)


def read_lines(path):
    result = []
    errors = []
    with open(path, newline="") as handle:
        for number, row in enumerate(csv.reader(handle), 1):
            if not row or row[0].startswith("#"):
                continue
            try:
                result.append(parse_line(",".join(row), number))
            except InvalidLine as exc:
                errors.append(str(exc))
    return result, errors


def totals(lines):
    # sum quantity and revenue per sku
    per_sku = {}
    for line in lines:
        qty, revenue = per_sku.get(line.sku, (0, 0))
        per_sku[line.sku] = (qty + line.quantity, revenue + line.quantity * line.price_cents)
    return per_sku


def best_sellers(per_sku, limit=3):
    ranked = sorted(per_sku.items(), key=lambda item: (-item[1][1], item[0]))
    return [(sku, qty, revenue / 100) for sku, (qty, revenue) in ranked[:limit]]


def format_report(per_sku, limit=3):
    lines = ["sku       qty   revenue"]
    for sku, qty, revenue in best_sellers(per_sku, limit):
        lines.append(f"{sku:<8} {qty:>4} {revenue:>9.2f}")
    grand = sum(revenue for _, revenue in per_sku.values()) / 100
    lines.append(f"total          {grand:>9.2f}")
    return "\n".join(lines)
