import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from arrears.views.queue import SEARCH_SESSION_KEY
from tests.arrears.factories import ContactAttemptFactory, flagged_case
from tests.partners.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "queue-results"}


def test_queue_requires_login(client):
    response = client.get(reverse("queue"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_queue_lists_own_cases_only_with_triage_columns(client, world):
    case = flagged_case(
        world.corp_a, amount="1234.56", months="1.90", previous="1000", household={"street": "Eigenstraat"}
    )
    ContactAttemptFactory(case=case, date=dt.date(2026, 10, 7))
    case.respite_until = timezone.localdate() + dt.timedelta(days=5)
    case.save()
    flagged_case(world.corp_b, household={"street": "Vreemdestraat"})
    client.force_login(world.alice)
    response = client.get(reverse("queue"))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 1
    assert "Eigenstraat" in body and "Vreemdestraat" not in body
    assert "€ 1.234,56" in body
    assert "1,9" in body  # months of rent, Dutch decimal comma
    assert "€ 234,56" in body  # trend since the previous import
    assert "07-10-2026" in body  # last contact, dd-mm-jjjj
    assert "Respijt tot" in body
    assert "Niet geclaimd" in body  # unclaimed cases stand out


def test_overdue_and_unclaimed_rows_are_marked(client, world):
    overdue = flagged_case(world.corp_a, opened_days_ago=20)
    client.force_login(world.alice)
    body = client.get(reverse("queue")).content.decode()
    assert f'id="case-row-{overdue.pk}" class="row-overdue row-unclaimed"' in body
    # The badge says which deadline passed: first contact, not the signal (docs/adr/0091).
    assert "Eerste contact te laat" in body and ">Te laat<" not in body


def test_filters_come_from_the_query_string(client, world):
    flagged_case(world.corp_a, amount="100.00")
    big = flagged_case(world.corp_a, amount="5000.00")
    client.force_login(world.alice)
    response = client.get(reverse("queue"), {"amount_min": "1000"})
    assert list(response.context["cases"]) == [big]
    assert response.context["query"] == "amount_min=1000"


def test_invalid_filter_is_reported_and_ignored(client, world):
    flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = client.get(reverse("queue"), {"amount_min": "veel", "months_min": "1", "months_max": "0.5"})
    assert response.status_code == 200
    assert len(response.context["cases"]) == 1
    form = response.context["form"]
    assert "amount_min" in form.errors and "months_max" in form.errors
    assert "Voer een getal in" in response.content.decode()


def test_htmx_filter_returns_the_results_part_and_pushes_a_clean_url(client, world):
    flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = client.get(reverse("queue"), {"state": "new", "queue": "", "bogus": "x"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="queue-results"' in body
    assert response["HX-Push-Url"] == reverse("queue") + "?state=new"


def test_search_is_posted_kept_in_the_session_and_never_in_a_url(client, world):
    wanted = flagged_case(world.corp_a, household={"name": "A. Jansen", "street": "Kerkstraat"})
    flagged_case(world.corp_a, household={"name": "B. Pietersen"})
    client.force_login(world.alice)
    response = client.post(reverse("queue-search"), {"q": "Jansen", "query": "state=new&q=Jansen"})
    assert response.status_code == 302
    assert "Jansen" not in response.url
    assert response.url == reverse("queue") + "?state=new"
    assert client.session[SEARCH_SESSION_KEY] == "Jansen"
    page = client.get(response.url)
    assert list(page.context["cases"]) == [wanted]
    assert "Jansen" in page.content.decode()
    # Clearing the search shows everything again.
    client.post(reverse("queue-search"), {"q": "Jansen", "clear": "1"})
    assert SEARCH_SESSION_KEY not in client.session
    assert client.get(reverse("queue")).context["page_obj"].paginator.count == 2


def test_htmx_search_answers_with_results_and_no_search_term_in_the_pushed_url(client, world):
    flagged_case(world.corp_a, household={"name": "A. Jansen"})
    client.force_login(world.alice)
    response = client.post(reverse("queue-search"), {"q": "Jansen", "query": ""}, **HTMX)
    assert response.status_code == 200
    assert "Jansen" not in response["HX-Push-Url"]
    assert response.context["page_obj"].paginator.count == 1
    assert 'hx-swap-oob="true"' in response.content.decode()  # the search form's copy of the filters


def test_search_term_too_long_is_refused(client, world):
    client.force_login(world.alice)
    response = client.post(reverse("queue-search"), {"q": "x" * 101}, follow=True)
    assert SEARCH_SESSION_KEY not in client.session
    assert "De zoekterm is te lang" in response.content.decode()


def test_sorting_and_pagination_links_keep_the_filters(client, world):
    for amount in ("100.00", "200.00", "300.00"):
        flagged_case(world.corp_a, amount=amount)
    client.force_login(world.alice)
    response = client.get(reverse("queue"), {"sort": "-amount", "state": "new"})
    amounts = [c.arrears_amount for c in response.context["cases"]]
    assert amounts == sorted(amounts, reverse=True)
    body = response.content.decode()
    assert 'href="?state=new&amp;sort=amount"' in body  # the amount header now sorts ascending
    assert 'aria-sort="descending"' in body


def test_pagination(client, world):
    for _ in range(30):
        flagged_case(world.corp_a)
    client.force_login(world.alice)
    first = client.get(reverse("queue"))
    assert len(first.context["cases"]) == 25
    assert "Pagina 1 van 2" in first.content.decode()
    second = client.get(reverse("queue"), {"page": 2, "per_page": 25})
    assert len(second.context["cases"]) == 5
    assert len(client.get(reverse("queue"), {"per_page": 50}).context["cases"]) == 30


def _queries(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("queue"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_page_size(client, world):
    client.force_login(world.alice)
    flagged_case(world.corp_a)
    one_row = _queries(client, {"per_page": 25})
    for i in range(40):
        case = flagged_case(world.corp_a, previous="10")
        if i % 2:
            ContactAttemptFactory(case=case)
            case.assignee = world.alice
            case.save()
    assert _queries(client, {"per_page": 25}) == one_row
    assert _queries(client, {"per_page": 100}) == one_row


def test_team_lead_sees_bulk_assignment_caseworker_does_not(client, world):
    flagged_case(world.corp_a)
    lead = MembershipFactory(user=UserFactory(username="lead"), partner=world.corp_a, role="manager").user
    client.force_login(world.alice)
    assert 'id="bulk-assign"' not in client.get(reverse("queue")).content.decode()
    client.force_login(lead)
    body = client.get(reverse("queue")).content.decode()
    assert 'id="bulk-assign"' in body
    assert 'data-select-all="case"' in body


def test_caseworker_cannot_bulk_assign(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    response = client.post(
        reverse("queue-bulk-assign"), {"case": [case.pk], "assignee": world.alice.pk, "query": ""}, follow=True
    )
    assert "Alleen een teamleider" in response.content.decode()
    case.refresh_from_db()
    assert case.assignee is None


def test_user_without_partner_sees_an_empty_queue(client, db):
    client.force_login(UserFactory(username="nobody"))
    response = client.get(reverse("queue"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0


def test_page_numbers_out_of_range_show_the_nearest_page(client, world):
    for _ in range(30):
        flagged_case(world.corp_a)
    client.force_login(world.alice)
    past_the_end = client.get(reverse("queue"), {"page": 9})
    assert past_the_end.context["page_obj"].number == 2
    assert len(past_the_end.context["cases"]) == 5
    nonsense = client.get(reverse("queue"), {"page": "x"})
    assert nonsense.context["page_obj"].number == 1
    assert nonsense.context["page_obj"].paginator.count == 30


def test_queue_speaks_english_after_the_language_switch(client, world):
    flagged_case(world.corp_a, amount="1234.56")
    client.force_login(world.alice)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("queue")})
    body = client.get(reverse("queue")).content.decode()
    assert "<h1>Queue</h1>" in body and "1 case" in body and "Unclaimed" in body
    assert "€ 1.234,56" in body  # amounts stay Dutch-formatted in either language
