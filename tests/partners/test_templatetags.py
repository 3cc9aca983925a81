from decimal import Decimal

import pytest

from partners.templatetags.tijdig import format_euro


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.56"), "€ 1.234,56"),
        (Decimal("0"), "€ 0,00"),
        (Decimal("-12.5"), "€ -12,50"),
        (1234567, "€ 1.234.567,00"),
        (Decimal("0.005"), "€ 0,01"),
        (None, "–"),
    ],
)
def test_format_euro(value, expected):
    assert format_euro(value) == expected
