-- Monthly recurring revenue at each month's end and how it moved (README, question 2).
--
-- month_end is the first instant of the following month in Europe/Amsterdam. A
-- subscription is live at the end of the month when it started before month_end and had
-- not ended before it: one cancelled effective at midnight on the 1st still counted in the
-- month before. Every customer gets a row per month (0 when nothing is live) so that LAG
-- compares consecutive months even across months where the customer paid nothing.

DROP VIEW IF EXISTS mrr_by_month;

CREATE VIEW mrr_by_month AS
WITH bounds AS (
    SELECT date_trunc('month', min(started_at AT TIME ZONE 'Europe/Amsterdam')) AS first_month,
           date_trunc('month', max(coalesce(ended_at, started_at) AT TIME ZONE 'Europe/Amsterdam'))
               AS last_month
    FROM subscriptions
),
months AS (
    SELECT m::date AS month,
           (m + interval '1 month') AT TIME ZONE 'Europe/Amsterdam' AS month_end
    FROM bounds,
         generate_series(bounds.first_month, bounds.last_month, interval '1 month') AS m
),
customer_months AS (
    SELECT mo.month,
           c.customer_id,
           coalesce(sum(s.seats * s.price_per_seat_eur
                        / CASE s.billing_period WHEN 'year' THEN 12 ELSE 1 END), 0) AS mrr
    FROM months AS mo
    CROSS JOIN (SELECT DISTINCT customer_id FROM subscriptions) AS c
    LEFT JOIN subscriptions AS s
           ON s.customer_id = c.customer_id
          AND s.started_at < mo.month_end
          AND (s.ended_at IS NULL OR s.ended_at >= mo.month_end)
    GROUP BY mo.month, c.customer_id
),
compared AS (
    SELECT month,
           customer_id,
           mrr,
           coalesce(lag(mrr) OVER by_month, 0) AS previous,
           month = min(month) FILTER (WHERE mrr > 0) OVER (PARTITION BY customer_id)
               AS first_paid_month
    FROM customer_months
    WINDOW by_month AS (PARTITION BY customer_id ORDER BY month)
)
SELECT month,
       round(sum(mrr), 2) AS mrr_eur,
       count(*) FILTER (WHERE mrr > 0) AS paying_customers,
       round(coalesce(sum(mrr) FILTER (WHERE previous = 0 AND mrr > 0), 0), 2) AS new_eur,
       round(coalesce(sum(mrr) FILTER (WHERE previous = 0 AND mrr > 0
                                         AND NOT first_paid_month), 0), 2) AS reactivated_eur,
       round(coalesce(sum(mrr - previous) FILTER (WHERE previous > 0 AND mrr > previous), 0), 2)
           AS expansion_eur,
       round(coalesce(sum(previous - mrr) FILTER (WHERE mrr > 0 AND mrr < previous), 0), 2)
           AS contraction_eur,
       round(coalesce(sum(previous) FILTER (WHERE previous > 0 AND mrr = 0), 0), 2) AS churned_eur
FROM compared
GROUP BY month;
