"""Everything that talks to git: repository storage, creation, reading, smart HTTP and hooks."""
