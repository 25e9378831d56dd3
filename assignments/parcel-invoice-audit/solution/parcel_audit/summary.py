"""The weekly report operations reads on Monday mornings (README.md, "Weekly summary")."""

from __future__ import annotations

import pandas as pd

from parcel_audit import schema
from parcel_audit.depots import DEPOT_TIME_ZONES

DISPUTED = ("billed_twice", "service_mismatch", "overweight")


def weekly_summary(reconciled: pd.DataFrame) -> pd.DataFrame:
    """Per depot and week of shipping (Monday to Sunday on the depot's own clock): how many
    parcels, what they cost, how many the carrier did not bill and how many we dispute."""
    ours = reconciled[reconciled["status"] != "not_shipped"].copy()
    if ours.empty:
        return schema.empty(schema.WEEKLY_SUMMARY)
    ours["week_start"] = _local_week_start(ours["shipped_at"], ours["depot"])
    disputed = ours["status"].isin(DISPUTED)
    ours["not_invoiced"] = (ours["status"] == "not_invoiced").astype("int64")
    ours["disputed"] = disputed.astype("int64")
    ours["disputed_eur"] = ours["charged_eur"].where(disputed, 0.0)

    weeks = ours.groupby(["week_start", "depot"], sort=True).agg(
        shipments=("tracking_no", "size"),
        charged_eur=("charged_eur", "sum"),
        not_invoiced=("not_invoiced", "sum"),
        disputed=("disputed", "sum"),
        disputed_eur=("disputed_eur", "sum"),
    ).reset_index()
    weeks[["charged_eur", "disputed_eur"]] = weeks[["charged_eur", "disputed_eur"]].round(2)
    return schema.conform(weeks, schema.WEEKLY_SUMMARY)


def _local_week_start(shipped_at: pd.Series, depots: pd.Series) -> pd.Series:
    """Midnight of the Monday that starts the week, in the depot's local time (naive)."""
    local = pd.Series(pd.NaT, index=shipped_at.index, dtype=schema.LOCAL_DATE)
    for depot, zone in DEPOT_TIME_ZONES.items():
        here = depots == depot
        if here.any():
            local[here] = shipped_at[here].dt.tz_convert(zone).dt.tz_localize(None)
    day = local.dt.normalize()
    return day - pd.to_timedelta(day.dt.weekday, unit="D")
