"""Reads of the outreach app, always for a user: templates of the user's own partners, letters of the
user's own partners on cases the user may see (``arrears.selectors.case_get``: 404 otherwise)."""

from django.http import Http404

from arrears import selectors as case_selectors
from outreach.models import Channel, Letter, MessageTemplate
from partners import access, audit, bounds


def templates_for(*, user):
    """The message templates of the partners whose cases the user works (caseworkers and managers)."""
    return MessageTemplate.objects.filter(partner_id__in=access.case_partner_ids_for(user)).select_related("partner")


def letter_templates_for(*, user, case):
    """The active letter templates the user may choose on this case: their own partner's, for a partner
    that is the case's corporation or holds it in its queue."""
    partners = access.case_partner_ids_for(user) & {case.corporation_id, case.queue_partner_id}
    return MessageTemplate.objects.filter(partner_id__in=partners, channel=Channel.LETTER, is_active=True)


def case_letters(*, user, case):
    """The letters on this case sent by the user's own partners (the case is visible: the caller got it
    through ``case_get``)."""
    return Letter.objects.filter(case=case, partner_id__in=access.case_partner_ids_for(user)).select_related(
        "by", "partner"
    )


def letter_get(*, user, pk, channel=""):
    """One letter with its PDF, or 404: only for a caseworker or manager of the partner that sent it
    who may still see the case. Audited: the case read (``view``) and the download (``export``)."""
    letter = Letter.objects.filter(pk=bounds.id_or_404(pk), partner_id__in=access.case_partner_ids_for(user)).first()
    if letter is None:
        raise Http404
    case = case_selectors.case_get(user=user, pk=letter.case_id, channel=channel)
    audit.record(
        user=user,
        action=audit.Action.VIEW,
        obj=letter,
        household_id=case.household_id,
        channel=channel,
    )
    audit.record(
        user=user,
        action=audit.Action.EXPORT,
        obj=letter,
        household_id=case.household_id,
        channel=channel,
        detail={"format": "pdf"},
    )
    return letter
