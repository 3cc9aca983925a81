from django.urls import path

from reporting import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/report/", views.dashboard_report, name="dashboard-report"),
    path("dashboard/export/<slug:table>.<str:fmt>", views.dashboard_export, name="dashboard-export"),
    path("dashboard/ddas/", views.dashboard_ddas, name="dashboard-ddas"),
]
