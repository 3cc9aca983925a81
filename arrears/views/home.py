from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from arrears import selectors
from arrears.forms.queue import tray_labels
from arrears.selectors.queue import QUEUE_REFERRED, TRAY_REFERRAL, QueueFilters, queue_page, tray_counts
from arrears.views._common import add_row_urls
from ledger import selectors as ledger_selectors
from partners import audit
from partners.models import Role
from partners.selectors import membership_for


@login_required
def home(request):
    """The landing page: what the signed-in user's role needs first."""
    membership = membership_for(user=request.user)
    context = {"membership": membership}
    if membership is not None:
        partner = membership.partner
        context["figures"] = selectors.partner_figures(partner=partner)
        if membership.role in (Role.CASEWORKER, Role.MANAGER):
            context.update(_trays(request, partner))
        if membership.role == Role.CASEWORKER:
            queue = list(selectors.queue_for(user=request.user, partner=partner).order_by("opened_at")[:20])
            audit.record_reads(user=request.user, objects=queue, channel="page:home")
            context["queue"] = queue
        if membership.role == Role.ADMIN:
            context["imports"] = ledger_selectors.import_list(partner=partner)[:10]
    return render(request, "arrears/home.html", context)


def _trays(request, partner):
    """The queue's trays, most urgent first, each counted and linked to the queue filtered to exactly
    that tray (``tray_counts`` counts the rows ``?tray=`` lists); for a social service also the
    referrals waiting for its answer, crisis first, then longest waiting (docs/adr/0091)."""
    labels = tray_labels(social_service=partner.is_social_service)
    counts = tray_counts(user=request.user)
    url = reverse("queue")
    context = {
        "trays": [
            {"key": key, "label": label, "count": counts[key], "url": f"{url}?tray={key}"}
            for key, label in labels.items()
        ]
    }
    if TRAY_REFERRAL in labels:
        # Every referral waiting on it (a crisis one too, which leads the crisis tray), oldest first.
        pending = queue_page(user=request.user, filters=QueueFilters(queue=QUEUE_REFERRED), per_page=10)
        referrals = list(pending.object_list)
        audit.record_reads(user=request.user, objects=referrals, channel="page:home")
        context["pending_referrals"] = add_row_urls(referrals)
        context["pending_referrals_count"] = pending.paginator.count
        context["referrals_url"] = f"{url}?queue={QUEUE_REFERRED}"
    return context
