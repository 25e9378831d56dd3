-- BK-224: booking times become instants (timestamptz). Every booking stored so far was made
-- from the Oslo office in Oslo wall-clock time; created_at and cancelled_at were written by
-- now() on a server running in UTC.
ALTER TABLE bookings
    ALTER COLUMN starts_at TYPE timestamptz USING starts_at AT TIME ZONE 'Europe/Oslo',
    ALTER COLUMN ends_at TYPE timestamptz USING ends_at AT TIME ZONE 'Europe/Oslo',
    ALTER COLUMN created_at TYPE timestamptz USING created_at AT TIME ZONE 'UTC',
    ALTER COLUMN cancelled_at TYPE timestamptz USING cancelled_at AT TIME ZONE 'UTC';
