"""Arrears ended and the corporation's own closing outcomes (docs/adr/0093): the import marks a case whose
arrears were paid off, which then leaves the overdue tray and escalation, closes in one click (page and
API) or, when configured, by itself; a corporation closes with its own outcomes, a social service with
the DDAS final results."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears import outcomes
from arrears.forms.case import CloseForm
from arrears.models import Case, CaseEvent, Referral, Signal
from arrears.selectors.queue import queue_list
from arrears.services import cases as svc
from arrears.services.escalation import escalate_overdue
from arrears.tasks import arrears_ended_auto_close
from arrears.views.timeline import timeline_rows
from arrears.vocabularies import CorporationOutcome, FinalResult
from arrears.workflow import CaseState
from households.models import Tenancy
from partners.errors import InvalidInput
from partners.models import AuditEvent
from tests.arrears.factories import flagged_case, move_case
from tests.arrears.test_flagging import snapshot
from tests.households.factories import TenancyFactory
from tests.partners.factories import Api, MembershipFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _ended(case, days_ago):
    """The case as an import leaves it when its arrears ended ``days_ago`` days ago."""
    Signal.objects.filter(case=case).update(status=Signal.Status.CLOSED, closed_on=TODAY - dt.timedelta(days=days_ago))
    Case.objects.filter(pk=case.pk).update(arrears_ended_on=TODAY - dt.timedelta(days=days_ago))
    case.refresh_from_db()
    return case


# --- the import --------------------------------------------------------------------------------------


def test_an_import_that_clears_the_arrears_marks_the_case_and_it_leaves_overdue_and_escalation(corp, tenancy):
    worker = MembershipFactory(partner=corp, role="caseworker").user
    snapshot(corp, "2026-10-31", ("HC1", "800,00", "15-09-2026"))
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(days=30))
    assert queue_list(user=worker).get().is_overdue is True  # first contact overdue while arrears run
    imp = snapshot(corp, "2026-11-30", ("HC1", "0,00", ""))
    assert imp.summary["closed_signals"] == 1 and imp.summary["arrears_ended_cases"] == 1
    case.refresh_from_db()
    assert (case.state, case.arrears_ended_on) == (CaseState.NEW, dt.date(2026, 11, 30))
    assert queue_list(user=worker).get().is_overdue is False
    assert escalate_overdue() == 0
    case.refresh_from_db()
    assert case.escalated_at is None
    # The same case without the mark would be escalated: it is the mark that holds it back.
    Case.objects.filter(pk=case.pk).update(arrears_ended_on=None)
    assert escalate_overdue() == 1


def test_a_new_episode_clears_the_mark(corp, tenancy):
    snapshot(corp, "2026-10-31", ("HC1", "800,00", "15-09-2026"))
    snapshot(corp, "2026-11-30", ("HC1", "0,00", ""))
    case = Case.objects.get()
    case.refresh_from_db()
    assert case.arrears_ended_on == dt.date(2026, 11, 30)
    imp = snapshot(corp, "2027-01-31", ("HC1", "900,00", "01-12-2026"))
    assert imp.summary["attached_to_open_case"] == 1 and imp.summary["arrears_ended_cases"] == 0
    case.refresh_from_db()
    assert case.arrears_ended_on is None and case.signals.filter(status="open").count() == 1


def test_arrears_back_during_respite_clear_the_mark_without_a_new_episode(corp, tenancy):
    snapshot(corp, "2026-10-31", ("HC1", "800,00", "15-09-2026"))
    snapshot(corp, "2026-11-30", ("HC1", "0,00", ""))
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(respite_until=dt.date(2027, 2, 28))
    imp = snapshot(corp, "2027-01-31", ("HC1", "900,00", "01-12-2026"))
    assert imp.summary["not_escalated_respite"] == 1 and imp.summary["new_signals"] == 0
    case.refresh_from_db()
    assert case.arrears_ended_on is None  # tracked, not re-escalated, but not "cleared" either


def test_the_mark_waits_for_the_households_last_open_episode(corp, tenancy):
    TenancyFactory(household=tenancy.household, contract_number="HC2", monthly_rent="300.00")
    snapshot(corp, "2026-10-31", ("HC1", "800,00", "15-09-2026"), ("HC2", "400,00", "15-09-2026"))
    case = Case.objects.get()
    assert case.signals.count() == 2
    imp = snapshot(corp, "2026-11-30", ("HC1", "0,00", ""), ("HC2", "400,00", "15-09-2026"))
    assert imp.summary["closed_signals"] == 1 and imp.summary["arrears_ended_cases"] == 0
    case.refresh_from_db()
    assert case.arrears_ended_on is None
    snapshot(corp, "2026-12-31", ("HC1", "0,00", ""), ("HC2", "0,00", ""))
    case.refresh_from_db()
    assert case.arrears_ended_on == dt.date(2026, 12, 31)
    assert Tenancy.objects.filter(household=tenancy.household).count() == 2


# --- the page and the API ---------------------------------------------------------------------------


def test_the_case_page_and_queue_say_so_and_close_in_one_click(client, world):
    case = _ended(flagged_case(world.corp_a), days_ago=3)
    client.force_login(world.alice)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    cleared = f"Achterstand ingelopen op {case.arrears_ended_on:%d-%m-%Y}"
    assert cleared in page and 'id="close-arrears-ended"' in page
    assert 'name="corporation_outcome" value="arrears_paid"' in page
    assert cleared in client.get(reverse("queue")).content.decode()
    response = client.post(
        reverse("case-action", args=[case.pk, "close"]),
        {"corporation_outcome": "arrears_paid", "expected_version": case.version},
        follow=True,
    )
    case.refresh_from_db()
    assert (case.state, case.corporation_outcome, case.outcome) == (CaseState.CLOSED, "arrears_paid", "")
    assert "Casus gesloten met uitkomst “Achterstand betaald”." in response.content.decode()
    event = case.events.get(kind=CaseEvent.Kind.STATE, to_state=CaseState.CLOSED)
    assert event.data["corporation_outcome"] == "arrears_paid"
    assert event.data["arrears_ended_on"] == case.arrears_ended_on.isoformat()
    assert "Achterstand betaald" in client.get(reverse("case-detail", args=[case.pk])).content.decode()


def test_without_the_mark_there_is_no_one_click_close(client, world):
    case = flagged_case(world.corp_a)
    client.force_login(world.alice)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "close-arrears-ended" not in page and "Achterstand ingelopen" not in page


def test_the_social_services_one_click_closes_with_its_ddas_result(client, world):
    case = _ended(flagged_case(world.corp_a, queue_partner=world.sd, state=CaseState.TAKEN_UP), days_ago=2)
    Case.objects.filter(pk=case.pk).update(taken_up_at=timezone.now())
    client.force_login(world.charlie)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert f'name="outcome" value="{FinalResult.PAID.value}"' in page
    client.post(reverse("case-action", args=[case.pk, "close"]), {"outcome": FinalResult.PAID.value})
    case.refresh_from_db()
    assert (case.state, case.outcome, case.corporation_outcome) == (CaseState.CLOSED, FinalResult.PAID, "")


def test_the_api_takes_the_field_of_the_closers_list_and_names_the_wrong_one(world):
    case = _ended(flagged_case(world.corp_a), days_ago=1)
    url = reverse("api:case-close", args=[case.pk])
    wrong = Api(world.alice).post(url, {"outcome": FinalResult.PAID.value}, format="json")
    assert wrong.status_code == 400
    errors = wrong.json()["errors"]
    assert "corporation_outcome" in errors["outcome"][0] and "corporation_outcome" in errors
    assert Case.objects.get(pk=case.pk).is_open
    ok = Api(world.alice).post(url, {"corporation_outcome": "arrears_paid"}, format="json")
    assert ok.status_code == 200, ok.json()
    body = ok.json()
    assert (body["corporation_outcome"], body["outcome"], body["state"]) == ("arrears_paid", "", "closed")

    taken_up = flagged_case(world.corp_a, queue_partner=world.sd, state=CaseState.TAKEN_UP)
    Case.objects.filter(pk=taken_up.pk).update(taken_up_at=timezone.now())
    url = reverse("api:case-close", args=[taken_up.pk])
    wrong = Api(world.charlie).post(url, {"corporation_outcome": "arrears_paid"}, format="json")
    assert wrong.status_code == 400 and "(outcome)" in wrong.json()["errors"]["corporation_outcome"][0]
    ok = Api(world.charlie).post(url, {"outcome": FinalResult.ADVICE.value}, format="json")
    assert ok.status_code == 200 and ok.json()["outcome"] == FinalResult.ADVICE.value


# --- which list: form and service -------------------------------------------------------------------


def test_the_close_form_offers_the_closers_list(world, english):
    case = flagged_case(world.corp_a)
    corporation = CloseForm(None, case=case, partner=world.corp_a)
    assert next(iter(corporation.fields)) == "corporation_outcome"
    assert [v for v, _label in corporation.fields["corporation_outcome"].choices][1:] == CorporationOutcome.values
    social = CloseForm(None, case=case, partner=world.sd)
    assert next(iter(social.fields)) == "outcome"
    assert [v for v, _label in social.fields["outcome"].choices][1:] == FinalResult.values
    both = {"corporation_outcome": "arrears_paid", "outcome": FinalResult.PAID}
    refused = CloseForm(both, case=case, partner=world.corp_a)
    assert not refused.is_valid()
    assert "is a corporation" in refused.non_field_errors()[0]
    bad = CloseForm({"corporation_outcome": FinalResult.PAID.value}, case=case, partner=world.corp_a)
    assert not bad.is_valid() and "corporation_outcome" in bad.errors
    assert CloseForm({"corporation_outcome": "moved_out"}, case=case, partner=world.corp_a).is_valid()
    assert CloseForm({"outcome": FinalResult.NO_CONTACT}, case=case, partner=world.sd).is_valid()


def test_the_service_refuses_the_other_list_with_a_specific_error(world, english):
    case = flagged_case(world.corp_a)
    with pytest.raises(InvalidInput, match=r"is a corporation.*\(corporation_outcome\)"):
        svc.case_close(case=case, by=world.alice, outcome=FinalResult.PAID)
    with pytest.raises(InvalidInput, match="Outcome is required"):
        svc.case_close(case=case, by=world.alice)
    with pytest.raises(InvalidInput, match="not one of the corporation's outcomes"):
        svc.case_close(case=case, by=world.alice, corporation_outcome="paid")
    taken_up = flagged_case(world.corp_a, queue_partner=world.sd, state=CaseState.TAKEN_UP)
    Case.objects.filter(pk=taken_up.pk).update(taken_up_at=timezone.now())
    with pytest.raises(InvalidInput, match=r"is a social service.*\(outcome\)"):
        svc.case_close(case=taken_up, by=world.charlie, corporation_outcome="arrears_paid")
    with pytest.raises(InvalidInput, match="not one of the DDAS final results"):
        svc.case_close(case=taken_up, by=world.charlie, outcome="arrears_paid")
    assert Case.objects.filter(state=CaseState.CLOSED).count() == 0


def test_the_ddas_meaning_is_mapped_once():
    assert outcomes.ddas_result(outcome="", corporation_outcome="arrears_paid") == FinalResult.PAID
    assert outcomes.ddas_result(outcome="", corporation_outcome="arrangement_kept") == FinalResult.PAID
    assert outcomes.ddas_result(outcome="", corporation_outcome="deceased") == FinalResult.DECEASED
    for none in ("moved_out", "tenancy_ended", "handed_to_social_service", "eviction_executed"):
        assert outcomes.ddas_result(outcome="", corporation_outcome=none) == ""
    assert outcomes.ddas_result(outcome=FinalResult.ADVICE, corporation_outcome="") == FinalResult.ADVICE
    assert not set(CorporationOutcome.values) & set(FinalResult.values)  # one dict of counts holds both


# --- closing itself ---------------------------------------------------------------------------------


def _auto_close_world(world):
    corp_a, sd = world.corp_a, world.sd
    cases = {
        "due": _ended(flagged_case(corp_a), days_ago=31),
        "claimed": _ended(flagged_case(corp_a, state=CaseState.IN_PROGRESS, assignee=world.alice), days_ago=40),
        "too_recent": _ended(flagged_case(corp_a), days_ago=10),
        "social_service": _ended(flagged_case(corp_a, queue_partner=sd, state=CaseState.SIGNALLED), days_ago=60),
        "respite": _ended(flagged_case(corp_a, respite_until=TODAY + dt.timedelta(days=5)), days_ago=60),
        "referral": _ended(flagged_case(corp_a), days_ago=60),
        "new_episode": _ended(flagged_case(corp_a), days_ago=60),
        "running": flagged_case(corp_a),
    }
    Referral.objects.create(case=cases["referral"], from_partner=corp_a, to_partner=sd, consent_on=TODAY)
    Signal.objects.filter(case=cases["new_episode"]).update(status="open", closed_on=None)
    move_case(cases["social_service"])
    return cases


def test_auto_close_is_off_by_default(world, settings):
    assert settings.TIJDIG["AUTO_CLOSE_ARREARS_ENDED_AFTER_DAYS"] is None
    cases = _auto_close_world(world)
    assert arrears_ended_auto_close() == {"closed": 0}
    assert Case.objects.filter(state=CaseState.CLOSED).count() == 0
    assert len(cases) == Case.objects.count()


def test_auto_close_closes_only_cases_still_with_the_corporation_after_n_days(world, settings, english):
    settings.TIJDIG = {**settings.TIJDIG, "AUTO_CLOSE_ARREARS_ENDED_AFTER_DAYS": 30}
    cases = _auto_close_world(world)
    assert arrears_ended_auto_close() == {"closed": 2}
    closed = set(Case.objects.filter(state=CaseState.CLOSED).values_list("pk", flat=True))
    assert closed == {cases["due"].pk, cases["claimed"].pk}
    case = Case.objects.get(pk=cases["due"].pk)
    assert (case.corporation_outcome, case.outcome, case.closed_at is not None) == ("arrears_paid", "", True)
    assert case.ddas_result == FinalResult.PAID and case.version == cases["due"].version + 1
    event = case.events.get(kind=CaseEvent.Kind.STATE)
    assert (event.from_state, event.to_state, event.actor, event.partner) == ("new", "closed", None, world.corp_a)
    assert event.reason.startswith("Closed automatically: the arrears were cleared on ")
    assert "within 30 days" in event.reason and event.data["auto_closed"] is True
    audit = AuditEvent.objects.get(object_type="arrears.Case", object_id=str(case.pk), action="change")
    assert audit.user is None and audit.detail == {"closed": "arrears_paid", "auto_closed": True}
    assert arrears_ended_auto_close() == {"closed": 0}  # twice closes nothing twice
    # The timeline words it as a close by itself.
    (row,) = [r for r in timeline_rows([event]) if r.event.pk == event.pk]
    assert row.detail == "Arrears paid (closed automatically)"
