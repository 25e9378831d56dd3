"""Notes: a small FastAPI service over PostgreSQL."""
