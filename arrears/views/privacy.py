"""Right of access and erasure, for a corporation's partner admin: find a household by contract
number, see what is held, download it as JSON, or remove it when that is lawful."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from partners.errors import DomainError

from .. import retention, selectors
from ..models import Case
from ..services.privacy import household_export, household_viewed
from ..services.retention import household_erase


class FindForm(forms.Form):
    contract_number = forms.CharField(label=gettext_lazy("Contract number"), max_length=40)


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
        household = selectors.privacy_household_find(
            user=request.user, contract_number=form.cleaned_data["contract_number"]
        )
        if household is not None:
            return redirect("privacy_household", pk=household.pk)
        form.add_error("contract_number", _("No household of your corporation has this contract number."))
    return render(request, "arrears/privacy_find.html", {"form": form})


@never_cache
@login_required
def household(request, pk):
    household = selectors.privacy_household_get(user=request.user, pk=pk)
    household_viewed(household=household, by=request.user, channel="privacy_page")
    cases = Case.objects.filter(household=household)
    context = {
        "household": household,
        "open_cases": cases.exclude(state="closed").count(),
        "closed_cases": cases.filter(state="closed").count(),
        "refusal": retention.erasure_refusal(household),
        "erase_form": EraseForm(),
    }
    return render(request, "arrears/privacy_household.html", context)


@login_required
@require_POST
def export(request, pk):
    household = selectors.privacy_household_get(user=request.user, pk=pk)
    data = household_export(household=household, by=request.user, partner=household.corporation)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="tijdig-huishouden-{household.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def erase(request, pk):
    household = selectors.privacy_household_get(user=request.user, pk=pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the removal is lawful."))
        return redirect("privacy_household", pk=household.pk)
    try:
        household_erase(household=household, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("privacy_household", pk=household.pk)
    messages.success(request, _("The household's personal data have been removed. The removal is logged."))
    return redirect("privacy_find")
