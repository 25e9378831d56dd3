"""Hidden tests: parsing messy customer exports."""

from __future__ import annotations

import json

import pytest
from directory.countries import normalize_country
from directory.models import Customer
from directory.parser import load_customers, parse_csv, parse_json

HEADER = "id,name,email,city,country\n"


def by_id(customers):
    return {c.id: c for c in customers}


# --- CSV ------------------------------------------------------------------------------------


def test_csv_simple_row():
    customers = parse_csv(HEADER + "1,Ana Silva,ana@example.com,Lisbon,PT\n")
    assert customers == [Customer("1", "Ana Silva", "ana@example.com", "Lisbon", "PT")], (
        "a clean row should become exactly one Customer with every field filled in"
    )


def test_csv_byte_order_mark_is_ignored():
    customers = parse_csv("\ufeff" + HEADER + "1,Ana Silva,,Lisbon,PT\n")
    assert [c.id for c in customers] == ["1"], (
        "a UTF-8 BOM before the header must not end up in the first column name ('\\ufeffid')"
    )


def test_csv_header_is_case_and_whitespace_insensitive_and_order_free():
    text = " Country , CITY,Name ,ID,Email\nPT,Lisbon,Ana Silva,1,ana@example.com\n"
    assert parse_csv(text) == [Customer("1", "Ana Silva", "ana@example.com", "Lisbon", "PT")], (
        "header names should match regardless of case, surrounding spaces and column order"
    )


def test_csv_extra_columns_are_ignored():
    text = "id,name,email,city,country,notes\n1,Ana Silva,,Lisbon,PT,VIP since 2019\n"
    assert parse_csv(text) == [Customer("1", "Ana Silva", None, "Lisbon", "PT")]


def test_csv_values_are_trimmed_and_inner_whitespace_collapsed():
    customers = parse_csv(HEADER + "  1 ,  Ana    Silva  , ana@example.com ,  Lisbon ,  PT \n")
    assert customers == [Customer("1", "Ana Silva", "ana@example.com", "Lisbon", "PT")], (
        "leading/trailing spaces should be removed and runs of spaces collapsed to one"
    )


def test_csv_blank_lines_are_skipped():
    text = "\n" + HEADER + "\n1,Ana Silva,,Lisbon,PT\n\n   \n2,Bruno Costa,,Porto,PT\n\n"
    assert [c.id for c in parse_csv(text)] == ["1", "2"], (
        "blank (or whitespace-only) lines anywhere, even before the header, should be skipped"
    )


def test_csv_windows_line_endings():
    text = (HEADER + "1,Ana Silva,,Lisbon,PT\n2,Bruno Costa,,Porto,PT\n").replace("\n", "\r\n")
    customers = parse_csv(text)
    assert [c.country for c in customers] == ["PT", "PT"], (
        "CRLF line endings must not leave a stray '\\r' in the last column"
    )


def test_csv_quoted_field_with_comma():
    customers = parse_csv(HEADER + '3,"Smith, Jane",jane@example.co.uk,London,UK\n')
    assert len(customers) == 1 and customers[0].name == "Smith, Jane", (
        'a quoted field such as "Smith, Jane" is one value, not two columns'
    )
    assert customers[0].city == "London" and customers[0].country == "GB"


def test_csv_quoted_field_after_space():
    customers = parse_csv(HEADER + '3, "Smith, Jane", jane@example.co.uk, London, UK\n')
    assert [c.name for c in customers] == ["Smith, Jane"], (
        "a quoted field preceded by a space after the comma is still a quoted field"
    )


def test_csv_row_without_name_or_id_is_skipped():
    text = HEADER + ",No Id,,Lisbon,PT\n7,,,Lisbon,PT\n8,   ,,Lisbon,PT\n1,Ana Silva,,Lisbon,PT\n"
    assert [c.id for c in parse_csv(text)] == ["1"], (
        "rows with an empty id or an empty/whitespace name cannot be used and should be skipped"
    )


def test_csv_short_row_keeps_customer_with_missing_location():
    customers = parse_csv(HEADER + "9,Lena Fischer\n")
    assert customers == [Customer("9", "Lena Fischer", None, None, None)], (
        "a row with trailing columns missing keeps the customer, with None for the missing fields"
    )


def test_csv_empty_optional_fields_become_none():
    customers = parse_csv(HEADER + "9,Lena Fischer,  ,  ,\n")
    assert customers == [Customer("9", "Lena Fischer", None, None, None)], (
        "empty or whitespace-only optional fields should be None, not ''"
    )


def test_csv_email_is_lower_cased():
    customers = parse_csv(HEADER + "2,João Pereira,JOAO.Pereira@Example.COM,Lisbon,PT\n")
    assert customers[0].email == "joao.pereira@example.com"


