-- Cancelling keeps the booking for the record (the dashboard shows who cancelled late).
ALTER TABLE bookings ADD COLUMN cancelled_at timestamp;

CREATE INDEX bookings_active_starts ON bookings (starts_at) WHERE cancelled_at IS NULL;
