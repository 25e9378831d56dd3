-- Revenue per reporting month and customer country, in EUR (README, question 1).
-- Rounded once, on the month's total: rounding each invoice first drifts by cents.

DROP VIEW IF EXISTS revenue_by_month;

CREATE VIEW revenue_by_month AS
SELECT a.month,
       a.country,
       count(*) AS invoices,
       round(sum(a.amount_eur), 2) AS revenue_eur
FROM invoice_amounts_eur AS a
GROUP BY a.month, a.country;
