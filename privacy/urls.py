from django.urls import path

from privacy import views

urlpatterns = [
    path("privacy/", views.find, name="privacy_find"),
    path("privacy/households/<int:pk>/", views.household, name="privacy_household"),
    path("privacy/households/<int:pk>/export/", views.export, name="privacy_export"),
    path("privacy/households/<int:pk>/erase/", views.erase, name="privacy_erase"),
]
