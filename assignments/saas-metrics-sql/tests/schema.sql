-- The warehouse's raw tables, as the nightly export from production loads them.
-- Owned by the platform team: the analytics SQL in sql/ reads these tables and never
-- changes them. Times are instants (timestamptz); the company reports in Europe/Amsterdam.

CREATE TABLE currencies (
    code         char(3)  PRIMARY KEY,           -- ISO 4217
    minor_units  smallint NOT NULL CHECK (minor_units BETWEEN 0 AND 3)  -- 2 for EUR, 0 for ISK
);

-- Reference rates as the bank publishes them: business days only (no weekends, no bank
-- holidays). One row says 1 EUR = units_per_eur units of the currency on that day.
-- There are no rows for EUR itself.
CREATE TABLE fx_rates (
    currency       char(3)       NOT NULL REFERENCES currencies,
    rate_date      date          NOT NULL,
    units_per_eur  numeric(18,6) NOT NULL CHECK (units_per_eur > 0),
    PRIMARY KEY (currency, rate_date)
);

CREATE TABLE customers (
    customer_id       bigint      PRIMARY KEY,
    company_name      text        NOT NULL,
    country           char(2),                   -- ISO 3166-1; NULL when never given
    billing_currency  char(3)     NOT NULL REFERENCES currencies,
    signed_up_at      timestamptz NOT NULL
);

-- Invoices and credit notes (negative amounts), net of VAT, in the invoice's currency and
-- that currency's minor units (cents, öre; whole krónur for ISK).
CREATE TABLE invoices (
    invoice_id    bigint      PRIMARY KEY,
    customer_id   bigint      NOT NULL REFERENCES customers,
    issued_at     timestamptz NOT NULL,
    currency      char(3)     NOT NULL REFERENCES currencies,
    amount_minor  bigint      NOT NULL,
    status        text        NOT NULL CHECK (status IN ('open', 'paid', 'void'))
);

-- One row per period of a plan at a price. An upgrade, a downgrade or a change of seats
-- ends the row (ended_at) and starts a new one at the same instant. ended_at is exclusive
-- and NULL while the subscription runs. Prices are list prices in EUR per seat and per
-- billing period (a month or a year).
CREATE TABLE subscriptions (
    subscription_id     bigint        PRIMARY KEY,
    customer_id         bigint        NOT NULL REFERENCES customers,
    plan_code           text          NOT NULL,
    billing_period      text          NOT NULL CHECK (billing_period IN ('month', 'year')),
    seats               integer       NOT NULL CHECK (seats > 0),
    price_per_seat_eur  numeric(10,2) NOT NULL CHECK (price_per_seat_eur >= 0),
    started_at          timestamptz   NOT NULL,
    ended_at            timestamptz,
    CHECK (ended_at IS NULL OR ended_at > started_at)
);

-- Product analytics events from the web and mobile apps, at-least-once: the same event
-- (event_id) may arrive more than once, and late. occurred_at is the device's clock (NULL
-- from app versions before 3.2); received_at is when our collector stored the delivery;
-- ingest_id numbers deliveries in the order the collector stored them.
CREATE TABLE app_events (
    ingest_id    bigint      PRIMARY KEY,
    event_id     uuid        NOT NULL,
    user_id      bigint      NOT NULL,
    customer_id  bigint      NOT NULL REFERENCES customers,
    event_name   text        NOT NULL,
    occurred_at  timestamptz,
    received_at  timestamptz NOT NULL
);
CREATE INDEX app_events_event_id ON app_events (event_id);
CREATE INDEX app_events_user_occurred ON app_events (user_id, occurred_at);
CREATE INDEX invoices_customer ON invoices (customer_id);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id);
