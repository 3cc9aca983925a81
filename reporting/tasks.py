"""Nightly: store each partner's completed weeks (``reporting.snapshots``)."""

from celery import shared_task

from partners.models import Partner
from reporting.snapshots import HISTORY_WEEKS, snapshot_missing


@shared_task(acks_late=True, soft_time_limit=25 * 60, time_limit=30 * 60)
def snapshot_weekly_figures(partner_id=None, weeks=None):
    """Snapshot every completed week of the last ``weeks`` (default 52) that is not stored yet, for one
    partner or all active ones. Idempotent: a stored week is never written again."""
    partners = Partner.objects.filter(is_active=True).order_by("pk")
    if partner_id is not None:
        partners = partners.filter(pk=partner_id)
    return {partner.slug: snapshot_missing(partner=partner, weeks=weeks or HISTORY_WEEKS) for partner in partners}
