def test_create_and_read_back(client):
    created = client.post("/notes", json={"title": "Groceries", "body": "eggs, flour"})
    assert created.status_code == 201
    note = created.json()
    assert client.get(f"/notes/{note['id']}").json() == note


def test_unknown_note(client):
    assert client.get("/notes/4242").status_code == 404
