"""Create the tables that do not exist yet: `python -m notes.migrate`."""

from __future__ import annotations

from .db import Base, make_engine


def migrate(url: str | None = None) -> None:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()


if __name__ == "__main__":
    migrate()
    print("the notes table is ready")
