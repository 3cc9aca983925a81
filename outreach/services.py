"""Writes of the outreach app: the default templates and sending a letter (docs/adr/0095).

A letter is case work: :func:`letter_send` records it through the arrears services (a contact attempt
of kind *Brief*; for the art. 2 reminder the checklist's "reminder sent" and "offered to share" steps),
so who may send, the timeline, the audit trail and the checklist's routing are the arrears rules, not
copies of them. One transaction: the letter, its attempt and its steps are kept together or not at all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears import disclosure
from arrears.models import Case, Signal
from arrears.services import base
from arrears.services import cases as case_services
from arrears.vocabularies import ContactKind
from outreach import defaults, pdf, placeholders
from outreach.models import Channel, Letter, MessageTemplate, Purpose
from partners import audit
from partners.errors import NotAllowed
from partners.models import Partner

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Purposes that are collection steps: refused while the household is in respite.
COLLECTION_PURPOSES = frozenset({Purpose.ART2_REMINDER})
#: The checklist steps a sent art. 2 reminder takes (Besluit art. 2; ``arrears/checklist.py``).
ART2_STEPS = ("reminder_sent", "offered_to_share")


def outreach_defaults_install(partner: Partner) -> list[MessageTemplate]:
    """Create the partner's default templates (``outreach.defaults``) it does not have yet (by name):
    safe to run again; a template the partner edited is left as it is. Returns the ones created."""
    made = []
    for default in defaults.defaults_for(corporation=partner.is_corporation):
        template, created = MessageTemplate.objects.get_or_create(
            partner=partner,
            channel=defaults.CHANNEL,
            name=default.name,
            defaults={"purpose": default.purpose, "subject": default.subject, "body": default.body},
        )
        if created:
            made.append(template)
    return made


def _euros(amount: Decimal) -> str:
    whole, cents = f"{amount:,.2f}".split(".")
    return f"€ {whole.replace(',', '.')},{cents}"


def placeholder_values(*, case: Case, by: User, partner: Partner, date: dt.date) -> dict[str, str]:
    """The placeholders' values for this case as ``by`` may see it (``arrears.disclosure``): a field the
    sender may not see stays empty. Partners record no phone or e-mail yet: those stay empty too."""
    visible = disclosure.visible_fields(user=by, case=case)
    household = case.household
    values = dict.fromkeys(placeholders.PLACEHOLDERS, "")
    if "name" in visible:
        values["household_name"] = household.name
    if "street" in visible:
        number = f"{household.house_number or ''}{household.house_number_suffix}".strip()
        values["address"] = f"{household.street} {number}".strip()
    if "postcode" in visible:
        values["postcode"] = household.postcode
    if "city" in visible:
        values["city"] = household.city
    signals = list(Signal.objects.filter(case=case).order_by("-opened_on", "-pk"))
    if signals and "amount" in visible:
        values["arrears_amount"] = _euros(signals[0].amount)
    if signals and "origin_date" in visible:
        values["arrears_since"] = min(s.origin_date for s in signals).strftime("%d-%m-%Y")
    values["today"] = date.strftime("%d-%m-%Y")
    values["caseworker_name"] = by.get_full_name() or by.get_username()
    values["partner_name"] = partner.name
    if household.municipality_id:
        services = Partner.objects.filter(
            kind=Partner.Kind.SOCIAL_SERVICE, is_active=True, municipalities=household.municipality_id
        ).order_by("name")
        values["debt_help_contact"] = ", ".join(services.values_list("name", flat=True))
    return values


def letter_refusal(*, case: Case, partner: Partner, template: MessageTemplate, today: dt.date) -> str | None:
    """Why ``template`` cannot be sent as a letter on ``case`` by ``partner`` now, or ``None``."""
    if template.partner_id != partner.pk:
        return _("The template “%(name)s” is not one of %(partner)s's.") % {"name": template.name, "partner": partner}
    if not template.is_active:
        return _("The template “%(name)s” is not active.") % {"name": template.name}
    if template.channel != Channel.LETTER:
        return _("The template “%(name)s” is for %(channel)s, not for a letter.") % {
            "name": template.name,
            "channel": template.get_channel_display(),
        }
    if template.purpose == Purpose.ART2_REMINDER and case.objection_on:
        return _("The tenant objected on %(date)s: the art. 2 reminder no longer applies.") % {
            "date": case.objection_on.strftime("%d-%m-%Y")
        }
    if template.purpose in COLLECTION_PURPOSES and case.in_respite(today):
        return _("The household is in respite until %(date)s: no collection letter during respite.") % {
            "date": case.respite_until.strftime("%d-%m-%Y") if case.respite_until else ""
        }
    return None


def letter_preview(*, case: Case, by: User, template: MessageTemplate, date: dt.date | None = None) -> tuple[str, str]:
    """The subject and text as they would be sent (nothing is stored)."""
    partner = base.acting_partner(case, by)
    values = placeholder_values(case=case, by=by, partner=partner, date=date or timezone.localdate())
    return placeholders.render(template.subject, values), placeholders.render(template.body, values)


@transaction.atomic
def letter_send(*, case: Case | int, by: User, template: MessageTemplate, date: dt.date | None = None) -> Letter:
    """Send ``template`` as a letter on ``case``: render it for what ``by`` may see, make its PDF, keep
    both, record the contact attempt (kind *Brief*, not reached) and, for the art. 2 reminder, the
    checklist's two steps with the letter as evidence. :class:`NotAllowed` with the reason when the
    template does not apply (``letter_refusal``) or ``by`` may not work the case."""
    case = base.lock_case(case)
    partner = base.acting_partner(case, by)
    base.require_open(case)
    today = timezone.localdate()
    date = base.past_or_today(date or today, _("Date"))
    refusal = letter_refusal(case=case, partner=partner, template=template, today=today)
    if refusal:
        raise NotAllowed(refusal)
    art2 = template.purpose == Purpose.ART2_REMINDER
    if art2:
        case_services.checklist_check(case=case, by=by)  # the corporation, in its own queue: before anything is kept
    values = placeholder_values(case=case, by=by, partner=partner, date=date)
    subject, text = placeholders.render(template.subject, values), placeholders.render(template.body, values)
    recipient = [values["household_name"], values["address"], f"{values['postcode']} {values['city']}".strip()]
    attempt = case_services.contact_attempt_record(
        case=case.pk, by=by, kind=ContactKind.LETTER, reached=False, date=date, outcome=template.name[:500]
    )
    letter = Letter.objects.create(
        case=case,
        partner=partner,
        template=template,
        channel=template.channel,
        purpose=template.purpose,
        date=date,
        subject=subject,
        text=text,
        pdf=pdf.render_pdf(sender=partner.name, recipient=recipient, date=date, subject=subject, text=text),
        contact_attempt=attempt,
        by=by,
    )
    audit.record(
        user=by,
        action=audit.Action.CREATE,
        obj=letter,
        household_id=case.household_id,
        partner=partner,
        detail={"template": template.pk, "purpose": template.purpose},
    )
    if art2:
        case_services.checklist_record_steps(
            case=case.pk, by=by, steps=dict.fromkeys(ART2_STEPS, date), evidence={"letter_id": letter.pk}
        )
    return letter


def letters_purge() -> int:
    """Delete the letters of anonymised cases (the retention purge, ``privacy.services.retention``, keeps
    the anonymised case row; the letter's text and PDF are personal data). Idempotent. Returns the count."""
    return Letter.objects.filter(case__anonymised_at__isnull=False).delete()[0]
