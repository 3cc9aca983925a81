"""A social service's own file of the cases that have left it (docs/adr/0025)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from arrears import selectors


@login_required
@require_GET
def own_file(request):
    """Only the service's own records: no household, no amounts; the case number links nowhere (the
    case answers 404 to it now)."""
    return render(request, "arrears/own_file.html", {"rows": selectors.own_file(user=request.user)})
