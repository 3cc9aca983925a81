from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from arrears import selectors
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
        if membership.role == Role.CASEWORKER:
            queue = list(selectors.queue_for(user=request.user, partner=partner).order_by("opened_at")[:20])
            audit.record_reads(user=request.user, objects=queue, channel="page:home")
            context["queue"] = queue
        if membership.role == Role.ADMIN:
            context["imports"] = ledger_selectors.import_list(partner=partner)[:10]
    return render(request, "arrears/home.html", context)
