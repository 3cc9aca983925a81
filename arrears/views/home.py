from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from arrears import eviction, selectors
from arrears.forms.queue import tray_labels
from arrears.models import Referral
from arrears.selectors._partners import partner_ids_of
from arrears.selectors.queue import QUEUE_REFERRED, TRAY_REFERRAL, home_figures, querystring, queue_counts
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
        if membership.role in (Role.CASEWORKER, Role.MANAGER):
            context["figures"] = _figures(request.user, partner)
            context.update(_trays(request, partner))
        if membership.role == Role.CASEWORKER:
            queue = list(selectors.queue_for(user=request.user, partner=partner).order_by("opened_at")[:20])
            audit.record_reads(user=request.user, objects=queue, channel="page:home")
            context["queue"] = add_row_urls(queue)
        if membership.role == Role.ADMIN:
            context["imports"] = ledger_selectors.import_list(partner=partner)[:10]
    return render(request, "arrears/home.html", context)


def _figures(user, partner):
    """The headline figures, each a link to the queue filtered to exactly the cases it counts: counted by
    ``home_figures`` from the queue with the filters the link encodes (docs/adr/0094). Caseworkers and
    managers only: a partner admin sees no cases, and reads its partner's figures on the dashboard."""
    social_service = partner.is_social_service
    found = home_figures(user=user, social_service=social_service)
    scope = (
        _("Your queue and the referrals waiting for your answer.")
        if social_service
        else _("All your tenants’ open cases: in your own queue and with a social service.")
    )
    shown = [
        ("open_cases", _("Open cases"), scope),
        ("with_arrears", _("Cases with open arrears"), _("Of these, those whose arrears are not cleared yet.")),
        ("arrears_total", _("Total open arrears"), _("The open arrears of those cases, added up.")),
        ("in_respite", _("Households in respite"), _("Open cases whose respite runs today.")),
    ]
    url = reverse("queue")
    return [
        {
            "key": key,
            "label": label,
            "hint": hint,
            "count": found[key]["count"],
            "total": found[key]["total"] if key == "arrears_total" else None,
            "url": f"{url}?{querystring(found[key]['filters'])}",
        }
        for key, label, hint in shown
    ]


def _trays(request, partner):
    """The queue's trays, most urgent first, each counted and linked to the queue filtered to exactly
    that tray (``tray_counts`` counts the rows ``?tray=`` lists); for a social service also the
    referrals waiting for its answer, crisis first, then longest waiting (docs/adr/0091)."""
    labels = tray_labels(social_service=partner.is_social_service)
    counts, referred = queue_counts(user=request.user)
    url = reverse("queue")
    context = {
        "trays": [
            {"key": key, "label": label, "count": counts[key], "url": f"{url}?tray={key}"}
            for key, label in labels.items()
        ]
    }
    if TRAY_REFERRAL in labels:
        context.update(_pending_referrals(request.user, url, referred))
    return context


#: How many waiting referrals the home page lists (the link leads to all of them).
PENDING_SHOWN = 10


def _pending_referrals(user, queue_url, count):
    """The referrals waiting on the user's social service (a crisis one too, which leads the crisis
    tray): crisis first, then longest waiting — one query, from the referrals the user may see.
    ``count``: how many there are (``queue_counts``, the rows ``?queue=referred`` lists)."""
    if not count:
        return {}
    crisis = ExpressionWrapper(eviction.crisis_q("case__"), output_field=BooleanField())
    pending = (
        selectors.referral_list(user=user)
        .filter(to_partner_id__in=partner_ids_of(user), status=Referral.Status.PENDING)
        .select_related("case__household")
        .annotate(crisis=crisis)
        .order_by("-crisis", "created_at", "pk")
    )
    referrals = list(pending[:PENDING_SHOWN])
    audit.record_reads(user=user, objects=[r.case for r in referrals], channel="page:home")
    add_row_urls([r.case for r in referrals])
    return {
        "pending_referrals": referrals,
        "pending_referrals_count": count,
        "referrals_url": f"{queue_url}?queue={QUEUE_REFERRED}",
    }
