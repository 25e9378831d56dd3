"""Render a ``Report`` for people (text) or for other programs (JSON)."""

from __future__ import annotations

import json

from reconcile.core import Report


def to_dict(report: Report) -> dict:
    return {
        "summary": {
            "shop_orders": report.shop_orders,
            "payments": report.payments,
            "reconciled": report.reconciled,
            "mismatches": len(report.mismatches),
            "errors": len(report.errors),
        },
        "mismatches": [
            {
                "kind": m.kind.value,
                "order_id": m.order_id,
                "payment_id": m.payment_id,
                "shop": m.shop,
                "provider": m.provider,
                "message": m.message,
            }
            for m in report.mismatches
        ],
        "errors": [
            {"source": e.source, "line": e.line, "message": e.message} for e in report.errors
        ],
    }


def render_json(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def render_text(report: Report) -> str:
    lines = [
        f"Shop orders: {report.shop_orders}  Payments: {report.payments}  "
        f"Reconciled: {report.reconciled}",
    ]
    if report.clean:
        lines.append("OK: every order matches its payment.")
        return "\n".join(lines) + "\n"

    if report.mismatches:
        lines += ["", f"Mismatches ({len(report.mismatches)}):"]
        width = max(len(m.order_id) for m in report.mismatches)
        for m in report.mismatches:
            kind = m.kind.value.replace("_", " ")
            lines.append(f"  {m.order_id:<{width}}  {kind:<17}  {m.message}")
    if report.errors:
        lines += ["", f"Unreadable lines ({len(report.errors)}):"]
        for e in report.errors:
            lines.append(f"  {e.source} line {e.line}: {e.message}")
    return "\n".join(lines) + "\n"
