from django.urls import path

from security import views

urlpatterns = [
    path("setup/", views.setup, name="two-factor-setup"),
    path("setup/qr.svg", views.qr, name="two-factor-qr"),
    path("verify/", views.verify, name="two-factor-verify"),
    path("recovery-codes/", views.recovery_codes, name="two-factor-recovery-codes"),
]
