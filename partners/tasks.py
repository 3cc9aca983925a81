"""The partners app's e-mail notices, sent by Celery after the transaction that caused them commits."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from partners import webhook_sending
from partners.models import Agreement, Role, WebhookDelivery, member_emails
from partners.webhook_sending import DeliveryFailed


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
)
def notify_rules_changed(agreement_id, changes, username):
    """E-mail the social service's partner admins that a corporation changed the agreement's rules
    (docs/adr/0024). Names the agreement and what changed, never personal data. Returns how many
    e-mails went out (0 when the agreement is gone or nobody has an address)."""
    agreement = Agreement.objects.select_related("corporation", "municipality", "social_service").filter(
        pk=agreement_id
    )
    agreement = agreement.first()
    if agreement is None:
        return {"sent": 0}
    recipients = sorted(member_emails(partner_ids=[agreement.social_service_id], role=Role.ADMIN))
    if not recipients:
        return {"sent": 0}
    subject = _("Tijdig: %(corporation)s changed its routing rules for %(municipality)s") % {
        "corporation": agreement.corporation.name,
        "municipality": agreement.municipality.name,
    }
    body = _(
        "%(user)s changed the agreement %(agreement)s:\n\n%(changes)s\n\nOpen the agreement in Tijdig's "
        "administration to read the rules as they now are."
    ) % {"user": username, "agreement": agreement, "changes": "\n".join(f"- {line}" for line in changes)}
    return {"sent": send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)}


#: Retries with exponential backoff (capped at 3 hours) over about a day: 1, 2, 4, … min, then 3 h.
WEBHOOK_MAX_RETRIES = 15


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DeliveryFailed,),
    retry_backoff=60,
    retry_backoff_max=3 * 60 * 60,
    retry_jitter=False,
    max_retries=WEBHOOK_MAX_RETRIES,
    soft_time_limit=60,
    time_limit=90,
)
def deliver_webhook(self, delivery_id):
    """POST one webhook delivery (docs/adr/0083); a failed attempt is retried, a delivered or vanished
    one is not sent again (the receiver also deduplicates on the delivery id)."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == WebhookDelivery.Status.DELIVERED:
        return {"status": "skipped"}
    if not delivery.subscription.is_active:
        return {"status": "inactive"}
    webhook_sending.attempt(delivery, final=self.request.retries >= WEBHOOK_MAX_RETRIES)
    return {"status": delivery.status, "response_code": delivery.response_code}
