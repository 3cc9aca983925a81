from django.urls import path

from reporting import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/report/", views.dashboard_report, name="dashboard_report"),
    path("dashboard/export/<slug:table>.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("dashboard/ddas/", views.ddas_export, name="dashboard_ddas"),
]
