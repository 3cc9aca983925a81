import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from ledger.importing import values


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("raw", "sep", "cents"),
    [
        ("1.234,56", ",", 123456),
        ("€ 1.234,56", ",", 123456),
        ("€1234,5", ",", 123450),
        ("-12,50", ",", -1250),
        ("12,50-", ",", -1250),
        ("€ -12,50", ",", -1250),
        ("(12,50)", ",", -1250),
        ("−12,50", ",", -1250),  # a typographic minus
        ("0,005", ",", 1),  # rounded half up to cents
        ("1.000.000,00", ",", None),  # out of range
        ("1,234.56", ".", 123456),
        ("-1234.5", ".", -123450),
        ("650", ",", 65000),
        (650.0, ",", 65000),  # an XLSX number cell
        (Decimal("12.34"), ",", 1234),
    ],
)
def test_amounts_as_dutch_and_english_exports_write_them(raw, sep, cents):
    if cents is None:
        with pytest.raises(values.Problem) as info:
            values.amount_cents(raw, sep)
        assert info.value.code == "amount_out_of_range"
    else:
        assert values.amount_cents(raw, sep) == cents


@pytest.mark.parametrize("raw", ["12,3,4", "abc", "1.2.3,4,5", "12,50 EUR extra", "--5"])
def test_not_an_amount(raw):
    with pytest.raises(values.Problem) as info:
        values.amount_cents(raw, ",")
    assert info.value.code == "bad_amount"
    assert "1.234,56" in info.value.reason


def test_decimal_separator_is_judged_from_the_column():
    assert values.detect_decimal_separator(["1.234,56", "12,50"]) == ","
    assert values.detect_decimal_separator(["1,234.56", "12.50", "7"]) == "."
    assert values.detect_decimal_separator(["1.234"]) == ","  # ambiguous: Dutch wins
    assert values.detect_decimal_separator(["1,234,567"]) == "."


@pytest.mark.parametrize(
    ("raw", "fmt", "expected"),
    [
        ("31-10-2026", "", dt.date(2026, 10, 31)),
        ("1-9-2026", "", dt.date(2026, 9, 1)),
        ("31/10/2026", "", dt.date(2026, 10, 31)),
        ("2026-10-31", "", dt.date(2026, 10, 31)),
        ("2026-10-31 00:00:00", "", dt.date(2026, 10, 31)),
        ("31.10.2026", "", dt.date(2026, 10, 31)),
        ("10/31/2026", "%m/%d/%Y", dt.date(2026, 10, 31)),
        (dt.datetime(2026, 10, 31, 0, 0), "", dt.date(2026, 10, 31)),
    ],
)
def test_dates(raw, fmt, expected):
    assert values.date(raw, fmt) == expected


@pytest.mark.parametrize(
    ("raw", "fmt", "code", "words"),
    [
        ("31-13-2026", "", "bad_date", "no such date"),
        ("morgen", "", "bad_date", "dd-mm-jjjj"),
        ("31-10-26", "", "bad_date", "dd-mm-jjjj"),
        ("01-01-1850", "", "bad_date", "1900"),
        ("2026-10-31", "%d-%m-%Y", "bad_date", "%d-%m-%Y"),
    ],
)
def test_bad_dates_say_why(raw, fmt, code, words):
    with pytest.raises(values.Problem) as info:
        values.date(raw, fmt)
    assert info.value.code == code
    assert words in info.value.reason


def test_master_data_values():
    assert values.postcode("3331ac") == "3331 AC"
    assert values.postcode(" 3331 AC ") == "3331 AC"
    with pytest.raises(values.Problem):
        values.postcode("0331 AC")
    assert values.house_number("12") == (12, "")
    assert values.house_number("12a") == (12, "a")
    assert values.house_number("12-2") == (12, "2")
    assert values.house_number(12.0) == (12, "")
    with pytest.raises(values.Problem):
        values.house_number("twaalf")
    assert values.address("Voorstraat 12a") == ("Voorstraat", 12, "a")
    assert values.address("Burgemeester de Raadtsingel 93 B") == ("Burgemeester de Raadtsingel", 93, "B")
    assert values.municipality_code("505") == "0505"
    assert values.municipality_code("GM0505") == "0505"
    with pytest.raises(values.Problem):
        values.municipality_code("Dordrecht")
    with pytest.raises(values.Problem) as info:
        values.rent_cents("-650,00")
    assert info.value.code == "negative_rent"
    assert values.text(123456.0) == "123456"
    assert values.email("a@b.nl") == "a@b.nl"
    with pytest.raises(values.Problem):
        values.email("geen")


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("J.P. van der Berg", ("J.P.", "van der", "Berg")),
        ("Berg, J.P. van der", ("J.P.", "van der", "Berg")),
        ("Jan de Vries", ("J.", "de", "Vries")),
        ("A. Yilmaz", ("A.", "", "Yilmaz")),
        ("Yilmaz", ("", "", "Yilmaz")),
        ("A. El Amrani", ("A.", "", "El Amrani")),
        ("J. P. ter Horst", ("J.P.", "ter", "Horst")),
    ],
)
def test_names_are_split_into_ddas_parts(name, parts):
    assert values.split_name(name) == parts
