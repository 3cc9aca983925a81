from django.urls import path

from security import views

urlpatterns = [
    path("setup/", views.setup, name="two_factor_setup"),
    path("setup/qr.svg", views.qr, name="two_factor_qr"),
    path("verify/", views.verify, name="two_factor_verify"),
    path("recovery-codes/", views.recovery_codes, name="two_factor_recovery_codes"),
]
