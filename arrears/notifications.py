"""E-mail notices about a case: a respite granted, extended, ended or about to end, an escalation. They
name the case number and a date, never personal data, and go to the case's assignee and the managers of
the partners concerned (a respite granted, extended or ended: to the corporation's caseworkers; a
respite it did not confirm in time: to its managers).
Sent by a Celery task after the transaction that caused them commits."""

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from arrears.models import Case, Note
from partners.models import Role, member_emails

RESPITE_ENDING = "respite_ending"
#: The social service granted, extended or ended a respite: the corporation's caseworkers are told (docs/adr/0082).
RESPITE_CHANGED = "respite_changed"
#: Nobody at the corporation confirmed a respite in time: its managers are told (docs/adr/0082).
RESPITE_UNACKNOWLEDGED = "respite_unacknowledged"
ESCALATED = "escalated"
#: The eviction track's alerts (``services.eviction_alerts``): an eviction soon without contact; its date passed.
EVICTION_SOON = "eviction_soon"
EVICTION_PASSED = "eviction_passed"
#: The task that sends them, looked up by its Celery name: ``arrears.tasks`` imports the services that
#: call :func:`notify_later` (and this module), so this module does not import it back.
#: ``ArrearsConfig.ready`` (``arrears/apps.py``) imports the tasks, so the name is registered in every process.
NOTIFY_TASK = "arrears.tasks.notify_cases"


def notify_later(*, case_ids, kind) -> None:
    ids = list(case_ids)
    transaction.on_commit(lambda: current_app.tasks[NOTIFY_TASK].delay(ids, kind))


def _message(case, kind):
    if kind == RESPITE_ENDING:
        subject = _("Tijdig: respite for case %(case)s ends on %(date)s") % {
            "case": case,
            "date": date_format(case.respite_until, "d-m-Y"),
        }
        body = _(
            "The respite for case %(case)s ends on %(date)s. Open the case in Tijdig to extend it or to "
            "resume collection."
        ) % {"case": case, "date": date_format(case.respite_until, "d-m-Y")}
        partner_ids = {case.queue_partner_id, case.corporation_id}
    elif kind == RESPITE_CHANGED:
        if case.respite_until is not None:
            values = {"case": case, "date": date_format(case.respite_until, "d-m-Y")}
            subject = _("Tijdig: respite for case %(case)s until %(date)s") % values
            body = (
                _(
                    "The social service granted respite for case %(case)s until %(date)s. Pause collection and "
                    "confirm it on the case in Tijdig."
                )
                % values
            )
        else:
            subject = _("Tijdig: respite for case %(case)s has ended") % {"case": case}
            body = _("The social service ended the respite for case %(case)s. Open the case in Tijdig.") % {
                "case": case
            }
        partner_ids = {case.corporation_id}
    elif kind == RESPITE_UNACKNOWLEDGED:
        values = {"case": case, "date": date_format(case.respite_until, "d-m-Y")}
        subject = _("Tijdig: respite for case %(case)s not confirmed") % values
        body = (
            _(
                "The social service granted respite for case %(case)s until %(date)s, and nobody at your "
                "corporation has confirmed that collection is paused. Open the case in Tijdig and confirm it."
            )
            % values
        )
        partner_ids = {case.corporation_id}
    elif kind in (EVICTION_SOON, EVICTION_PASSED):
        values = {"case": case, "date": date_format(case.eviction_date, "d-m-Y")}
        if kind == EVICTION_SOON:
            subject = _("Tijdig: eviction for case %(case)s on %(date)s") % values
            body = (
                _(
                    "Case %(case)s is a crisis: the eviction is announced for %(date)s and nobody has reached the "
                    "household since. Open the case in Tijdig."
                )
                % values
            )
            partner_ids = {case.queue_partner_id}
        else:
            subject = _("Tijdig: eviction date for case %(case)s has passed") % values
            body = (
                _(
                    "The eviction date %(date)s of case %(case)s has passed and no outcome is recorded. Open the "
                    "case in Tijdig and record whether the eviction was executed or cancelled."
                )
                % values
            )
            partner_ids = {case.queue_partner_id, case.corporation_id}
    else:
        subject = _("Tijdig: case %(case)s was escalated") % {"case": case}
        body = _("Case %(case)s was escalated: %(reason)s") % {"case": case, "reason": case.escalation_reason}
        partner_ids = {case.queue_partner_id}
    return subject, body, partner_ids


def send(*, case_ids, kind) -> int:
    """Send the notices; returns how many e-mails went out. Cases that are gone or changed are skipped."""
    users = get_user_model().objects
    messages = []
    for case in Case.objects.filter(pk__in=case_ids):
        if kind == RESPITE_ENDING and case.respite_until is None:
            continue
        if kind == ESCALATED and case.escalated_at is None:
            continue
        if kind == RESPITE_UNACKNOWLEDGED and (
            not case.in_respite()
            or not case.notes.filter(
                kind__in=(Note.Kind.RESPITE_GRANTED, Note.Kind.RESPITE_EXTENDED), acknowledged_at__isnull=True
            ).exists()
        ):
            continue  # confirmed (or ended) since
        if kind in (EVICTION_SOON, EVICTION_PASSED) and case.eviction_date is None:
            continue
        subject, body, partner_ids = _message(case, kind)
        if kind in (RESPITE_CHANGED, RESPITE_UNACKNOWLEDGED):
            role = Role.CASEWORKER if kind == RESPITE_CHANGED else Role.MANAGER
            recipients = member_emails(partner_ids=partner_ids, role=role)
            if recipients:
                messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients)))
            continue
        recipients = member_emails(partner_ids=partner_ids, role=Role.MANAGER)
        if case.assignee_id:
            recipients.update(
                users.filter(pk=case.assignee_id, is_active=True).exclude(email="").values_list("email", flat=True)
            )
        if recipients:
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients)))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
