def test_create_and_list_rooms(client):
    assert client.post("/rooms", json={"name": "Harbour", "capacity": 12}).status_code == 201
    assert client.post("/rooms", json={"name": "Attic", "capacity": 4}).status_code == 201
    names = [room["name"] for room in client.get("/rooms").json()]
    assert names == ["Attic", "Harbour"]


def test_room_names_are_unique(client, room):
    response = client.post("/rooms", json={"name": "Fjord", "capacity": 3})
    assert response.status_code == 409


def test_unknown_room(client):
    assert client.get("/rooms/999").status_code == 404
