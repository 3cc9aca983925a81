from django.urls import path

from .views import cases, dashboards, health, home, imports, ownfile, privacy, queue

urlpatterns = [
    path("", home.home, name="home"),
    path("health/", health.health, name="health"),
    # The caseworker's workspace (issue 5). Ids only in URLs; search terms travel by POST.
    path("queue/", queue.queue, name="queue"),
    path("queue/search/", queue.queue_search, name="queue-search"),
    path("queue/assign/", queue.queue_bulk_assign, name="queue-bulk-assign"),
    path("own-file/", ownfile.own_file, name="own-file"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/<slug:action>/", cases.case_action, name="case-action"),
    path("imports/", imports.import_index, name="imports"),
    path("imports/<int:pk>/", imports.import_detail, name="import-detail"),
    path("imports/<int:pk>/errors.csv", imports.import_errors_csv, name="import-errors-csv"),
    path("privacy/", privacy.find, name="privacy_find"),
    path("privacy/households/<int:pk>/", privacy.household, name="privacy_household"),
    path("privacy/households/<int:pk>/export/", privacy.export, name="privacy_export"),
    path("privacy/households/<int:pk>/erase/", privacy.erase, name="privacy_erase"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("dashboard/report/", dashboards.dashboard_report, name="dashboard_report"),
    path("dashboard/export/<slug:table>.<str:fmt>", dashboards.dashboard_export, name="dashboard_export"),
    path("dashboard/ddas/", dashboards.ddas_export, name="dashboard_ddas"),
]
