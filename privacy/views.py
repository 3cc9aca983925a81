"""Right of access and erasure, for a corporation's partner admin: find a household by contract
number and postcode for a privacy request (its reference required), see what is held, download it as
JSON, or remove it when that is lawful.

A partner admin sees no households otherwise (docs/adr/0025): the household pages answer only for a
household found by a lookup in this session, for a limited time, and every lookup, view, export and
erasure is audited with the request's reference. Typing another id into the URL leads back to the
lookup."""

import json
import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from arrears.models import Case
from households.models import normalise_postcode
from partners.errors import DomainError
from privacy import retention, selectors
from privacy.services.requests import household_export, household_viewed, privacy_lookup_logged
from privacy.services.retention import household_erase

#: Households found by a lookup in this session: ``{household id: {"reference": …, "at": epoch seconds}}``.
SESSION_KEY = "privacy_requests"
#: How long a lookup opens the household's pages.
TICKET_SECONDS = 60 * 60


class FindForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Reference of the privacy request"),
        max_length=60,
        help_text=gettext_lazy("The number under which your organisation registered the request."),
    )
    contract_number = forms.CharField(label=gettext_lazy("Contract number"), max_length=40)
    postcode = forms.CharField(label=gettext_lazy("Postcode"), max_length=10)

    def clean_reference(self):
        reference = " ".join(self.cleaned_data["reference"].split())
        if not reference:
            raise forms.ValidationError(_("Enter the reference of the privacy request."))
        return reference

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if postcode is None:
            raise forms.ValidationError(_("Enter a Dutch postcode, e.g. 3311 AA."))
        return postcode


def _grant(request, household, reference):
    tickets = {
        pk: ticket
        for pk, ticket in request.session.get(SESSION_KEY, {}).items()
        if ticket["at"] > time.time() - TICKET_SECONDS
    }
    tickets[str(household.pk)] = {"reference": reference, "at": time.time()}
    request.session[SESSION_KEY] = tickets


def _reference(request, pk):
    """The request's reference if a lookup in this session found household ``pk`` recently, else ``None``."""
    ticket = request.session.get(SESSION_KEY, {}).get(str(pk))
    if not ticket or ticket["at"] <= time.time() - TICKET_SECONDS:
        return None
    return ticket["reference"]


def _looked_up(request, pk):
    """``(household, reference)`` for a household this session looked up; 404 otherwise (also for
    anyone but a partner admin of its corporation)."""
    household = selectors.privacy_household_get(user=request.user, pk=pk)
    reference = _reference(request, household.pk)
    if reference is None:
        raise Http404
    return household, reference


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked that removing this household's data is lawful."), required=True
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def find(request):
    """A POST, so the contract number never appears in a URL or an access log."""
    if not selectors.is_partner_admin(user=request.user):
        raise Http404
    form = FindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = selectors.privacy_household_find(
            user=request.user, contract_number=data["contract_number"], postcode=data["postcode"]
        )
        privacy_lookup_logged(by=request.user, reference=data["reference"], household=household)
        if household is not None:
            _grant(request, household, data["reference"])
            return redirect("privacy-household", pk=household.pk)
        form.add_error(
            "contract_number", _("No household of your corporation has this contract number at this postcode.")
        )
    return render(request, "arrears/privacy_find.html", {"form": form})


@never_cache
@login_required
def household(request, pk):
    if not selectors.is_partner_admin(user=request.user):
        raise Http404
    if _reference(request, pk) is None:
        # No browsing by id: whatever the id, back to the lookup (existence is not disclosed).
        return redirect("privacy-find")
    household, reference = _looked_up(request, pk)
    household_viewed(household=household, by=request.user, channel="privacy_page", reference=reference)
    cases = Case.objects.filter(household=household)
    context = {
        "household": household,
        "open_cases": cases.exclude(state="closed").count(),
        "closed_cases": cases.filter(state="closed").count(),
        "refusal": retention.erasure_refusal(household),
        "erase_form": EraseForm(),
        "reference": reference,
    }
    return render(request, "arrears/privacy_household.html", context)


@login_required
@require_POST
def export(request, pk):
    household, reference = _looked_up(request, pk)
    data = household_export(household=household, by=request.user, partner=household.corporation, reference=reference)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="tijdig-huishouden-{household.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def erase(request, pk):
    household, reference = _looked_up(request, pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the removal is lawful."))
        return redirect("privacy-household", pk=household.pk)
    try:
        household_erase(household=household, by=request.user, reference=reference)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("privacy-household", pk=household.pk)
    messages.success(request, _("The household's personal data have been removed. The removal is logged."))
    return redirect("privacy-find")
