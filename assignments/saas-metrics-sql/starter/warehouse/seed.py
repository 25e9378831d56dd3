"""A deterministic, production-like dataset for the warehouse's raw tables.

Two years of Kontor customers (January 2023 to December 2024): sign-ups across Europe,
subscriptions that change seats and plans, cancel and come back, the invoices they produce in
each customer's currency, the bank's reference rates, and product events from the apps with
the collector's duplicates and late deliveries. The same seed gives the same rows, byte for
byte, on every machine.

    python -m warehouse.seed            # load it into DATABASE_URL (tables must exist)
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = datetime(2023, 1, 1, tzinfo=UTC)
END = datetime(2025, 1, 1, tzinfo=UTC)

CURRENCIES = {"EUR": 2, "SEK": 2, "NOK": 2, "DKK": 2, "GBP": 2, "CHF": 2, "PLN": 2, "ISK": 0}
# Roughly where each currency stood against the euro at the start of 2023.
BASE_RATES = {"SEK": "11.1218", "NOK": "10.5138", "DKK": "7.4365", "GBP": "0.88693",
              "CHF": "0.9847", "PLN": "4.6808", "ISK": "151.50"}
COUNTRIES = [("NL", "EUR", 18), ("DE", "EUR", 16), ("SE", "SEK", 12), ("NO", "NOK", 8),
             ("DK", "DKK", 6), ("GB", "GBP", 10), ("FR", "EUR", 8), ("BE", "EUR", 5),
             ("CH", "CHF", 4), ("PL", "PLN", 5), ("IS", "ISK", 2), ("FI", "EUR", 3),
             (None, "EUR", 3)]
# (code, billing period, list price per seat in EUR)
PLANS = [("free", "month", "0.00"), ("starter", "month", "12.00"), ("team", "month", "24.00"),
         ("team-annual", "year", "240.00"), ("business-annual", "year", "468.00")]
EVENT_NAMES = ["invoice.created", "invoice.sent", "invoice.viewed", "expense.added",
               "bank.synced", "report.opened", "client.created", "settings.changed"]
# Days the bank publishes no rates on besides weekends.
BANK_HOLIDAYS = {date(2022, 12, 26), date(2023, 1, 1), date(2023, 4, 7), date(2023, 4, 10),
                 date(2023, 5, 1), date(2023, 12, 25), date(2023, 12, 26), date(2024, 1, 1),
                 date(2024, 3, 29), date(2024, 4, 1), date(2024, 5, 1), date(2024, 12, 25),
                 date(2024, 12, 26), date(2025, 1, 1)}
WORDS = ["Nord", "Delta", "Linden", "Brug", "Fjell", "Haven", "Ostra", "Kanal", "Tulp", "Vega",
         "Birk", "Solna", "Mosel", "Duna", "Kiel", "Lund", "Arken", "Polder", "Steen", "Wadden"]
KINDS = ["Bakkerij", "Design", "Consulting", "Bygg", "Tandlæge", "Architects", "Studio",
         "Verhuur", "Logistik", "Café", "Advokat", "Media", "Hotel", "Elektro", "Bistro"]
SUFFIXES = ["B.V.", "GmbH", "AB", "AS", "ApS", "Ltd", "SARL", "BV", "AG", "sp. z o.o.", "ehf.",
            "Oy", ""]


@dataclass
class Dataset:
    currencies: list[tuple[Any, ...]] = field(default_factory=list)
    fx_rates: list[tuple[Any, ...]] = field(default_factory=list)
    customers: list[tuple[Any, ...]] = field(default_factory=list)
    subscriptions: list[tuple[Any, ...]] = field(default_factory=list)
    invoices: list[tuple[Any, ...]] = field(default_factory=list)
    app_events: list[tuple[Any, ...]] = field(default_factory=list)

    TABLES = {
        "currencies": ("code", "minor_units"),
        "fx_rates": ("currency", "rate_date", "units_per_eur"),
        "customers": ("customer_id", "company_name", "country", "billing_currency",
                      "signed_up_at"),
        "subscriptions": ("subscription_id", "customer_id", "plan_code", "billing_period",
                          "seats", "price_per_seat_eur", "started_at", "ended_at"),
        "invoices": ("invoice_id", "customer_id", "issued_at", "currency", "amount_minor",
                     "status"),
        "app_events": ("ingest_id", "event_id", "user_id", "customer_id", "event_name",
                       "occurred_at", "received_at"),
    }


def generate(seed: int = 20240601, customers: int = 400, active_users: int = 160) -> Dataset:
    rng = random.Random(seed)
    data = Dataset()
    data.currencies = sorted(CURRENCIES.items())
    rates = _rates(rng, data)
    for customer_id in range(1001, 1001 + customers):
        country, currency = _country(rng)
        signed_up = _instant(rng, START, END - timedelta(days=30))
        name = f"{rng.choice(WORDS)} {rng.choice(KINDS)} {rng.choice(SUFFIXES)}".strip()
        data.customers.append((customer_id, name, country, currency, signed_up))
        _subscriptions(rng, data, customer_id, signed_up)
    for sub in data.subscriptions:
        _invoices(rng, data, sub, rates)
    _events(rng, data, active_users)
    return data


def _rates(rng: random.Random, data: Dataset) -> dict[str, dict[date, Decimal]]:
    """Business-day reference rates from December 2022 to January 2025, a random walk."""
    by_currency: dict[str, dict[date, Decimal]] = {}
    for currency, base in sorted(BASE_RATES.items()):
        places = Decimal(1).scaleb(-(len(base.split(".")[1])))
        level = float(base)
        day = date(2022, 12, 1)
        series: dict[date, Decimal] = {}
        while day <= date(2025, 1, 31):
            if day.weekday() < 5 and day not in BANK_HOLIDAYS:
                level *= 1 + rng.gauss(0, 0.003)
                rate = Decimal(repr(level)).quantize(places, ROUND_HALF_UP)
                series[day] = rate
                data.fx_rates.append((currency, day, rate))
            day += timedelta(days=1)
        by_currency[currency] = series
    return by_currency


def _country(rng: random.Random) -> tuple[str | None, str]:
    weights = [w for _, _, w in COUNTRIES]
    country, currency, _ = rng.choices(COUNTRIES, weights)[0]
    return country, currency


def _instant(rng: random.Random, low: datetime, high: datetime) -> datetime:
    return low + timedelta(seconds=rng.randrange(int((high - low).total_seconds())))


def _month_boundary_after(moment: datetime) -> datetime:
    """Midnight on the next 1st in Amsterdam: cancellations take effect at the period's end."""
    local = moment.astimezone(AMSTERDAM)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=AMSTERDAM).astimezone(UTC)


