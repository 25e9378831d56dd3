"""Amounts as integers of the currency's minor unit: never floats."""

from __future__ import annotations

# ISO 4217 minor-unit exponents that differ from the usual 2.
CURRENCY_EXPONENTS: dict[str, int] = {
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "CLP": 0,
    "BHD": 3,
    "KWD": 3,
    "JOD": 3,
    "TND": 3,
}
DEFAULT_EXPONENT = 2


def exponent(currency: str) -> int:
    return CURRENCY_EXPONENTS.get(currency.upper(), DEFAULT_EXPONENT)


def to_minor_units(amount: str, currency: str) -> int:
    """Parse a decimal amount in major units, such as ``"1,299.5"`` EUR, into ``129950``.

    Thousands separators (commas) and surrounding spaces are allowed. Raises ``ValueError`` for
    anything that is not a number, or that has more decimals than the currency has.
    """
    # TODO: implement. Hint: binary floats cannot represent 0.29 exactly.
    raise NotImplementedError


def format_minor(amount_minor: int, currency: str) -> str:
    """``129950, "EUR"`` -> ``"1299.50"``; ``1500, "JPY"`` -> ``"1500"``."""
    # TODO: implement.
    raise NotImplementedError
