"""What already worked, and must keep working."""

from __future__ import annotations

from conftest import new_note


def test_create_and_read_back(api, word):
    note = new_note(api, f"Plan {word}", "eggs, flour")
    assert note["title"] == f"Plan {word}" and note["body"] == "eggs, flour"
    assert api.get(f"/notes/{note['id']}").json() == note


def test_unknown_note_is_404(api):
    assert api.get("/notes/987654321").status_code == 404


def test_notes_are_rows_of_the_notes_table(api, db, word):
    note = new_note(api, word, "kept in PostgreSQL")
    row = db.execute("SELECT title, body FROM notes WHERE id = %s", (note["id"],)).fetchone()
    assert row == (word, "kept in PostgreSQL")
