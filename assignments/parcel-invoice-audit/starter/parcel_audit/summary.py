"""The weekly report operations reads on Monday mornings (README.md, "Weekly summary")."""

from __future__ import annotations

import pandas as pd

from parcel_audit import schema
from parcel_audit.depots import DEPOT_TIME_ZONES


def weekly_summary(reconciled: pd.DataFrame) -> pd.DataFrame:
    """Per depot and week of shipping (Monday to Sunday on the depot's own clock): how many
    parcels, what they cost, how many the carrier did not bill and how many we dispute.

    ``reconciled`` is shaped as reconcile() returns it. Columns and dtypes of the result:
    schema.WEEKLY_SUMMARY."""
    raise NotImplementedError("TODO: weekly_summary")
