"""Meeting-room bookings: a small JSON API over PostgreSQL."""
