"""Our depots and the time zone their warehouse clocks run on."""

from __future__ import annotations

DEPOT_TIME_ZONES = {
    "OSL": "Europe/Oslo",  # Alnabru, Oslo
    "MAN": "Europe/London",  # Trafford Park, Manchester
    "HEL": "Europe/Helsinki",  # Vantaa, Helsinki
}

POUND_IN_KG = 0.45359237
