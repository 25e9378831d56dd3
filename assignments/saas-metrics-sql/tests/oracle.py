"""The README's four contracts computed in Python, independently of any SQL, for the
generated histories: what each view must return for a Dataset."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

from history import AMSTERDAM, CURRENCIES, Dataset

CENT = Decimal("0.01")
PRECISE = Context(prec=50)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def local_date(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


def month_of(moment: datetime) -> date:
    return local_date(moment).replace(day=1)


def invoice_amounts(data: Dataset) -> list[tuple[int, str | None, date, Decimal]]:
    """(customer, country, local date, EUR) of every invoice that is not void."""
    series: dict[str, tuple[list[date], list[Decimal]]] = {}
    for currency, day, rate in sorted(data.fx_rates):
        days, rates = series.setdefault(currency, ([], []))
        days.append(day)
        rates.append(Decimal(rate))
    country = {c[0]: c[2] for c in data.customers}
    minor = dict(data.currencies) or CURRENCIES
    out = []
    with localcontext(PRECISE):
        for _id, customer_id, issued_at, currency, amount_minor, status in data.invoices:
            if status == "void":
                continue
            day = local_date(issued_at)
            amount = Decimal(amount_minor).scaleb(-minor[currency])
            if currency != "EUR":
                days, rates = series[currency]
                amount = amount / rates[bisect.bisect_right(days, day) - 1]
            out.append((customer_id, country[customer_id], day, amount))
    return out


def revenue_by_month(data: Dataset) -> dict[tuple[date, str | None], tuple[int, Decimal]]:
    totals: dict[tuple[date, str | None], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    with localcontext(PRECISE):
        for _customer, country, day, amount in invoice_amounts(data):
            total = totals[(day.replace(day=1), country)]
            total[0] += 1
            total[1] += amount
    return {key: (count, cents(amount)) for key, (count, amount) in totals.items()}


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def mrr_by_month(data: Dataset) -> list[dict[str, Any]]:
    subs = data.subscriptions
    if not subs:
        return []
    first = min(month_of(s[6]) for s in subs)
    last = max(month_of(s[7] or s[6]) for s in subs)
    customers = sorted({s[1] for s in subs})
    previous = {c: Decimal(0) for c in customers}
    paid_before = set()
    rows = []
    month = first
    with localcontext(PRECISE):
        while month <= last:
            nxt = _next_month(month)
            end = datetime(nxt.year, nxt.month, 1, tzinfo=AMSTERDAM).astimezone(UTC)
            current = {c: Decimal(0) for c in customers}
            for _id, customer, _plan, period, seats, price, started, ended in subs:
                if started < end and (ended is None or ended >= end):
                    current[customer] += seats * Decimal(price) / (12 if period == "year" else 1)
            row = dict(month=month, mrr_eur=Decimal(0), paying_customers=0, new_eur=Decimal(0),
                       reactivated_eur=Decimal(0), expansion_eur=Decimal(0),
                       contraction_eur=Decimal(0), churned_eur=Decimal(0))
            for c in customers:
                cur, prev = current[c], previous[c]
                row["mrr_eur"] += cur
                if cur > 0:
                    row["paying_customers"] += 1
                if prev == 0 and cur > 0:
                    row["reactivated_eur" if c in paid_before else "new_eur"] += cur
                elif prev > 0 and cur > prev:
                    row["expansion_eur"] += cur - prev
                elif prev > 0 and 0 < cur < prev:
                    row["contraction_eur"] += prev - cur
                elif prev > 0 and cur == 0:
                    row["churned_eur"] += prev
                if cur > 0:
                    paid_before.add(c)
            rows.append({k: cents(v) if isinstance(v, Decimal) else v for k, v in row.items()})
            previous = current
            month = nxt
    return rows


def top_customers(data: Dataset, start: date, end: date, n: int) -> list[tuple[Any, ...]]:
    """(country, rank, customer, revenue) in the README's order."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    country = {c[0]: c[2] for c in data.customers}
    with localcontext(PRECISE):
        for customer, _country, day, amount in invoice_amounts(data):
            if start <= day < end:
                totals[customer] += amount
    by_country: dict[str | None, list[tuple[Decimal, int]]] = defaultdict(list)
    for customer, amount in totals.items():
        if cents(amount) > 0:
            by_country[country[customer]].append((cents(amount), customer))
    out = []
    for key in sorted(by_country, key=lambda k: (k is None, k or "")):
        ranked = sorted(by_country[key], key=lambda t: (-t[0], t[1]))
        for amount, customer in ranked:
            rank = 1 + sum(1 for other, _ in ranked if other > amount)
            if rank <= n:
                out.append((key, rank, customer, amount))
    return out


def user_sessions(data: Dataset) -> list[tuple[Any, ...]]:
    first: dict[Any, tuple[Any, ...]] = {}
    for ingest_id, event_id, user_id, _customer, _name, occurred, received in data.app_events:
        key = (received, ingest_id)
        if event_id not in first or key < first[event_id][0]:
            first[event_id] = (key, user_id, occurred)
    by_user: dict[int, list[datetime]] = defaultdict(list)
    for _key, user_id, occurred in first.values():
        if occurred is not None:
            by_user[user_id].append(occurred)
    out = []
    for user_id in sorted(by_user):
        times = sorted(by_user[user_id])
        number, start, count = 1, times[0], 1
        for before, moment in zip(times, times[1:]):
            if moment - before > timedelta(minutes=30):
                out.append((user_id, number, start, before, count))
                number, start, count = number + 1, moment, 0
            count += 1
        out.append((user_id, number, start, times[-1], count))
    return out
