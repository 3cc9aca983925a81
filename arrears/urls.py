from django.urls import path

from .views import dashboards, health, home, privacy

urlpatterns = [
    path("", home.home, name="home"),
    path("health/", health.health, name="health"),
    path("privacy/", privacy.find, name="privacy_find"),
    path("privacy/households/<int:pk>/", privacy.household, name="privacy_household"),
    path("privacy/households/<int:pk>/export/", privacy.export, name="privacy_export"),
    path("privacy/households/<int:pk>/erase/", privacy.erase, name="privacy_erase"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("dashboard/report/", dashboards.dashboard_report, name="dashboard_report"),
    path("dashboard/export/<slug:table>.<str:fmt>", dashboards.dashboard_export, name="dashboard_export"),
    path("dashboard/ddas/", dashboards.ddas_export, name="dashboard_ddas"),
]
