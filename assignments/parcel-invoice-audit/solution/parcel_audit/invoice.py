"""Baltic Express's invoice export (README.md, "The carrier's invoice")."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from parcel_audit import schema

COLUMNS = {
    "Tracking no": "tracking_no",
    "Pickup date": "pickup_date",
    "Service": "service",
    "Billed weight kg": "billed_weight_kg",
    "Freight EUR": "freight_eur",
    "Fuel EUR": "fuel_eur",
    "Consignee": "consignee",
}


def load_invoice(path: str | Path) -> pd.DataFrame:
    """Every charge line of the invoice, in the file's order: amounts as numbers in euros,
    the totals line and blank lines left out."""
    text = _decode(Path(path).read_bytes())
    raw = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    raw.columns = raw.columns.str.strip()
    lines = raw.rename(columns=COLUMNS).apply(lambda column: column.str.strip())
    lines = lines[lines["tracking_no"] != ""]  # the totals line, and empty lines

    frame = pd.DataFrame({
        "tracking_no": lines["tracking_no"].str.upper(),
        "pickup_date": pd.to_datetime(lines["pickup_date"], format="%d.%m.%Y"),
        "service": lines["service"].str.lower(),
        "billed_weight_kg": _number(lines["billed_weight_kg"]),
        "amount_eur": (_number(lines["freight_eur"])
                       + _number(lines["fuel_eur"].replace("", "0"))).round(2),
        "consignee": lines["consignee"],
    })
    return schema.conform(frame, schema.INVOICE_LINES)


def _decode(data: bytes) -> str:
    """The portal wrote Windows-1252 until March 2024 and UTF-8 (with a byte order mark)
    since: a file that is valid UTF-8 is UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _number(values: pd.Series) -> pd.Series:
    """'1.234,50' -> 1234.5: dots group thousands, the comma is the decimal mark."""
    plain = values.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(plain)
