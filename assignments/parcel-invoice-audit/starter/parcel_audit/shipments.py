"""The warehouse system's shipments export (README.md, "The shipments export")."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from parcel_audit import schema
from parcel_audit.depots import DEPOT_TIME_ZONES, POUND_IN_KG


def load_shipments(path: str | Path) -> pd.DataFrame:
    """The shipments we handed to the carrier: one row per shipment, its latest version,
    cancelled shipments left out, times in UTC and weights in kilograms.

    Columns and dtypes: schema.SHIPMENTS."""
    raise NotImplementedError("TODO: load_shipments")
