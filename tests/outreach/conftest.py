import pytest
from django.utils import translation

from outreach.services import outreach_defaults_install
from tests.arrears.factories import flagged_case


@pytest.fixture
def english():
    """Messages in English (the msgids), so assertions read like the code; the UI default is Dutch."""
    with translation.override("en"):
        yield


@pytest.fixture
def templates(world):
    """The default templates of corporation A, corporation B and the social service, by partner key and purpose."""
    made = {}
    for key in ("corp_a", "corp_b", "sd"):
        partner = getattr(world, key)
        outreach_defaults_install(partner)
        made[key] = {t.purpose: t for t in partner.message_templates.all()}
    return made


@pytest.fixture
def case(world):
    """Corporation A's case of J. de Vries, Dordrecht, € 700 in arrears, in its own queue."""
    return flagged_case(
        world.corp_a,
        household={
            "name": "J. de Vries",
            "street": "Voorstraat",
            "house_number": 12,
            "postcode": "3311 AB",
            "city": "Dordrecht",
            "municipality": world.dordrecht,
        },
    )
