"""The letter pages: choose a template on a case, preview it, send it; download a letter's PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from arrears import selectors as case_selectors
from outreach import selectors, services
from outreach.forms import LetterForm
from partners.errors import DomainError

CHANNEL = "page:letters"


@login_required
@require_http_methods(["GET", "POST"])
def letter_new(request, pk):
    """GET: the form (with ``?template=`` a preview); POST: send, then back to the case."""
    user = request.user
    case = case_selectors.case_get(user=user, pk=pk, channel=CHANNEL)
    templates = selectors.letter_templates_for(user=user, case=case)
    data = request.POST if request.method == "POST" else (request.GET if "template" in request.GET else None)
    form = LetterForm(data, templates=templates)
    preview, status = None, 200
    if data is not None and form.is_valid():
        template, date = form.cleaned_data["template"], form.cleaned_data["date"]
        try:
            if request.method == "POST":
                letter = services.letter_send(case=case, by=user, template=template, date=date)
                messages.success(
                    request, _("Letter “%(name)s” sent; its PDF is kept with the case.") % {"name": template.name}
                )
                return redirect("case-detail", pk=letter.case_id)
            preview = services.letter_preview(case=case, by=user, template=template, date=date)
        except DomainError as error:
            form.add_error(None, str(error))
            status = error.status_code
    elif data is not None:
        status = 400
    context = {
        "case": case,
        "form": form,
        "preview": preview,
        "letters": selectors.case_letters(user=user, case=case),
    }
    return render(request, "outreach/letter_new.html", context, status=status)


@login_required
@require_GET
def letter_pdf(request, pk):
    """The letter's PDF (an attachment, never cached); 404 for anyone but its partner's case workers."""
    letter = selectors.letter_get(user=request.user, pk=pk, channel="page:letter-pdf")
    return pdf_response(letter)


def pdf_response(letter):
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brief-{letter.case_id}-{letter.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
