-- The biggest customers of each country over a period (README, question 3).
--
-- Ranked by revenue; at most n customers per country. Countries in alphabetical order,
-- customers without a country last.

DROP FUNCTION IF EXISTS top_customers(date, date, integer);

CREATE FUNCTION top_customers(period_start date, period_end date, n integer)
RETURNS TABLE (country text, rank bigint, customer_id bigint, company_name text,
               revenue_eur numeric)
LANGUAGE sql
STABLE
AS $$
    WITH totals AS (
        SELECT a.customer_id, round(sum(a.amount_eur), 2) AS revenue_eur
        FROM invoice_amounts_eur AS a
        WHERE a.local_date >= period_start
          AND a.local_date < period_end
        GROUP BY a.customer_id
    ),
    ranked AS (
        SELECT c.country::text AS country,
               row_number() OVER (PARTITION BY c.country ORDER BY t.revenue_eur DESC, t.customer_id) AS position,
               t.customer_id,
               c.company_name,
               t.revenue_eur
        FROM totals AS t
        JOIN customers AS c ON c.customer_id = t.customer_id
        WHERE t.revenue_eur > 0
    )
    SELECT r.country, r.position, r.customer_id, r.company_name, r.revenue_eur
    FROM ranked AS r
    WHERE r.position <= n
    ORDER BY r.country NULLS LAST, r.position, r.customer_id
$$;
