"""A few visible tests to get you started. The reviewers run a larger hidden suite."""

from pathlib import Path

from directory.models import Customer
from directory.parser import load_customers

DATA = Path(__file__).resolve().parent.parent / "data"


def test_clean_csv_row_is_parsed():
    customers = load_customers(DATA / "customers.csv")
    assert Customer("1", "Ana Silva", "ana.silva@example.com", "Lisbon", "PT") in customers


def test_country_spellings_are_normalised():
    customers = {c.id: c for c in load_customers(DATA / "customers.csv")}
    assert customers["2"].country == "PT", "'Portugal' should become the ISO code 'PT'"
    assert customers["6"].country == "US", "'USA' should become the ISO code 'US'"


def test_json_export_is_parsed():
    customers = {c.id: c for c in load_customers(DATA / "customers.json")}
    assert customers["103"].city == "Osaka", "the last record for a customer id wins"
    assert customers["102"].name == "Carlos Mendes"
