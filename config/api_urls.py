"""``/api/``: version 1 of the REST API, its OpenAPI schema and the Swagger and Redoc pages."""

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from arrears.api.views.cases import CaseViewSet
from arrears.api.views.households import HouseholdViewSet, TenancyViewSet
from arrears.api.views.referrals import ReferralViewSet
from arrears.api.views.signals import SignalViewSet
from ledger.api.views import ImportViewSet
from outreach.api.views import CaseLetterCreateView, LetterPdfView, MessageTemplateListView
from partners.api.views import MeView, SchemaView, api_not_found
from reporting.api import DashboardView

app_name = "api"

#: The documentation pages keep the strict CSP for scripts (no inline script, no other origin). Their
#: icons are data: images, and Redoc styles itself with injected <style> elements, so its page alone may
#: apply inline styles. They show nothing but the public schema (docs/adr/0050).
DOCS_CSP = {"img-src": ["data:"]}

router = SimpleRouter()
router.register("households", HouseholdViewSet, basename="household")
router.register("tenancies", TenancyViewSet, basename="tenancy")
router.register("signals", SignalViewSet, basename="signal")
router.register("cases", CaseViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("imports", ImportViewSet, basename="import")

v1 = [
    path("me/", MeView.as_view(), name="me"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("message-templates/", MessageTemplateListView.as_view(), name="message-template-list"),
    path("cases/<int:pk>/letters/", CaseLetterCreateView.as_view(), name="case-letters"),
    path("letters/<int:pk>/pdf/", LetterPdfView.as_view(), name="letter-pdf"),
    *router.urls,
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path(
        "redoc/",
        csp_update({**DOCS_CSP, "style-src": ["'unsafe-inline'"]})(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    re_path(r"^.*$", api_not_found),
]
