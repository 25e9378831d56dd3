-- BK-212: the database refuses two active bookings of a room that overlap, whatever the
-- application does and however many requests arrive at once. '[)': back-to-back is fine.
-- btree_gist (a trusted extension) lets the gist index compare room_id with =.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
    EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (cancelled_at IS NULL);
