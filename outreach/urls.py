from django.urls import path

from outreach import views

urlpatterns = [
    path("cases/<int:pk>/letters/new/", views.letter_new, name="letter-new"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="letter-pdf"),
]
