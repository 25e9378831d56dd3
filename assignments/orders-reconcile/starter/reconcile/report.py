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
    """A report for the finance team: readable in a terminal, one line per problem."""
    # TODO: implement.
    raise NotImplementedError