def _subscriptions(rng: random.Random, data: Dataset, customer_id: int,
                   signed_up: datetime) -> None:
    """A customer's life: a trial, a plan, seat changes, upgrades, cancellations, returns."""
    moment = signed_up + timedelta(days=14, seconds=rng.randrange(3600))
    plan = rng.choices(PLANS, [10, 40, 30, 12, 8])[0]
    seats = rng.choice([1, 1, 1, 2, 2, 3, 5, 8])
    while moment < END:
        code, period, price = plan
        ends = moment + timedelta(days=rng.randrange(20, 420), seconds=rng.randrange(86400))
        what = rng.random()
        if what < 0.25 and ends < END:
            ends = _month_boundary_after(ends)  # cancelled at the end of the period
        sub_id = 5_000_000 + len(data.subscriptions) + 1
        data.subscriptions.append((sub_id, customer_id, code, period, seats, Decimal(price),
                                   moment, ends if ends < END else None))
        if ends >= END:
            return
        if what < 0.45:  # cancelled: most leave for good, some come back later
            if rng.random() < 0.7:
                return
            moment = ends + timedelta(days=rng.randrange(15, 240), seconds=rng.randrange(86400))
            plan = rng.choices(PLANS, [5, 40, 35, 12, 8])[0]
        else:  # a change of seats or plan: the next row starts when this one ends
            moment = ends
            if rng.random() < 0.5:
                seats = max(1, seats + rng.choice([-2, -1, 1, 1, 2, 3]))
            else:
                plan = rng.choice([p for p in PLANS if p != plan])


