"""Bad input is a 4xx or a form error, never a 500 (docs/adr/0067): each finding of issue 13 §6 as it was
found, through the real views, API and services."""

import base64
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from arrears.models import Case, ContactAttempt
from arrears.services import casework
from arrears.services import respite as respite_services
from arrears.workflow import CaseState
from partners import bounds
from partners.errors import InvalidInput
from reporting import ddas
from tests.arrears.factories import flagged_case, move_case
from tests.partners.factories import Api, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FORGED_CURSOR = base64.b64encode(b"p=abc").decode()


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def _api(user):
    api = Api(user)
    api.raise_request_exception = False
    return api


def _manager(partner, name="lead"):
    return MembershipFactory(user=UserFactory(username=name), partner=partner, role="manager").user


def _taken_up(world):
    case = flagged_case(world.corp_a)
    return move_case(
        case,
        queue_partner=world.sd,
        state=CaseState.TAKEN_UP,
        signalled_at=timezone.now(),
        taken_up_at=timezone.now(),
        assignee=world.charlie,
    )


# --- The API's cursor ------------------------------------------------------------------------------


FORGED_CURSORS = [
    FORGED_CURSOR,  # p=abc
    base64.b64encode(b"p=-1").decode(),
    base64.b64encode(b"p=1.5").decode(),
    base64.b64encode(b"p=" + b"9" * 30).decode(),
    base64.b64encode("p=²".encode()).decode(),
]


@pytest.mark.parametrize("endpoint", ["households", "tenancies", "signals", "cases", "referrals"])
def test_a_forged_cursor_is_a_400_in_the_api_error_shape(world, endpoint):
    flagged_case(world.corp_a)
    for cursor in FORGED_CURSORS:
        response = _api(world.alice).get(f"/api/v1/{endpoint}/", {"cursor": cursor})
        assert response.status_code == 400, (cursor, response.content)
        body = response.json()
        assert set(body) == {"detail", "errors"} and "cursor" in body["errors"]
    # and a cursor as the API gives it still pages
    first = _api(world.alice).get(f"/api/v1/{endpoint}/", {"page_size": 1})
    assert first.status_code == 200
    if first.json()["next"]:
        assert _api(world.alice).get(first.json()["next"]).status_code == 200


def test_a_superscript_page_size_is_a_400(world):
    response = _api(world.alice).get("/api/v1/cases/", {"page_size": "²"})
    assert response.status_code == 400 and "page_size" in response.json()["errors"]


