"""The warehouse system's shipments export (README.md, "The shipments export")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from parcel_audit import schema
from parcel_audit.depots import DEPOT_TIME_ZONES, POUND_IN_KG

# An ISO 8601 time that ends in its UTC offset: ...Z, ...+02:00, ...+0200
_HAS_OFFSET = r"(?:[zZ]|[+-]\d{2}:?\d{2})$"
_TO_KG = {"kg": 1.0, "lb": POUND_IN_KG}


def load_shipments(path: str | Path) -> pd.DataFrame:
    """The shipments we handed to the carrier: one row per shipment, its latest version,
    cancelled shipments left out, times in UTC and weights in kilograms."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.columns = raw.columns.str.strip()
    text = raw.apply(lambda column: column.str.strip())

    latest = _latest_versions(text)
    shipped = latest[latest["status"].str.lower() != "cancelled"]

    depot = shipped["depot"].str.upper()
    unknown = sorted(set(depot) - set(DEPOT_TIME_ZONES))
    if unknown:
        raise ValueError(f"unknown depot code(s) in {path}: {', '.join(unknown)}")

    frame = pd.DataFrame({
        "shipment_id": shipped["shipment_id"],
        "tracking_no": shipped["tracking_no"].str.upper(),
        "depot": depot,
        "service": shipped["service"].str.lower(),
        "shipped_at": _shipped_at_utc(shipped["shipped_at"], depot),
        "weight_kg": _weight_kg(shipped["weight"], shipped["weight_unit"]),
    })
    return schema.conform(frame.sort_values("shipment_id", kind="stable"), schema.SHIPMENTS)


def _latest_versions(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per shipment: the one with the latest updated_at; on a tie, the later row of
    the file. Cancellation is decided on this row, never on an older one."""
    updated = pd.to_datetime(rows["updated_at"], utc=True, format="ISO8601")
    order = updated.sort_values(kind="stable").index  # ties keep file order
    return rows.loc[order].drop_duplicates("shipment_id", keep="last")


def _shipped_at_utc(values: pd.Series, depots: pd.Series) -> pd.Series:
    """Times with an offset are instants as they are; times without one are the depot's wall
    clock, read with the offset in force before a clock change when they fall in its gap or
    its repeated hour (Python's fold=0)."""
    result = pd.Series(pd.NaT, index=values.index, dtype=schema.UTC_TIMESTAMP)
    has_offset = values.str.contains(_HAS_OFFSET, regex=True)
    if has_offset.any():
        result[has_offset] = pd.to_datetime(values[has_offset], utc=True, format="ISO8601")
    for depot, zone in DEPOT_TIME_ZONES.items():
        local = ~has_offset & (depots == depot)
        if not local.any():
            continue
        wall = pd.to_datetime(values[local], format="ISO8601")
        result[local] = wall.dt.tz_localize(
            zone,
            # the repeated hour in autumn: its first pass, still on summer time
            ambiguous=np.ones(len(wall), dtype=bool),
            # the skipped hour in spring: the winter offset still applies, i.e. one hour later
            # on the new clock (every zone we ship from moves its clock by one hour)
            nonexistent=pd.Timedelta(hours=1),
        ).dt.tz_convert("UTC")
    return result


def _weight_kg(weight: pd.Series, unit: pd.Series) -> pd.Series:
    unit = unit.str.lower()
    unknown = sorted(set(unit) - set(_TO_KG))
    if unknown:
        raise ValueError(f"unknown weight unit(s): {', '.join(unknown)}")
    return (pd.to_numeric(weight) * unit.map(_TO_KG)).round(3)
