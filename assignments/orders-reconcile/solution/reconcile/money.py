"""Amounts as integers of the currency's minor unit: never floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

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
    text = amount.strip().replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not an amount: {amount!r}") from None
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    minor = value.scaleb(exponent(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{amount!r} has more decimals than {currency.upper()} allows")
    return int(minor)


def format_minor(amount_minor: int, currency: str) -> str:
    """``129950, "EUR"`` -> ``"1299.50"``; ``1500, "JPY"`` -> ``"1500"``."""
    places = exponent(currency)
    value = Decimal(amount_minor).scaleb(-places)
    return f"{value:.{places}f}"
