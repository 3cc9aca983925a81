import pytest
from django.core import mail
from django.urls import reverse

from partners import audit
from partners.models import Agreement, AuditEvent, RoutingRule
from tests.partners.factories import MembershipFactory, RoutingRuleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(world):
    user = UserFactory(username="corp-a-admin", is_staff=True)
    MembershipFactory(user=user, partner=world.corp_a, role="admin")
    return user


def _form(agreement, **extra):
    data = {
        "default_destination": agreement.default_destination,
        "late_after_days": "100",
        "contact_deadline_working_days": "5",
        "take_up_deadline_working_days": "10",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-position": "1",
        "rules-0-name": "Meer dan 100 dagen",
        "rules-0-is_active": "on",
        "rules-0-threshold_match": "any",
        "rules-0-min_days_overdue": "101",
        "rules-0-crisis": "unknown",
        "rules-0-checklist_complete": "unknown",
        "rules-0-destination": "social_service",
        "rules-0-mark_late": "on",
    }
    data.update(extra)
    return data


def test_partner_admin_edits_only_own_agreements_rules(client, world, admin_a):
    own = world.corp_a.agreements.get()
    foreign = world.corp_b.agreements.get()
    client.force_login(admin_a)
    listing = client.get(reverse("admin:partners_agreement_changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [own]
    # another corporation's agreement is treated as not existing
    response = client.get(reverse("admin:partners_agreement_change", args=[foreign.pk]))
    assert response.status_code == 302
    assert client.post(reverse("admin:partners_agreement_change", args=[foreign.pk]), _form(foreign)).status_code == 302
    assert not foreign.rules.exists()
    assert client.get(reverse("admin:partners_agreement_add")).status_code == 403
    # own agreement: the pair is read-only, the rules and deadlines are editable
    page = client.get(reverse("admin:partners_agreement_change", args=[own.pk]))
    assert page.status_code == 200
    assert "social_service" not in page.context["adminform"].form.fields
    response = client.post(reverse("admin:partners_agreement_change", args=[own.pk]), _form(own, late_after_days="90"))
    assert response.status_code == 302, response.context and response.context["errors"]
    rule = RoutingRule.objects.get(agreement=own)
    assert (rule.min_days_overdue, rule.mark_late) == (101, True)
    assert Agreement.objects.get(pk=own.pk).late_after_days == 90
    logged = set(AuditEvent.objects.filter(channel="admin").values_list("object_type", "action"))
    assert logged == {("partners.Agreement", "change"), ("partners.RoutingRule", "create")}


def test_a_late_corporation_rule_is_refused_in_the_admin(client, world, admin_a):
    own = world.corp_a.agreements.get()
    client.force_login(admin_a)
    response = client.post(
        reverse("admin:partners_agreement_change", args=[own.pk]), _form(own, **{"rules-0-destination": "corporation"})
    )
    assert response.status_code == 200
    assert not RoutingRule.objects.exists()


def test_caseworkers_have_no_admin(client, world):
    world.alice.is_staff = True
    world.alice.save()
    client.force_login(world.alice)
    assert client.get(reverse("admin:partners_agreement_changelist")).status_code == 403


def test_audit_log_is_read_only_and_scoped_to_the_partner(client, world, admin_a):
    own = audit.record(user=world.alice, action="view", obj=world.corp_a.agreements.get(), channel="page")
    audit.record(user=world.bob, action="view", obj=world.corp_b.agreements.get(), channel="page")
    client.force_login(admin_a)
    listing = client.get(reverse("admin:partners_auditevent_changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [own]
    change = client.get(reverse("admin:partners_auditevent_change", args=[own.pk]))
    assert change.status_code == 200 and b'name="_save"' not in change.content
    assert client.post(reverse("admin:partners_auditevent_delete", args=[own.pk]), {"post": "yes"}).status_code == 403


def test_audit_record_without_a_user_is_the_system(world):
    event = audit.record(user=None, action="change", obj=world.corp_a, detail={"x": 1})
    assert (event.username, event.user, event.partner, event.household_id) == ("system", None, None, None)
    assert audit.record_many(user=world.alice, action="export", object_type="arrears.Case", rows=[(1, 2), (3, 4)]) == 2
    assert AuditEvent.objects.filter(action="export", partner=world.corp_a).count() == 2


# --- Who changes the rules (docs/adr/0024) ----------------------------------------------------------


@pytest.fixture
def sd_admin(world):
    user = UserFactory(username="sd-admin", is_staff=True, email="sd-admin@example.org")
    MembershipFactory(user=user, partner=world.sd, role="admin")
    return user


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _rule_form(agreement, rule, **extra):
    """The change form of ``agreement`` with its one existing ``rule``."""
    data = _form(
        agreement, **{"rules-INITIAL_FORMS": "1", "rules-0-id": str(rule.pk), "rules-0-agreement": str(agreement.pk)}
    )
    data.update(extra)
    return data


def test_the_social_service_admin_reads_the_corporations_rules_but_cannot_change_them(client, world, sd_admin):
    agreement = world.corp_a.agreements.get()
    rule = RoutingRuleFactory(agreement=agreement, position=1, name="Twee maanden", min_months_of_rent=2)
    client.force_login(sd_admin)
    listing = client.get(reverse("admin:partners_agreement_changelist"))
    assert set(listing.context["cl"].result_list) == set(world.sd.received_agreements.all())
    page = client.get(reverse("admin:partners_agreement_change", args=[agreement.pk]))
    assert page.status_code == 200 and b"Twee maanden" in page.content
    assert not page.context["has_change_permission"] and b'name="_save"' not in page.content
    # the gate that decides what is disclosed to it is not its to widen: a POST is refused, nothing changes
    response = client.post(
        reverse("admin:partners_agreement_change", args=[agreement.pk]),
        _rule_form(agreement, rule, **{"rules-0-min_months_of_rent": "0.5", "late_after_days": "10"}),
    )
    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.min_months_of_rent == 2 and Agreement.objects.get(pk=agreement.pk).late_after_days == 100
    assert client.get(reverse("admin:partners_agreement_add")).status_code == 403
    assert (
        client.post(reverse("admin:partners_agreement_delete", args=[agreement.pk]), {"post": "yes"}).status_code == 403
    )


def test_the_corporation_changes_its_rules_and_the_social_service_is_told(
    client, world, admin_a, sd_admin, django_capture_on_commit_callbacks
):
    agreement = world.corp_a.agreements.get()
    rule = RoutingRuleFactory(agreement=agreement, position=1, name="Twee maanden", min_months_of_rent=2)
    client.force_login(admin_a)
    url = reverse("admin:partners_agreement_change", args=[agreement.pk])
    fields = {"rules-0-name": "Twee maanden", "rules-0-min_days_overdue": "", "rules-0-mark_late": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _rule_form(agreement, rule, **fields, **{"rules-0-min_months_of_rent": "3"}))
    assert response.status_code == 302, response.context and response.context["errors"]
    rule.refresh_from_db()
    assert rule.min_months_of_rent == 3
    assert [message.to for message in mail.outbox] == [["sd-admin@example.org"]]
    assert "Twee maanden" in mail.outbox[0].body and "corp-a-admin" in mail.outbox[0].body
    # saved without a change: nobody is told
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _rule_form(agreement, rule, **fields, **{"rules-0-min_months_of_rent": "3.00"}))
    assert mail.outbox == []


def test_only_the_platform_administrator_binds_the_pair(client, world, admin_a, root):
    other = world.corp_b.agreements.get()
    client.force_login(admin_a)
    page = client.get(reverse("admin:partners_agreement_change", args=[world.corp_a.agreements.get().pk]))
    assert {"corporation", "municipality", "social_service"}.isdisjoint(page.context["adminform"].form.fields)
    assert client.get(reverse("admin:partners_agreement_add")).status_code == 403
    client.force_login(root)
    assert client.get(reverse("admin:partners_agreement_add")).status_code == 200
    page = client.get(reverse("admin:partners_agreement_change", args=[other.pk]))
    assert {"corporation", "municipality", "social_service"} <= set(page.context["adminform"].form.fields)


def test_a_rule_that_would_signal_without_the_checklist_is_refused_in_the_admin(client, world, admin_a, root):
    own = world.corp_a.agreements.get()
    for user in (admin_a, root):  # the platform administrator cannot either
        client.force_login(user)
        response = client.post(
            reverse("admin:partners_agreement_change", args=[own.pk]),
            _form(own, **{"rules-0-checklist_complete": "false", "rules-0-mark_late": ""}),
        )
        assert response.status_code == 200
        assert "Besluit art. 2" in str(response.context["inline_admin_formsets"][0].formset.errors)
        assert not RoutingRule.objects.exists()
    # a rule that keeps the case with the corporation while the checklist is incomplete is fine
    client.force_login(admin_a)
    response = client.post(
        reverse("admin:partners_agreement_change", args=[own.pk]),
        _form(
            own,
            **{"rules-0-checklist_complete": "false", "rules-0-destination": "corporation", "rules-0-mark_late": ""},
        ),
    )
    assert response.status_code == 302


def test_the_default_switch_is_gone_from_the_admin(client, world, admin_a):
    client.force_login(admin_a)
    page = client.get(reverse("admin:partners_agreement_change", args=[world.corp_a.agreements.get().pk]))
    assert "default_requires_checklist" not in page.context["adminform"].form.fields
    assert not hasattr(Agreement(), "default_requires_checklist")


def test_every_field_of_an_inline_row_has_a_name(client, world, admin_a):
    """A tabular inline puts its fields under column headings with no <label>: each visible field gets
    its heading and row as its accessible name (``LabelledInlineFormSet``, docs/accessibility.md), the
    empty row that "add another" copies too."""
    import re

    agreement = world.corp_a.agreements.get()
    RoutingRuleFactory(agreement=agreement, name="Hoge achterstand")
    client.force_login(admin_a)
    html = client.get(reverse("admin:partners_agreement_change", args=[agreement.pk])).content.decode()
    fields = re.findall(r'<(?:input|select|textarea)\b[^>]*name="rules-(?:0|__prefix__)-[^"]*"[^>]*>', html)
    visible = [tag for tag in fields if 'type="hidden"' not in tag]
    assert len(visible) >= 2 * 11  # eleven fields in each of the two rows (and the delete box in the first)
    unnamed = [tag for tag in visible if "aria-label=" not in tag]
    assert unnamed == []
    assert 'aria-label="Naam (routeringsregel 1)"' in html  # the UI's default language, Dutch
    assert 'aria-label="Naam (routeringsregel, nieuw)"' in html