def _invoices(rng: random.Random, data: Dataset, sub: tuple[Any, ...],
              rates: dict[str, dict[date, Decimal]]) -> None:
    _, customer_id, _, period, seats, price, started, ended = sub
    currency = data.customers[customer_id - 1001][3]
    amount_eur = price * seats
    if amount_eur == 0:
        return
    step = 12 if period == "year" else 1
    months = 0
    while True:
        issued = _add_months(started, months)
        if issued >= (ended or END):
            return
        minor = CURRENCIES[currency]
        local = amount_eur * _rate_on(rates, currency, issued.astimezone(AMSTERDAM).date())
        amount_minor = int(local.scaleb(minor).quantize(Decimal(1), ROUND_HALF_UP))
        status = rng.choices(["paid", "open", "void"], [90, 7, 3])[0]
        invoice_id = 700_000 + len(data.invoices) + 1
        data.invoices.append((invoice_id, customer_id, issued, currency, amount_minor, status))
        if rng.random() < 0.02:  # a credit note for part of it, a few days later
            credit = -int(amount_minor * rng.choice([0.25, 0.5, 1.0]))
            data.invoices.append((700_000 + len(data.invoices) + 1, customer_id,
                                  issued + timedelta(days=rng.randrange(1, 20)), currency,
                                  credit, "paid"))
        months += step


def _add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def _rate_on(rates: dict[str, dict[date, Decimal]], currency: str, day: date) -> Decimal:
    if currency == "EUR":
        return Decimal(1)
    series = rates[currency]
    while day not in series:
        day -= timedelta(days=1)
    return series[day]


def _events(rng: random.Random, data: Dataset, active_users: int) -> None:
    """Sessions of product use; the collector's duplicates, late and clock-less deliveries."""
    deliveries: list[tuple[Any, ...]] = []
    customers = [c for c in data.customers]
    for _ in range(active_users):
        customer = rng.choice(customers)
        user_id = customer[0] * 100 + rng.randrange(1, 20)
        moment = customer[4] + timedelta(hours=rng.randrange(1, 200))
        for _session in range(rng.randrange(3, 30)):
            moment += timedelta(hours=rng.randrange(6, 24 * 9), seconds=rng.randrange(3600))
            if moment >= END:
                break
            for _event in range(rng.randrange(1, 14)):
                gap = rng.choice([0, 5, 40, 90, 240, 600, 900, 1500, 1800])
                moment += timedelta(seconds=gap + rng.randrange(30))
                _deliver(rng, deliveries, user_id, customer[0], moment)
    deliveries.sort(key=lambda d: (d[5], d[0].int))
    data.app_events = [(i + 1, *d[:5], d[5]) for i, d in enumerate(deliveries)]


def _deliver(rng: random.Random, deliveries: list[tuple[Any, ...]], user_id: int,
             customer_id: int, moment: datetime) -> None:
    event_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    name = rng.choice(EVENT_NAMES)
    occurred: datetime | None = moment if rng.random() > 0.01 else None
    received = moment + timedelta(seconds=rng.randrange(1, 20))
    if rng.random() < 0.03:  # offline on a train: delivered hours later
        received += timedelta(hours=rng.randrange(1, 30))
    deliveries.append((event_id, user_id, customer_id, name, occurred, received))
    if rng.random() < 0.04:  # at-least-once: delivered again, sometimes re-stamped
        again = occurred
        if occurred is not None and rng.random() < 0.3:
            again = occurred + timedelta(minutes=rng.randrange(1, 90))
        deliveries.append((event_id, user_id, customer_id, name, again,
                           received + timedelta(seconds=rng.randrange(0, 7200))))


def load(conn: Any, data: Dataset) -> None:
    """COPY the dataset into the (existing, empty) tables; the caller commits."""
    with conn.cursor() as cur:
        for table, columns in Dataset.TABLES.items():
            rows = getattr(data, table)
            if not rows:
                continue
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def main() -> None:
    import psycopg

    from warehouse.build import database_url

    data = generate()
    with psycopg.connect(database_url()) as conn:
        load(conn, data)
    print(" ".join(f"{t}={len(getattr(data, t))}" for t in Dataset.TABLES))


if __name__ == "__main__":
    main()