def test_csv_duplicate_id_last_occurrence_wins():
    text = HEADER + "4,Bruno Costa,,Porto,PT\n5,Marie Dubois,,Paris,FR\n4,Bruno Costa,,Lisbon,PT\n"
    customers = parse_csv(text)
    assert [c.id for c in customers] == ["4", "5"], (
        "a customer id appears once, in file order, where the id first appeared"
    )
    assert by_id(customers)["4"].city == "Lisbon", (
        "when an id appears twice, the later row is the more recent one and should win"
    )


def test_csv_same_name_different_ids_are_different_customers():
    text = HEADER + "1,Ana Silva,,Lisbon,PT\n7,Ana Silva,,Lisbon,PT\n"
    assert [c.id for c in parse_csv(text)] == ["1", "7"], (
        "two customers may share a name; only the id identifies a duplicate"
    )


def test_csv_unknown_country_becomes_none():
    customers = parse_csv(HEADER + "1,Ana Silva,,Lisbon,Atlantis\n")
    assert customers == [Customer("1", "Ana Silva", None, "Lisbon", None)], (
        "a country we cannot recognise is stored as None, and the customer is kept"
    )


# --- JSON -----------------------------------------------------------------------------------


def test_json_object_with_customers_key():
    text = json.dumps({"customers": [{"id": "1", "name": "Ana Silva", "city": "Lisbon"}]})
    assert parse_json(text) == [Customer("1", "Ana Silva", None, "Lisbon", None)], (
        'an object of the form {"customers": [...]} should be accepted too'
    )


def test_json_numeric_id_becomes_string():
    text = json.dumps([{"id": 101, "name": "Ana Silva", "city": "Lisbon", "country": "PT"}])
    assert parse_json(text) == [Customer("101", "Ana Silva", None, "Lisbon", "PT")], (
        "a JSON list of objects is accepted; ids are strings even when the export used numbers"
    )


def test_json_null_and_missing_fields():
    text = json.dumps([{"id": 1, "name": " Ana  Silva ", "email": None, "city": "  "}])
    assert parse_json(text) == [Customer("1", "Ana Silva", None, None, None)], (
        "null, missing and blank fields should all become None; names are cleaned as in CSV"
    )


def test_json_keys_are_case_insensitive():
    text = json.dumps([{"ID": 1, "Name": "Ana Silva", "City": "Lisbon", "Country": "portugal"}])
    assert parse_json(text) == [Customer("1", "Ana Silva", None, "Lisbon", "PT")]


def test_json_invalid_records_are_skipped():
    records = [{"id": 1, "name": ""}, {"name": "No Id"}, "junk", None, {"id": 2, "name": "B"}]
    text = json.dumps(records)
    assert [c.id for c in parse_json(text)] == ["2"], (
        "records without id or name, and entries that are not objects, should be skipped"
    )


def test_json_duplicates_last_wins():
    text = json.dumps(
        [
            {"id": 103, "name": "Yuki Tanaka", "city": "Tokyo", "country": "JP"},
            {"id": "103", "name": "Yuki Tanaka", "city": "Osaka", "country": "Japan"},
        ]
    )
    customers = parse_json(text)
    assert customers == [Customer("103", "Yuki Tanaka", None, "Osaka", "JP")], (
        "ids 103 and '103' are the same customer; the later record wins"
    )


def test_load_customers_chooses_parser_by_extension(tmp_path):
    csv_path = tmp_path / "EXPORT.CSV"
    csv_path.write_bytes(("\ufeff" + HEADER + "1,Álvaro Núñez,,São Paulo,Brasil\n").encode())
    json_path = tmp_path / "export.json"
    json_path.write_text(json.dumps([{"id": "2", "name": "Bruno Costa"}]), encoding="utf-8")
    assert load_customers(csv_path) == [Customer("1", "Álvaro Núñez", None, "São Paulo", "BR")], (
        "a .CSV file (UTF-8, with the BOM Excel writes) is parsed as CSV"
    )
    assert [c.id for c in load_customers(str(json_path))] == ["2"], "a str path works too"


def test_load_customers_rejects_unknown_extension(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("whatever", encoding="utf-8")
    with pytest.raises(ValueError):
        load_customers(path)


# --- countries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("PT", "PT"),
        ("pt", "PT"),
        ("Portugal", "PT"),
        ("  PORTUGAL ", "PT"),
        ("PRT", "PT"),
        ("United  Kingdom", "GB"),
        ("UK", "GB"),
        ("U.S.A.", "US"),
        ("united states of america", "US"),
        ("España", "ES"),
        ("espana", "ES"),
        ("MÉXICO", "MX"),
    ],
)
def test_normalize_country_known_spellings(spelling, code):
    assert normalize_country(spelling) == code, f"{spelling!r} should normalise to {code!r}"


@pytest.mark.parametrize("spelling", ["Atlantis", "", "   ", None, "P T"])
def test_normalize_country_unknown_is_none(spelling):
    assert normalize_country(spelling) is None, f"{spelling!r} is not a country we know"
