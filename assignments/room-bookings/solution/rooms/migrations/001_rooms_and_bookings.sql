CREATE TABLE rooms (
    id        serial PRIMARY KEY,
    name      varchar(80) NOT NULL UNIQUE,
    capacity  integer NOT NULL CHECK (capacity > 0)
);

CREATE TABLE bookings (
    id          bigserial PRIMARY KEY,
    room_id     integer NOT NULL REFERENCES rooms (id),
    title       varchar(200) NOT NULL,
    booked_by   varchar(200) NOT NULL,
    starts_at   timestamp NOT NULL,
    ends_at     timestamp NOT NULL,
    created_at  timestamp NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);

CREATE INDEX bookings_room_starts ON bookings (room_id, starts_at);
