from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import health
from security import views as security_views

urlpatterns = [
    path("login/", security_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", include("security.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the portal's login (lockout, two factors), never its own form.
    # A signed-in user the admin refuses (not staff) gets the 403 page there, not a redirect loop.
    path("admin/login/", security_views.admin_login),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls", namespace="api")),
    # Each app its own pages; URL names are global (no namespaces) and hyphenated (`case-detail`,
    # `privacy-find`), so templates name a page, not an app.
    path("health/", health.health, name="health"),
    path("", include("arrears.urls")),
    path("", include("ledger.urls")),
    path("", include("reporting.urls")),
    path("", include("privacy.urls")),
    path("", include("outreach.urls")),
]

handler400 = "security.errors.bad_request"
handler403 = "security.errors.permission_denied"
handler404 = "security.errors.page_not_found"
handler500 = "security.errors.server_error"
