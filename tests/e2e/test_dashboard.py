import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from arrears.models import ContactAttempt
from arrears.vocabularies import FinalResult
from partners.models import Neighbourhood
from tests.arrears.factories import CaseFactory, SignalFactory
from tests.e2e.conftest import login
from tests.households.factories import HouseholdFactory, TenancyFactory
from tests.partners.factories import MembershipFactory, MunicipalityFactory, PartnerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _thirteen_weeks_of_cases(corporation):
    """Sixty cases over the last thirteen weeks in three neighbourhoods, some contacted, some closed."""
    dordrecht = MunicipalityFactory(code="0505", name="Dordrecht")
    neighbourhoods = [
        Neighbourhood.objects.create(code=code, name=name, municipality=dordrecht)
        for code, name in (("BU05050101", "Binnenstad"), ("BU05050102", "Noordflank"), ("BU05050201", "Stadspolder"))
    ]
    now = timezone.now()
    for index in range(60):
        opened = now - dt.timedelta(days=index * 1.5, hours=index % 7)
        household = HouseholdFactory(
            corporation=corporation, municipality=dordrecht, neighbourhood=neighbourhoods[index % 3]
        )
        closed = index % 4 == 0 and index > 4
        case = CaseFactory(
            household=household,
            opened_at=opened,
            state="closed" if closed else "new",
            closed_at=opened + dt.timedelta(days=4) if closed else None,
            outcome=[FinalResult.PAID, FinalResult.ADVICE, FinalResult.NO_CONTACT][index % 3] if closed else "",
        )
        if index % 3:
            day = timezone.localtime(opened).date() + dt.timedelta(days=index % 6 + 1)
            ContactAttempt.objects.create(
                case=case, partner=corporation, kind="Telefoon", reached=index % 2 == 0, date=min(day, now.date())
            )
        amount = Decimal(300 + 37 * index)
        SignalFactory(
            tenancy=TenancyFactory(household=household),
            case=case,
            opened_on=timezone.localtime(opened).date(),
            updated_on=timezone.localtime(opened).date(),
            amount=amount,
            amount_at_open=amount,
            peak_amount=amount,
            months_of_rent=(amount / Decimal("650")).quantize(Decimal("0.01")),
        )


def test_manager_sees_the_dashboard_with_its_charts(page, screenshot):
    corporation = PartnerFactory(slug="drechtwonen", name="DrechtWonen")
    MembershipFactory(user=UserFactory(username="marieke"), partner=corporation, role="manager")
    _thirteen_weeks_of_cases(corporation)
    login(page, "marieke", "correct horse battery staple")
    page.click("text=Dashboard")
    page.wait_for_selector("h1:has-text('Dashboard DrechtWonen')")
    panels = page.locator("canvas[data-chart]").count()
    assert panels == 13  # one chart per table; reach and help accepted per week (issue 16) — or per quarter
    page.wait_for_function(
        "n => document.querySelectorAll('canvas[data-rendered=true]').length === n", arg=panels, timeout=15_000
    )
    # Chart.js drew into the canvases: they have a size and non-blank pixels.
    drawn = page.evaluate(
        """() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            return c.width > 0 && data.some(v => v !== 0);
        })"""
    )
    assert all(drawn)
    assert "Binnenstad (BU05050101)" in page.locator("#neighbourhoods").inner_text()
    screenshot(page, "dashboard-manager")
    page.click("text=Weekrapport om te printen")
    page.wait_for_selector("canvas[data-rendered=true]")
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    screenshot(page, "dashboard-weekly-report-print")
