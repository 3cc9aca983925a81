from django.urls import path

from arrears.views import cases, home, ownfile, queue

urlpatterns = [
    path("", home.home, name="home"),
    # The caseworker's workspace (issue 5). Ids only in URLs; search terms travel by POST.
    path("queue/", queue.queue, name="queue"),
    path("queue/search/", queue.queue_search, name="queue-search"),
    path("queue/assign/", queue.queue_bulk_assign, name="queue-bulk-assign"),
    path("own-file/", ownfile.own_file, name="own-file"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/compliance-file/", cases.case_compliance_file, name="case-compliance-file"),
    path("cases/<int:pk>/<slug:action>/", cases.case_action, name="case-action"),
]
