"""Country names as they appear in our exports, mapped to ISO 3166 alpha-2 codes.

The table was collected from real exports by the data team; it is not exhaustive, and that is
fine: a country we do not recognise is treated as unknown.
"""

from __future__ import annotations

# code -> other spellings seen in the wild (the code itself always matches too)
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "PT": ("Portugal", "Portuguese Republic", "PRT"),
    "ES": ("Spain", "España", "Espana", "ESP", "Kingdom of Spain"),
    "FR": ("France", "FRA", "French Republic"),
    "DE": ("Germany", "Deutschland", "DEU", "Federal Republic of Germany"),
    "IT": ("Italy", "Italia", "ITA"),
    "NL": ("Netherlands", "The Netherlands", "Holland", "Nederland", "NLD"),
    "BE": ("Belgium", "Belgique", "België", "BEL"),
    "IE": ("Ireland", "Éire", "Republic of Ireland", "IRL"),
    "GB": ("United Kingdom", "UK", "U.K.", "Great Britain", "Britain", "GBR"),
    "US": ("United States", "United States of America", "USA", "U.S.A.", "U.S.", "America"),
    "CA": ("Canada", "CAN"),
    "MX": ("Mexico", "México", "MEX"),
    "BR": ("Brazil", "Brasil", "BRA"),
    "AR": ("Argentina", "ARG"),
    "JP": ("Japan", "Nippon", "JPN"),
    "IN": ("India", "IND"),
    "AU": ("Australia", "AUS"),
    "ZA": ("South Africa", "ZAF"),
    "SE": ("Sweden", "Sverige", "SWE"),
    "CH": ("Switzerland", "Schweiz", "Suisse", "CHE"),
}


def normalize_country(value: str | None) -> str | None:
    """Return the ISO alpha-2 code for any known spelling of a country, else ``None``.

    >>> normalize_country(" portugal ")
    'PT'
    >>> normalize_country("U.S.A.")
    'US'
    >>> normalize_country("Atlantis") is None
    True
    """
    # TODO: match the code itself and every alias in COUNTRY_ALIASES, ignoring case,
    # surrounding/inner whitespace, accents ("España" == "Espana") and dots ("U.S.A." == "USA").
    raise NotImplementedError
