from django.urls import path

from .views import dashboards, health, home

urlpatterns = [
    path("", home.home, name="home"),
    path("health/", health.health, name="health"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("dashboard/report/", dashboards.dashboard_report, name="dashboard_report"),
    path("dashboard/export/<slug:table>.<str:fmt>", dashboards.dashboard_export, name="dashboard_export"),
    path("dashboard/ddas/", dashboards.ddas_export, name="dashboard_ddas"),
]
