"""Message templates: named placeholders validated on save (model, admin), rendered without running code,
the lawful default set, and a partner admin editing only their own partner's templates."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outreach import defaults, placeholders
from outreach.models import Channel, MessageTemplate, Purpose
from outreach.services import outreach_defaults_install
from tests.partners.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_placeholder_is_refused_with_its_name(world, english):
    template = MessageTemplate(
        partner=world.corp_a, name="Test", subject="Over {foo}", body="Beste {household_name} {bar }"
    )
    with pytest.raises(ValidationError) as error:
        template.save()
    assert error.value.message_dict == {"subject": ["Unknown field {foo}"], "body": ["Unknown field {bar}"]}
    assert not MessageTemplate.objects.exists()


def test_known_placeholders_are_rendered_and_nothing_else_runs():
    text = "Beste {household_name}, {household_name.__class__} {{ household_name }} {% now 'Y' %} {{}}"
    assert placeholders.unknown(text) == ["household_name.__class__", "% now 'Y' %", ""]
    rendered = placeholders.render("Beste {household_name}, op {today}: {arrears_amount}", {"household_name": "J"})
    assert rendered == "Beste J, op : "
    # Django template syntax is plain text here: never evaluated.
    assert placeholders.render("{% now 'Y' %}", {}) == "{% now 'Y' %}"


def test_every_default_uses_only_known_placeholders():
    for default in defaults.DEFAULTS:
        assert placeholders.unknown(default.subject) == [], default.name
        assert placeholders.unknown(default.body) == [], default.name
        assert placeholders.used(default.body), default.name  # a default that personalises nothing is wrong


def test_the_art2_reminder_points_to_debt_help_offers_to_share_and_says_how_to_object():
    body = defaults.ART2_REMINDER.body.lower()
    assert "schuldhulp" in body and "{debt_help_contact}" in body  # points to debt help, with whom
    assert re.search(r"aan(bieden| te bieden)? om uw .* door te geven aan de gemeente", body)  # offers to pass on
    assert "bezwaar maken" in body and re.search(r"binnen \d+ dagen", body)  # how (and when) to object
    assert defaults.ART2_REMINDER.purpose == Purpose.ART2_REMINDER


def test_defaults_install_once_per_partner_kind(world):
    made = outreach_defaults_install(world.corp_a)
    assert {t.purpose for t in made} == {
        Purpose.ART2_REMINDER,
        Purpose.VISIT_CARD,
        Purpose.RESPITE_CONFIRMATION,
    }
    assert {t.purpose for t in outreach_defaults_install(world.sd)} == {Purpose.INVITATION, Purpose.VISIT_CARD}
    edited = MessageTemplate.objects.get(partner=world.corp_a, purpose=Purpose.ART2_REMINDER)
    edited.body = "Eigen tekst, {household_name}"
    edited.save()
    assert outreach_defaults_install(world.corp_a) == []  # again: nothing new, the edit kept
    edited.refresh_from_db()
    assert edited.body == "Eigen tekst, {household_name}"
    assert all(t.channel == Channel.LETTER and t.language == "nl" for t in MessageTemplate.objects.all())


@pytest.fixture
def admin_a(world):
    user = UserFactory(username="corp-a-admin", is_staff=True)
    MembershipFactory(user=user, partner=world.corp_a, role="admin")
    return user


def test_a_partner_admin_edits_only_own_templates_and_an_unknown_placeholder_is_refused(client, world, admin_a):
    outreach_defaults_install(world.corp_a)
    outreach_defaults_install(world.corp_b)
    client.force_login(admin_a)
    listing = client.get(reverse("admin:outreach_messagetemplate_changelist"))
    assert listing.status_code == 200
    shown = set(listing.context["cl"].queryset.values_list("partner_id", flat=True))
    assert shown == {world.corp_a.pk}
    foreign = MessageTemplate.objects.filter(partner=world.corp_b).first()
    assert client.get(reverse("admin:outreach_messagetemplate_change", args=[foreign.pk])).status_code == 302
    own = MessageTemplate.objects.get(partner=world.corp_a, purpose=Purpose.VISIT_CARD)
    data = {
        "partner": world.corp_a.pk,
        "channel": "letter",
        "purpose": "visit_card",
        "language": "nl",
        "name": own.name,
        "subject": own.subject,
        "body": "Beste {household_name}, bel {telefoon}",
        "is_active": "on",
    }
    response = client.post(reverse("admin:outreach_messagetemplate_change", args=[own.pk]), data)
    assert response.status_code == 200
    assert "{telefoon}" in response.content.decode()
    own.refresh_from_db()
    assert "{telefoon}" not in own.body
    data["body"] = "Beste {household_name}, wij kwamen langs op {today}."
    response = client.post(reverse("admin:outreach_messagetemplate_change", args=[own.pk]), data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.body == data["body"]


def test_the_refusal_of_an_unknown_placeholder_reads_in_dutch(world):
    template = MessageTemplate(partner=world.corp_a, name="Test", body="Beste {naam}")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert error.value.message_dict["body"] == ["Onbekend veld {naam}"]
