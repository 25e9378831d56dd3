from reconcile.money import format_minor, to_minor_units


def test_to_minor_units_euro():
    assert to_minor_units("12.50", "EUR") == 1250


def test_to_minor_units_yen_has_no_decimals():
    assert to_minor_units("1500", "JPY") == 1500


def test_format_minor():
    assert format_minor(1205, "EUR") == "12.05"
