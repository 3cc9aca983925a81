"""The partner admin's imports page: upload a ledger file, follow its status, read its error report."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ledger import selectors
from ledger.forms import ImportUploadForm
from ledger.importing.errors import ImportRejected
from ledger.models import ImportProfile, LedgerImport
from ledger.services import import_submit
from partners.errors import DomainError
from partners.models import Membership, Role
from partners.pages import htmx_target_is
from partners.templatetags.tijdig import format_datetime

ERRORS_SHOWN = 500


def _admin_partner(request):
    """The corporation the user administers; other users may not see this page."""
    membership = (
        Membership.objects.select_related("partner")
        .filter(user=request.user, role=Role.ADMIN, partner__kind="corporation")
        .order_by("id")
        .first()
    )
    if membership is None:
        raise PermissionDenied(_("Only a corporation's partner admin imports ledger files."))
    return membership.partner


@login_required
@require_http_methods(["GET", "POST"])
def import_index(request):
    partner = _admin_partner(request)
    profiles = ImportProfile.objects.filter(partner=partner).order_by("name")
    form = ImportUploadForm(request.POST or None, request.FILES or None, profiles=profiles)
    if request.method == "POST":
        if form.is_valid():
            try:
                return _submit(request, partner, form)
            except ImportRejected as refused:  # what the file holds (the one intake check, ADR 0068)
                form.add_error("file", str(refused))
        messages.error(request, _("The file was not uploaded: see the form."))
    page = Paginator(
        selectors.import_list(user=request.user, partner=partner).order_by("-created_at", "-pk"), 20
    ).get_page(request.GET.get("page"))
    status = 400 if form.is_bound else 200
    return render(request, "arrears/imports.html", {"form": form, "page_obj": page, "partner": partner}, status=status)


def _submit(request, partner, form):
    upload = form.cleaned_data["file"]
    started = timezone.now()
    try:
        ledger_import = import_submit(
            partner=partner,
            file=upload,
            file_name=upload.name,
            source=LedgerImport.Source.UPLOAD,
            profile=form.cleaned_data["profile"],
            user=request.user,
        )
    except ImportRejected:
        raise  # shown on the form
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("imports")
    if getattr(ledger_import, "queued", None) is False:
        messages.warning(
            request,
            _(
                "The file “%(name)s” was received and kept (import %(id)s), but the task queue cannot be "
                "reached right now. The import starts by itself within a few minutes of the queue being "
                "back; there is no need to upload the file again."
            )
            % {"name": ledger_import.file_name, "id": ledger_import.pk},
        )
    elif ledger_import.created_at < started:
        messages.warning(
            request,
            _("“%(name)s” was already imported on %(date)s; nothing was changed.")
            % {"name": ledger_import.file_name, "date": format_datetime(ledger_import.created_at)},
        )
    else:
        messages.success(
            request,
            _("“%(name)s” is uploaded and queued for import. This page shows its progress.")
            % {"name": ledger_import.file_name},
        )
    return redirect("import-detail", pk=ledger_import.pk)


def _get_import(request, pk, *, channel=""):
    """One of the administered corporation's imports; any other answers 404. ``channel``: the page shows
    its error report (the read is audited)."""
    partner = _admin_partner(request)
    ledger_import = selectors.import_get(user=request.user, pk=pk, channel=channel)
    if ledger_import.partner_id != partner.pk:
        raise Http404
    return ledger_import


@login_required
@require_GET
def import_detail(request, pk):
    partial = htmx_target_is(request, f"import-row-{pk}") or htmx_target_is(request, "import-status")
    ledger_import = _get_import(request, pk, channel="" if partial else "page:import")
    context = {"imp": ledger_import}
    if htmx_target_is(request, f"import-row-{pk}"):
        return render(request, "arrears/_import_row.html", context)
    if htmx_target_is(request, "import-status"):
        response = render(request, "arrears/_import_status.html", context)
        if ledger_import.status in (LedgerImport.Status.SUCCEEDED, LedgerImport.Status.REJECTED):
            response["HX-Refresh"] = "true"  # done: reload once so the error report shows too
        return response
    errors = ledger_import.errors or []
    context.update({"errors_shown": errors[:ERRORS_SHOWN], "errors_total": len(errors)})
    return render(request, "arrears/import_detail.html", context)


@login_required
@require_GET
def import_errors_csv(request, pk):
    """The whole error report as CSV (line, column, value, reason)."""
    ledger_import = _get_import(request, pk, channel="page:import-errors-csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{ledger_import.pk}-errors.csv"'
    response.write("\ufeff")  # so Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("line"), _("column"), _("value"), _("reason")])
    for error in ledger_import.errors or []:
        writer.writerow([_cell(error.get(key, "")) for key in ("line", "column", "value", "reason")])
    return response


def _cell(value):
    """A CSV cell a spreadsheet will not run as a formula (a file's cell may start with ``=``)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
