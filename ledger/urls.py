from django.urls import path

from ledger import views

urlpatterns = [
    path("imports/", views.import_index, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/errors.csv", views.import_errors_csv, name="import-errors-csv"),
]
