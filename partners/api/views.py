"""Partner-level endpoints: who the request speaks for."""

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiExample, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.api.context import acting_membership, token_partner_scope
from partners.models import ApiToken, Partner, Role


class PartnerSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Partner.Kind.choices)


class TokenSummarySerializer(serializers.Serializer):
    prefix = serializers.CharField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    partner = PartnerSummarySerializer()
    role = serializers.ChoiceField(choices=Role.choices)
    token = TokenSummarySerializer(allow_null=True, help_text="The token used, or null for a browser session.")


class MeView(APIView):
    @extend_schema(
        summary="Who you are",
        description="The user, partner and role this request acts for (a token's partner, or your own).",
        responses=MeSerializer,
        examples=[
            OpenApiExample(
                "Token of a corporation's system user",
                value={
                    "username": "drechtwonen-erp",
                    "partner": {"slug": "drechtwonen", "name": "DrechtWonen", "kind": "corporation"},
                    "role": "admin",
                    "token": {
                        "prefix": "tdg_Xk3v9QaB",
                        "name": "ERP nightly export",
                        "created_at": "2026-09-30T11:02:00+02:00",
                        "expires_at": None,
                    },
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        membership = acting_membership(request)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        return Response(
            MeSerializer(
                {
                    "username": request.user.get_username(),
                    "partner": membership.partner,
                    "role": membership.role,
                    "token": token,
                }
            ).data
        )


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any other path under ``/api/``: a JSON 404 like every other API error."""
    return JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, always in English (error messages follow ``Accept-Language``; Dutch by default)."""

    def _get_schema_response(self, request):
        with translation.override("en"):
            return super()._get_schema_response(request)


#: The audit trail's channel for reads and changes through the API.
CHANNEL = "api"


class ApiViewMixin:
    # ``self.scope``: the partner a token narrows to (or ``None``); ``self.acting``: the membership.
    # (A comment, not a docstring: drf-spectacular would show a docstring as every operation's description.)

    @property
    def acting(self):
        return acting_membership(self.request)

    @property
    def scope(self):
        if not hasattr(self, "_scope"):
            self._scope = token_partner_scope(self.request)
        return self._scope
