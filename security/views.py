"""Two-factor pages: enrol an authenticator (QR code), verify a code at login, renew recovery codes."""

import django_otp
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from security import audit, two_factor
from security.forms import TokenForm


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only (``redirect("foo")`` would try ``reverse("foo")``: a 500).
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _verified(request, device):
    """The second factor is proven: bind it to a fresh session key and log the login."""
    request.session.cycle_key()
    django_otp.login(request, device)
    audit.login(user=request.user, channel=f"two_factor:{device.__class__.__name__}")


def admin_login(request):
    """Where the admin sends whoever it will not serve (``/admin/login/?next=…``). The admin signs in
    through the portal's login (lockout, two factors), never its own form; but a signed-in user who is
    not staff would be sent straight back to the admin by that login, and round again: they get the 403
    page instead (docs/adr/0067)."""
    if admin.site.has_permission(request):
        return redirect(_next_url(request) if request.GET.get("next") else reverse("admin:index"))
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))


class LoginView(auth_views.LoginView):
    """Django's login (django-axes counts the failures) with the password step audited."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.login(user=form.get_user(), channel="password")
        return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    device = two_factor.pending_device(request.user)
    if device is None:
        return redirect(f"{reverse('two-factor-verify')}?{two_factor.next_query(_next_url(request))}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.enrolment_confirm(user=request.user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            device.refresh_from_db()
            _verified(request, device)
            return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("token", _("That code is not correct. Check the time on your phone and try the newest code."))
    context = {"form": form, "secret": two_factor.secret_for_display(device), "next": _next_url(request)}
    return render(request, "security/setup.html", context)


@never_cache
@login_required
def qr(request):
    device = two_factor.pending_device(request.user)
    if device is None:
        raise Http404
    return HttpResponse(two_factor.qr_svg(device), content_type="image/svg+xml")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if not two_factor.has_confirmed_device(request.user):
        return redirect(f"{reverse('two-factor-setup')}?{two_factor.next_query(_next_url(request))}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            _verified(request, device)
            return redirect(_next_url(request))
        audit.login_failed(user=request.user, channel="two_factor")
        form.add_error(
            "token",
            _("That code is not correct, or you tried too often: wait a moment and enter the newest code."),
        )
    return render(request, "security/verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    if settings.TIJDIG_2FA_REQUIRED and not request.user.is_verified():  # the middleware guards this too
        return redirect("two-factor-verify")
    if request.method == "POST":
        codes = two_factor.recovery_codes_regenerate(user=request.user)
        audit.security_change(user=request.user, what="recovery_codes_regenerated")
        context = {"codes": codes, "next": resolve_url(settings.LOGIN_REDIRECT_URL)}
        return render(request, "security/recovery_codes.html", context)
    return render(request, "security/recovery_codes_left.html", {"left": two_factor.recovery_codes_left(request.user)})
