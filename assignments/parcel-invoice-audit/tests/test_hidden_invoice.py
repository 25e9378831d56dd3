"""load_invoice(): Baltic Express's invoice export (README.md, "The carrier's invoice")."""

from __future__ import annotations

from conftest import INVOICE_LINES, assert_frame, fetch, frame

from parcel_audit import load_invoice

HEADER = ("Invoice no;Tracking no;Pickup date;Service;Billed weight kg;Freight EUR;Fuel EUR;"
          "Consignee")


def invoice(folder, *rows: str, encoding: str = "utf-8", total: str | None = None,
            newline: str = "\r\n") -> str:
    lines = [HEADER, *rows]
    if total is not None:
        lines.append(total)
    path = folder / "invoice.csv"
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return str(path)


def charge(tracking: str, date: str = "02.05.2024", service: str = "STANDARD",
           weight: str = "1,0", freight: str = "6,90", fuel: str = "0,83",
           consignee: str = "Nordvik Interiør AS", number: str = "BXI-24-0510") -> str:
    return ";".join([number, tracking, date, service, weight, freight, fuel, consignee])


def line(tracking: str, date: str = "2024-05-02", service: str = "standard",
         weight: float = 1.0, amount: float = 7.73,
         consignee: str = "Nordvik Interiør AS") -> dict:
    return {"tracking_no": tracking, "pickup_date": date, "service": service,
            "billed_weight_kg": weight, "amount_eur": amount, "consignee": consignee}


def test_columns_dtypes_and_file_order(folder):
    path = invoice(folder, charge("BX9002", service="EXPRESS", weight="0,5", freight="14,20",
                                  fuel="1,70"),
                   charge("BX9001"))
    expected = frame([line("BX9002", service="express", weight=0.5, amount=15.90),
                      line("BX9001")], INVOICE_LINES)
    assert_frame(load_invoice(path), expected)


def test_windows_1252_file(folder):
    names = ["Kjøkkenkroken AS", "Café Ümlaut Ltd", "O’Brien’s Bakery", "Lähikauppa Öhman"]
    path = invoice(folder, *(charge(f"BX900{n}", consignee=name)
                             for n, name in enumerate(names)), encoding="cp1252")
    assert fetch(load_invoice(path))["consignee"].tolist() == names


def test_utf8_file_with_byte_order_mark(folder):
    names = ["Grünerløkka Sykkel", "Ålesund Sportsfiske", "Järvisen Kirja"]
    path = invoice(folder, *(charge(f"BX900{n}", consignee=name)
                             for n, name in enumerate(names)), encoding="utf-8-sig")
    got = fetch(load_invoice(path))
    assert got["consignee"].tolist() == names
    assert got["tracking_no"].tolist() == ["BX9000", "BX9001", "BX9002"]


def test_decimal_comma_and_thousands_separator(folder):
    path = invoice(folder,
                   charge("BX9001", weight="412,5", freight="1.234,50", fuel="148,14"),
                   charge("BX9002", weight="2,5", freight="9,8", fuel="1,18"),
                   charge("BX9003", weight="20", freight="12.001,05", fuel="0,00"))
    got = fetch(load_invoice(path))
    assert got["billed_weight_kg"].tolist() == [412.5, 2.5, 20.0]
    assert got["amount_eur"].round(2).tolist() == [1382.64, 10.98, 12001.05]


def test_empty_fuel_surcharge_counts_as_zero(folder):
    path = invoice(folder, charge("BX9001", freight="27,40", fuel=""))
    assert fetch(load_invoice(path))["amount_eur"].round(2).tolist() == [27.40]


def test_totals_line_and_blank_lines_are_left_out(folder):
    path = invoice(folder, charge("BX9001"), "", charge("BX9002"), "",
                   total=";;;;Total;13,80;1,66;")
    expected = frame([line("BX9001"), line("BX9002")], INVOICE_LINES)
    assert_frame(load_invoice(path), expected)


def test_dates_are_day_first(folder):
    path = invoice(folder, charge("BX9001", date="03.04.2024"),
                   charge("BX9002", date="12.01.2024"), charge("BX9003", date="31.12.2023"))
    got = fetch(load_invoice(path))
    assert [d.isoformat() for d in got["pickup_date"]] == [
        "2024-04-03T00:00:00", "2024-01-12T00:00:00", "2023-12-31T00:00:00"]


def test_repeated_lines_are_all_kept(folder):
    path = invoice(folder, charge("BX9001"), charge("BX9002"), charge("BX9001"))
    assert fetch(load_invoice(path))["tracking_no"].tolist() == ["BX9001", "BX9002", "BX9001"]


def test_tracking_numbers_and_services_are_normalised(folder):
    path = invoice(folder, charge(" bx9001 ", service=" Express"), newline="\n")
    expected = frame([line("BX9001", service="express")], INVOICE_LINES)
    assert_frame(load_invoice(path), expected)
