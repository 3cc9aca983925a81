"""The household/case page and its actions (one POST endpoint per action, see ``case_actions``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arrears import eviction, selectors
from arrears.models import Referral
from arrears.selectors._partners import partner_ids_of
from arrears.services import respite
from arrears.views._common import QUEUE_CHANNEL, add_row_urls, can_assign, membership_for_request
from arrears.views.case_actions import ACTIONS, CaseView
from arrears.views.timeline import timeline_rows
from partners import audit
from partners.errors import Conflict, DomainError
from partners.pages import htmx_target_is

MAIN_ID = "case-main"
CHANNEL = "page:case"
COMPLIANCE_CHANNEL = "page:case-compliance-file"


def _case_view(request, case):
    partner_ids = partner_ids_of(request.user)
    return CaseView(case=case, user=request.user, membership=membership_for_request(request), partner_ids=partner_ids)


def case_context(request, case, *, bound=None):
    """Everything the case page shows. ``bound``: ``(action name, form)`` to show with its errors."""
    user = request.user
    view = _case_view(request, case)
    today = timezone.localdate()
    referrals = list(selectors.case_referrals(user=user, case=case))
    pending = [r for r in referrals if r.status == Referral.Status.PENDING]
    state = {
        "pending_to_me": [r for r in pending if r.to_partner_id in view.partner_ids],
        "in_respite": case.in_respite(today),
    }
    forms = {}
    for name, action in ACTIONS.items():
        if action.offered(view, state):
            forms[name] = bound[1] if bound and bound[0] == name else action.form(view, None)
    visible = set(selectors.visible_household_fields(user=user, case=case))
    history = selectors.arrears_history(user=user, case=case, visible=visible)
    events = selectors.case_timeline(user=user, case=case, visible=visible)
    attempts = selectors.case_contact_attempts(user=user, case=case, visible=visible)
    signals = list(selectors.case_signals(user=user, case=case, visible=visible))
    return {
        "case": case,
        "household": case.household,
        "visible": visible,
        "view": view,
        "sees_ledger": "tenancies" in visible,
        "compliance_file": selectors.may_download_compliance_file(user=user, case=case),
        "tenancies": list(selectors.case_tenancies(user=user, case=case, visible=visible)),
        "signals": signals,
        # When this case's arrears began: a late signal says how long they ran before it (docs/adr/0091).
        "arrears_origin": min((s.origin_date for s in signals if s.case_id == case.pk), default=None),
        # Repeat arrears (docs/adr/0094): the queue's rule, for readers who see the household's episodes.
        "repeat": selectors.case_is_repeat(user=user, case=case),
        "arrangement": case.payment_arrangements.first() if "payment_arrangements" in visible else None,
        # The eviction track: the steps are the corporation's records; the crisis badge and its
        # countdown (working days to the announced date) show to every reader, like the DDAS flag.
        "eviction_steps": list(case.eviction_steps.select_related("recorded_by", "partner"))
        if "corporation_records" in visible
        else [],
        "eviction_days_left": eviction.working_days_left(case.eviction_date, today),
        "history": history,
        "history_chart": [
            {"month": h["month"], "balance": None if h["balance"] is None else str(h["balance"])} for h in history
        ],
        "timeline": timeline_rows(events, attempts),
        "referrals": referrals,
        # The respite handshake (docs/adr/0082): the running respite's latest note and whether the
        # corporation confirmed it (the corporation gets the button in ``forms``; everyone sees the answer).
        "respite_note": respite.latest_note(case) if state["in_respite"] else None,
        "forms": forms,
        "open_form": bound[0] if bound else None,
        "today": today,
        **state,
    }


def _render_case(request, case, *, bound=None, status=200):
    context = case_context(request, case, bound=bound)
    template = "arrears/_case_main.html" if htmx_target_is(request, MAIN_ID) else "arrears/case_detail.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def case_detail(request, pk):
    case = selectors.case_get(user=request.user, pk=pk, channel=CHANNEL)
    return _render_case(request, case)


@login_required
@require_GET
def case_compliance_file(request, pk):
    """The case's compliance file for the court (PDF); 404 for anyone but the corporation's case workers."""
    return selectors.compliance_file(user=request.user, pk=pk, channel=COMPLIANCE_CHANNEL).as_response()


@login_required
@require_POST
def case_action(request, pk, action):
    """Validate the action's form, call its service, say what happened; then show the case again (htmx:
    the page's main part, or the queue row the action came from) or redirect back."""
    if action not in ACTIONS:
        raise Http404
    case = selectors.case_get(user=request.user, pk=pk, channel=CHANNEL)
    view = _case_view(request, case)
    spec = ACTIONS[action]
    form = spec.form(view, request.POST)
    if not form.is_valid():
        messages.error(request, _form_problem(form))
        return _after_action(request, case, bound=(action, form), ok=False)
    try:
        message = spec.run(view, form)
    except Conflict as error:
        messages.error(request, str(error))
        return _after_action(request, case, ok=False)
    except DomainError as error:
        messages.error(request, str(error))
        return _after_action(request, case, bound=(action, form), ok=False)
    messages.success(request, message)
    return _after_action(request, case, ok=True)


def _form_problem(form):
    fields = [form.fields[name].label or name for name in form.errors if name in form.fields]
    if fields and all(fields):
        return _("Please check: %(fields)s.") % {"fields": ", ".join(str(f) for f in fields)}
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _after_action(request, case, *, bound=None, ok):
    if htmx_target_is(request, f"case-row-{case.pk}"):
        return _render_row(request, case)
    try:
        fresh = selectors.case_get(user=request.user, pk=case.pk, channel=CHANNEL)
    except Http404:
        # The action handed the case on (e.g. a declined referral): it is no longer this user's to see.
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("queue")
            return response
        return redirect("queue")
    if request.htmx:
        return _render_case(request, fresh, bound=bound)
    if not ok and bound is not None:
        return _render_case(request, fresh, bound=bound, status=400)
    target = request.POST.get("next", "")
    # A path on this site only: ``redirect("foo")`` would try ``reverse("foo")`` and fail with a 500.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("case-detail", pk=case.pk)


def _render_row(request, case):
    """The queue row the action came from, as it is now (empty when it left the user's sight)."""
    row = selectors.queue_row(user=request.user, pk=case.pk)
    if row is not None:
        audit.record_reads(user=request.user, objects=[row], channel=QUEUE_CHANNEL)
        add_row_urls([row])
    membership = membership_for_request(request)
    return render(
        request,
        "arrears/_queue_row.html" if row is not None else "arrears/_row_gone.html",
        {
            "case": row,
            "row_only": True,
            "query": "",
            "queue_url": reverse("queue"),
            "my_partner_ids": {membership.partner_id} if membership else set(),
            "can_assign": can_assign(membership),
        },
    )
