-- Product sessions per user (README, question 4).
--
-- Deliveries are de-duplicated first: an event counts once, as its first delivery has it
-- (earliest received_at, then lowest ingest_id), even when a later re-delivery carries
-- another device time. Events without a device time cannot be placed and are left out.
-- A gap of more than 30 minutes starts a new session; exactly 30 minutes does not.

DROP VIEW IF EXISTS user_sessions;

CREATE VIEW user_sessions AS
WITH first_deliveries AS (
    SELECT DISTINCT ON (e.event_id) e.event_id, e.user_id, e.occurred_at
    FROM app_events AS e
    ORDER BY e.event_id, e.received_at, e.ingest_id
),
marked AS (
    SELECT user_id,
           occurred_at,
           CASE WHEN occurred_at - lag(occurred_at) OVER (PARTITION BY user_id ORDER BY occurred_at)
                     <= interval '30 minutes'
                THEN 0 ELSE 1 END AS starts_session
    FROM first_deliveries
    WHERE occurred_at IS NOT NULL
),
numbered AS (
    SELECT user_id,
           occurred_at,
           sum(starts_session) OVER (PARTITION BY user_id ORDER BY occurred_at
                                     ROWS UNBOUNDED PRECEDING) AS session_number
    FROM marked
)
SELECT user_id,
       session_number,
       min(occurred_at) AS started_at,
       max(occurred_at) AS ended_at,
       count(*) AS events
FROM numbered
GROUP BY user_id, session_number;
