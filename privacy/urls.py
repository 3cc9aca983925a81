from django.urls import path

from privacy import views

urlpatterns = [
    path("privacy/", views.find, name="privacy-find"),
    path("privacy/households/<int:pk>/", views.household, name="privacy-household"),
    path("privacy/households/<int:pk>/export/", views.export, name="privacy-export"),
    path("privacy/households/<int:pk>/erase/", views.erase, name="privacy-erase"),
]
