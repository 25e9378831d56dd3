-- Every non-void invoice converted to EUR, shared by revenue_by_month and top_customers.
-- The rate is the latest published on or before the invoice's day (weekends use Friday's).

DROP VIEW IF EXISTS invoice_amounts_eur CASCADE;

CREATE VIEW invoice_amounts_eur AS
SELECT i.invoice_id,
       i.customer_id,
       c.country,
       i.issued_at::date AS local_date,
       date_trunc('month', i.issued_at)::date AS month,
       (i.amount_minor / 100.0)
           / CASE WHEN i.currency = 'EUR' THEN 1 ELSE rate.units_per_eur END AS amount_eur
FROM invoices AS i
JOIN customers AS c ON c.customer_id = i.customer_id
LEFT JOIN LATERAL (
    SELECT f.units_per_eur
    FROM fx_rates AS f
    WHERE f.currency = i.currency
      AND f.rate_date <= i.issued_at::date
    ORDER BY f.rate_date DESC
    LIMIT 1
) AS rate ON true
WHERE i.status <> 'void';
