import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from arrears import selectors as sel
from arrears.case_access import Level
from arrears.disclosure import SIGNAL_HOUSEHOLD_FIELDS, fields_for
from arrears.selectors.queue import home_figures
from arrears.services import cases as case_services
from arrears.services.notes import note_record
from arrears.vocabularies import ContactKind
from arrears.workflow import CaseState
from partners.models import AuditEvent
from tests.arrears.factories import CaseFactory, SignalFactory, checklist_done
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_case_get_audits_the_read_and_hides_others_as_404(world, flagged):
    case = flagged(world.corp_a)
    assert sel.case_get(user=world.alice, pk=case.pk, channel="page:case") == case
    event = AuditEvent.objects.get()
    assert (event.user, event.partner, event.action, event.object_type, event.object_id, event.household_id) == (
        world.alice,
        world.corp_a,
        "view",
        "arrears.Case",
        str(case.pk),
        case.household_id,
    )
    assert event.channel == "page:case"
    for user, pk in ((world.bob, case.pk), (world.charlie, case.pk), (world.alice, 999999), (world.alice, "x")):
        with pytest.raises(Http404):
            sel.case_get(user=user, pk=pk)
    assert AuditEvent.objects.count() == 1  # refused reads leave no trace of the household


def test_household_get_in_full_only_after_take_up(world, flagged):
    case = flagged(world.corp_a, queue_partner=world.sd)
    assert sel.household_get(user=world.alice, pk=case.household_id) == case.household
    with pytest.raises(Http404):
        sel.household_get(user=world.charlie, pk=case.household_id)
    assert sel.visible_household_fields(user=world.charlie, case=case) == fields_for(Level.WORK)
    assert sel.visible_household_fields(user=world.alice, case=case) == fields_for(Level.FULL)
    assert sel.visible_household_fields(user=world.bob, case=case) == frozenset()
    case_services.case_take_up(case=case, by=world.charlie)
    assert sel.household_get(user=world.charlie, pk=case.household_id) == case.household
    assert sel.visible_household_fields(user=world.charlie, case=case) == fields_for(Level.FULL)
    assert AuditEvent.objects.filter(action="view", object_type="households.Household").count() == 2
    with pytest.raises(Http404):
        sel.household_get(user=world.bob, pk=case.household_id)


def test_signal_fields_are_the_ddas_client_fields():
    assert {"initials", "surname_prefix", "surname", "date_of_birth", "street", "postcode", "house_number"} <= set(
        SIGNAL_HOUSEHOLD_FIELDS
    )
    assert "tenancies" not in SIGNAL_HOUSEHOLD_FIELDS and "arrears" not in SIGNAL_HOUSEHOLD_FIELDS


def test_corporation_never_reads_the_social_services_private_notes(world, flagged):
    case = flagged(world.corp_a, queue_partner=world.sd, state=CaseState.TAKEN_UP)
    private = note_record(case=case, by=world.charlie, text="Schulden bij drie partijen")
    shared = note_record(case=case, by=world.charlie, text="Hulp opgepakt", shareable=True)
    own = note_record(case=case, by=world.alice, text="Eigen aantekening")
    case_services.contact_attempt_record(
        case=case, by=world.charlie, kind=ContactKind.PHONE, reached=True, date=TODAY, outcome="Gesproken met mevrouw"
    )
    assert list(sel.case_notes(user=world.alice, case=case)) == [shared, own]
    assert list(sel.case_notes(user=world.charlie, case=case)) == [private, shared]
    timeline = sel.case_timeline(user=world.alice, case=case)
    texts = [e.note.text for e in timeline if e.note]
    assert texts == ["Hulp opgepakt", "Eigen aantekening"]
    hidden = [e for e in timeline if e.redacted]
    assert [e.kind for e in hidden] == ["note", "contact"]
    assert all(e.data == {} and e.reason == "" for e in hidden)
    assert "Gesproken" not in str([e.data for e in timeline])
    assert sel.case_contact_attempts(user=world.alice, case=case).count() == 0
    assert sel.case_contact_attempts(user=world.charlie, case=case).count() == 1
    assert not any(e.redacted for e in sel.case_timeline(user=world.charlie, case=case) if e.partner == world.sd)
    with pytest.raises(Http404):
        sel.case_timeline(user=world.bob, case=case)


def test_social_service_sees_the_corporations_contact_attempts_once_it_took_the_signal_up(world, flagged):
    """Before take-up a signal carries no contact history (docs/adr/0025): the corporation's contact
    attempt is not on the timeline at all (docs/adr/0091: not even that it happened) and missing from the
    list; after take-up both are there."""
    case = flagged(world.corp_a, **checklist_done())
    case_services.contact_attempt_record(case=case, by=world.alice, kind=ContactKind.PHONE, reached=False, date=TODAY)
    case = case_services.case_reroute(case=case, by=world.alice, to_partner=world.sd, reason="Direct doorsturen")
    assert sel.case_contact_attempts(user=world.charlie, case=case).count() == 0
    before = sel.case_timeline(user=world.charlie, case=case)
    assert "contact" not in [e.kind for e in before] and not [e for e in before if e.redacted]
    # what it does see of the corporation: the routing that made the case a signal to it
    assert [(e.kind, e.to_state) for e in before if e.partner == world.corp_a] == [("routed", "signalled")]
    case = case_services.case_take_up(case=case, by=world.charlie)
    assert sel.case_contact_attempts(user=world.charlie, case=case).count() == 1
    assert not [e for e in sel.case_timeline(user=world.charlie, case=case) if e.redacted]


def test_lists_count_exactly_the_visible_set(world, flagged, people):
    own = [flagged(world.corp_a) for _ in range(3)]
    signalled = flagged(world.corp_a, queue_partner=world.sd)
    flagged(world.corp_b)
    flagged(world.corp_b, queue_partner=world.sd)
    CaseFactory(household=HouseholdFactory(corporation=world.corp_a), grant_access=False)  # nobody granted
    expected = {
        world.alice: {*own, signalled},
        people["corp_a", "manager"]: {*own, signalled},
        people["corp_a", "admin"]: set(),
        world.bob: 2,
        world.charlie: 2,
        people["sd", "manager"]: 2,
        people["sd", "admin"]: set(),
    }
    for user, visible in expected.items():
        listed = sel.case_list(user=user)
        if isinstance(visible, set):
            assert set(listed) == visible, user
        assert listed.count() == (len(visible) if isinstance(visible, set) else visible), user
    assert sel.queue_for(user=world.alice, partner=world.corp_a).count() == 3
    assert sel.queue_for(user=world.charlie, partner=world.sd).count() == 2
    assert sel.household_list(user=world.charlie).count() == 0
    assert sel.household_list(user=world.alice).count() == 4


def test_home_figures_count_the_users_cases(world, flagged):
    case = flagged(world.corp_a, queue_partner=world.sd, respite_until=TODAY + dt.timedelta(days=1))
    flagged(world.corp_a, respite_until=TODAY - dt.timedelta(days=1))  # respite over
    SignalFactory(household=case.household, tenancy__household=case.household)
    assert home_figures(user=world.alice, social_service=False)["in_respite"]["count"] == 1
    assert home_figures(user=world.charlie, social_service=True)["open_cases"]["count"] == 1


def test_assignable_users_for_managers_only(world, people):
    manager = people["sd", "manager"]
    assert set(sel.assignable_users(user=manager, partner=world.sd)) == {world.charlie, manager}
    assert sel.assignable_users(user=world.charlie, partner=world.sd).count() == 0
    assert sel.assignable_users(user=manager, partner=world.corp_a).count() == 0
