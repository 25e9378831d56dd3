-- Every invoice that counts as revenue, converted to EUR, unrounded. Shared by
-- revenue_by_month and top_customers so that both convert in exactly the same way.
--
-- * Dates are the reporting calendar's: the invoice's local date in Europe/Amsterdam,
--   computed with AT TIME ZONE so that no result depends on the session's TimeZone.
-- * The rate is the latest one published on or before that date (the bank publishes on
--   business days only, so a Saturday invoice uses Friday's rate). EUR needs no rate.
-- * Amounts are in the currency's minor units: ISK has none, most others have two.

DROP VIEW IF EXISTS invoice_amounts_eur CASCADE;

CREATE VIEW invoice_amounts_eur AS
WITH local AS (
    SELECT i.invoice_id,
           i.customer_id,
           i.currency,
           i.amount_minor,
           (i.issued_at AT TIME ZONE 'Europe/Amsterdam')::date AS local_date
    FROM invoices AS i
    WHERE i.status <> 'void'
)
SELECT l.invoice_id,
       l.customer_id,
       c.country,
       l.local_date,
       date_trunc('month', l.local_date::timestamp)::date AS month,
       l.amount_minor / (10::numeric ^ cur.minor_units)
           / CASE WHEN l.currency = 'EUR' THEN 1 ELSE rate.units_per_eur END AS amount_eur
FROM local AS l
JOIN customers AS c ON c.customer_id = l.customer_id
JOIN currencies AS cur ON cur.code = l.currency
LEFT JOIN LATERAL (
    SELECT f.units_per_eur
    FROM fx_rates AS f
    WHERE f.currency = l.currency
      AND f.rate_date <= l.local_date
    ORDER BY f.rate_date DESC
    LIMIT 1
) AS rate ON true;
