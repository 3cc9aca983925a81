"""The outreach API: the partner's message templates, sending a letter on a case, a letter's PDF.

Thin, like ``arrears/api/views/case_actions.py``: the selectors decide what is visible (404 otherwise),
``outreach.services.letter_send`` decides whether a letter may go (its ``DomainError`` reaches the client
through the API's one exception handler).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from arrears import selectors as case_selectors
from arrears.api.views.case_actions import PdfRenderer
from outreach import selectors, services
from outreach.api.serializers import LetterInput, LetterSerializer, MessageTemplateSerializer
from outreach.views import pdf_response
from partners import bounds
from partners.api.examples import request as request_example
from partners.api.examples import response as response_example
from partners.api.views import CHANNEL, ApiViewMixin

TEMPLATE_EXAMPLE = {
    "id": 12,
    "partner": "corp-a",
    "channel": "letter",
    "purpose": "art2_reminder",
    "language": "nl",
    "name": "Herinnering huurachterstand (art. 2)",
    "subject": "Herinnering: u heeft een huurachterstand",
    "body": "Beste {household_name}, …",
    "is_active": True,
}
LETTER_EXAMPLE = {
    "id": 7,
    "case": 42,
    "partner": "corp-a",
    "template": 12,
    "channel": "letter",
    "purpose": "art2_reminder",
    "date": "2026-11-02",
    "subject": "Herinnering: u heeft een huurachterstand",
    "text": "Beste J. de Vries, …",
    "contact_attempt": 311,
    "pdf_url": "/api/v1/letters/7/pdf/",
    "created_at": "2026-11-02T10:15:00+01:00",
}


@extend_schema(
    summary="Your partner's message templates",
    description="Letters (and later e-mail and SMS) with named placeholders such as `{household_name}`; "
    "partner admins edit them in the admin. Not paginated.",
    examples=[response_example([TEMPLATE_EXAMPLE])],
)
class MessageTemplateListView(ApiViewMixin, generics.ListAPIView):
    serializer_class = MessageTemplateSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        templates = selectors.templates_for(user=self.request.user)
        return templates.filter(partner=self.scope) if self.scope is not None else templates


class CaseLetterCreateView(ApiViewMixin, APIView):
    @extend_schema(
        summary="Send a letter on a case",
        description="Renders the template for what you may see of the household, stores its PDF with the "
        "case and records a contact attempt of kind *Brief*; the art. 2 reminder also records the "
        "checklist's “reminder sent” and “offered to share” steps. Refused (403) with the reason when the "
        "template does not apply: an objection recorded, respite running, an inactive template.",
        request=LetterInput,
        responses={201: LetterSerializer},
        examples=[request_example({"template": 12, "date": "2026-11-02"}), response_example(LETTER_EXAMPLE)],
    )
    def post(self, request, pk):
        pk = bounds.id_or_404(pk)
        cases = case_selectors.narrow_to_partner(case_selectors.case_list(user=request.user), self.scope)
        if self.scope is not None and not cases.filter(pk=pk).exists():
            raise Http404
        case = case_selectors.case_get(user=request.user, pk=pk, channel=CHANNEL)
        data = LetterInput(data=request.data)
        data.is_valid(raise_exception=True)
        template = selectors.templates_for(user=request.user).filter(pk=data.validated_data["template"]).first()
        if template is None:
            raise ValidationError(
                {"template": [_("Unknown template: %(id)s.") % {"id": data.validated_data["template"]}]}
            )
        letter = services.letter_send(
            case=case, by=request.user, template=template, date=data.validated_data.get("date")
        )
        return Response(LetterSerializer(letter).data, status=201)


class LetterPdfView(ApiViewMixin, APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        summary="A letter's PDF",
        description="Only for caseworkers and managers of the partner that sent it who may see the case "
        "(404 for anyone else); the download is audited.",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        examples=[
            OpenApiExample(
                "PDF", value="%PDF-1.4 … (binary)", response_only=True, media_type="application/pdf", summary="A4 PDF"
            )
        ],
    )
    def get(self, request, pk):
        letter = selectors.letter_get(user=request.user, pk=pk, channel=CHANNEL)
        if self.scope is not None and letter.partner_id != self.scope.pk:
            raise Http404
        return pdf_response(letter)
