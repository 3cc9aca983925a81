"""Ledger imports by API: upload a file (202 with the import), then poll it for status and report."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from ledger import selectors
from ledger.api import examples
from ledger.api.filters import ImportFilter
from ledger.api.serializers import ImportSerializer, ImportUploadSerializer
from ledger.models import LedgerImport
from ledger.selectors import IMPORT_ROLES
from ledger.services import import_submit
from partners import bounds
from partners.api.examples import response
from partners.api.views import ApiViewMixin
from partners.models import Partner, Role


@extend_schema_view(
    list=extend_schema(summary="List your ledger imports", examples=[response(examples.IMPORT)]),
    retrieve=extend_schema(
        summary="One import: status and report",
        description="Poll until `status` is `succeeded` or `rejected`; `summary`, `errors` (rejected rows) "
        "and `message` (why a whole file was rejected) form the report.",
        examples=[response(examples.IMPORT)],
    ),
    create=extend_schema(
        summary="Upload a ledger file",
        description="Stores the file and queues its import; answers 202 with the import to poll. A file "
        "that was imported before (same content) returns that earlier import and changes nothing. "
        "Partner admins of a housing corporation only; its managers may read the imports.",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: OpenApiResponse(ImportSerializer, description="Queued (or the earlier import of this file).")},
        examples=[response(examples.IMPORT_PENDING, status_codes=["202"])],
    ),
)
class ImportViewSet(ApiViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ImportSerializer
    filterset_class = ImportFilter
    parser_classes = [MultiPartParser]  # the file upload; every other API body is JSON (settings)
    api_partner_kind = Partner.Kind.CORPORATION

    @property
    def api_roles(self):
        """Partner admins upload (as in the admin); they and managers read the reports."""
        return (Role.ADMIN,) if self.action == "create" else IMPORT_ROLES

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LedgerImport.objects.none()
        imports = selectors.import_list(user=self.request.user, partner=self.acting.partner)
        return imports.select_related("created_by")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=bounds.id_or_404(self.kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        upload = ImportUploadSerializer(data=request.data, context={"partner": self.acting.partner})
        upload.is_valid(raise_exception=True)
        ledger_import = import_submit(
            partner=self.acting.partner,
            file=upload.validated_data["file"],
            file_name=upload.validated_data["file"].name,
            source=LedgerImport.Source.API,
            profile=upload.validated_data.get("profile"),
            user=request.user,
            as_of=upload.validated_data.get("as_of"),
        )
        data = self.get_serializer(self.get_queryset().get(pk=ledger_import.pk)).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": str(data["url"])})