def test_a_nul_character_is_a_400_on_pages_and_in_the_api(client, world):
    client.force_login(_manager(world.corp_a))
    for url in (reverse("dashboard"), reverse("dashboard-report"), reverse("queue")):
        response = client.get(url, {"partner": "a\x00b"})
        assert response.status_code == 400, url
        assert "Ongeldig verzoek" in response.content.decode()
    form = client.post(reverse("queue-search"), "q=a%00b", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400
    response = _api(world.alice).get("/api/v1/cases/", {"cursor": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Bevat een NUL-teken."]}


def test_an_id_beyond_any_id_in_the_path_is_a_404_everywhere(client, world):
    big = "1" + "0" * 25
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    paths = (f"/admin/ledger/arrearsstate/{big}/history/", f"/admin/partners/partner/{big}/change/", f"/cases/{big}/")
    for url in paths:
        assert client.get(url).status_code == 404, url
    response = _api(world.alice).get(f"/api/v1/cases/{big}/")
    assert response.status_code == 404 and set(response.json()) == {"detail", "errors"}


def test_a_path_number_longer_than_python_converts_is_a_404_not_a_500(client, world):
    """Python refuses int() of more than 4,300 digits (ValueError): the check that a path number is
    beyond any id must not convert it whole (runserver and the demo take such a path; gunicorn's
    request-line limit happens to stop it in production). Leading zeros are no way around it."""
    client.force_login(world.alice)
    for number in ["9" * 5000, "0" * 5000 + "1", "0" * 5000 + "9" * 20]:
        assert client.get(f"/cases/{number}/").status_code == 404
        assert _api(world.alice).get(f"/api/v1/cases/{number}/").status_code == 404


# --- The queue ---------------------------------------------------------------------------------------


def test_an_absurd_queue_page_shows_a_page(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    for page in ["9" * 20, "1" + "0" * 40, "²", "-5", "0"]:
        response = client.get(reverse("queue"), {"page": page})
        assert response.status_code == 200, page
        assert list(response.context["cases"]) == [case]


def test_bulk_assign_with_an_impossible_case_id_says_so_and_assigns_nothing(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(_manager(world.corp_a))
    for bad_id in ["9" * 30, "²", "-1", "0", "1e3", ""]:
        response = client.post(
            reverse("queue-bulk-assign"),
            {"assignee": str(world.alice.pk), "case": [str(case.pk), bad_id]},
            follow=True,
        )
        assert response.status_code == 200, bad_id
        assert Case.objects.get(pk=case.pk).assignee is None
        assert any("is geen casusnummer" in str(m) for m in response.context["messages"]), bad_id


def test_a_queue_search_with_odd_digits_is_no_error(client, world):
    flagged_case(world.corp_a)
    client.force_login(world.alice)
    for term in ["²", "3311AA " + "9" * 30, "9" * 30]:
        response = client.post(reverse("queue-search"), {"q": term}, follow=True)
        assert response.status_code == 200, term


def test_parse_id_and_page_are_bounded():
    assert bounds.parse_id(str(bounds.MAX_ID)) == bounds.MAX_ID
    assert [bounds.parse_id(v) for v in (str(bounds.MAX_ID + 1), "0", "-1", "²", " 1", "1.0", None)] == [None] * 7
    assert bounds.parse_page("9" * 20) == bounds.MAX_PAGE
    assert [bounds.parse_page(v) for v in ("", None, "x", "²", "0")] == [1, 1, 1, 1, 1]
    assert "2000-01-01" in str(bounds.DATE_RANGE_MESSAGE) and "2100-12-31" in str(bounds.DATE_RANGE_MESSAGE)
    assert (dt.date(2000, 1, 1), dt.date(2100, 12, 31)) == (bounds.FIRST_DATE, bounds.LAST_DATE)


def test_a_case_action_with_a_next_that_is_no_path_goes_back_to_the_case(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    for target in ["9" * 20, "queue", "//evil.example/"]:
        response = client.post(reverse("case-action", args=[case.pk, "note"]), {"text": "Gebeld", "next": target})
        assert response.status_code == 302, target
        assert response.url == reverse("case-detail", args=[case.pk])
    staff = UserFactory(username="beheer", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/login/", {"next": "queue"}).url == "/"


# --- Dates: the DDAS export, case-work dates ---------------------------------------------------------


@pytest.fixture
def sd_manager(world):
    return _manager(world.sd, "sd-lead")


@pytest.mark.parametrize(
    ("date_from", "date_to"), [("2026-01-01", "9999-12-31"), ("0001-01-01", "2026-03-31"), ("1999-12-31", "2000-01-31")]
)
def test_the_ddas_page_refuses_dates_off_the_calendar_with_a_form_error(client, world, sd_manager, date_from, date_to):
    client.force_login(sd_manager)
    response = client.get(
        reverse("dashboard-ddas"), {"municipality": world.dordrecht.code, "date_from": date_from, "date_to": date_to}
    )
    assert response.status_code == 400
    assert "Geef een datum tussen 2000-01-01 en 2100-12-31." in response.content.decode()


@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), dt.date(1, 1, 1)])
def test_the_ddas_service_and_command_refuse_them_too(world, day):
    period = sorted([day, dt.date(2026, 1, 1)])
    with pytest.raises(ddas.DdasExportError, match="2100-12-31"):
        ddas.monitor_export(municipality=world.dordrecht, date_from=period[0], date_to=period[1])
    with pytest.raises(CommandError, match="2100-12-31"):
        call_command(
            "ddas_export",
            municipality=world.dordrecht.code,
            date_from=period[0].isoformat(),
            date_to=period[1].isoformat(),
            stdout=io.StringIO(),
        )


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_a_contact_attempt_dated_off_the_calendar_is_a_form_error(client, world, day):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = client.post(
        reverse("case-action", args=[case.pk, "contact"]),
        {"expected_version": case.version, "kind": "Telefoon", "reached": "no", "date": day},
    )
    assert response.status_code == 400
    assert "Geef een datum tussen 2000-01-01 en 2100-12-31." in response.content.decode()
    assert not ContactAttempt.objects.filter(case=case).exists()


def test_the_services_refuse_such_dates_for_every_surface(world):
    case = flagged_case(world.corp_a)
    with pytest.raises(InvalidInput, match="2000-01-01"):
        casework.contact_attempt_record(
            case=case, by=world.alice, kind="Telefoon", reached=False, date=dt.date(1, 1, 1)
        )
    with pytest.raises(InvalidInput, match="2100-12-31"):
        casework.eviction_date_record(case=case, by=world.alice, date=dt.date(9999, 12, 31))
    with pytest.raises(InvalidInput, match="2100-12-31"):
        casework.payment_arrangement_record(
            case=case, by=world.alice, monthly_amount="50", start_date=dt.date(2026, 1, 1), end_date=dt.date(9999, 1, 1)
        )


def test_an_import_dated_off_the_calendar_is_refused_on_every_way_in(world, tmp_path):
    from django.core.files.base import ContentFile

    from ledger.models import LedgerImport
    from ledger.services import import_submit
    from partners.errors import DomainError

    with pytest.raises(DomainError, match="2100-12-31"):
        import_submit(
            partner=world.corp_a,
            file=ContentFile(b"Contractnummer;Saldo\nHC1;10,00\n"),
            file_name="export.csv",
            source=LedgerImport.Source.UPLOAD,
            as_of=dt.date(9999, 12, 31),
        )
    assert not LedgerImport.objects.exists()


# --- Respite: one maximum for page and API -----------------------------------------------------------


def test_respite_until_9999_in_the_page_is_refused_with_the_maximum(client, world, settings):
    case = _taken_up(world)
    client.force_login(world.charlie)
    response = client.post(
        reverse("case-action", args=[case.pk, "respite_grant"]),
        {"expected_version": case.version, "until": "9999-12-31"},
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).respite_until is None


def test_respite_longer_than_the_maximum_is_refused_by_page_and_api_alike(client, world, settings):
    settings.TIJDIG = {**settings.TIJDIG, "RESPITE_MAX_DAYS": 60}
    case = _taken_up(world)
    today = timezone.localdate()
    too_long = today + dt.timedelta(days=61)
    client.force_login(world.charlie)
    page = client.post(
        reverse("case-action", args=[case.pk, "respite_grant"]),
        {"expected_version": case.version, "until": too_long.isoformat()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 400
    assert "is more than 60 days from today" in page.content.decode()
    api = _api(world.charlie).post(f"/api/v1/cases/{case.pk}/respite/", {"until": too_long.isoformat()}, format="json")
    assert api.status_code == 400, api.content
    assert "60" in api.json()["detail"]
    assert Case.objects.get(pk=case.pk).respite_until is None
    longest = today + dt.timedelta(days=60)
    respite_services.respite_grant(case=case, by=world.charlie, until=longest)
    assert Case.objects.get(pk=case.pk).respite_until == longest
    with pytest.raises(InvalidInput):
        respite_services.respite_extend(case=case, by=world.charlie, until=too_long, text="langer")


def test_the_default_respite_fits_the_maximum(settings):
    assert 1 <= settings.TIJDIG["RESPITE_DEFAULT_DAYS"] <= settings.TIJDIG["RESPITE_MAX_DAYS"]


# --- The admin -----------------------------------------------------------------------------------------


def test_the_admin_gives_a_signed_in_non_staff_user_a_403_not_a_redirect_loop(client, world):
    client.force_login(world.alice)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1
    assert "Geen toegang" in response.content.decode()


def test_the_admin_still_sends_the_anonymous_to_the_portal_login_and_lets_staff_in(client, world):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("login") + "?next=")
    staff = UserFactory(username="beheer", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/?next=/admin/").url == "/admin/"
